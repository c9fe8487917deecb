import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const robots = readFileSync(new URL("../../public/robots.txt", import.meta.url), "utf8");
const disallowed = [...robots.matchAll(/^Disallow: (\S+)$/gm)].map((m) => m[1]!);
/** Whether a crawler following the file may fetch the path (prefix rules, `*` for one segment). */
const crawlable = (path: string) =>
  !disallowed.some((rule) => new RegExp(`^${rule.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]+")}`).test(path));

describe("robots.txt", () => {
  it("leaves the public pages to crawlers", () => {
    for (const path of ["/", "/instruments", "/instruments/tem-zju", "/institutions/zju", "/labs/zju-em", "/stats", "/instruments/tem-zju/fees"])
      expect(crawlable(path), path).toBe(true);
  });

  it("keeps crawlers out of accounts, bookings, management and money", () => {
    for (const path of ["/account", "/manage/labs/x/bookings", "/admin/instruments", "/bookings/1", "/charges", "/instruments/tem-zju/book", "/login"])
      expect(crawlable(path), path).toBe(false);
  });

  it("names only paths the app has", () => {
    const sections = new Set(readdirSync(new URL("../../app/routes", import.meta.url)).map((f) => f.split(/[._[]/)[0]));
    for (const rule of disallowed) expect(sections.has(rule.split("/")[1]!), rule).toBe(true);
  });
});
