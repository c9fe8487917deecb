import type { TestProject } from "vitest/node";
import { createTestDatabase, type TestDatabaseServer } from "./postgres";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string | null;
  }
}

/**
 * With TEST_DATABASE_URL, the whole run shares one fresh database on that server, migrated and
 * seeded once here and dropped at the end. Without it, each test file uses an in-memory PGlite.
 */
let server: TestDatabaseServer | undefined;

export async function setup(project: TestProject) {
  if (!process.env.TEST_DATABASE_URL) {
    project.provide("databaseUrl", null);
    return;
  }
  server = await createTestDatabase(process.env.TEST_DATABASE_URL, "integration");
  project.provide("databaseUrl", server.url);
}

export async function teardown() {
  await server?.drop();
}
