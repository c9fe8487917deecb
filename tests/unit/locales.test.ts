import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** Every namespace exists in both languages with the same keys, and no translation is empty. */
const localesDir = path.resolve("app/locales");
const languages = ["zh-CN", "en"] as const;
const PLURAL = /_(zero|one|two|few|many|other)$/;

const namespaces = (lng: string) =>
  readdirSync(path.join(localesDir, lng))
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -5))
    .sort();

function load(lng: string, ns: string): unknown {
  return JSON.parse(readFileSync(path.join(localesDir, lng, `${ns}.json`), "utf8"));
}

/** Flattened key → value; plural forms (_one, _other…) count as one key. */
function flatten(value: unknown, prefix = "", out = new Map<string, unknown[]>()) {
  if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    const key = prefix.replace(PLURAL, "");
    out.set(key, [...(out.get(key) ?? []), value]);
  }
  return out;
}

describe("locale files", () => {
  it("have the same namespaces in every language", () => {
    expect(namespaces("zh-CN").length).toBeGreaterThan(0);
    expect(namespaces("en")).toEqual(namespaces("zh-CN"));
  });

  const all = [...new Set(languages.flatMap(namespaces))];
  describe.each(all)("namespace %s", (ns) => {
    const keys = Object.fromEntries(languages.map((lng) => [lng, flatten(load(lng, ns))]));

    it("has the same keys in zh-CN and en", () => {
      const [a, b] = languages;
      const onlyIn = (x: string, y: string) => [...keys[x].keys()].filter((k) => !keys[y].has(k)).sort();
      const problems = [
        ...onlyIn(a, b).map((k) => `${ns}: "${k}" is in ${a} but missing in ${b}`),
        ...onlyIn(b, a).map((k) => `${ns}: "${k}" is in ${b} but missing in ${a}`),
      ];
      expect(problems, problems.join("\n")).toEqual([]);
    });

    it("has no empty values", () => {
      const empty = languages.flatMap((lng) =>
        [...keys[lng]]
          .filter(([, values]) => values.some((v) => typeof v !== "string" || v.trim() === ""))
          .map(([k]) => `${lng}/${ns}.json: "${k}" is empty or not a string`),
      );
      expect(empty, empty.join("\n")).toEqual([]);
    });
  });
});
