import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { notFound, requireNationalReporter } from "~/accounts/authz.server";
import { downloadResponse } from "~/catalogue/export.server";
import { i18nServer } from "~/lib/i18n.server";
import { parseQuarter } from "~/reporting/national";
import { institutionSlug, nationalQuarterFile } from "~/reporting/national.server";

const fileSchema = z.string().regex(/^\d{4}-Q[1-4]\.(xlsx|json)$/);

/** `/reports/national/2026-Q1.xlsx|json[?institution=<id>]`: the quarter's national-platform records, streamed. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const institution = new URL(request.url).searchParams.get("institution") || null;
  const { scope } = await requireNationalReporter(request, institution);
  const file = fileSchema.safeParse(params.file ?? "");
  const period = file.success ? parseQuarter(file.data.slice(0, 7)) : null;
  if (!file.success || !period) {
    const t = await i18nServer.getFixedT(request, "stats");
    return new Response(t("national.badQuarter"), { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const slug = scope.kind === "platform" ? "platform" : await institutionSlug(scope.organizationId);
  if (!slug) throw notFound();
  return downloadResponse(await nationalQuarterFile(scope, slug, period, file.data.endsWith(".json") ? "json" : "xlsx"));
}
