import { buildApp } from "./app-server";

/** The reliability tests start their own servers from build/; build it once first. */
export async function setup() {
  await buildApp();
}
