// Lab staff's accreditation management, apart from the public badges and list (accreditations.tsx)
// so that public pages do not load the form components.
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { AccreditationRow } from "~/components/accreditations";
import { CsrfInput, Field, FormError, SubmitButton } from "~/components/forms";
import { Select, TextArea } from "~/components/instrument-form";
import { formatDate, localName } from "~/lib/format";
import type { Locale } from "~/lib/i18n";
import { accreditationKinds, isShown } from "~/trust/accreditation";

type ManagedRow = AccreditationRow & { instrumentNameZh: string | null; instrumentNameEn: string | null };

/** Lab staff's form and table: add with a certificate PDF, remove. */
export function AccreditationManager({
  items,
  today,
  instruments,
  errors,
  values,
  locale,
}: {
  items: ManagedRow[];
  today: string;
  /** The lab's instruments to attach to; null on an instrument's own page. */
  instruments: { id: string; nameZh: string; nameEn: string }[] | null;
  errors: Record<string, string | undefined>;
  values: Record<string, string>;
  locale: Locale;
}) {
  const { t } = useTranslation("accreditation");
  const day = (d: string) => formatDate(d, locale);
  return (
    <>
      <Form method="post" encType="multipart/form-data" noValidate className="panel form-card wide">
        <CsrfInput />
        <h2>{t("manage.add")}</h2>
        <FormError error={errors._form} />
        <div className="field-row">
          <Select label={t("field.kind")} name="kind" required defaultValue={values.kind ?? "cnas"} error={errors.kind}>
            {accreditationKinds.map((k) => (
              <option key={k} value={k}>
                {t(`kind.${k}`)}
              </option>
            ))}
          </Select>
          {instruments ? (
            <Select label={t("field.appliesTo")} name="instrumentId" defaultValue={values.instrumentId ?? ""} error={errors.instrumentId}>
              <option value="">{t("field.wholeLab")}</option>
              {instruments.map((i) => (
                <option key={i.id} value={i.id}>
                  {localName(i, locale)}
                </option>
              ))}
            </Select>
          ) : null}
        </div>
        <div className="field-row">
          <Field label={t("field.certificateNumber")} name="certificateNumber" required maxLength={80} defaultValue={values.certificateNumber} error={errors.certificateNumber} />
          <Field label={t("field.issuer")} name="issuer" required maxLength={200} defaultValue={values.issuer} error={errors.issuer} hint={t("field.issuerHint")} />
        </div>
        <TextArea label={t("field.scope")} name="scope" rows={3} maxLength={2000} defaultValue={values.scope} error={errors.scope} />
        <div className="field-row">
          <Field label={t("field.validFrom")} name="validFrom" type="date" required defaultValue={values.validFrom} error={errors.validFrom} />
          <Field label={t("field.validTo")} name="validTo" type="date" required defaultValue={values.validTo} error={errors.validTo} />
        </div>
        <Field label={t("field.certificate")} name="certificate" type="file" accept="application/pdf,.pdf" required hint={t("field.certificateHint")} error={errors.certificate} />
        <SubmitButton name="intent" value="add">
          {t("manage.submit")}
        </SubmitButton>
      </Form>

      <h2>{t("manage.list")}</h2>
      {items.length === 0 ? (
        <p className="empty">{t("manage.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="manage-table">
            <caption className="visually-hidden">{t("manage.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("field.kind")}</th>
                <th scope="col">{t("field.certificateNumber")}</th>
                <th scope="col">{t("field.issuer")}</th>
                {instruments ? <th scope="col">{t("field.appliesTo")}</th> : null}
                <th scope="col">{t("manage.validity")}</th>
                <th scope="col">{t("manage.state")}</th>
                <th scope="col">{t("manage.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id}>
                  <td>{t(`kind.${a.kind}`)}</td>
                  <td>
                    <a href={`/accreditations/${a.id}/certificate.pdf`}>{a.certificateNumber}</a>
                  </td>
                  <td>{a.issuer}</td>
                  {instruments ? <td>{a.instrumentNameZh ? localName({ nameZh: a.instrumentNameZh, nameEn: a.instrumentNameEn ?? a.instrumentNameZh }, locale) : t("field.wholeLab")}</td> : null}
                  <td>
                    {day(a.validFrom)} – {day(a.validTo)}
                  </td>
                  <td>
                    <span className="chip">{t(isShown(a, today) ? "manage.shown" : a.validTo < today ? "manage.expired" : "manage.upcoming")}</span>
                  </td>
                  <td>
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="accreditationId" value={a.id} />
                      <button type="submit" name="intent" value="remove" className="button button-secondary button-compact" aria-label={t("manage.removeRow", { number: a.certificateNumber })}>
                        {t("manage.remove")}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
