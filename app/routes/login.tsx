import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { createSessionFor, signIn } from "~/accounts/auth.server";
import { requireAnonymous } from "~/accounts/authz.server";
import { safeRedirect, signInSchema } from "~/accounts/schemas";
import { CsrfInput, Field, FormError, SubmitButton } from "~/components/forms";
import { formOf } from "~/lib/form.server";
import { i18nServer } from "~/lib/i18n.server";
import { allowSignIn, clientIp, forgetSignInFailures } from "~/lib/rate-limit.server";
import { parseForm, type FieldErrors } from "~/lib/validation";

export const handle = { i18n: ["common", "accounts"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  const t = await i18nServer.getFixedT(request, "accounts");
  const params = new URL(request.url).searchParams;
  const redirectTo = safeRedirect(params.get("redirectTo"));
  return { title: `${t("login.title")} · OpenLab`, redirectTo, ended: params.get("ended") === "1" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const form = await formOf(request);
  const email = String(form.get("email") ?? "").slice(0, 254);
  const fail = (errors: FieldErrors, status: number) => data({ errors, email }, { status });

  const parsed = parseForm(signInSchema, form);
  if (!parsed.ok) return fail(parsed.errors, 400);
  const ip = clientIp(request, context);
  if (!(await allowSignIn(ip, parsed.data.email))) return fail({ _form: "accounts:rateLimited" }, 429);

  const result = await signIn(parsed.data);
  if (!result.ok) return fail(result.errors, 400);
  await forgetSignInFailures(ip, parsed.data.email);
  const cookie = await createSessionFor(request, result.userId);
  return redirect(safeRedirect(form.get("redirectTo")), { headers: { "Set-Cookie": cookie } });
}

export default function Login() {
  const { t } = useTranslation("accounts");
  const { redirectTo, ended } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  return (
    <section className="form-card">
      <h1>{t("login.title")}</h1>
      {ended ? (
        <p className="notice notice-warning" role="status">
          {t("login.ended")}
        </p>
      ) : null}
      <Form method="post" noValidate>
        <CsrfInput />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <FormError error={errors._form} />
        <Field label={t("login.email")} name="email" type="email" autoComplete="email" required defaultValue={result?.email} error={errors.email} />
        <Field label={t("login.password")} name="password" type="password" autoComplete="current-password" required error={errors.password} />
        <SubmitButton>{t("login.submit")}</SubmitButton>
      </Form>
      <p className="form-links">
        <Link to="/forgot-password">{t("login.forgot")}</Link>
        <span>
          {t("login.noAccount")} <Link to="/signup">{t("login.signUp")}</Link>
        </span>
      </p>
    </section>
  );
}
