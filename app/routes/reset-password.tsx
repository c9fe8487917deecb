import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { checkResetToken, flashNotice, resetPassword } from "~/accounts/auth.server";
import { allowAnyone } from "~/accounts/authz.server";
import { resetPasswordSchema } from "~/accounts/schemas";
import { CsrfInput, Field, FormError, SubmitButton } from "~/components/forms";
import { formOf } from "~/lib/form.server";
import { i18nServer } from "~/lib/i18n.server";
import { clientIp } from "~/lib/rate-limit.server";
import { parseForm, type FieldErrors } from "~/lib/validation";

export const handle = { i18n: ["common", "accounts"] };

// The token is in this page's URL: never hand it to another site in a Referer header.
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? "OpenLab" },
  { name: "referrer", content: "same-origin" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  await allowAnyone(request);
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const check = await checkResetToken(token);
  const t = await i18nServer.getFixedT(request, "accounts");
  return data(
    { title: `${t("reset.title")} · OpenLab`, token: check.ok ? token : "", problem: check.ok ? null : check.problem },
    { status: check.ok ? 200 : 400 },
  );
}

type ActionResult = { errors: FieldErrors };

export async function action({ request, context }: ActionFunctionArgs) {
  await allowAnyone(request);
  const parsed = parseForm(resetPasswordSchema, await formOf(request));
  const result = parsed.ok ? await resetPassword(parsed.data, clientIp(request, context)) : parsed;
  if (!result.ok) return data<ActionResult>({ errors: result.errors }, { status: 400 });
  const t = await i18nServer.getFixedT(request, "accounts");
  return redirect("/login", { headers: { "Set-Cookie": await flashNotice(request, t("reset.done")) } });
}

export default function ResetPassword() {
  const { t } = useTranslation("accounts");
  const loaded = useLoaderData<typeof loader>();
  const errors = useActionData<typeof action>()?.errors ?? {};
  const problem = errors.token ?? loaded.problem;
  if (problem) {
    return (
      <section className="form-card">
        <h1>{t("reset.linkTitle")}</h1>
        <p className="form-error" role="alert">
          {t(problem)}
        </p>
        <p className="form-links">
          <Link to="/forgot-password">{t("reset.requestNew")}</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="form-card">
      <h1>{t("reset.title")}</h1>
      <p>{t("reset.lead")}</p>
      <Form method="post" noValidate>
        <CsrfInput />
        <input type="hidden" name="token" value={loaded.token} />
        <FormError error={errors._form} />
        <Field
          label={t("reset.password")}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          hint={t("signup.passwordHint")}
          error={errors.password}
        />
        <SubmitButton>{t("reset.submit")}</SubmitButton>
      </Form>
    </section>
  );
}
