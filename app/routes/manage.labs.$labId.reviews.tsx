import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { flashNotice } from "~/accounts/auth.server";
import { notFound, requireLabStaff } from "~/accounts/authz.server";
import { queueLab } from "~/booking/queue.server";
import { CsrfInput, FormError } from "~/components/forms";
import { RatingSummaryView, ReviewCard } from "~/components/ratings";
import { formOf } from "~/lib/form.server";
import { localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { clientIp } from "~/lib/rate-limit.server";
import { parseForm, type FieldErrors } from "~/lib/validation";
import { useLocale } from "~/root";
import { replySchema } from "~/trust/review-forms";
import { labRatings, replyToReview, reviewsOfLab } from "~/trust/reviews.server";

export const handle = { i18n: ["common", "manage", "reviews"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

/** The lab's reviews, with a reply form under each one not yet answered. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const labId = params.labId ?? "";
  await requireLabStaff(request, labId);
  const [lab, reviews, ratings, t] = await Promise.all([queueLab(labId), reviewsOfLab(labId), labRatings(labId), i18nServer.getFixedT(request, "reviews")]);
  if (!lab) throw notFound();
  return { title: `${lab.nameZh} · ${t("lab.title")} · OpenLab`, lab, reviews, summary: ratings.summary };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const labId = params.labId ?? "";
  const viewer = await requireLabStaff(request, labId);
  const form = await formOf(request);
  const reviewId = String(form.get("reviewId") ?? "");
  const parsed = parseForm(replySchema, form);
  if (!parsed.ok) return data({ reviewId, errors: parsed.errors as FieldErrors }, { status: 400 });
  const result = await replyToReview({ ...parsed.data, labId }, { userId: viewer.id, ip: clientIp(request, context) });
  if (!result.ok) return data({ reviewId, errors: { _form: `reviews:errors.${result.error}` } as FieldErrors }, { status: 409 });
  const t = await i18nServer.getFixedT(request, "reviews");
  return redirect(`/manage/labs/${labId}/reviews`, { headers: { "Set-Cookie": await flashNotice(request, t("reply.done")) } });
}

export default function LabReviews() {
  const { lab, reviews, summary } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("reviews");
  const locale = useLocale();
  return (
    <section className="section manage">
      <nav className="breadcrumbs" aria-label={t("manage:breadcrumbs")}>
        <Link to="/manage">{t("manage:dashboard.title")}</Link> / <Link to={`/manage/labs/${lab.id}`}>{localName(lab, locale)}</Link> / {t("lab.title")}
      </nav>
      <h1>{t("lab.heading", { lab: localName(lab, locale) })}</h1>
      <p className="lead-muted">{t("lab.lead")}</p>
      <RatingSummaryView summary={summary} />
      {reviews.length === 0 ? <p className="empty">{t("lab.empty")}</p> : null}
      {reviews.map((r) => (
        <ReviewCard key={r.id} review={r} showInstrument>
          <p className="muted">{t("lab.booking", { reference: r.reference, customer: r.customerName })}</p>
          {r.hiddenAt ? <p className="muted">{t("lab.hidden", { reason: r.hiddenReason })}</p> : null}
          {r.reply === null ? (
            <Form method="post" className="form-card">
              <CsrfInput />
              <input type="hidden" name="reviewId" value={r.id} />
              {result?.reviewId === r.id ? <FormError error={result.errors.reply ?? result.errors._form} /> : null}
              <label htmlFor={`reply-${r.id}`}>{t("reply.label")}</label>
              <textarea id={`reply-${r.id}`} name="reply" rows={3} maxLength={2000} required />
              <button type="submit" className="button button-secondary button-compact">
                {t("reply.submit")}
              </button>
            </Form>
          ) : null}
        </ReviewCard>
      ))}
    </section>
  );
}
