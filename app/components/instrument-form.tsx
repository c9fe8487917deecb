import { Form } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { operatingStatuses, serviceModes, shareModes } from "../../db/schema/vocabulary";
import { CsrfInput, Field, FormError, SubmitButton } from "~/components/forms";
import { localName } from "~/lib/format";
import type { Locale } from "~/lib/i18n";
import { fenToYuanString } from "~/lib/money";

/** The national instrument record as a form, shared by the new and edit pages. */

export type RecordValues = Record<string, string | string[]>;
type CategoryGroup = { code: string; nameZh: string; nameEn: string; options: { code: string; nameZh: string; nameEn: string; level: number }[] };

/** Form values of a stored record (money in 元 as typed, dates as YYYY-MM-DD). */
export function recordValues(i: {
  nameZh: string; nameEn: string; model: string; manufacturer: string; countryOfOrigin: string; categoryCode: string;
  originalValueFen: number; purchaseDate: string | null; commissioningDate: string | null; fundingSource: string;
  specifications: string; mainFunctions: string; serviceContent: string; sampleRequirements: string;
  serviceModes: string[]; feeText: string; operatingStatus: string; shareMode: string;
}): RecordValues {
  const { originalValueFen, ...rest } = i;
  return {
    ...rest,
    originalValue: fenToYuanString(originalValueFen),
    purchaseDate: i.purchaseDate ?? "",
    commissioningDate: i.commissioningDate ?? "",
  };
}

export function InstrumentForm({
  values,
  errors = {},
  categories,
  locale,
  today,
  submitLabel,
}: {
  values: RecordValues;
  errors?: Record<string, string>;
  categories: CategoryGroup[];
  locale: Locale;
  today: string;
  submitLabel: string;
}) {
  const { t } = useTranslation("manage");
  const formRef = useRef<HTMLFormElement>(null);
  const fieldErrors = Object.keys(errors).filter((k) => k !== "_form");
  // After a failed save the first marked field gets the focus, so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (fieldErrors.length > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);
  const required = (label: string) => `${label} *`;
  const text = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : "");
  const chosenModes = Array.isArray(values.serviceModes) ? values.serviceModes : values.serviceModes ? [values.serviceModes] : [];
  const input = (name: string, label: string, extra: React.InputHTMLAttributes<HTMLInputElement> & { hint?: string } = {}) => (
    <Field label={label} name={name} defaultValue={text(name)} error={errors[name]} {...extra} />
  );
  return (
    <Form method="post" className="record-form" noValidate ref={formRef}>
      <CsrfInput />
      <input type="hidden" name="intent" value="save" />
      <FormError error={errors._form} />
      {fieldErrors.length > 0 ? (
        <p className="form-error" role="alert">
          {t("form.fixErrors", { count: fieldErrors.length })}
        </p>
      ) : null}
      <p className="field-hint">{t("form.requiredNote")}</p>
      <fieldset>
        <legend>{t("form.identity")}</legend>
        <div className="field-row">
          {input("nameZh", required(t("form.nameZh")), { required: true, maxLength: 200 })}
          {input("nameEn", required(t("form.nameEn")), { required: true, maxLength: 200, lang: "en" })}
        </div>
        <div className="field-row">
          {input("model", t("catalogue:field.model"), { maxLength: 100, hint: t("form.modelHint") })}
          {input("manufacturer", t("catalogue:field.manufacturer"), { maxLength: 200 })}
          {input("countryOfOrigin", t("catalogue:field.countryOfOrigin"), { maxLength: 100 })}
        </div>
        <Select label={required(t("catalogue:field.category"))} name="categoryCode" required error={errors.categoryCode} defaultValue={text("categoryCode")}>
          <option value="">{t("form.choose")}</option>
          {categories.map((g) => (
            <optgroup key={g.code} label={`${g.code} ${localName(g, locale)}`}>
              {g.options.map((o) => (
                <option key={o.code} value={o.code}>
                  {`${o.code} ${localName(o, locale)}${o.level === 1 ? ` ${t("form.wholeGroup")}` : ""}`}
                </option>
              ))}
            </optgroup>
          ))}
        </Select>
      </fieldset>
      <fieldset>
        <legend>{t("form.asset")}</legend>
        <div className="field-row">
          {input("originalValue", t("form.originalValueYuan"), { inputMode: "decimal", hint: t("form.originalValueHint") })}
          {input("fundingSource", t("form.fundingSource"), { maxLength: 200 })}
        </div>
        <div className="field-row">
          {input("purchaseDate", t("catalogue:field.purchaseDate"), { type: "date", max: today })}
          {input("commissioningDate", t("catalogue:field.commissioningDate"), { type: "date", max: today })}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t("form.service")}</legend>
        <TextArea label={t("catalogue:field.specifications")} name="specifications" defaultValue={text("specifications")} error={errors.specifications} />
        <TextArea label={t("catalogue:field.mainFunctions")} name="mainFunctions" defaultValue={text("mainFunctions")} error={errors.mainFunctions} />
        <TextArea label={t("catalogue:field.serviceContent")} name="serviceContent" defaultValue={text("serviceContent")} error={errors.serviceContent} />
        <TextArea label={t("catalogue:field.sampleRequirements")} name="sampleRequirements" defaultValue={text("sampleRequirements")} error={errors.sampleRequirements} />
        <fieldset className={`field choice-group${errors.serviceModes ? " field-invalid" : ""}`} aria-describedby={errors.serviceModes ? "serviceModes-error" : undefined}>
          <legend>{required(t("catalogue:field.serviceModes"))}</legend>
          {serviceModes.map((m) => (
            <label key={m} className="choice">
              <input type="checkbox" name="serviceModes" value={m} defaultChecked={chosenModes.includes(m)} />
              {t(`common:serviceMode.${m}`)}
            </label>
          ))}
          {errors.serviceModes ? (
            <p className="field-error" id="serviceModes-error" role="alert">
              {t(errors.serviceModes)}
            </p>
          ) : null}
        </fieldset>
        <TextArea label={t("catalogue:field.feeText")} name="feeText" defaultValue={text("feeText")} error={errors.feeText} rows={3} hint={t("form.feeTextHint")} />
        <div className="field-row">
          <Select label={t("catalogue:field.operatingStatus")} name="operatingStatus" error={errors.operatingStatus} defaultValue={text("operatingStatus") || "normal"}>
            {operatingStatuses.map((s) => (
              <option key={s} value={s}>
                {t(`catalogue:operatingStatus.${s}`)}
              </option>
            ))}
          </Select>
          <Select label={t("catalogue:field.shareMode")} name="shareMode" error={errors.shareMode} defaultValue={text("shareMode") || "external"}>
            {shareModes.map((s) => (
              <option key={s} value={s}>
                {t(`catalogue:shareMode.${s}`)}
              </option>
            ))}
          </Select>
        </div>
      </fieldset>
      <div className="form-actions">
        <SubmitButton>{submitLabel}</SubmitButton>
      </div>
    </Form>
  );
}

function FieldShell({ name, label, error, hint, children }: { name: string; label: string; error?: string; hint?: string; children: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className={`field${error ? " field-invalid" : ""}`}>
      <label htmlFor={`field-${name}`}>{label}</label>
      {children}
      {hint ? (
        <p className="field-hint" id={`field-${name}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`field-${name}-error`} role="alert">
          {t(error)}
        </p>
      ) : null}
    </div>
  );
}

const describedBy = (name: string, error?: string, hint?: string) =>
  [error ? `field-${name}-error` : null, hint ? `field-${name}-hint` : null].filter(Boolean).join(" ") || undefined;

export function TextArea({ name, label, error, hint, ...rest }: { name: string; label: string; error?: string; hint?: string } & React.TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <FieldShell name={name} label={label} error={error} hint={hint}>
      <textarea id={`field-${name}`} name={name} rows={5} maxLength={4000} aria-invalid={error ? true : undefined} aria-describedby={describedBy(name, error, hint)} {...rest} />
    </FieldShell>
  );
}

export function Select({ name, label, error, children, ...rest }: { name: string; label: string; error?: string } & React.SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <FieldShell name={name} label={label} error={error}>
      <select id={`field-${name}`} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy(name, error)} {...rest}>
        {children}
      </select>
    </FieldShell>
  );
}
