import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { flashNotice } from "~/accounts/auth.server";
import { requirePlatformAdmin } from "~/accounts/authz.server";
import { CsrfInput, FormError } from "~/components/forms";
import { ReviewCard } from "~/components/ratings";
import { formOf } from "~/lib/form.server";
import { formatDateTime, localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { clientIp } from "~/lib/rate-limit.server";
import { parseForm, type FieldErrors } from "~/lib/validation";
import { useLocale } from "~/root";
import { hideSchema } from "~/trust/review-forms";
import { hideReview, reviewsForAdmin } from "~/trust/reviews.server";

export const handle = { i18n: ["common", "reviews"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

/** Platform admins: the latest reviews, each with a hide form that asks for the reason. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformAdmin(request);
  const [reviews, t] = await Promise.all([reviewsForAdmin(), i18nServer.getFixedT(request, "reviews")]);
  return { title: `${t("admin.title")} · OpenLab`, reviews };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requirePlatformAdmin(request);
  const form = await formOf(request);
  const reviewId = String(form.get("reviewId") ?? "");
  const parsed = parseForm(hideSchema, form);
  if (!parsed.ok) return data({ reviewId, errors: parsed.errors as FieldErrors }, { status: 400 });
  const result = await hideReview(parsed.data, { userId: admin.id, ip: clientIp(request, context) });
  if (!result.ok) return data({ reviewId, errors: { _form: `reviews:errors.${result.error}` } as FieldErrors }, { status: 409 });
  const t = await i18nServer.getFixedT(request, "reviews");
  return redirect("/admin/reviews", { headers: { "Set-Cookie": await flashNotice(request, t("admin.hidden")) } });
}

export default function AdminReviews() {
  const { reviews } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("reviews");
  const locale = useLocale();
  return (
    <section className="section manage">
      <h1>{t("admin.title")}</h1>
      <p className="lead-muted">{t("admin.lead")}</p>
      {reviews.length === 0 ? <p className="empty">{t("admin.empty")}</p> : null}
      {reviews.map((r) => (
        <ReviewCard key={r.id} review={r}>
          <p className="muted">
            {localName({ nameZh: r.labNameZh, nameEn: r.labNameEn }, locale)} · {r.reference} · {r.customerName} ({r.customerEmail})
          </p>
          {r.hiddenAt ? (
            <p className="muted">{t("admin.hiddenOn", { date: formatDateTime(r.hiddenAt, locale), reason: r.hiddenReason })}</p>
          ) : (
            <Form method="post" className="suspend-form">
              <CsrfInput />
              <input type="hidden" name="reviewId" value={r.id} />
              {result?.reviewId === r.id ? <FormError error={result.errors.reason ?? result.errors._form} /> : null}
              <label htmlFor={`hide-${r.id}`} className="visually-hidden">
                {t("admin.reasonFor")}
              </label>
              <input id={`hide-${r.id}`} name="reason" required maxLength={500} placeholder={t("admin.reason")} />
              <button type="submit" className="button button-secondary button-compact">
                {t("admin.hide")}
              </button>
            </Form>
          )}
        </ReviewCard>
      ))}
    </section>
  );
}
