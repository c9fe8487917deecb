import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { flashNotice } from "~/accounts/auth.server";
import { notFound, requireLabStaff } from "~/accounts/authz.server";
import { checkImport, importInstruments, importPage } from "~/catalogue/import.server";
import { ImportColumnGuide, ImportReport } from "~/components/import-report";
import { CsrfInput, FormError } from "~/components/forms";
import { formOf } from "~/lib/form.server";
import { localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { clientIp } from "~/lib/rate-limit.server";
import { parseForm } from "~/lib/validation";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "catalogue", "manage", "import"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireLabStaff(request, params.labId ?? "");
  const [page, t] = await Promise.all([importPage(params.labId!), i18nServer.getFixedT(request, "import")]);
  if (!page) throw notFound();
  return { title: `${t("title")} · ${page.lab.nameZh} · OpenLab`, ...page };
}

const fieldsSchema = z.object({
  intent: z.enum(["check", "import"]),
  fileHash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});

/** "check" reads and validates the upload; "import" imports it if it is the file that was previewed. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const labId = params.labId ?? "";
  const viewer = await requireLabStaff(request, labId);
  const form = await formOf(request);
  const fields = parseForm(fieldsSchema, form);
  if (!fields.ok) return data({ error: "validation.invalid" }, { status: 400 });
  const file = form.get("file");
  if (!(file instanceof Blob) || file.size === 0) return data({ error: "import:preview.noFile" }, { status: 400 });
  const bytes = Buffer.from(await file.arrayBuffer());
  if (fields.data.intent === "check") {
    const check = await checkImport(labId, bytes);
    return data({ check }, { status: check.ok ? 200 : 400 });
  }
  const outcome = await importInstruments(labId, bytes, { userId: viewer.id, ip: clientIp(request, context) }, fields.data.fileHash);
  if (!outcome.ok) return data({ check: outcome.check, changed: outcome.changed }, { status: outcome.check.ok ? 200 : 400 });
  const t = await i18nServer.getFixedT(request, "import");
  return redirect(`/manage/labs/${labId}`, {
    headers: { "Set-Cookie": await flashNotice(request, t("done", { count: outcome.count })) },
  });
}

export default function ImportInstruments() {
  const { lab, organization } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("import");
  const locale = useLocale();
  const check = result && "check" in result ? result.check : undefined;
  // A file picked after the preview has not been checked: hide the preview's confirm button.
  const [stale, setStale] = useState(false);
  useEffect(() => setStale(false), [result]);
  const intent = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const canImport = check?.ok && !stale && check.rowCount > 0;
  const base = `/manage/labs/${lab.id}`;
  return (
    <section className="section manage import-page">
      <nav className="breadcrumbs" aria-label={t("breadcrumbs")}>
        <Link to="/manage">{t("manage:dashboard.title")}</Link> / <Link to={base}>{localName(lab, locale)}</Link> / {t("title")}
      </nav>
      <h1>{t("title")}</h1>
      <p className="lead-muted">
        {localName(organization, locale)} · {localName(lab, locale)}
      </p>
      <p>{t("lead")}</p>

      <div className="panel import-step">
        <h2>{t("template.heading")}</h2>
        <p>{t("template.text")}</p>
        <p className="import-links">
          <a className="button button-secondary" href={`${base}/template?format=xlsx`} download>
            {t("template.xlsx")}
          </a>
          <a className="button button-secondary" href={`${base}/template?format=csv`} download>
            {t("template.csv")}
          </a>
        </p>
      </div>

      <Form method="post" encType="multipart/form-data" className="panel import-step" aria-busy={intent ? true : undefined}>
        <h2>{t("upload.heading")}</h2>
        <CsrfInput />
        {canImport ? <input type="hidden" name="fileHash" value={check.fileHash} /> : null}
        <div className="field">
          <label htmlFor="import-file">{t("upload.file")}</label>
          <input
            id="import-file"
            name="file"
            type="file"
            required
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-describedby="import-file-hint"
            onChange={() => setStale(true)}
          />
          <p className="field-hint" id="import-file-hint">
            {t("upload.hint")}
          </p>
        </div>
        <FormError error={result && "error" in result ? result.error : undefined} />
        <div className="import-actions">
          <button type="submit" name="intent" value="check" className={canImport ? "button button-secondary" : "button"} disabled={intent !== null}>
            {intent === "check" ? t("upload.checking") : t("upload.check")}
          </button>
          {canImport ? (
            <button type="submit" name="intent" value="import" className="button" disabled={intent !== null}>
              {intent === "import" ? t("preview.importing") : t("preview.confirm", { count: check.rowCount })}
            </button>
          ) : null}
        </div>
        {intent === "import" && check ? (
          <div className="import-progress" role="status">
            <progress aria-label={t("preview.importing")} />
            <span>{t("preview.importingHint", { count: check.rowCount })}</span>
          </div>
        ) : null}
      </Form>

      {check && !stale ? (
        <div className="panel import-step">
          <h2>{t("preview.heading")}</h2>
          {result && "changed" in result && result.changed ? (
            <p className="notice notice-warning" role="status">
              {t("preview.changed")}
            </p>
          ) : null}
          <ImportReport check={check} />
        </div>
      ) : null}

      <ImportColumnGuide />
    </section>
  );
}
