import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { flashNotice } from "~/accounts/auth.server";
import { requirePlatformAdmin } from "~/accounts/authz.server";
import { CsrfInput, Field, FormError } from "~/components/forms";
import { formOf } from "~/lib/form.server";
import { formatDateTime, localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { clientIp } from "~/lib/rate-limit.server";
import { parseForm, type FieldErrors } from "~/lib/validation";
import { useLocale } from "~/root";
import { creditSettingsSchema } from "~/trust/credit";
import { blocksForAdmin, creditSettings, liftBlock, saveCreditSettings } from "~/trust/credit.server";

export const handle = { i18n: ["common", "trust"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

/** Platform admins: the credit rules' thresholds, and the blocked customers with a lift form. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformAdmin(request);
  const [settings, blocks, t] = await Promise.all([creditSettings(), blocksForAdmin(), i18nServer.getFixedT(request, "trust")]);
  return { title: `${t("credit.adminTitle")} · OpenLab`, settings, blocks };
}

const liftSchema = z.object({
  blockId: z.string().uuid(),
  reason: z.string().trim().min(1, "validation.required").max(500, "validation.tooBig"),
});

type ActionResult = { intent: "settings" | "lift"; blockId?: string; errors: FieldErrors };

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requirePlatformAdmin(request);
  const actor = { userId: admin.id, ip: clientIp(request, context) };
  const form = await formOf(request);
  const t = await i18nServer.getFixedT(request, "trust");
  if (form.get("intent") === "settings") {
    const parsed = parseForm(creditSettingsSchema, form);
    if (!parsed.ok) return data<ActionResult>({ intent: "settings", errors: parsed.errors }, { status: 400 });
    await saveCreditSettings(parsed.data, actor);
    return redirect("/admin/credit", { headers: { "Set-Cookie": await flashNotice(request, t("credit.settingsSaved")) } });
  }
  const parsed = parseForm(liftSchema, form);
  const blockId = String(form.get("blockId") ?? "");
  if (!parsed.ok) return data<ActionResult>({ intent: "lift", blockId, errors: parsed.errors }, { status: 400 });
  const lifted = await liftBlock(parsed.data.blockId, parsed.data.reason, actor);
  if (!lifted.ok) return data<ActionResult>({ intent: "lift", blockId, errors: { _form: lifted.error } }, { status: 409 });
  return redirect("/admin/credit", { headers: { "Set-Cookie": await flashNotice(request, t("credit.lifted")) } });
}

export default function AdminCredit() {
  const { settings, blocks } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("trust");
  const locale = useLocale();
  const settingsErrors = result?.intent === "settings" ? result.errors : {};
  return (
    <section className="section manage">
      <h1>{t("credit.adminTitle")}</h1>
      <p className="lead-muted">{t("credit.adminLead")}</p>
      <h2>{t("credit.blocks")}</h2>
      {blocks.length === 0 ? (
        <p className="empty">{t("credit.noBlocks")}</p>
      ) : (
        <div className="table-wrap">
          <table className="manage-table">
            <thead>
              <tr>
                <th scope="col">{t("credit.customer")}</th>
                <th scope="col">{t("credit.what")}</th>
                <th scope="col">{t("credit.when")}</th>
                <th scope="col">{t("credit.state")}</th>
              </tr>
            </thead>
            <tbody>
              {blocks.map((b) => (
                <tr key={b.id}>
                  <td>
                    {b.userName}
                    <div className="muted">{b.userEmail}</div>
                    {b.organizationNameZh ? <div className="muted">{localName({ nameZh: b.organizationNameZh, nameEn: b.organizationNameEn ?? "" }, locale)}</div> : null}
                  </td>
                  <td>{t(`credit.rule.${b.rule}`)} ({b.count}/{b.threshold})</td>
                  <td>{formatDateTime(b.blockedAt, locale)}</td>
                  <td>
                    {b.liftedAt ? (
                      <>
                        {t("credit.liftedOn", { date: formatDateTime(b.liftedAt, locale), name: b.liftedByName ?? "" })}
                        <div className="muted">{b.liftReason}</div>
                      </>
                    ) : (
                      <Form method="post" className="suspend-form">
                        <CsrfInput />
                        <input type="hidden" name="intent" value="lift" />
                        <input type="hidden" name="blockId" value={b.id} />
                        {result?.intent === "lift" && result.blockId === b.id ? <FormError error={result.errors.reason ?? result.errors._form} /> : null}
                        <label htmlFor={`lift-${b.id}`} className="visually-hidden">
                          {t("credit.liftReasonFor", { name: b.userName })}
                        </label>
                        <input id={`lift-${b.id}`} name="reason" required maxLength={500} placeholder={t("credit.liftReason")} />
                        <button type="submit" className="button button-secondary button-compact">
                          {t("credit.lift")}
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Form method="post" className="panel form-card">
        <h2>{t("credit.settings")}</h2>
        <CsrfInput />
        <input type="hidden" name="intent" value="settings" />
        <Field name="noShowLimit" label={t("credit.noShowLimit")} type="number" defaultValue={String(settings.noShowLimit)} error={settingsErrors.noShowLimit} />
        <Field name="lateCancellationLimit" label={t("credit.lateCancellationLimit")} type="number" defaultValue={String(settings.lateCancellationLimit)} error={settingsErrors.lateCancellationLimit} />
        <Field name="windowMonths" label={t("credit.windowMonths")} type="number" defaultValue={String(settings.windowMonths)} error={settingsErrors.windowMonths} />
        <Field name="lateCancellationHours" label={t("credit.lateCancellationHours")} type="number" defaultValue={String(settings.lateCancellationHours)} error={settingsErrors.lateCancellationHours} />
        <button type="submit" className="button">
          {t("credit.saveSettings")}
        </button>
      </Form>
    </section>
  );
}
