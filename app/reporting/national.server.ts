// The quarterly national-platform files: service records read straight from usage records (one
// row each, with the booking's mode, the charge and the review), instrument records from the
// catalogue plus the quarter's figures from the usage summaries. Both are streamed in batches.
import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";
import { sql } from "drizzle-orm";
import { nationalHeaders, nationalRecord, instrumentRows, type ExportFile } from "~/catalogue/export.server";
import { textStream } from "~/catalogue/spreadsheet.server";
import { getDb } from "~/lib/db.server";
import {
  instrumentFigureFields,
  quarterKey,
  serviceRecordFields,
  type InstrumentQuarterFigures,
  type ServiceRecordRow,
} from "./national";
import { monthDate, type Month, type ReportPeriod } from "./period";

export type NationalScope = { kind: "platform" } | { kind: "institution"; organizationId: string };

const BATCH = 1_000;
const rowsOf = <T>(result: any): T[] => (Array.isArray(result) ? result : result.rows) as T[];
const nextMonth = (m: Month): Month => (m.month === 12 ? { year: m.year + 1, month: 1 } : { year: m.year, month: m.month + 1 });

const scopeFilter = (scope: NationalScope) => (scope.kind === "platform" ? sql`true` : sql`i.organization_id = ${scope.organizationId}::uuid`);

/** Usage records that started within the quarter (in their lab's zone), by id, a thousand per query. */
export async function* serviceRecords(scope: NationalScope, period: ReportPeriod): AsyncGenerator<ServiceRecordRow> {
  const db = await getDb();
  const from = monthDate(period.from);
  const until = monthDate(nextMonth(period.to));
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const batch = rowsOf<Record<string, any>>(
      await db.execute(sql`
        select u.id, b.reference, i.slug as "instrumentCode", i.name_zh as "instrumentName",
          extract(epoch from u.started_at) * 1000 as "startedAt", extract(epoch from u.ended_at) * 1000 as "endedAt",
          l.time_zone as zone, b.service_mode as "serviceMode", b.kind,
          u.preparation_minutes + u.measurement_minutes + u.post_processing_minutes as "effectiveMinutes",
          u.samples_count as samples, cu.display_name as applicant, co.name_zh as "applicantUnit",
          (select c.amount_fen from charges c where c.booking_id = b.id and c.kind = 'usage') as "feeFen",
          (select r.rating from reviews r where r.booking_id = b.id) as rating
        from usage_records u
        join bookings b on b.id = u.booking_id
        join instruments i on i.id = u.instrument_id
        join labs l on l.id = i.lab_id
        join users cu on cu.id = u.user_id
        join organizations co on co.id = u.organization_id
        where u.id > ${after}::uuid and ${scopeFilter(scope)}
          and (u.started_at at time zone l.time_zone) >= ${from}::timestamp
          and (u.started_at at time zone l.time_zone) < ${until}::timestamp
        order by u.id
        limit ${BATCH}`),
    );
    for (const r of batch) {
      yield {
        reference: r.reference,
        instrumentCode: r.instrumentCode,
        instrumentName: r.instrumentName,
        startedAt: new Date(Number(r.startedAt)),
        endedAt: new Date(Number(r.endedAt)),
        zone: r.zone,
        serviceMode: r.serviceMode,
        kind: r.kind,
        effectiveMinutes: Number(r.effectiveMinutes),
        samples: Number(r.samples),
        applicant: r.applicant,
        applicantUnit: r.applicantUnit,
        feeFen: r.feeFen === null ? null : Number(r.feeFen),
        rating: r.rating,
      };
    }
    if (batch.length < BATCH) return;
    after = batch[batch.length - 1]!.id;
  }
}

/** Each instrument's figures over the quarter, from the usage summaries: one query for the scope. */
async function quarterFigures(scope: NationalScope, period: ReportPeriod): Promise<Map<string, InstrumentQuarterFigures>> {
  const db = await getDb();
  const rows = rowsOf<Record<string, string>>(
    await db.execute(sql`
      select s.instrument_id as id, sum(s.effective_minutes) as effective, sum(s.external_minutes) as external,
        sum(s.visits) as visits, sum(s.samples) as samples
      from usage_summaries s join instruments i on i.id = s.instrument_id
      where s.month between ${monthDate(period.from)}::date and ${monthDate(period.to)}::date and ${scopeFilter(scope)}
      group by s.instrument_id`),
  );
  return new Map(
    rows.map((r) => [r.id!, { effectiveMinutes: Number(r.effective), externalMinutes: Number(r.external), visits: Number(r.visits), samples: Number(r.samples) }]),
  );
}

const noFigures: InstrumentQuarterFigures = { effectiveMinutes: 0, externalMinutes: 0, visits: 0, samples: 0 };

async function* instrumentRecords(scope: NationalScope, period: ReportPeriod): AsyncGenerator<Record<string, string>> {
  const figures = await quarterFigures(scope, period);
  const catalogueScope = scope.kind === "platform" ? { platform: true as const } : { organizationId: scope.organizationId };
  for await (const row of instrumentRows(catalogueScope)) {
    if (row.instrument.status === "draft") continue;
    const f = figures.get(row.instrument.id) ?? noFigures;
    yield { ...nationalRecord(row), ...Object.fromEntries(instrumentFigureFields.map(([name, value]) => [name, value(f)])) };
  }
}

export const serviceRecordHeaders = serviceRecordFields.map(([name]) => name);
export const instrumentRecordHeaders = [...nationalHeaders, ...instrumentFigureFields.map(([name]) => name)];
const serviceRecordObject = (r: ServiceRecordRow) => Object.fromEntries(serviceRecordFields.map(([name, value]) => [name, value(r)]));

const contentTypes = { xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", json: "application/json; charset=utf-8" };

/** Both record sets as one file: an XLSX with two sheets, or one JSON object with two arrays. */
export async function nationalQuarterFile(scope: NationalScope, scopeName: string, period: ReportPeriod, format: "xlsx" | "json"): Promise<ExportFile> {
  const filename = `national-${scopeName}-${quarterKey(period)}.${format}`;
  if (format === "json") {
    async function* json() {
      yield `{"季度":${JSON.stringify(quarterKey(period))},"服务记录":[`;
      let first = true;
      for await (const r of serviceRecords(scope, period)) {
        yield `${first ? "\n" : ",\n"}${JSON.stringify(serviceRecordObject(r))}`;
        first = false;
      }
      yield `\n],"仪器记录":[`;
      first = true;
      for await (const r of instrumentRecords(scope, period)) {
        yield `${first ? "\n" : ",\n"}${JSON.stringify(r)}`;
        first = false;
      }
      yield "\n]}\n";
    }
    return { filename, contentType: contentTypes.json, body: textStream(json()) };
  }
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = (name: string, headers: string[]) => {
    const s = workbook.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1 }] });
    // Text throughout, as the platform's template asks: codes keep their leading zeros.
    s.columns = headers.map((header) => ({ header, width: Math.max(12, header.length * 2 + 4), style: { numFmt: "@" } }));
    s.getRow(1).font = { bold: true };
    return s;
  };
  (async () => {
    const services = sheet("服务记录", serviceRecordHeaders);
    for await (const r of serviceRecords(scope, period)) services.addRow(serviceRecordFields.map(([, value]) => value(r))).commit();
    services.commit();
    const records = sheet("仪器记录", instrumentRecordHeaders);
    for await (const r of instrumentRecords(scope, period)) records.addRow(instrumentRecordHeaders.map((h) => r[h] ?? "")).commit();
    records.commit();
    await workbook.commit();
  })().catch((error) => out.destroy(error));
  return { filename, contentType: contentTypes.xlsx, body: Readable.toWeb(out) as ReadableStream<Uint8Array> };
}

/** Institutions a platform admin may pick, by Chinese name. */
export async function providerInstitutions(): Promise<{ id: string; nameZh: string; nameEn: string; slug: string }[]> {
  const db = await getDb();
  return rowsOf(
    await db.execute(sql`
      select o.id, o.name_zh as "nameZh", o.name_en as "nameEn", o.slug from organizations o
      where exists (select 1 from instruments i where i.organization_id = o.id)
      order by o.name_zh`),
  );
}

export async function institutionSlug(organizationId: string): Promise<string | null> {
  const db = await getDb();
  const [row] = rowsOf<{ slug: string }>(await db.execute(sql`select slug from organizations where id = ${organizationId}::uuid`));
  return row?.slug ?? null;
}
