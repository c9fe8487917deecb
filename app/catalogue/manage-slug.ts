/**
 * Readable instrument slugs: the lab's slug and the model in lowercase ASCII with hyphens
 * ("zju-emlab-jem-2100f"); -2, -3 … when the slug is taken.
 */

/** Room for "-" + a counter within the 120 characters public URLs accept. */
const BASE_MAX = 100;

export function asciiSlug(text: string): string {
  return text
    .normalize("NFKD") // fullwidth ＪＥＭ → JEM, é → e + accent
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** The model when it has ASCII letters or digits, else the English name, else "instrument". */
export function slugBase(labSlug: string, model: string, nameEn: string): string {
  const part = asciiSlug(model) || asciiSlug(nameEn) || "instrument";
  return `${asciiSlug(labSlug)}-${part}`.slice(0, BASE_MAX).replace(/-+$/, "");
}

/** The base itself if free, else the first free base-2, base-3 … */
export function firstFreeSlug(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!used.has(candidate)) return candidate;
  }
}
