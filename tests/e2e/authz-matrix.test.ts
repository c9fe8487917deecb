import { beforeAll, describe, expect, inject, it } from "vitest";
import { HttpClient } from "../support/http";
import {
  DEMO_PASSWORD,
  demoLogins,
  routeMatrix,
  roles,
  type Outcome,
  type ResolveContext,
  type Role,
  type SignedInRole,
} from "../support/route-matrix";

/** Requests every route's sample URL as every demo role and checks the class of the answer. */
const baseUrl = inject("baseUrl");
const clients = {} as Record<Role, HttpClient>;

function outcomeOf(status: number): Outcome | `status ${number}` {
  if (status >= 200 && status < 300) return "ok";
  if (status >= 300 && status < 400) return "redirect";
  if (status === 400) return "badRequest";
  if (status === 403) return "forbidden";
  if (status === 404) return "notFound";
  return `status ${status}`;
}

const context: ResolveContext = {
  async html(role, path) {
    const response = await clients[role].get(path);
    const body = await response.text();
    if (!response.ok) throw new Error(`GET ${path} as ${role} answered ${response.status}`);
    return body;
  },
  post: (role, path, fields, csrfFrom = path) => clients[role].post(path, fields, csrfFrom),
};

beforeAll(async () => {
  clients.anonymous = new HttpClient(baseUrl);
  for (const [role, email] of Object.entries(demoLogins) as [SignedInRole, string][]) {
    const client = new HttpClient(baseUrl);
    await client.signIn(email, DEMO_PASSWORD);
    // The session must really be signed in: the header shows the account menu.
    expect(await (await client.get("/")).text(), `${role} is not signed in`).toContain("account-menu");
    clients[role] = client;
  }
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
      if (got !== entry.expect[role]) {
        const location = response.headers.get("location");
        mismatches.push(`${role}: expected ${entry.expect[role]}, got ${got}${location ? ` → ${location}` : ""}`);
      }
    }
    expect(mismatches, `${entry.method ?? "GET"} ${path} (${id}):\n${mismatches.join("\n")}`).toEqual([]);
  });
});
