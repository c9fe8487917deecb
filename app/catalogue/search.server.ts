import { sql, type SQL } from "drizzle-orm";
import { searchSynonyms } from "../../db/schema";
import { accreditationKinds } from "../../db/schema/accreditations";
import { serviceModes } from "../../db/schema/vocabulary";
import { firstFitJoin } from "~/availability/free-window.server";
import { getDb } from "~/lib/db.server";
import type { FreeWindow } from "./free-window";
import { compactText, highlightTerms, PAGE_SIZE, parseQuery, toTsquery, type DirectoryQuery, type Synonyms } from "./search";

const SYNONYM_TTL_MS = 5 * 60_000;
let synonymCache: { at: number; map: Synonyms } | undefined;

/** Synonyms change rarely and are read on every search, so they are cached for a few minutes. */
export async function loadSynonyms(now = Date.now()): Promise<Synonyms> {
  if (synonymCache && now - synonymCache.at < SYNONYM_TTL_MS) return synonymCache.map;
  const db = await getDb();
  const rows = await db.select().from(searchSynonyms);
  const map = new Map<string, string[]>();
  for (const row of rows) {
    const term = row.term.toLowerCase();
    map.set(term, [...(map.get(term) ?? []), row.expansion]);
  }
  synonymCache = { at: now, map };
  return map;
}

export function clearSynonymCache() {
  synonymCache = undefined;
}

type TextMatch = { tsquery: string | null; compact: string | null };

function textMatch(query: DirectoryQuery, synonyms: Synonyms): TextMatch & { terms: string[] } {
  if (!query.q) return { tsquery: null, compact: null, terms: [] };
  const groups = parseQuery(query.q, synonyms);
  const compact = compactText(query.q);
  // Trigrams are for model numbers typed any which way (JEM2100 → JEM-2100F); words go through
  // the tsquery and its GIN index. Typos end in the closest-match suggestions.
  const modelLike = /[a-z]/.test(compact) && /\d/.test(compact) && compact.length >= 4;
  return { tsquery: toTsquery(groups), compact: modelLike ? compact : null, terms: highlightTerms(groups) };
}

/** Published instruments of accepted institutions, matching the text and every chosen facet. */
function whereClause(query: DirectoryQuery, match: TextMatch, free: SQL | null): SQL {
  const conditions: SQL[] = [sql`i.status = 'published'`, sql`o.provider_status = 'accepted'`];
  const text: SQL[] = [];
  if (match.tsquery) text.push(sql`i.search_vector @@ to_tsquery('simple', ${match.tsquery})`);
  if (match.compact) text.push(sql`${match.compact} <% i.search_text`);
  if (query.q) conditions.push(text.length ? sql`(${sql.join(text, sql` or `)})` : sql`false`);
  if (query.category.length) conditions.push(sql`i.category_code like any(${sqlArray(query.category.map((c) => `${c}%`))})`);
  if (query.region.length) conditions.push(sql`substr(o.region_code, 1, 2) = any(${sqlArray(query.region)})`);
  if (query.orgType.length) conditions.push(sql`o.type = any(${sqlArray(query.orgType)})`);
  if (query.org.length) conditions.push(sql`o.slug = any(${sqlArray(query.org)})`);
  if (query.mode.length) conditions.push(sql`i.service_modes && ${sqlArray(query.mode)}`);
  if (query.accreditation.length) conditions.push(sql`acc.kinds && ${sqlArray(query.accreditation)}`);
  if (free) conditions.push(free);
  return sql.join(conditions, sql` and `);
}

/** A text[] parameter that both postgres.js and PGlite bind the same way. */
function sqlArray(values: string[]): SQL {
  return sql`string_to_array(${values.join("\u001f")}, chr(31))`;
}

function rankExpression(match: TextMatch): SQL {
  const parts: SQL[] = [];
  if (match.tsquery) parts.push(sql`ts_rank_cd(i.search_vector, to_tsquery('simple', ${match.tsquery}))`);
  if (match.compact) parts.push(sql`word_similarity(${match.compact}, i.search_text)`);
  return parts.length ? sql.join(parts, sql` + `) : sql`0`;
}

function orderBy(query: DirectoryQuery): SQL {
  const sort = query.sort ?? (query.q ? "relevance" : "newest");
  switch (sort) {
    case "relevance":
      return sql`rank desc, i.published_at desc nulls last, i.slug`;
    case "newest":
      return sql`i.published_at desc nulls last, i.slug`;
    case "name":
      return sql`i.name_zh, i.slug`;
    case "value":
      return sql`i.original_value_fen desc, i.slug`;
  }
}

/**
 * The kinds of accreditation valid today (the lab's date) for the instrument: its own and its lab's.
 * Built once for the instruments that have any and hash-joined: a subquery per instrument cost more
 * than the rest of the facet counts.
 */
const validAccreditations = (now: Date) => sql`left join (
    select ai.id, array_agg(distinct a.kind) as kinds
    from accreditations a
      join labs al on al.id = a.lab_id
      join instruments ai on ai.lab_id = a.lab_id and (a.instrument_id is null or a.instrument_id = ai.id)
    where (${now.toISOString()}::timestamptz at time zone al.time_zone)::date between a.valid_from and a.valid_to
    group by ai.id
  ) acc on acc.id = i.id`;

export type DirectoryResult = Awaited<ReturnType<typeof searchDirectory>>;

/**
 * Every facet's counts over the matches `from` gives as `i` (with `category_code`, `service_modes`)
 * joined to their organization `o` and accreditations `acc`. One pass: grouping sets give
 * every facet's counts, and the grand-total row carries the service-mode and accreditation counts
 * (an instrument may have several of each). Organizations are grouped by id and named after
 * counting, so the rows counted stay narrow.
 */
function facetCounts(from: SQL): SQL {
  const total = sql`grouping(o.id, o.type, substr(o.region_code, 1, 2), substr(i.category_code, 1, 4)) = 15`;
  return sql`
      select f.facet, coalesce(f.key, og.slug) as key, coalesce(c.name_zh, og.name_zh) as "nameZh", coalesce(c.name_en, og.name_en) as "nameEn",
        f.n, f.modes, f.accreditations
      from (
        select
          case
            when grouping(substr(i.category_code, 1, 4)) = 0 then 'category'
            when grouping(substr(o.region_code, 1, 2)) = 0 then 'region'
            when grouping(o.type) = 0 then 'orgType'
            when grouping(o.id) = 0 then 'org'
            else 'total'
          end as facet,
          coalesce(substr(i.category_code, 1, 4), substr(o.region_code, 1, 2), o.type) as key,
          o.id as org_id, count(*)::int as n,
          case when ${total} then
            json_build_object(${sql.raw(serviceModes.map((m) => `'${m}', count(*) filter (where '${m}' = any(i.service_modes))`).join(", "))})
          end as modes,
          case when ${total} then
            json_build_object(${sql.join(accreditationKinds.map((k) => sql`${sql.raw(`'${k}'`)}, count(*) filter (where ${sql.raw(`'${k}'`)} = any(acc.kinds))`), sql`, `)})
          end as accreditations
        ${from}
        group by grouping sets (
          (substr(i.category_code, 1, 4)), (substr(o.region_code, 1, 2)), (o.type), (o.id), ()
        )
      ) f
      left join categories c on f.facet = 'category' and c.code = f.key
      left join organizations og on f.facet = 'org' and og.id = f.org_id`;
}

/**
 * The two statements behind a directory page: the page of results, and every facet's counts, run
 * in parallel. With a free window, both join each matching instrument's first fitting slot, so the
 * total and the facet counts count only instruments free in the window.
 */
export function directoryStatements(query: DirectoryQuery, synonyms: Synonyms, window: FreeWindow | null = null, now = new Date()) {
  const match = textMatch(query, synonyms);
  const free = window ? firstFitJoin(window, now) : null;
  const where = whereClause(query, match, free?.fits ?? null);
  const accredited = validAccreditations(now);
  const fit = free ? sql`${free.firstFit} as "firstFit", fs.length_minutes as "lengthMinutes"` : sql`null as "firstFit", null as "lengthMinutes"`;
  const page = sql`
      select i.slug, i.name_zh as "nameZh", i.name_en as "nameEn", i.model, i.manufacturer,
        i.service_modes as "serviceModes", i.operating_status as "operatingStatus", case when i.photos->>0 like '/uploads/%.webp' then left(i.photos->>0, -5) || '-thumb.webp' else i.photos->>0 end as photo,
        o.slug as "orgSlug", o.name_zh as "orgNameZh", o.name_en as "orgNameEn", o.region_code as "regionCode",
        l.slug as "labSlug", l.time_zone as zone, l.name_zh as "labNameZh", l.name_en as "labNameEn",
        c.name_zh as "categoryNameZh", c.name_en as "categoryNameEn", acc.kinds as accreditations,
        ${rankExpression(match)} as rank, ${fit}
      from instruments i
        join organizations o on o.id = i.organization_id
        join labs l on l.id = i.lab_id
        join categories c on c.code = i.category_code
        ${accredited} ${free?.join ?? sql``}
      where ${where}
      order by ${orderBy(query)}
      limit ${PAGE_SIZE} offset ${(query.page - 1) * PAGE_SIZE}`;
  // The labs are read once and hashed (offset 0): joined freely, the planner probed the labs' key
  // once per instrument beside the free-window check, a sixth of that statement's time.
  const facets = sql`select * from (${facetCounts(sql`from instruments i join organizations o on o.id = i.organization_id join (select id, time_zone from labs offset 0) l on l.id = i.lab_id ${accredited} ${free?.join ?? sql``} where ${where}`)}) f
      order by f.facet, f.n desc, f.key`;
  return { page, facets, terms: match.terms };
}

/** The directory page in two statements, however many results, facets or instruments free in the window. */
export async function searchDirectory(query: DirectoryQuery, window: FreeWindow | null = null, now = new Date()) {
  const db = await getDb();
  const statements = directoryStatements(query, await loadSynonyms(), window, now);
  const [rows, facetRows] = await Promise.all([db.execute(statements.page), db.execute(statements.facets)]);
  const items = rowsOf(rows).map((r) => ({ ...r, rank: Number(r.rank), firstFit: firstFitSlot(r), accreditations: textArray(r.accreditations) }));
  const { facets, total } = groupFacets(rowsOf(facetRows));
  const suggestions = total === 0 && query.q && !window ? await closestMatches(query.q) : [];
  return { items, total, facets, terms: statements.terms, suggestions };
}

/** A json column: parsed by postgres.js and PGlite, text if a driver leaves it. */
function jsonValue(value: unknown): any {
  return typeof value === "string" ? JSON.parse(value) : value;
}

/** The slot to preselect on the booking form: postgres.js gives a Date, PGlite may give text. */
function firstFitSlot(row: any): { start: string; end: string } | null {
  if (row.firstFit == null) return null;
  const start = new Date(row.firstFit);
  return { start: start.toISOString(), end: new Date(start.getTime() + Number(row.lengthMinutes) * 60_000).toISOString() };
}

/** A text[] column: postgres.js gives an array, PGlite may give its text form ({a,b}). */
function textArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === "string" && value.length > 2) return value.slice(1, -1).split(",");
  return [];
}

/** The grand-total row's per-value counts (a JSON object) as facet values, largest first. */
function countsOf(value: unknown): FacetValue[] {
  const counts = jsonValue(value) as Record<string, number>;
  return Object.entries(counts ?? {})
    .filter(([, n]) => Number(n) > 0)
    .map(([key, n]) => ({ key, nameZh: null, nameEn: null, n: Number(n) }))
    .sort((a, b) => b.n - a.n);
}

type FacetValue = { key: string; nameZh: string | null; nameEn: string | null; n: number };

function groupFacets(rows: any[]): { facets: Record<string, FacetValue[]>; total: number } {
  const facets: Record<string, FacetValue[]> = { category: [], region: [], orgType: [], org: [], mode: [], accreditation: [] };
  let total = 0;
  for (const r of rows) {
    if (r.facet === "total") {
      total = Number(r.n);
      facets.mode = countsOf(r.modes);
      facets.accreditation = countsOf(r.accreditations);
    } else if (r.key !== null) {
      facets[r.facet]?.push({ key: r.key, nameZh: r.nameZh, nameEn: r.nameEn, n: Number(r.n) });
    }
  }
  return { facets, total };
}

/** When nothing matches: the nearest names and models by trigram similarity. */
async function closestMatches(q: string) {
  const db = await getDb();
  const text = q.toLowerCase();
  const rows = await db.execute(sql`
    select i.slug, i.name_zh as "nameZh", i.name_en as "nameEn", i.model
    from instruments i join organizations o on o.id = i.organization_id
    where i.status = 'published' and o.provider_status = 'accepted'
    order by greatest(word_similarity(${text}, i.search_text), word_similarity(${compactText(q)}, i.search_text)) desc, i.slug
    limit 5`);
  return rowsOf(rows) as { slug: string; nameZh: string; nameEn: string; model: string }[];
}

/** postgres.js returns an array of rows, PGlite an object with `rows`. */
export function rowsOf(result: unknown): any[] {
  return Array.isArray(result) ? result : ((result as { rows: any[] }).rows ?? []);
}
