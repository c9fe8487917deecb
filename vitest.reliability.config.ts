import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

/**
 * `npm run test:reliability`: the soak, fault and two-instance tests. They start their own servers
 * on a Postgres server (TEST_DATABASE_URL, else the local one) and take minutes, so they run apart
 * from `npm test` (and in .ci/run).
 */
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    ...(process.env.VITEST_JSON
      ? { reporters: ["default", "json"], outputFile: { json: process.env.VITEST_JSON } }
      : {}),
    name: "reliability",
    include: ["tests/reliability/**/*.test.ts"],
    globalSetup: ["tests/support/build-global-setup.ts"],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
