import { expect } from "vitest";
import { HttpClient } from "./http";
import { DEMO_PASSWORD, demoLogins, type ResolveContext, type Role, type SignedInRole } from "./route-matrix";

/** One HTTP client per demo role against `baseUrl`, each signed in (anonymous stays a visitor). */
export async function roleClients(baseUrl: string): Promise<Record<Role, HttpClient>> {
  const clients = { anonymous: new HttpClient(baseUrl) } as Record<Role, HttpClient>;
  for (const [role, email] of Object.entries(demoLogins) as [SignedInRole, string][]) {
    const client = new HttpClient(baseUrl);
    await client.signIn(email, DEMO_PASSWORD);
    // The session must really be signed in: the header shows the account menu.
    expect(await (await client.get("/")).text(), `${role} is not signed in`).toContain('class="account-menu"');
    clients[role] = client;
  }
  return clients;
}

/** What the route matrix's `resolve` functions use to find runtime ids through the app's pages. */
export function resolveContext(clients: Record<Role, HttpClient>): ResolveContext {
  return {
    async html(role, path) {
      const response = await clients[role].get(path);
      const body = await response.text();
      if (!response.ok) throw new Error(`GET ${path} as ${role} answered ${response.status}`);
      return body;
    },
    post: (role, path, fields, csrfFrom = path) => clients[role].post(path, fields, csrfFrom),
  };
}
