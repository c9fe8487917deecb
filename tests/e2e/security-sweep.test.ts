import fc from "fast-check";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, TEST_SESSION_SECRET, type AppServer } from "../support/app-server";
import { postForms, pageLinks, pathShape, type PageForm } from "../support/forms";
import { HttpClient } from "../support/http";
import { createTestDatabase } from "../support/postgres";
import { resolveContext, roleClients } from "../support/role-clients";
import { DEMO_PASSWORD, demoLogins, expected, routeMatrix, roles, type Role } from "../support/route-matrix";

/**
 * The security sweep, on a server and database of its own (it changes data freely): every POST
 * form any role is shown is sent without and with a forged CSRF token, then fuzzed (random,
 * huge, wrongly typed, missing and extra fields, unicode edge cases, markup); no answer is a 500
 * and a refusal changes nothing in the database. Afterwards no page shows stored markup unescaped,
 * and the server's log holds no secret. Redirect targets, session rotation and file paths are
 * checked directly.
 */
const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 8);
const XSS_SCRIPT = "<script>window.__openlabXss=1</script>";
const XSS_IMG = '"><img src=x onerror=window.__openlabXss=1>';
const LEAK_PASSWORD = "Leak-Check-Password-9731";
/** Tables a background job may write at any moment, so they can change between two snapshots. */
const JOB_WRITTEN = /outbox|summary|summaries|refresh|notification|reminder/;
const REFUSALS = new Set([400, 403, 404, 405, 409, 413, 415, 422, 429]);

let server: AppServer;
let dropDatabase: (() => Promise<void>) | undefined;
let sql: postgres.Sql | undefined;
let fingerprintQuery = "";
let clients: Record<Role, HttpClient>;
/** Each page kind once, per role that may see it. */
const pages = new Map<string, { role: Role; path: string }>();
const forms: { role: Role; page: string; form: PageForm }[] = [];

async function fingerprint(): Promise<Map<string, string>> {
  const rows = sql ? await sql.unsafe<{ name: string; digest: string }[]>(fingerprintQuery) : [];
  return new Map(rows.map((r) => [r.name, r.digest]));
}

function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after].filter(([name, digest]) => before.get(name) !== digest).map(([name]) => name);
}

async function send(client: HttpClient, form: PageForm, fields: [string, string | Blob][]): Promise<Response> {
  if (form.multipart) {
    const body = new FormData();
    for (const [name, value] of fields) body.append(name, value);
    return client.request(form.action, { method: "POST", body });
  }
  const body = new URLSearchParams();
  for (const [name, value] of fields) body.append(name, typeof value === "string" ? value : "");
  return client.request(form.action, {
    method: "POST",
    body,
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
}

async function crawl(role: Role, start: string[]) {
  const queue = [...start];
  const seen = new Set<string>();
  while (queue.length && seen.size < 150) {
    const path = queue.shift()!;
    const shape = `${role} ${pathShape(path)}`;
    if (seen.has(shape) || path.startsWith("/logout")) continue;
    seen.add(shape);
    const response = await clients[role].get(path);
    expect(response.status, `GET ${path} as ${role}`).toBeLessThan(500);
    const type = response.headers.get("content-type") ?? "";
    if (!response.ok || !type.includes("text/html")) {
      await response.body?.cancel();
      continue;
    }
    const html = await response.text();
    if (!pages.has(shape)) pages.set(shape, { role, path });
    for (const form of postForms(html, path)) forms.push({ role, page: path, form });
    // One level of links beyond the listed routes reaches detail pages (a booking, an application …).
    if (start.includes(path)) queue.push(...pageLinks(html).filter((link) => !link.startsWith("/logout")));
  }
}

beforeAll(async () => {
  let databaseUrl: string | undefined;
  if (process.env.TEST_DATABASE_URL) {
    const database = await createTestDatabase(process.env.TEST_DATABASE_URL, "sweep");
    dropDatabase = database.drop;
    databaseUrl = database.url;
    sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
    const tables = await sql<{ name: string }[]>`
      select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like '\\_\\_%' order by 1`;
    fingerprintQuery = tables
      .filter((t) => !JOB_WRITTEN.test(t.name))
      .map((t) => `select '${t.name}' as name, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as digest from public."${t.name}" x`)
      .join(" union all ");
  }
  server = await startAppServer({ databaseUrl, env: { LOG_LEVEL: "info" } });
  clients = await roleClients(server.baseUrl);
  const context = resolveContext(clients);
  const starts = new Map<Role, string[]>();
  for (const entry of Object.values(routeMatrix)) {
    if (entry.method === "POST") continue;
    const path = entry.path ?? (await entry.resolve!(context));
    for (const role of roles) if (expected(entry, role) === "ok") starts.set(role, [...(starts.get(role) ?? []), path]);
  }
  for (const [role, paths] of starts) await crawl(role, paths);
}, 600_000);

afterAll(async () => {
  await server?.stop();
  await sql?.end();
  await dropDatabase?.();
});

/** One form per role, action shape and field set: repeated rows of a table need one visit. */
function distinctForms() {
  const chosen = new Map<string, (typeof forms)[number]>();
  for (const entry of forms) {
    if (entry.form.action.startsWith("/logout")) continue;
    const key = `${entry.role} ${pathShape(entry.form.action)} ${entry.form.fields.map((f) => `${f.name}=${f.type === "submit" || f.type === "hidden" && f.name === "intent" ? f.value : ""}`).sort().join(",")}`;
    if (!chosen.has(key)) chosen.set(key, entry);
  }
  return [...chosen.values()];
}

const withoutCsrf = (form: PageForm) => form.fields.filter((f) => f.name !== "_csrf").map((f): [string, string] => [f.name, f.value]);

describe("redirects, sessions, files and logs", () => {
  const outside = ["https://evil.example/", "//evil.example", "/\\evil.example", "\\\\evil.example", "/%2F%2Fevil.example", "javascript:alert(1)", " //evil.example"];

  it("never redirects to another site", async () => {
    // A different account per attempt keeps clear of the per-account sign-in limit.
    const accounts = [...Object.values(demoLogins), "customer@huadong.openlab.test", "customer@iccas.openlab.test"];
    for (const [i, target] of outside.entries()) {
      const visitor = new HttpClient(server.baseUrl);
      const login = await visitor.get(`/login?redirectTo=${encodeURIComponent(target)}`);
      // Every redirect target the page hands its forms stays on this site.
      const targets = [...(await login.text()).matchAll(/name="redirectTo"[^>]*value="([^"]*)"/g)].map((m) => m[1]);
      expect(targets.length).toBeGreaterThan(0);
      for (const value of targets) expect(value).toMatch(/^\/(?![/\\])/);
      const signIn = await visitor.post("/login", { email: accounts[i % accounts.length]!, password: DEMO_PASSWORD, redirectTo: target }, "/login");
      const language = await visitor.post("/set-language", { lng: "en", redirectTo: target }, "/");
      for (const response of [signIn, language]) {
        const location = response.headers.get("location") ?? "";
        expect(location, `redirect for ${JSON.stringify(target)}`).toMatch(/^\/(?![/\\])/);
        expect(new URL(location, server.baseUrl).origin).toBe(server.baseUrl);
      }
    }
  });

  it("gives a new session on sign-in; the cookie from before it stays anonymous", async () => {
    const visitor = new HttpClient(server.baseUrl);
    await visitor.csrfToken("/login");
    const before = visitor.cookieHeader();
    expect(before).not.toBe("");
    await visitor.signIn(demoLogins.customer, DEMO_PASSWORD);
    expect(visitor.cookieHeader()).not.toBe(before);
    const planted = await fetch(new URL("/account", server.baseUrl), { headers: { cookie: before }, redirect: "manual" });
    expect(planted.status).toBe(302);
    expect(planted.headers.get("location")).toMatch(/^\/login/);
  });

  it("sends security headers with every answer; a document's policy allows only its own nonce's inline scripts", async () => {
    const policy = (r: Response) => r.headers.get("content-security-policy") ?? "";
    const [first, second, data] = await Promise.all(["/instruments", "/instruments", "/instruments.data"].map((path) => fetch(new URL(path, server.baseUrl))));
    const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]{24})'/;
    expect(policy(first)).toMatch(nonce);
    // The nonce is the one the page's scripts carry, and a new one each time.
    expect(await first.text()).toContain(`nonce="${policy(first).match(nonce)![1]}"`);
    expect(policy(second).match(nonce)![1]).not.toBe(policy(first).match(nonce)![1]);
    // Data for the page's scripts is never a document: its policy has no nonce to allow.
    expect(data.status).toBe(200);
    expect(policy(data)).toContain("script-src 'self';");
    expect(policy(data)).not.toContain("nonce");
    for (const answer of [first, data]) {
      expect(policy(answer)).toContain("default-src 'self'");
      expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
      expect(answer.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    }
  });

  it("serves no file outside the upload store", async () => {
    const attempts = [
      "/uploads/../../../../etc/passwd",
      "/uploads/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
      "/uploads/%2e%2e/%2e%2e/package.json",
      "/uploads/instruments/..%252F..%252Fpackage.json",
      "/uploads/%00../package.json",
      "/uploads//etc/passwd",
    ];
    for (const path of attempts) {
      const response = await clients.platform_admin.request(path);
      const body = await response.text();
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
      expect(body).not.toMatch(/root:x:0:0|"name": "openlab"/);
    }
  });

  it("keeps passwords and secrets out of the log and out of error pages", async () => {
    const visitor = new HttpClient(server.baseUrl);
    await visitor.post("/login", { email: demoLogins.customer, password: LEAK_PASSWORD }, "/login");
    const missing = await visitor.get("/no-such-page-sweep");
    const page = await missing.text();
    expect(missing.status).toBe(404);
    expect(page).not.toMatch(/\n\s+at .+\.(js|ts):\d+/);
    const log = server.fullOutput();
    expect(log.length).toBeGreaterThan(0);
    for (const secret of [LEAK_PASSWORD, DEMO_PASSWORD, TEST_SESSION_SECRET]) expect(log).not.toContain(secret);
  });
});

describe("every form refuses a missing or forged CSRF token and changes nothing", () => {
  it("finds forms for every role that has any", () => {
    expect(forms.length).toBeGreaterThan(10);
    expect(new Set(forms.map((f) => f.role)).size).toBeGreaterThanOrEqual(5);
  });

  it("refuses them all", async () => {
    const failures: string[] = [];
    for (const { role, form } of distinctForms()) {
      for (const forged of [null, "forged-token"]) {
        const before = await fingerprint();
        const fields = withoutCsrf(form);
        if (forged) fields.push(["_csrf", forged]);
        const response = await send(clients[role], form, fields);
        await response.body?.cancel();
        const changed = changedTables(before, await fingerprint());
        if (response.status !== 403 || changed.length) {
          failures.push(`${role} POST ${form.action} (csrf ${forged ?? "missing"}): ${response.status}${changed.length ? `, changed ${changed}` : ""}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

const hostile = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "\ud800",
    "🧪🔬",
    "电子显微镜".repeat(2_000),
    "x".repeat(100_000),
    "-1",
    "0",
    "1e309",
    "NaN",
    "Infinity",
    "9".repeat(40),
    "3.14159",
    "2026-02-30",
    "2026-02-30T09:00",
    "2026-13-01T25:61",
    "9999-12-31",
    "0000-01-01T00:00",
    "00000000-0000-0000-0000-000000000000",
    "not-a-uuid",
    "../../../../etc/passwd",
    "' or 1=1 --",
    "{\"$gt\":\"\"}",
    XSS_SCRIPT,
    XSS_IMG,
    "javascript:alert(1)",
    "//evil.example",
  ),
);

describe("fuzzing every form", () => {
  it("never answers 500 and a refusal changes nothing", async () => {
    const failures: string[] = [];
    for (const { role, page, form } of distinctForms()) {
      const client = clients[role];
      const token = await client.csrfToken(page).catch(() => undefined);
      if (!token) continue; // the page went away (its object was changed by an earlier form)
      const fuzzable = form.fields.filter((f) => f.name !== "_csrf");
      const fieldValue = fc.oneof(
        { weight: 2, arbitrary: fc.constant<"keep">("keep") },
        { weight: 1, arbitrary: fc.constant<"omit">("omit") },
        { weight: 4, arbitrary: hostile },
      );
      await fc.assert(
        fc.asyncProperty(fc.array(fieldValue, { minLength: fuzzable.length, maxLength: fuzzable.length }), fc.option(hostile), async (values, extra) => {
          const fields: [string, string | Blob][] = [["_csrf", token]];
          fuzzable.forEach((field, i) => {
            const value = values[i]!;
            if (value === "omit") return;
            const text = value === "keep" ? field.value : value;
            fields.push([field.name, field.type === "file" ? new Blob([value === "keep" ? "%PDF-1.4 fuzz" : value]) : text]);
          });
          if (extra !== null) fields.push(["unexpected", extra]);
          const before = await fingerprint();
          const response = await send(client, form, fields);
          const body = await response.text();
          if (response.status >= 500) failures.push(`${role} POST ${form.action}: ${response.status} ${body.slice(0, 200)}`);
          else if (REFUSALS.has(response.status)) {
            const changed = changedTables(before, await fingerprint());
            if (changed.length) failures.push(`${role} POST ${form.action}: refused with ${response.status} but changed ${changed}`);
          }
        }),
        { numRuns: FUZZ_RUNS, endOnFailure: true },
      );
    }
    expect([...new Set(failures)]).toEqual([]);
    // Every form of every role, fuzzed: minutes, and more with each new form.
  }, 900_000);

  it("stores markup sent through every text field only as text", async () => {
    for (const { role, page, form } of distinctForms()) {
      const token = await clients[role].csrfToken(page).catch(() => undefined);
      if (!token) continue;
      const fields: [string, string][] = [["_csrf", token]];
      for (const field of form.fields) {
        if (field.name === "_csrf" || field.type === "file") continue;
        const free = field.type === "textarea" || ((field.type === "text" || field.type === "search") && !/email|url|date|time|code|phone/i.test(field.name));
        fields.push([field.name, free ? `${field.value || "样品"} ${XSS_SCRIPT}${XSS_IMG}` : field.value]);
      }
      const response = await send(clients[role], form, fields);
      expect(response.status, `${role} POST ${form.action}`).toBeLessThan(500);
      await response.body?.cancel();
    }
    const shown: string[] = [];
    for (const { role, path } of pages.values()) {
      for (const viewer of new Set<Role>([role, "platform_admin", "anonymous"])) {
        const response = await clients[viewer].get(path);
        const html = response.ok ? await response.text() : "";
        if (html.includes(XSS_SCRIPT) || html.includes("<img src=x onerror")) shown.push(`${viewer} GET ${path}`);
      }
    }
    expect(shown).toEqual([]);
  });
});
