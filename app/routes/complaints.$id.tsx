import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { flashNotice } from "~/accounts/auth.server";
import { forbidden, notFound, requireComplaintReader } from "~/accounts/authz.server";
import { ageOf, ComplaintAbout, ComplaintStatusChip } from "~/components/complaints";
import { CsrfInput, FormError, SubmitButton } from "~/components/forms";
import { TextArea } from "~/components/instrument-form";
import { formOf } from "~/lib/form.server";
import { formatDateTime, localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { clientIp } from "~/lib/rate-limit.server";
import { parseForm, type FieldErrors } from "~/lib/validation";
import { useLocale } from "~/root";
import { complaintMessageSchema, complaintResolutions, complaintSides, COMPLAINT_TEXT_MAX, resolutionSchema, threadOpen } from "~/trust/complaint";
import { complaintDetail, complaintPath, postComplaintMessage, resolveComplaint } from "~/trust/complaints.server";

export const handle = { i18n: ["common", "complaints", "reviews"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

/** One complaint for its three parties: the customer's organisation, the lab, the platform admins. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = params.id ?? "";
  const { asCustomer, asLab, asAdmin } = await requireComplaintReader(request, id);
  const [detail, t] = await Promise.all([complaintDetail(id), i18nServer.getFixedT(request, "complaints")]);
  if (!detail) throw notFound();
  const about = t(`subject.${detail.complaint.subjectKind}`, { reference: detail.complaint.reference ?? "" });
  return { title: `${t("detail.title", { about })} · OpenLab`, ...detail, asCustomer, asLab, asAdmin, now: new Date().toISOString() };
}

const intentSchema = z.object({ intent: z.enum(["message", "resolve"]), side: z.enum(complaintSides).optional() });

type Answer = { intent: string; errors: FieldErrors; values: Record<string, string> };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = params.id ?? "";
  const { viewer, asCustomer, asLab, asAdmin } = await requireComplaintReader(request, id);
  const form = await formOf(request);
  const values = { body: String(form.get("body") ?? "").slice(0, COMPLAINT_TEXT_MAX + 100), reason: String(form.get("reason") ?? "").slice(0, 2100), resolution: String(form.get("resolution") ?? "") };
  const intent = intentSchema.safeParse({ intent: form.get("intent"), side: form.get("side") ?? undefined });
  if (!intent.success) return data<Answer>({ intent: "", errors: { _form: "validation.invalid" }, values }, { status: 400 });
  const actor = { userId: viewer.id, ip: clientIp(request, context) };
  const t = await i18nServer.getFixedT(request, "complaints");
  if (intent.data.intent === "resolve") {
    if (!asAdmin) throw forbidden();
    const parsed = parseForm(resolutionSchema, form);
    if (!parsed.ok) return data<Answer>({ intent: "resolve", errors: parsed.errors, values }, { status: 400 });
    const result = await resolveComplaint(id, parsed.data, actor);
    if (!result.ok) return data<Answer>({ intent: "resolve", errors: result.errors, values }, { status: 409 });
    return redirect(complaintPath(id), { headers: { "Set-Cookie": await flashNotice(request, t("detail.resolved")) } });
  }
  const side = intent.data.side;
  if (!side || (side === "lab" && !asLab) || (side === "customer" && !asCustomer)) throw forbidden();
  const parsed = parseForm(complaintMessageSchema, form);
  if (!parsed.ok) return data<Answer>({ intent: "message", errors: parsed.errors, values }, { status: 400 });
  const result = await postComplaintMessage(id, side, parsed.data.body, actor);
  if (!result.ok) return data<Answer>({ intent: "message", errors: result.errors, values }, { status: 409 });
  return redirect(complaintPath(id), { headers: { "Set-Cookie": await flashNotice(request, t("detail.sent")) } });
}

export default function ComplaintPage() {
  const { complaint, messages, attachments, asCustomer, asLab, asAdmin, now } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation("complaints");
  const locale = useLocale();
  const open = threadOpen(complaint.status);
  const back = asAdmin ? { to: "/admin/complaints", label: t("detail.backAdmin") } : asLab ? { to: `/manage/labs/${complaint.labId}/complaints`, label: t("detail.backLab") } : { to: "/complaints", label: t("detail.back") };
  const lab = localName({ nameZh: complaint.labNameZh, nameEn: complaint.labNameEn }, locale);
  return (
    <section className="section complaint-page">
      <p>
        <Link to={back.to}>← {back.label}</Link>
      </p>
      <h1>
        <ComplaintAbout row={complaint} /> · {lab}
      </h1>
      <p>
        <ComplaintStatusChip row={complaint} />
      </p>
      <section className="panel">
        <p className="muted">
          {t("detail.filedBy", {
            name: complaint.filerName,
            organization: localName({ nameZh: complaint.organizationNameZh, nameEn: complaint.organizationNameEn }, locale),
            date: formatDateTime(complaint.filedAt, locale),
          })}
        </p>
        <p className="user-text">{complaint.body}</p>
        <dl className="facts">
          <div>
            <dt>{t("detail.firstResponse")}</dt>
            <dd>{complaint.firstResponseAt ? formatDateTime(complaint.firstResponseAt, locale) : t("detail.notAnswered")}</dd>
          </div>
          <div>
            <dt>{t("detail.daysOpen")}</dt>
            <dd>{ageOf(complaint, new Date(now))}</dd>
          </div>
        </dl>
        {attachments.length ? (
          <>
            <h2 className="complaint-attachments">{t("detail.attachments")}</h2>
            <ul>
              {attachments.map((a) => (
                <li key={a.id}>
                  <a href={`/complaints/${complaint.id}/attachments/${a.id}`} download>
                    {a.fileName}
                  </a>{" "}
                  <span className="muted">({Math.ceil(a.sizeBytes / 1024)} KB)</span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
      {complaint.resolvedAt ? (
        <section className="panel complaint-resolution" aria-labelledby="resolution-title">
          <h2 id="resolution-title">{t("detail.resolution")}</h2>
          <p>
            <strong>
              {t("detail.resolvedOn", { resolution: t(`resolution.${complaint.resolution}`), date: formatDateTime(complaint.resolvedAt, locale), name: complaint.resolverName ?? "" })}
            </strong>
          </p>
          <p className="user-text">
            {t("detail.reasonLabel")}
            {complaint.resolutionReason}
          </p>
        </section>
      ) : null}
      <section className="panel" aria-labelledby="thread-title">
        <h2 id="thread-title">{t("detail.thread")}</h2>
        {messages.length === 0 ? <p className="muted">{t("detail.noMessages")}</p> : null}
        <ol className="complaint-thread">
          {messages.map((m) => (
            <li key={m.id} className={`complaint-message complaint-message-${m.side}`}>
              <p className="muted">
                {t(`detail.side.${m.side}`)} · {m.authorName} · <time dateTime={new Date(m.createdAt).toISOString()}>{formatDateTime(m.createdAt, locale)}</time>
              </p>
              <p className="user-text">{m.body}</p>
            </li>
          ))}
        </ol>
        {open ? (
          <>
            {asLab ? <MessageForm side="lab" answer={answer} /> : null}
            {asCustomer && !asLab ? <MessageForm side="customer" answer={answer} /> : null}
          </>
        ) : (
          <p className="muted">{t("detail.closed")}</p>
        )}
      </section>
      {asAdmin && open ? <ResolveForm answer={answer} /> : null}
    </section>
  );
}

function MessageForm({ side, answer }: { side: "customer" | "lab"; answer?: { intent: string; errors: FieldErrors; values: Record<string, string> } }) {
  const { t } = useTranslation("complaints");
  const mine = answer?.intent === "message" ? answer : undefined;
  return (
    <Form method="post" className="form-card">
      <CsrfInput />
      <input type="hidden" name="intent" value="message" />
      <input type="hidden" name="side" value={side} />
      <FormError error={mine?.errors._form} />
      <TextArea label={side === "lab" ? t("detail.replyLab") : t("detail.reply")} name="body" rows={5} required maxLength={COMPLAINT_TEXT_MAX} defaultValue={mine?.values.body} error={mine?.errors.body} />
      <SubmitButton>{t("detail.send")}</SubmitButton>
    </Form>
  );
}

function ResolveForm({ answer }: { answer?: { intent: string; errors: FieldErrors; values: Record<string, string> } }) {
  const { t } = useTranslation("complaints");
  const { t: tError } = useTranslation();
  const mine = answer?.intent === "resolve" ? answer : undefined;
  const errors = mine?.errors ?? {};
  return (
    <section className="panel form-card" aria-labelledby="resolve-title">
      <h2 id="resolve-title">{t("detail.resolveTitle")}</h2>
      <p className="muted">{t("detail.resolveLead")}</p>
      <FormError error={errors._form} />
      <Form method="post">
        <CsrfInput />
        <input type="hidden" name="intent" value="resolve" />
        <fieldset className="rating-choice" aria-describedby={errors.resolution ? "resolution-error" : undefined}>
          <legend>{t("detail.resolution")}</legend>
          {complaintResolutions.map((r) => (
            <label key={r}>
              <input type="radio" name="resolution" value={r} required defaultChecked={mine?.values.resolution === r} /> {t(`resolution.${r}`)}
            </label>
          ))}
        </fieldset>
        {errors.resolution ? (
          <p className="field-error" id="resolution-error" role="alert">
            {tError(errors.resolution)}
          </p>
        ) : null}
        <TextArea label={t("detail.reason")} name="reason" rows={4} required maxLength={2000} defaultValue={mine?.values.reason} error={errors.reason} />
        <SubmitButton>{t("detail.resolve")}</SubmitButton>
      </Form>
    </section>
  );
}
