import { useTranslation } from "react-i18next";
import { formatDateTime } from "~/lib/format";
import type { Locale } from "~/lib/i18n";

/** The part of a sample job both the customer and the lab see (loader data, dates as ISO strings). */
export interface SampleJobFactsData {
  id: string;
  zone: string;
  remains: string;
  samplesReceivedAt: string | null;
  receivedCondition: string;
  reportIssuedAt: string | null;
  turnaroundMinutes: number | null;
  lines: { position: number; name: string; count: number; matrix: string; hazards: string[]; hazardNote: string; requiredTests: string }[];
  usage: { preparationMinutes: number; measurementMinutes: number; postProcessingMinutes: number; samplesCount: number } | null;
}

/** Samples, receipt, instrument time, turnaround and the report link of one sample job. */
export function SampleJobFacts({ job, locale, reportHref }: { job: SampleJobFactsData; locale: Locale; reportHref: string | null }) {
  const { t } = useTranslation("samples");
  const turnaround = job.turnaroundMinutes;
  return (
    <>
      <section className="panel">
        <h2>{t("detail.samples")}</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t("request.name")}</th>
                <th scope="col">{t("detail.count")}</th>
                <th scope="col">{t("detail.matrix")}</th>
                <th scope="col">{t("detail.hazards")}</th>
                <th scope="col">{t("detail.requiredTests")}</th>
              </tr>
            </thead>
            <tbody>
              {job.lines.map((line) => (
                <tr key={line.position}>
                  <td>{line.position}</td>
                  <td>{line.name}</td>
                  <td>{line.count}</td>
                  <td>{line.matrix || "—"}</td>
                  <td>
                    {line.hazards.length ? line.hazards.map((h) => t(`hazard.${h}`)).join("、") : t("detail.none")}
                    {line.hazardNote ? <div className="muted">{line.hazardNote}</div> : null}
                  </td>
                  <td>{line.requiredTests}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <dl className="facts">
          <div>
            <dt>{t("detail.remains")}</dt>
            <dd>{t(`remains.${job.remains}`)}</dd>
          </div>
          <div>
            <dt>{t("detail.received")}</dt>
            <dd>{job.samplesReceivedAt ? formatDateTime(job.samplesReceivedAt, locale, job.zone) : "—"}</dd>
          </div>
          {job.receivedCondition ? (
            <div>
              <dt>{t("detail.condition")}</dt>
              <dd>{job.receivedCondition}</dd>
            </div>
          ) : null}
          {job.usage ? (
            <div>
              <dt>{t("detail.usage")}</dt>
              <dd>
                {t("detail.effective", {
                  minutes: job.usage.preparationMinutes + job.usage.measurementMinutes + job.usage.postProcessingMinutes,
                  preparation: job.usage.preparationMinutes,
                  measurement: job.usage.measurementMinutes,
                  post: job.usage.postProcessingMinutes,
                  samples: job.usage.samplesCount,
                })}
              </dd>
            </div>
          ) : null}
          <div>
            <dt>{t("detail.turnaround")}</dt>
            <dd>{turnaround === null ? "—" : t("detail.turnaroundValue", { hours: Math.floor(turnaround / 60), minutes: turnaround % 60 })}</dd>
          </div>
        </dl>
      </section>
      <section className="panel">
        <h2>{t("detail.report")}</h2>
        {reportHref ? (
          <p>
            <a href={reportHref} download className="button">
              {t("detail.download")}
            </a>
          </p>
        ) : (
          <p className="empty">{t("detail.notIssued")}</p>
        )}
      </section>
    </>
  );
}
