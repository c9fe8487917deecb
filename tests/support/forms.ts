/**
 * Reads the POST forms out of a server-rendered page (React's markup: double-quoted attributes, no
 * nested forms), so the security sweep can submit and fuzz every form the app shows, including
 * forms added later, without a list to keep up to date.
 */
export interface FormField {
  name: string;
  /** input type, or "select" / "textarea". */
  type: string;
  value: string;
  options?: string[];
}

export interface PageForm {
  /** Path and query the form posts to. */
  action: string;
  multipart: boolean;
  fields: FormField[];
}

const entities: Record<string, string> = { amp: "&", quot: '"', lt: "<", gt: ">", apos: "'", nbsp: "\u00a0" };
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, code: string) => {
    if (code[0] === "#") return String.fromCodePoint(code[1]?.toLowerCase() === "x" ? parseInt(code.slice(2), 16) : Number(code.slice(1)));
    return entities[code.toLowerCase()] ?? whole;
  });
}

function attributes(source: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const m of source.matchAll(/([\w:-]+)(?:="([^"]*)")?/g)) found[m[1]!.toLowerCase()] = decodeEntities(m[2] ?? "");
  return found;
}

/** Every POST form on the page; a form with several named submit buttons yields one form per button. */
export function postForms(html: string, pagePath: string): PageForm[] {
  const forms: PageForm[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const attrs = attributes(m[1]!);
    if ((attrs.method ?? "get").toLowerCase() !== "post") continue;
    const body = m[2]!;
    const fields: FormField[] = [];
    const buttons: FormField[] = [];
    for (const t of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
      const a = attributes(t[1]!);
      if (a.name) fields.push({ name: a.name, type: "textarea", value: decodeEntities(t[2]!) });
    }
    for (const s of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const a = attributes(s[1]!);
      if (!a.name) continue;
      const options = [...s[2]!.matchAll(/<option\b([^>]*)>([^<]*)/g)].map((o) => {
        const oa = attributes(o[1]!);
        return { value: "value" in oa ? oa.value! : decodeEntities(o[2]!), selected: "selected" in oa };
      });
      const chosen = options.find((o) => o.selected) ?? options[0];
      fields.push({ name: a.name, type: "select", value: chosen?.value ?? "", options: options.map((o) => o.value) });
    }
    for (const i of body.matchAll(/<(input|button)\b([^>]*)>/g)) {
      const a = attributes(i[2]!);
      if (!a.name || "disabled" in a) continue;
      const type = (a.type ?? (i[1] === "button" ? "submit" : "text")).toLowerCase();
      if (type === "submit" || type === "image") buttons.push({ name: a.name, type: "submit", value: a.value ?? "" });
      else if ((type === "checkbox" || type === "radio") && !("checked" in a)) continue;
      else fields.push({ name: a.name, type, value: a.value ?? "" });
    }
    const action = attrs.action ? new URL(attrs.action, `http://x${pagePath}`) : new URL(pagePath, "http://x");
    const base = {
      action: action.pathname + action.search,
      multipart: (attrs.enctype ?? "").toLowerCase() === "multipart/form-data",
    };
    if (buttons.length === 0) forms.push({ ...base, fields });
    else for (const button of buttons) forms.push({ ...base, fields: [...fields, button] });
  }
  return forms;
}

/** Same-site links on the page (paths only). */
export function pageLinks(html: string): string[] {
  const links = new Set<string>();
  for (const m of html.matchAll(/<a\b[^>]*\bhref="(\/[^"]*)"/g)) {
    const href = decodeEntities(m[1]!);
    if (!href.startsWith("//")) links.add(href.split("#")[0]!);
  }
  return [...links];
}

/** A path's shape: ids and slugs replaced, so the sweep visits one page of each kind. */
export function pathShape(path: string): string {
  const [pathname, query] = path.split("?");
  const shape = pathname!
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ":id")
    .replace(/^\/(instruments|labs|institutions)\/(?!:id)[^/]+/, "/$1/:slug")
    .replace(/^\/uploads\/.*/, "/uploads/*");
  return query ? `${shape}?${[...new URLSearchParams(query).keys()].sort().join("&")}` : shape;
}
