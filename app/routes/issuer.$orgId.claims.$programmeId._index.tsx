import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { flashNotice } from "~/accounts/auth.server";
import { notFound, requireVoucherIssuer } from "~/accounts/authz.server";
import { issuerProgramme } from "~/billing/voucher-claims.server";
import { claimsPeriodSchema, reimbursementSchema } from "~/billing/vouchers";
import { claimsReport, markClaimsReimbursed } from "~/billing/vouchers.server";
import { CsrfInput, Field, FormError, SubmitButton } from "~/components/forms";
import { formOf } from "~/lib/form.server";
import { formatMoney, localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { parseForm, type FieldErrors } from "~/lib/validation";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "vouchers"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireVoucherIssuer(request, params.orgId ?? "");
  const found = await issuerProgramme(params.orgId!, params.programmeId ?? "");
  if (!found) throw notFound();
  const filter = claimsPeriodSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [claims, t] = await Promise.all([
    claimsReport(params.orgId!, { ...filter, programmeId: found.programme.id }),
    i18nServer.getFixedT(request, "vouchers"),
  ]);
  return { title: `${t("claims.title", { name: found.programme.nameZh })} · OpenLab`, programme: found.programme, filter, claims };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await requireVoucherIssuer(request, params.orgId ?? "");
  const found = await issuerProgramme(params.orgId!, params.programmeId ?? "");
  if (!found) throw notFound();
  const parsed = parseForm(reimbursementSchema, await formOf(request));
  if (!parsed.ok) return data<{ errors: FieldErrors }>({ errors: parsed.errors }, { status: 400 });
  const result = await markClaimsReimbursed(viewer.id, params.orgId!, parsed.data, new Date());
  if (!result.ok) return data<{ errors: FieldErrors }>({ errors: result.errors }, { status: 409 });
  const [t, locale] = await Promise.all([i18nServer.getFixedT(request, "vouchers"), i18nServer.getLocale(request)]);
  const url = new URL(request.url);
  const notice = t("claims.reimbursedNotice", { count: result.count, amount: formatMoney(result.totalFen, locale === "en" ? "en" : "zh-CN") });
  return redirect(url.pathname + url.search, { headers: { "Set-Cookie": await flashNotice(request, notice) } });
}

export default function VoucherClaims() {
  const { t } = useTranslation("vouchers");
  const locale = useLocale();
  const { programme, filter, claims } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  const query = new URLSearchParams({ from: filter.from, until: filter.until, status: filter.status });
  // Absolute: relative to /issuer/:orgId/claims/:programmeId, "export" would drop the programme.
  const exportPath = `/issuer/${programme.issuerOrganizationId}/claims/${programme.id}/export`;
  const sum = (pick: (c: (typeof claims)[number]) => number) => formatMoney(claims.reduce((s, c) => s + pick(c), 0), locale);
  return (
    <section className="section manage">
      <p>
        <Link to="..">← {t("claims.back")}</Link>
      </p>
      <h1>{t("claims.title", { name: localName(programme, locale) })}</h1>
      <p className="lead-muted">{t("claims.lead")}</p>
      <Form method="get" className="admin-filter">
        <div className="field">
          <label htmlFor="claims-from">{t("claims.from")}</label>
          <input id="claims-from" type="date" name="from" defaultValue={filter.from} />
        </div>
        <div className="field">
          <label htmlFor="claims-until">{t("claims.until")}</label>
          <input id="claims-until" type="date" name="until" defaultValue={filter.until} />
        </div>
        <div className="field">
          <label htmlFor="claims-status">{t("claims.status")}</label>
          <select id="claims-status" name="status" defaultValue={filter.status}>
            <option value="all">{t("claims.all")}</option>
            <option value="claimed">{t("claimStatus.claimed")}</option>
            <option value="reimbursed">{t("claimStatus.reimbursed")}</option>
          </select>
        </div>
        <button type="submit" className="button">
          {t("claims.filter")}
        </button>
      </Form>
      <p>
        <a href={`${exportPath}?${query}&format=xlsx`} download>
          {t("claims.exportXlsx")}
        </a>{" "}
        ·{" "}
        <a href={`${exportPath}?${query}&format=csv`} download>
          {t("claims.exportCsv")}
        </a>
      </p>
      {claims.length === 0 ? (
        <p className="empty">{t("claims.empty")}</p>
      ) : (
        <Form method="post">
          <CsrfInput />
          <FormError error={errors._form ?? errors.claimIds} />
          <div className="table-wrap">
            <table className="manage-table">
              <thead>
                <tr>
                  <th scope="col">
                    <span className="visually-hidden">{t("claims.markReimbursed")}</span>
                  </th>
                  <th scope="col">{t("claims.company")}</th>
                  <th scope="col">{t("claims.provider")}</th>
                  <th scope="col">{t("claims.instrument")}</th>
                  <th scope="col">{t("claims.booking")}</th>
                  <th scope="col">{t("claims.serviceDate")}</th>
                  <th scope="col">{t("claims.total")}</th>
                  <th scope="col">{t("claims.voucher")}</th>
                  <th scope="col">{t("claims.companyShare")}</th>
                  <th scope="col">{t("claims.status")}</th>
                </tr>
              </thead>
              <tbody>
                {claims.map((c) => (
                  <tr key={c.id}>
                    <td>
                      {c.status === "claimed" ? (
                        <input type="checkbox" name="claimIds" value={c.id} aria-label={t("claims.select", { booking: c.bookingReference })} />
                      ) : null}
                    </td>
                    <td>
                      {localName({ nameZh: c.companyNameZh, nameEn: c.companyNameEn }, locale)}
                      <div className="muted">
                        <code>{c.creditCode ?? "—"}</code>
                      </div>
                    </td>
                    <td>{localName({ nameZh: c.providerNameZh, nameEn: c.providerNameEn }, locale)}</td>
                    <td>
                      {localName({ nameZh: c.instrumentNameZh, nameEn: c.instrumentNameEn }, locale)}
                      {c.serviceMode ? <div className="muted">{t(`common:serviceMode.${c.serviceMode}`)}</div> : null}
                    </td>
                    <td>
                      <code>{c.bookingReference}</code>
                    </td>
                    <td>{c.serviceDate}</td>
                    <td>{formatMoney(c.chargeTotalFen, locale)}</td>
                    <td>
                      <strong>{formatMoney(c.voucherFen, locale)}</strong>
                    </td>
                    <td>{formatMoney(c.companyFen, locale)}</td>
                    <td>
                      <span className={`listing-status claim-${c.status}`}>{t(`claimStatus.${c.status}`)}</span>
                      {c.reimbursementReference ? <div className="muted">{c.reimbursementReference}</div> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted">{t("claims.totals", { total: sum((c) => c.chargeTotalFen), voucher: sum((c) => c.voucherFen), company: sum((c) => c.companyFen) })}</p>
          {claims.some((c) => c.status === "claimed") ? (
            <div className="form-card wide">
              <Field label={t("claims.reference")} name="reference" error={errors.reference} hint={t("claims.referenceHint")} required maxLength={100} />
              <SubmitButton>{t("claims.markReimbursed")}</SubmitButton>
            </div>
          ) : null}
        </Form>
      )}
    </section>
  );
}
