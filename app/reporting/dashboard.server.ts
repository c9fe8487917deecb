// The dashboard's input: the period picker and the grouping, from the query string.
import { z } from "zod";
import { parseForm, type FieldErrors } from "~/lib/validation";
import { periodSchema, yearPeriod, type ReportPeriod } from "./period";
import { groupings, type Grouping, type ReportScope } from "./queries.server";
import { utilisationReport } from "./report.server";

const groupSchema = z.object({ group: z.enum(groupings).default("instrument") });

export type DashboardQuery = { ok: true; period: ReportPeriod; grouping: Grouping } | { ok: false; errors: FieldErrors; grouping: Grouping };

export function parseDashboardQuery(params: URLSearchParams, now: Date): DashboardQuery {
  const grouped = groupSchema.safeParse({ group: params.get("group") ?? undefined });
  const grouping = grouped.success ? grouped.data.group : "instrument";
  if (!params.has("period")) return { ok: true, period: yearPeriod(now.getUTCFullYear()), grouping };
  const parsed = parseForm(periodSchema, params);
  return parsed.ok ? { ok: true, period: parsed.data, grouping } : { ok: false, errors: parsed.errors, grouping };
}

export async function dashboard(scope: ReportScope, query: DashboardQuery) {
  if (!query.ok) return { report: null, errors: query.errors };
  return { report: await utilisationReport(scope, query.period, query.grouping), errors: {} as FieldErrors };
}
