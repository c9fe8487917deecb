import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { inList, labs, organizations } from "./accounts";
import {
  instrumentStatuses,
  operatingStatuses,
  serviceModes,
  shareModes,
  type InstrumentStatus,
  type ServiceMode,
} from "./vocabulary";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });





/** The national instrument classification, seeded from instrument-categories.csv. */
export const categories = pgTable("categories", {
  code: text("code").primaryKey(),
  parentCode: text("parent_code"),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
  level: integer("level").notNull(),
});

export const instruments = pgTable(
  "instruments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull().unique(),
    labId: uuid("lab_id")
      .notNull()
      .references(() => labs.id, { onDelete: "cascade" }),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    model: text("model").notNull().default(""),
    manufacturer: text("manufacturer").notNull().default(""),
    countryOfOrigin: text("country_of_origin").notNull().default(""),
    categoryCode: text("category_code")
      .notNull()
      .references(() => categories.code),
    originalValueFen: bigint("original_value_fen", { mode: "number" }).notNull().default(0),
    purchaseDate: date("purchase_date"),
    commissioningDate: date("commissioning_date"),
    fundingSource: text("funding_source").notNull().default(""),
    specifications: text("specifications").notNull().default(""),
    mainFunctions: text("main_functions").notNull().default(""),
    serviceContent: text("service_content").notNull().default(""),
    sampleRequirements: text("sample_requirements").notNull().default(""),
    serviceModes: text("service_modes").array().$type<ServiceMode[]>().notNull().default(sql`'{}'`),
    feeText: text("fee_text").notNull().default(""),
    operatingStatus: text("operating_status").notNull().default("normal"),
    shareMode: text("share_mode").notNull().default("external"),
    status: text("status").$type<InstrumentStatus>().notNull().default("draft"),
    suspensionReason: text("suspension_reason"),
    photos: jsonb("photos").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /** Segmented words (Intl.Segmenter) weighted A name, B model/maker, C functions/specs. */
    searchVector: tsvector("search_vector"),
    /** Names and model joined, for trigram matching of model numbers and typos. */
    searchText: text("search_text").notNull().default(""),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("instruments_lab_idx").on(t.labId),
    index("instruments_org_idx").on(t.organizationId),
    index("instruments_category_idx").on(t.categoryCode),
    index("instruments_status_idx").on(t.status),
    // The directory's default order (newest first) reads the first page straight from here.
    index("instruments_published_order_idx")
      .on(t.publishedAt.desc().nullsLast(), t.slug)
      .where(sql`status = 'published'`),
    // A directory search reads every published instrument's facet keys and default sort keys
    // from here, not from the wide rows (decision 150).
    index("instruments_directory_idx")
      .on(t.organizationId, t.labId, t.categoryCode, t.serviceModes, t.id, t.publishedAt, t.slug)
      .where(sql`status = 'published'`),
    index("instruments_search_idx").using("gin", t.searchVector),
    index("instruments_trgm_idx").using("gin", sql`${t.searchText} gin_trgm_ops`),
    check("instruments_status_check", inList("status", instrumentStatuses)),
    check("instruments_operating_status_check", inList("operating_status", operatingStatuses)),
    check("instruments_share_mode_check", inList("share_mode", shareModes)),
    check(
      "instruments_service_modes_check",
      sql.raw(`service_modes <@ array[${serviceModes.map((m) => `'${m}'`).join(",")}]::text[]`),
    ),
    check("instruments_original_value_check", sql`original_value_fen >= 0`),
  ],
);

/** Abbreviations and their expansions, both ways, used to widen search queries. */
export const searchSynonyms = pgTable(
  "search_synonyms",
  {
    term: text("term").notNull(),
    expansion: text("expansion").notNull(),
  },
  (t) => [primaryKey({ columns: [t.term, t.expansion] })],
);
