import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { flashNotice } from "~/accounts/auth.server";
import { requireVoucherHolder } from "~/accounts/authz.server";
import { grantApplicationSchema } from "~/billing/vouchers";
import { applyForGrant, shanghaiDate, vouchersOfCompany } from "~/billing/vouchers.server";
import { CsrfInput, Field, FormError, SubmitButton } from "~/components/forms";
import { formOf } from "~/lib/form.server";
import { formatMoney, localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { parseForm, type FieldErrors } from "~/lib/validation";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "vouchers"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { organizationId } = await requireVoucherHolder(request);
  const [held, t] = await Promise.all([vouchersOfCompany(organizationId, shanghaiDate(new Date())), i18nServer.getFixedT(request, "vouchers")]);
  if (!held) throw new Response("Not Found", { status: 404 });
  // A government body's administrator issues vouchers rather than holding them.
  if (held.organization.type === "government") throw redirect(`/issuer/${organizationId}`);
  return { title: `${t("company.title")} · OpenLab`, ...held };
}

type ActionResult = { errors: FieldErrors; programmeId: string };

export async function action({ request }: ActionFunctionArgs) {
  const { viewer, organizationId } = await requireVoucherHolder(request);
  const form = await formOf(request);
  const programmeId = String(form.get("programmeId") ?? "");
  const parsed = parseForm(grantApplicationSchema, form);
  if (!parsed.ok) return data<ActionResult>({ errors: parsed.errors, programmeId }, { status: 400 });
  const result = await applyForGrant(viewer.id, organizationId, parsed.data, shanghaiDate(new Date()));
  if (!result.ok) return data<ActionResult>({ errors: result.errors, programmeId }, { status: 400 });
  const t = await i18nServer.getFixedT(request, "vouchers");
  return redirect("/vouchers", { headers: { "Set-Cookie": await flashNotice(request, t("company.applied")) } });
}

export default function CompanyVouchers() {
  const { t } = useTranslation("vouchers");
  const locale = useLocale();
  const { organization, grants, open } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="section manage">
      <h1>{t("company.title")}</h1>
      <p className="lead-muted">{t("company.lead", { name: localName(organization, locale) })}</p>
      <h2>{t("company.grants")}</h2>
      {grants.length === 0 ? (
        <p className="empty">{t("company.noGrants")}</p>
      ) : (
        <div className="table-wrap">
          <table className="manage-table">
            <thead>
              <tr>
                <th scope="col">{t("company.programme")}</th>
                <th scope="col">{t("company.status")}</th>
                <th scope="col">{t("company.requested")}</th>
                <th scope="col">{t("company.approved")}</th>
                <th scope="col">{t("company.drawn")}</th>
                <th scope="col">{t("company.remaining")}</th>
              </tr>
            </thead>
            <tbody>
              {grants.map(({ grant, programme, issuerNameZh, issuerNameEn }) => (
                <tr key={grant.id}>
                  <td>
                    <strong>{localName(programme, locale)}</strong>
                    <div className="muted">
                      {localName({ nameZh: issuerNameZh, nameEn: issuerNameEn }, locale)} · {programme.coveragePercent}% · {programme.validFrom} – {programme.validUntil}
                    </div>
                  </td>
                  <td>
                    <span className={`listing-status grant-${grant.status}`}>{t(`grantStatus.${grant.status}`)}</span>
                    {grant.decisionNote ? <div className="muted">{grant.decisionNote}</div> : null}
                  </td>
                  <td>{formatMoney(grant.requestedFen, locale)}</td>
                  <td>{grant.approvedFen === null ? "—" : formatMoney(grant.approvedFen, locale)}</td>
                  <td>{formatMoney(grant.drawnFen, locale)}</td>
                  <td>{grant.approvedFen === null ? "—" : <strong>{formatMoney(grant.approvedFen - grant.drawnFen, locale)}</strong>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>{t("company.apply")}</h2>
      {open.length === 0 ? <p className="empty">{t("company.noOpen")}</p> : null}
      {open.map(({ programme: p, issuerNameZh, issuerNameEn }) => {
        const errors = result?.programmeId === p.id ? result.errors : {};
        return (
          <Form key={p.id} method="post" className="form-card wide" noValidate aria-labelledby={`programme-${p.id}`}>
            <h3 id={`programme-${p.id}`}>{localName(p, locale)}</h3>
            <p className="muted">
              {localName({ nameZh: issuerNameZh, nameEn: issuerNameEn }, locale)} · {p.coveragePercent}% · {p.validFrom} – {p.validUntil}
            </p>
            <CsrfInput />
            <input type="hidden" name="programmeId" value={p.id} />
            <FormError error={errors._form ?? errors.programmeId} />
            <Field id={`requested-${p.id}`} label={t("company.amount")} name="requested" inputMode="decimal" error={errors.requested} required />
            <Field id={`purpose-${p.id}`} label={t("company.purpose")} name="purpose" error={errors.purpose} hint={t("company.purposeHint")} required maxLength={1000} />
            <SubmitButton>{t("company.submit")}</SubmitButton>
          </Form>
        );
      })}
    </section>
  );
}
