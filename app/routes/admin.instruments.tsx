import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { instrumentStatuses } from "../../db/schema/vocabulary";
import { flashNotice } from "~/accounts/auth.server";
import { requirePlatformAdmin } from "~/accounts/authz.server";
import { ADMIN_PAGE_SIZE, listingsForAdmin } from "~/catalogue/manage-admin.server";
import { changeStatus } from "~/catalogue/manage-writes.server";
import { CsrfInput, FormError } from "~/components/forms";
import { Pagination } from "~/components/pagination";
import { formOf } from "~/lib/form.server";
import { parseForm } from "~/lib/validation";
import { formatDateTime, localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { clientIp } from "~/lib/rate-limit.server";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "catalogue", "manage"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

const filterSchema = z.object({
  status: z.enum(instrumentStatuses).optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined).transform((v) => v || undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformAdmin(request);
  const filter = filterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [listings, t] = await Promise.all([listingsForAdmin(filter), i18nServer.getFixedT(request, "manage")]);
  return { title: `${t("admin.title")} · OpenLab`, filter, ...listings, pageSize: ADMIN_PAGE_SIZE };
}

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("suspend"), id: z.string().uuid(), reason: z.string().trim().min(1, "validation.required").max(500, "validation.tooBig") }),
  z.object({ intent: z.literal("lift"), id: z.string().uuid() }),
]);

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requirePlatformAdmin(request);
  const form = await formOf(request);
  // parseForm also refuses NUL, which Postgres text cannot hold.
  const parsed = parseForm(actionSchema, form);
  if (!parsed.ok) {
    const id = form.get("id");
    return data({ id: typeof id === "string" ? id : "", error: parsed.errors.reason ?? "validation.invalid" }, { status: 400 });
  }
  const input = parsed.data;
  const result = await changeStatus(input.id, input.intent, "platform", { userId: admin.id, ip: clientIp(request, context) }, input.intent === "suspend" ? input.reason : undefined);
  if (!result.ok) return data({ id: input.id, error: Object.values(result.errors)[0] }, { status: 400 });
  const t = await i18nServer.getFixedT(request, "manage");
  const url = new URL(request.url);
  return redirect(url.pathname + url.search, { headers: { "Set-Cookie": await flashNotice(request, t(`notice.${input.intent}`)) } });
}

export default function AdminInstruments() {
  const { filter, items, total, pageSize } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("manage");
  const locale = useLocale();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const pageUrl = (page: number) => `?${new URLSearchParams({ ...(filter.status ? { status: filter.status } : {}), ...(filter.q ? { q: filter.q } : {}), page: String(page) })}`;
  return (
    <section className="section manage">
      <h1>{t("admin.title")}</h1>
      <p className="lead-muted">{t("admin.lead")}</p>
      <Form method="get" className="admin-filter">
        <div className="field">
          <label htmlFor="admin-q">{t("admin.search")}</label>
          <input id="admin-q" type="search" name="q" defaultValue={filter.q ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="admin-status">{t("admin.status")}</label>
          <select id="admin-status" name="status" defaultValue={filter.status ?? ""}>
            <option value="">{t("admin.allStatuses")}</option>
            {instrumentStatuses.map((s) => (
              <option key={s} value={s}>
                {t(`catalogue:status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          {t("admin.filter")}
        </button>
      </Form>
      <p className="muted">{t("admin.count", { count: total })}</p>
      {items.length === 0 ? (
        <p className="empty">{t("admin.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="manage-table">
            <thead>
              <tr>
                <th scope="col">{t("lab.instrument")}</th>
                <th scope="col">{t("admin.provider")}</th>
                <th scope="col">{t("lab.status")}</th>
                <th scope="col">{t("lab.updated")}</th>
                <th scope="col">{t("lab.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id}>
                  <td>
                    <Link to={`/instruments/${i.slug}`}>
                      <strong>{localName(i, locale)}</strong>
                    </Link>
                    <div className="muted">{i.model}</div>
                  </td>
                  <td>
                    {localName({ nameZh: i.organizationNameZh, nameEn: i.organizationNameEn }, locale)}
                    <div className="muted">{localName({ nameZh: i.labNameZh, nameEn: i.labNameEn }, locale)}</div>
                  </td>
                  <td>
                    <span className={`listing-status listing-${i.status}`}>{t(`catalogue:status.${i.status}`)}</span>
                    {i.suspensionReason ? <p className="suspension-reason">{t("status.reasonShort", { reason: i.suspensionReason })}</p> : null}
                  </td>
                  <td>{formatDateTime(i.updatedAt, locale)}</td>
                  <td>
                    {result?.id === i.id ? <FormError error={result.error} /> : null}
                    {i.status === "published" ? (
                      <Form method="post" className="suspend-form">
                        <CsrfInput />
                        <input type="hidden" name="id" value={i.id} />
                        <label htmlFor={`reason-${i.id}`} className="visually-hidden">
                          {t("admin.reasonFor", { name: localName(i, locale) })}
                        </label>
                        <input id={`reason-${i.id}`} name="reason" required maxLength={500} placeholder={t("admin.reasonPlaceholder")} />
                        <button type="submit" name="intent" value="suspend" className="button button-secondary button-compact button-delete">
                          {t("status.action.suspend")}
                        </button>
                      </Form>
                    ) : i.status === "suspended" ? (
                      <Form method="post">
                        <CsrfInput />
                        <input type="hidden" name="id" value={i.id} />
                        <button type="submit" name="intent" value="lift" className="button button-secondary button-compact">
                          {t("status.action.lift")}
                        </button>
                      </Form>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={filter.page} pages={pages} href={pageUrl} />
    </section>
  );
}
