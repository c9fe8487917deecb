import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    // VITEST_JSON=<file> adds a JSON report (used by .ci/run to print the pass/fail counts).
    ...(process.env.VITEST_JSON
      ? { reporters: ["default", "json"], outputFile: { json: process.env.VITEST_JSON } }
      : {}),
    projects: [
      {
        extends: true,
        // Property tests run hundreds of cases; a busy machine must not turn them into timeouts.
        test: { name: "unit", include: ["tests/unit/**/*.test.{ts,tsx}"], environment: "node", testTimeout: 30_000 },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.{ts,tsx}"],
          globalSetup: ["tests/support/db-global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          globalSetup: ["tests/support/e2e-global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
