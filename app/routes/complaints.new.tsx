import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { flashNotice } from "~/accounts/auth.server";
import { notFound, requireComplainant } from "~/accounts/authz.server";
import { CsrfInput, Field, FormError, SubmitButton } from "~/components/forms";
import { TextArea } from "~/components/instrument-form";
import { formOf } from "~/lib/form.server";
import { localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { clientIp } from "~/lib/rate-limit.server";
import { parseForm, type FieldErrors } from "~/lib/validation";
import { useLocale } from "~/root";
import { complaintFormSchema, complaintSubjects, COMPLAINT_TEXT_MAX, type ComplaintSubject } from "~/trust/complaint";
import { complaintPath, complaintSubject, fileComplaint } from "~/trust/complaints.server";

export const handle = { i18n: ["common", "complaints", "reviews"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

/** The subject named in the query string (`?booking=`, `?charge=` or `?lab=`), if the viewer may complain about it. */
async function subjectFrom(url: URL, organizationIds: string[]) {
  const kind = complaintSubjects.find((k) => url.searchParams.has(k));
  if (!kind) return null;
  return complaintSubject(kind as ComplaintSubject, url.searchParams.get(kind) ?? "", organizationIds);
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { organizationIds } = await requireComplainant(request);
  const [subject, t] = await Promise.all([subjectFrom(new URL(request.url), organizationIds), i18nServer.getFixedT(request, "complaints")]);
  if (!subject) throw notFound();
  return { title: `${t("form.title")} · OpenLab`, subject };
}

type Answer = { errors: FieldErrors; body: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer, organizationIds } = await requireComplainant(request);
  const form = await formOf(request);
  const body = String(form.get("body") ?? "").slice(0, COMPLAINT_TEXT_MAX + 100);
  const parsed = parseForm(complaintFormSchema, form);
  if (!parsed.ok) return data<Answer>({ errors: parsed.errors, body }, { status: 400 });
  const files = form.getAll("attachments").filter((f): f is File => typeof f !== "string");
  const result = await fileComplaint(parsed.data, files, organizationIds, { userId: viewer.id, ip: clientIp(request, context) });
  if (!result.ok) return data<Answer>({ errors: result.errors, body }, { status: 400 });
  const t = await i18nServer.getFixedT(request, "complaints");
  return redirect(complaintPath(result.id), { headers: { "Set-Cookie": await flashNotice(request, t("form.done")) } });
}

/** The filing form: the subject is fixed by the link that led here; text and evidence are the customer's. */
export default function NewComplaint() {
  const { subject } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation("complaints");
  const { t: tError } = useTranslation();
  const locale = useLocale();
  const errors = answer?.errors ?? {};
  return (
    <section className="section">
      <p>
        <Link to="/complaints">← {t("detail.back")}</Link>
      </p>
      <h1>{t("form.title")}</h1>
      <p className="lead-muted">{t("form.lead")}</p>
      <section className="panel form-card">
        <FormError error={errors._form} />
        <dl className="facts">
          <div>
            <dt>{t("form.subject")}</dt>
            <dd>{t(`subject.${subject.kind}`, { reference: subject.reference })}</dd>
          </div>
          <div>
            <dt>{t("form.lab")}</dt>
            <dd>{localName({ nameZh: subject.labNameZh, nameEn: subject.labNameEn }, locale)}</dd>
          </div>
        </dl>
        {errors.subjectId || errors.subjectKind ? (
          <p className="field-error" role="alert">
            {tError(errors.subjectId ?? errors.subjectKind!)}
          </p>
        ) : null}
        <Form method="post" encType="multipart/form-data">
          <CsrfInput />
          <input type="hidden" name="subjectKind" value={subject.kind} />
          <input type="hidden" name="subjectId" value={subject.id} />
          <TextArea label={t("form.body")} name="body" rows={8} required maxLength={COMPLAINT_TEXT_MAX} defaultValue={answer?.body} hint={t("form.bodyHint")} error={errors.body} />
          <Field
            label={t("form.attachments")}
            name="attachments"
            type="file"
            multiple
            accept="application/pdf,image/png,image/jpeg"
            hint={t("form.attachmentsHint")}
            error={errors.attachments}
          />
          <SubmitButton>{t("form.submit")}</SubmitButton>
        </Form>
      </section>
    </section>
  );
}
