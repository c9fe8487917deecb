import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requestPasswordReset } from "~/accounts/auth.server";
import { requireAnonymous } from "~/accounts/authz.server";
import { forgotPasswordSchema } from "~/accounts/schemas";
import { CsrfInput, Field, FormError, SubmitButton } from "~/components/forms";
import { formOf } from "~/lib/form.server";
import { i18nServer } from "~/lib/i18n.server";
import { allowMail, clientIp } from "~/lib/rate-limit.server";
import { parseForm, type FieldErrors } from "~/lib/validation";

export const handle = { i18n: ["common", "accounts"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  const t = await i18nServer.getFixedT(request, "accounts");
  return { title: `${t("forgot.title")} · OpenLab` };
}

type ActionResult = { sent: boolean; errors: FieldErrors };

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const parsed = parseForm(forgotPasswordSchema, await formOf(request));
  if (!parsed.ok) return data<ActionResult>({ sent: false, errors: parsed.errors }, { status: 400 });
  if (!(await allowMail(clientIp(request, context), parsed.data.email))) {
    return data<ActionResult>({ sent: false, errors: { _form: "accounts:rateLimited" } }, { status: 429 });
  }
  await requestPasswordReset(parsed.data.email, new URL(request.url).origin);
  // The same answer whether or not the address has an account.
  return data<ActionResult>({ sent: true, errors: {} });
}

export default function ForgotPassword() {
  const { t } = useTranslation("accounts");
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  return (
    <section className="form-card">
      <h1>{t("forgot.title")}</h1>
      {result?.sent ? (
        <p className="notice" role="status">
          {t("forgot.sent")}
        </p>
      ) : (
        <>
          <p>{t("forgot.lead")}</p>
          <Form method="post" noValidate>
            <CsrfInput />
            <FormError error={errors._form} />
            <Field label={t("forgot.email")} name="email" type="email" autoComplete="email" required error={errors.email} />
            <SubmitButton>{t("forgot.submit")}</SubmitButton>
          </Form>
        </>
      )}
      <p className="form-links">
        <Link to="/login">{t("forgot.back")}</Link>
      </p>
    </section>
  );
}
