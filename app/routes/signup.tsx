import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { createSessionFor, signUp } from "~/accounts/auth.server";
import { requireAnonymous } from "~/accounts/authz.server";
import { emailField, safeRedirect, signUpSchema } from "~/accounts/schemas";
import { CsrfInput, Field, FormError, SubmitButton } from "~/components/forms";
import { formOf } from "~/lib/form.server";
import { fallbackLanguage, isLocale } from "~/lib/i18n";
import { i18nServer } from "~/lib/i18n.server";
import { allowSignUp, clientIp } from "~/lib/rate-limit.server";
import { parseForm, type FieldErrors } from "~/lib/validation";

export const handle = { i18n: ["common", "accounts"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

/**
 * `?email=` fills in the address and `?redirectTo=` is where a new account goes instead of
 * /account: an invitation's page sends its invitee here and back to accept it.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  const t = await i18nServer.getFixedT(request, "accounts");
  const params = new URL(request.url).searchParams;
  const email = emailField.safeParse(params.get("email"));
  return { title: `${t("signup.title")} · OpenLab`, email: email.success ? email.data : "", redirectTo: safeRedirect(params.get("redirectTo")) };
}

type ActionResult = { errors: FieldErrors; values: Record<string, string> };

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const form = await formOf(request);
  const values = Object.fromEntries(
    ["email", "displayName", "organizationName", "creditCode"].map((k) => [k, String(form.get(k) ?? "").slice(0, 200)]),
  );
  const fail = (errors: FieldErrors, status: number) => data<ActionResult>({ errors, values }, { status });

  const parsed = parseForm(signUpSchema, form);
  if (!parsed.ok) return fail(parsed.errors, 400);
  if (!(await allowSignUp(clientIp(request, context)))) return fail({ _form: "accounts:rateLimited" }, 429);

  const locale = await i18nServer.getLocale(request);
  const result = await signUp(parsed.data, {
    locale: isLocale(locale) ? locale : fallbackLanguage,
    origin: new URL(request.url).origin,
  });
  if (!result.ok) return fail(result.errors, 400);

  const t = await i18nServer.getFixedT(request, "accounts");
  const cookie = await createSessionFor(request, result.userId, t("signup.sent", { email: parsed.data.email }));
  return redirect(safeRedirect(form.get("redirectTo")), { headers: { "Set-Cookie": cookie } });
}

export default function SignUp() {
  const { t } = useTranslation("accounts");
  const { email, redirectTo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  const values = result?.values ?? { email };
  return (
    <section className="form-card">
      <h1>{t("signup.title")}</h1>
      <p>{t("signup.lead")}</p>
      <Form method="post" noValidate>
        <CsrfInput />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <FormError error={errors._form} />
        <Field label={t("signup.displayName")} name="displayName" autoComplete="name" required defaultValue={values.displayName} error={errors.displayName} />
        <Field label={t("signup.email")} name="email" type="email" autoComplete="email" required defaultValue={values.email} error={errors.email} />
        <Field
          label={t("signup.password")}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          hint={t("signup.passwordHint")}
          error={errors.password}
        />
        <fieldset style={{ border: "1px solid #d0d7de", borderRadius: "8px", padding: "0.5rem 1rem 0", margin: "0 0 1rem" }}>
          <legend style={{ fontWeight: 600, padding: "0 0.25rem" }}>{t("signup.company")}</legend>
          <p className="field-hint">{t("signup.companyHint")}</p>
          <Field label={t("signup.organizationName")} name="organizationName" autoComplete="organization" defaultValue={values.organizationName} error={errors.organizationName} />
          <Field
            label={t("signup.creditCode")}
            name="creditCode"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={40}
            hint={t("signup.creditCodeHint")}
            defaultValue={values.creditCode}
            error={errors.creditCode}
          />
        </fieldset>
        <SubmitButton>{t("signup.submit")}</SubmitButton>
      </Form>
      <p className="form-links">
        <span>
          {t("signup.haveAccount")} <Link to="/login">{t("signup.signIn")}</Link>
        </span>
      </p>
    </section>
  );
}
