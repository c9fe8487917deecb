import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import remixConfig from "./remix.config.js";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  plugins: [remix(remixConfig), tsconfigPaths()],
  build: { target: "es2022" },
  ssr: {
    // Native and WASM packages stay external so Node loads them from node_modules.
    external: ["@electric-sql/pglite", "@node-rs/argon2", "pg-boss", "postgres", "pino"],
  },
});
