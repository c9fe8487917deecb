import { eq, getTableColumns, sql } from "drizzle-orm";
import { instruments } from "../../db/schema";
import type { InstrumentStatus } from "../../db/schema/vocabulary";
import type { Tx } from "~/lib/db.server";
import type { InstrumentRecord } from "./instrument-record";
import { compactText } from "./search";
import { searchDocument, type SearchFields } from "./segment";

/**
 * Every write of an instrument's searchable fields goes through here, so the search vector and
 * trigram text always match the record.
 */

export type NewInstrument = InstrumentRecord & {
  slug: string;
  labId: string;
  organizationId: string;
  status: InstrumentStatus;
  photos?: string[];
};

/** Names, model (also without punctuation: JEM-2100F → jem2100f) and maker, for trigram matching. */
export function searchTextOf(r: Pick<InstrumentRecord, "nameZh" | "nameEn" | "model" | "manufacturer">): string {
  return [r.nameZh, r.nameEn, r.model, compactText(r.model), r.manufacturer].join(" ").toLowerCase();
}

const vectorSql = (d: { a: string; b: string; c: string }) =>
  sql`setweight(to_tsvector('simple', ${d.a}), 'A') || setweight(to_tsvector('simple', ${d.b}), 'B') || setweight(to_tsvector('simple', ${d.c}), 'C')`;

/** Column → Postgres type for the JSON record set of a bulk insert. */
const bulkColumns = {
  slug: "text",
  labId: "uuid",
  organizationId: "uuid",
  nameZh: "text",
  nameEn: "text",
  model: "text",
  manufacturer: "text",
  countryOfOrigin: "text",
  categoryCode: "text",
  originalValueFen: "bigint",
  purchaseDate: "date",
  commissioningDate: "date",
  fundingSource: "text",
  specifications: "text",
  mainFunctions: "text",
  serviceContent: "text",
  sampleRequirements: "text",
  serviceModes: "text[]",
  feeText: "text",
  operatingStatus: "text",
  shareMode: "text",
  status: "text",
  suspensionReason: "text",
  photos: "jsonb",
  searchText: "text",
  publishedAt: "timestamptz",
  createdAt: "timestamptz",
  updatedAt: "timestamptz",
} satisfies Partial<Record<keyof typeof instruments.$inferInsert, string>>;

export type BulkInstrumentRow = { [K in keyof typeof bulkColumns]?: unknown } & SearchFields & {
  slug: string;
  labId: string;
  organizationId: string;
};

const BATCH_SIZE = 1000;

/**
 * Inserts many instruments with one statement per thousand rows: the rows travel as one JSON
 * parameter unpacked by jsonb_to_recordset, because thousands of bound parameters per INSERT cost
 * far more in the drivers than in Postgres. Returns the new ids in input order.
 */
export async function insertInstrumentsBulk(tx: Tx, rows: BulkInstrumentRow[], documents = new Map<string, ReturnType<typeof searchDocument>>()) {
  const keys = Object.keys(bulkColumns) as (keyof typeof bulkColumns)[];
  const columns = getTableColumns(instruments);
  const targets = [...keys.map((k) => columns[k].name), "search_vector"].map((n) => `"${n}"`).join(", ");
  const values = keys.map((k) => `coalesce(r."${k}", ${defaultFor(k)})`).join(", ");
  const recordType = [...keys.map((k) => `"${k}" ${bulkColumns[k]}`), "a text", "b text", "c text"].join(", ");
  const ids: string[] = [];
  for (let i = 0; i < rows.length; i += BATCH_SIZE) {
    const batch = rows.slice(i, i + BATCH_SIZE).map((row) => {
      const key = `${row.nameZh}\u0001${row.nameEn}\u0001${row.model}\u0001${row.manufacturer}\u0001${row.mainFunctions}\u0001${row.specifications}\u0001${row.serviceContent}`;
      let doc = documents.get(key);
      if (!doc) {
        doc = searchDocument(row);
        documents.set(key, doc);
      }
      return { ...row, searchText: row.searchText ?? searchTextOf(row), ...doc };
    });
    const result: any = await tx.execute(sql`
      insert into ${instruments} (${sql.raw(targets)})
      select ${sql.raw(values)},
        setweight(to_tsvector('simple', r.a), 'A') || setweight(to_tsvector('simple', r.b), 'B') || setweight(to_tsvector('simple', r.c), 'C')
      from rows from (jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as (${sql.raw(recordType)})) with ordinality as r
      order by r.ordinality
      returning id`);
    for (const row of Array.isArray(result) ? result : result.rows) ids.push(row.id);
  }
  return ids;
}

/** Absent JSON fields fall back to the column defaults of the table. */
function defaultFor(key: keyof typeof bulkColumns): string {
  switch (key) {
    case "serviceModes":
      return "'{}'::text[]";
    case "photos":
      return "'[]'::jsonb";
    case "operatingStatus":
      return "'normal'";
    case "shareMode":
      return "'external'";
    case "status":
      return "'draft'";
    case "originalValueFen":
      return "0";
    case "createdAt":
    case "updatedAt":
      return "now()";
    case "purchaseDate":
    case "commissioningDate":
    case "suspensionReason":
    case "publishedAt":
    case "labId":
    case "organizationId":
    case "slug":
    case "categoryCode":
    case "searchText":
      return "null";
    default:
      return "''";
  }
}

export async function insertInstrument(tx: Tx, input: NewInstrument): Promise<string> {
  const [row] = await tx
    .insert(instruments)
    .values({
      ...input,
      photos: input.photos ?? [],
      publishedAt: input.status === "published" ? new Date() : null,
      searchText: searchTextOf(input),
      searchVector: vectorSql(searchDocument(input)),
    })
    .returning({ id: instruments.id });
  return row.id;
}

export async function updateInstrumentRecord(tx: Tx, id: string, record: InstrumentRecord): Promise<void> {
  await tx
    .update(instruments)
    .set({ ...record, searchText: searchTextOf(record), searchVector: vectorSql(searchDocument(record)), updatedAt: new Date() })
    .where(eq(instruments.id, id));
}
