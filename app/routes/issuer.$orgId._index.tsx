import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { flashNotice } from "~/accounts/auth.server";
import { notFound, requireVoucherIssuer } from "~/accounts/authz.server";
import { grantDecisionSchema } from "~/billing/vouchers";
import { decideGrant, grantsOfIssuer } from "~/billing/vouchers.server";
import { CsrfInput, Field, FormError } from "~/components/forms";
import { formOf } from "~/lib/form.server";
import { formatDate, formatMoney, localName } from "~/lib/format";
import { fenToYuanString } from "~/lib/money";
import { i18nServer } from "~/lib/i18n.server";
import { parseForm, type FieldErrors } from "~/lib/validation";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "vouchers"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireVoucherIssuer(request, params.orgId ?? "");
  const [page, t] = await Promise.all([grantsOfIssuer(params.orgId!), i18nServer.getFixedT(request, "vouchers")]);
  if (!page) throw notFound();
  return { title: `${t("issuer.title")} · OpenLab`, ...page };
}

type ActionResult = { errors: FieldErrors; grantId: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await requireVoucherIssuer(request, params.orgId ?? "");
  const form = await formOf(request);
  const grantId = String(form.get("grantId") ?? "");
  const parsed = parseForm(grantDecisionSchema, form);
  if (!parsed.ok) return data<ActionResult>({ errors: parsed.errors, grantId }, { status: 400 });
  const result = await decideGrant(viewer.id, params.orgId!, parsed.data, new Date());
  if (!result.ok) return data<ActionResult>({ errors: result.errors, grantId }, { status: 409 });
  const t = await i18nServer.getFixedT(request, "vouchers");
  const notice = parsed.data.decision === "approve" ? t("issuer.approvedNotice") : t("issuer.rejectedNotice");
  return redirect(`/issuer/${params.orgId}`, { headers: { "Set-Cookie": await flashNotice(request, notice) } });
}

export default function IssuerVouchers() {
  const { t } = useTranslation("vouchers");
  const locale = useLocale();
  const { issuer, programmes, grants } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="section manage">
      <h1>{t("issuer.title")}</h1>
      <p className="lead-muted">{t("issuer.lead", { name: localName(issuer, locale) })}</p>
      <h2>{t("issuer.programmes")}</h2>
      {programmes.length === 0 ? (
        <p className="empty">{t("programme.empty")}</p>
      ) : (
        <ul className="plain-list">
          {programmes.map((p) => (
            <li key={p.id}>
              <strong>{localName(p, locale)}</strong> · {p.coveragePercent}% · {p.validFrom} – {p.validUntil} ·{" "}
              <Link to={`/issuer/${issuer.id}/claims/${p.id}`}>{t("issuer.claims")}</Link>
            </li>
          ))}
        </ul>
      )}
      <h2>{t("issuer.applications")}</h2>
      {grants.length === 0 ? (
        <p className="empty">{t("issuer.noApplications")}</p>
      ) : (
        <div className="table-wrap">
          <table className="manage-table">
            <thead>
              <tr>
                <th scope="col">{t("issuer.company")}</th>
                <th scope="col">{t("company.programme")}</th>
                <th scope="col">{t("company.requested")}</th>
                <th scope="col">{t("company.purpose")}</th>
                <th scope="col">{t("company.status")}</th>
              </tr>
            </thead>
            <tbody>
              {grants.map(({ grant, programmeNameZh, programmeNameEn, companyNameZh, companyNameEn, creditCode }) => {
                const errors = result?.grantId === grant.id ? result.errors : {};
                return (
                  <tr key={grant.id}>
                    <td>
                      <strong>{localName({ nameZh: companyNameZh, nameEn: companyNameEn }, locale)}</strong>
                      <div className="muted">
                        {t("issuer.creditCode")} <code>{creditCode ?? "—"}</code>
                      </div>
                    </td>
                    <td>{localName({ nameZh: programmeNameZh, nameEn: programmeNameEn }, locale)}</td>
                    <td>{formatMoney(grant.requestedFen, locale)}</td>
                    <td>{grant.purpose}</td>
                    <td>
                      {grant.status === "applied" ? (
                        <div className="decision-forms">
                          <FormError error={errors._form} />
                          <Form method="post">
                            <CsrfInput />
                            <input type="hidden" name="grantId" value={grant.id} />
                            <Field
                              id={`approved-${grant.id}`}
                              label={t("issuer.approveAmount")}
                              name="approved"
                              inputMode="decimal"
                              defaultValue={fenToYuanString(grant.requestedFen)}
                              error={errors.approved}
                            />
                            <button type="submit" name="decision" value="approve" className="button button-compact">
                              {t("issuer.approve")}
                            </button>
                          </Form>
                          <Form method="post">
                            <CsrfInput />
                            <input type="hidden" name="grantId" value={grant.id} />
                            <Field id={`note-${grant.id}`} label={t("issuer.rejectNote")} name="note" error={errors.note} maxLength={500} />
                            <button type="submit" name="decision" value="reject" className="button button-secondary button-compact">
                              {t("issuer.reject")}
                            </button>
                          </Form>
                        </div>
                      ) : (
                        <>
                          <span className={`listing-status grant-${grant.status}`}>{t(`grantStatus.${grant.status}`)}</span>
                          {grant.approvedFen !== null ? <div>{formatMoney(grant.approvedFen, locale)}</div> : null}
                          {grant.decidedAt ? <div className="muted">{t("issuer.decidedAt", { date: formatDate(grant.decidedAt, locale) })}</div> : null}
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
