import { segmentWords } from "./segment";

/**
 * Turning what a person typed into a Postgres tsquery. Pure: synonyms are passed in.
 *
 * A query is split on whitespace into chunks; each chunk is segmented into words that must be
 * adjacent (`<->`), chunks are ANDed. A known abbreviation or synonym found in the text becomes a
 * group of alternatives (SEM | 扫描 <-> 电子 <-> 显微镜).
 */

export type Synonyms = ReadonlyMap<string, readonly string[]>;

/** One required part of the query: any one of its alternatives (each a phrase of words) matches. */
export type QueryGroup = { alternatives: string[][] };

export const MAX_QUERY_LENGTH = 100;

export function parseQuery(q: string, synonyms: Synonyms): QueryGroup[] {
  const text = q.toLowerCase().slice(0, MAX_QUERY_LENGTH);
  const terms = [...synonyms.keys()].sort((a, b) => b.length - a.length);
  const groups: QueryGroup[] = [];
  for (const chunk of text.split(/\s+/).filter(Boolean)) {
    let rest = chunk;
    // Longest synonym first, so "冷冻电镜" wins over "电镜".
    for (const term of terms) {
      const pattern = termPattern(term);
      if (!pattern.test(rest)) continue;
      const phrase = segmentWords(term);
      if (phrase.length === 0) continue;
      const alternatives = [phrase, ...synonyms.get(term)!.map(segmentWords).filter((p) => p.length > 0)];
      groups.push({ alternatives: dedupe(alternatives) });
      rest = rest.replace(pattern, " ");
    }
    for (const piece of rest.split(/\s+/).filter(Boolean)) {
      const phrase = segmentWords(piece);
      if (phrase.length > 0) groups.push({ alternatives: [phrase] });
    }
  }
  return groups;
}

/**
 * Where a synonym may match: anywhere in Chinese text, but a Latin term only as a whole word
 * ("ct" is not the middle of "spectrometer").
 */
function termPattern(term: string): RegExp {
  const escaped = term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const edge = (c: string) => (/[a-z0-9]/.test(c) ? "(?<![a-z0-9])" : "");
  const tail = (c: string) => (/[a-z0-9]/.test(c) ? "(?![a-z0-9])" : "");
  return new RegExp(`${edge(term[0])}${escaped}${tail(term[term.length - 1])}`, "g");
}

function dedupe(phrases: string[][]): string[][] {
  const seen = new Set<string>();
  return phrases.filter((p) => {
    const key = p.join(" ");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A lexeme quoted for to_tsquery; Latin words also match as a prefix (jem → jem2100f). */
function lexeme(word: string): string {
  const quoted = `'${word.replace(/'/g, "''").replace(/\\/g, "\\\\")}'`;
  return /^[a-z0-9][a-z0-9]+$/.test(word) ? `${quoted}:*` : quoted;
}

export function toTsquery(groups: QueryGroup[]): string | null {
  if (groups.length === 0) return null;
  return groups
    .map((g) => {
      const alternatives = g.alternatives.map((phrase) =>
        phrase.length === 1 ? lexeme(phrase[0]) : `(${phrase.map(lexeme).join(" <-> ")})`,
      );
      return alternatives.length === 1 ? alternatives[0] : `(${alternatives.join(" | ")})`;
    })
    .join(" & ");
}

/** The text compared by trigram: lower case, punctuation and spaces removed (JEM-2100F → jem2100f). */
export function compactText(text: string): string {
  return text.toLowerCase().replace(/[\s\-_/.·,，、()（）]+/g, "");
}

/** Every word of the query and its synonyms, for highlighting matches in results. */
export function highlightTerms(groups: QueryGroup[]): string[] {
  const words = new Set<string>();
  for (const g of groups) for (const phrase of g.alternatives) words.add(phrase.join(""));
  for (const g of groups) for (const phrase of g.alternatives) for (const w of phrase) if (w.length > 1 || /[\u4e00-\u9fff]/.test(w)) words.add(w);
  return [...words].sort((a, b) => b.length - a.length);
}

export type Highlighted = { text: string; match: boolean }[];

/** Splits text into matched and unmatched parts, case-insensitively, longest term first. */
export function highlight(text: string, terms: string[]): Highlighted {
  if (terms.length === 0 || !text) return [{ text, match: false }];
  const escaped = terms.filter(Boolean).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  if (escaped.length === 0) return [{ text, match: false }];
  const pattern = new RegExp(`(${escaped.join("|")})`, "gi");
  const parts: Highlighted = [];
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index! > last) parts.push({ text: text.slice(last, m.index), match: false });
    parts.push({ text: m[0], match: true });
    last = m.index! + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), match: false });
  return parts;
}

export const sortOptions = ["relevance", "newest", "name", "value"] as const;
export const PAGE_SIZE = 20;

export type DirectoryQuery = {
  q?: string;
  category: string[];
  region: string[];
  orgType: string[];
  org: string[];
  mode: string[];
  /** Accreditation kinds (CNAS, CMA …) valid today for the instrument or its lab. */
  accreditation: string[];
  sort?: (typeof sortOptions)[number];
  page: number;
  /** The free-window filter's fields as typed (see free-window.ts), kept verbatim for the URL. */
  from?: string;
  to?: string;
  hours?: string;
};

/** The URL of the directory with one parameter changed; changing filters returns to page 1. */
export function directoryUrl(query: DirectoryQuery, change: Partial<DirectoryQuery>): string {
  const next = { ...query, page: 1, ...change };
  const params = new URLSearchParams();
  if (next.q) params.set("q", next.q);
  for (const key of ["category", "region", "orgType", "org", "mode", "accreditation"] as const) for (const v of next[key]) params.append(key, v);
  for (const key of ["from", "to", "hours"] as const) if (next[key]) params.set(key, next[key]);
  if (next.sort) params.set("sort", next.sort);
  if (next.page > 1) params.set("page", String(next.page));
  const s = params.toString();
  return s ? `/instruments?${s}` : "/instruments";
}

/** Adds the value to a facet filter, or removes it when already chosen. */
export function toggle(values: string[], value: string): string[] {
  return values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
}
