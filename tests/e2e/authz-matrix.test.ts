import { beforeAll, describe, expect, inject, it } from "vitest";
import type { HttpClient } from "../support/http";
import { roleClients, resolveContext } from "../support/role-clients";
import { expected, routeMatrix, roles, type Outcome, type ResolveContext, type Role } from "../support/route-matrix";

/** Requests every route's sample URL as every demo role and checks the class of the answer. */
const baseUrl = inject("baseUrl");
let clients: Record<Role, HttpClient>;
let context: ResolveContext;

function outcomeOf(status: number): Outcome | `status ${number}` {
  if (status >= 200 && status < 300) return "ok";
  if (status >= 300 && status < 400) return "redirect";
  if (status === 400) return "badRequest";
  if (status === 403) return "forbidden";
  if (status === 404) return "notFound";
  return `status ${status}`;
}

beforeAll(async () => {
  clients = await roleClients(baseUrl);
  context = resolveContext(clients);
});

describe("authorization matrix", () => {
  it.each(Object.entries(routeMatrix))("%s answers each role as expected", async (id, entry) => {
    const path = entry.path ?? (await entry.resolve!(context));
    const mismatches: string[] = [];
    for (const role of roles) {
      const client = clients[role];
      const response =
        entry.method === "POST" ? await client.post(path, entry.form ?? {}, "/") : await client.get(path);
      await response.body?.cancel();
      const got = outcomeOf(response.status);
      if (got !== expected(entry, role)) {
        const location = response.headers.get("location");
        mismatches.push(`${role}: expected ${expected(entry, role)}, got ${got}${location ? ` → ${location}` : ""}`);
      }
    }
    expect(mismatches, `${entry.method ?? "GET"} ${path} (${id}):\n${mismatches.join("\n")}`).toEqual([]);
  });
});
