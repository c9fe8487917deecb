import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { FieldErrors } from "~/lib/validation";
import { CsrfInput, Field, FormError, SubmitButton } from "./forms";

/** Lab fields (names, address, time zone, contact) for creating and editing a lab. */
export function LabForm({
  title,
  submitLabel,
  errors = {},
  values = {},
  intent,
}: {
  title: string;
  submitLabel: string;
  errors?: FieldErrors;
  values?: Record<string, unknown>;
  intent?: string;
}) {
  const { t } = useTranslation("onboarding");
  const v = (k: string) => (typeof values[k] === "string" ? (values[k] as string) : undefined);
  return (
    <Form method="post" noValidate className="form-card wide">
      <h2>{title}</h2>
      <CsrfInput />
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      <FormError error={errors._form} />
      <Field label={t("lab.nameZh")} name="nameZh" required lang="zh-CN" defaultValue={v("nameZh")} error={errors.nameZh} />
      <Field label={t("lab.nameEn")} name="nameEn" required lang="en" defaultValue={v("nameEn")} error={errors.nameEn} />
      <Field label={t("lab.address")} name="address" defaultValue={v("address")} error={errors.address} />
      <Field
        label={t("lab.timeZone")}
        name="timeZone"
        defaultValue={v("timeZone") ?? "Asia/Shanghai"}
        hint={t("lab.timeZoneHint")}
        spellCheck={false}
        error={errors.timeZone}
      />
      <fieldset>
        <legend>{t("field.contact")}</legend>
        <Field label={t("field.contactName")} name="contactName" autoComplete="off" defaultValue={v("contactName")} error={errors.contactName} />
        <Field label={t("field.contactPhone")} name="contactPhone" type="tel" autoComplete="off" defaultValue={v("contactPhone")} error={errors.contactPhone} />
        <Field label={t("field.contactEmail")} name="contactEmail" type="email" autoComplete="off" defaultValue={v("contactEmail")} error={errors.contactEmail} />
      </fieldset>
      <SubmitButton>{submitLabel}</SubmitButton>
    </Form>
  );
}
