import { useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useRootData } from "~/root";

/** Every form that changes something carries the session's token. */
export function CsrfInput() {
  const csrf = useRootData()?.csrf ?? "";
  return <input type="hidden" name="_csrf" value={csrf} />;
}

/** Field errors are i18n keys (from zod messages); they are translated here, next to the field. */
export function Field({
  label,
  name,
  error,
  hint,
  ...input
}: {
  label: string;
  name: string;
  error?: string;
  hint?: string;
} & React.InputHTMLAttributes<HTMLInputElement>) {
  const { t } = useTranslation();
  const id = input.id ?? `field-${name}`;
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ");
  return (
    <div className={`field${error ? " field-invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy || undefined} {...input} />
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {t(error)}
        </p>
      ) : null}
    </div>
  );
}

export function FormError({ error }: { error?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p className="form-error" role="alert">
      {t(error)}
    </p>
  );
}

/** Disables itself and says so while its form is being sent. */
export function SubmitButton({ children, busyLabel, ...rest }: { busyLabel?: string } & React.ButtonHTMLAttributes<HTMLButtonElement>) {
  const navigation = useNavigation();
  const { t } = useTranslation();
  const busy = navigation.state === "submitting";
  return (
    <button type="submit" className="button" disabled={busy} aria-busy={busy || undefined} {...rest}>
      {busy ? (busyLabel ?? t("form.sending")) : children}
    </button>
  );
}
