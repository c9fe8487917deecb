import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireLabManager } from "~/accounts/authz.server";
import { can } from "~/accounts/permissions";
import { labWorkload } from "~/booking/queue.server";
import { managedLabs } from "~/catalogue/manage.server";
import { localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { useLocale, useRootData } from "~/root";

export const handle = { i18n: ["common", "catalogue", "manage", "queue"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireLabManager(request);
  const [labs, t] = await Promise.all([managedLabs(viewer), i18nServer.getFixedT(request, "manage")]);
  const workload = await labWorkload(labs.map((l) => l.id), new Date());
  return { title: `${t("dashboard.title")} · OpenLab`, labs: labs.map((lab) => ({ ...lab, work: workload.get(lab.id) ?? { pending: 0, today: 0, unfinished: 0, sampleJobs: 0 } })) };
}

/**
 * The queue page's lists a lab card counts, each with the anchor of its heading there; sessions
 * awaiting check-out have a list only when there are some.
 */
const workItems = [
  { count: "pending", anchor: "pending", label: "queue:pending.title", always: true },
  { count: "unfinished", anchor: "unfinished", label: "queue:unfinished.title", always: false },
  { count: "today", anchor: "today", label: "queue:today.title", always: true },
  { count: "sampleJobs", anchor: "sample-jobs", label: "manage:dashboard.sampleJobs", always: true },
] as const;

/** 我的实验室: the labs the viewer runs, with the work waiting and their instruments counted by status. */
export default function MyLabs() {
  const { labs } = useLoaderData<typeof loader>();
  const { t } = useTranslation("manage");
  const locale = useLocale();
  const viewer = useRootData()?.viewer ?? null;
  return (
    <section className="section manage">
      <h1>{t("dashboard.title")}</h1>
      <p className="lead-muted">{t("dashboard.lead")}</p>
      {labs.length === 0 ? (
        <p className="empty">{t("dashboard.empty")}</p>
      ) : (
        <ul className="lab-cards">
          {labs.map((lab) => (
            <li key={lab.id} className="panel lab-card">
              <h2>
                <Link to={`/manage/labs/${lab.id}`}>{localName(lab, locale)}</Link>
              </h2>
              <p className="muted">
                {localName({ nameZh: lab.organizationNameZh, nameEn: lab.organizationNameEn }, locale)}
                {can(viewer, "manage:labs:institution", { organizationId: lab.organizationId }) ? (
                  <>
                    {" · "}
                    <Link to={`/manage/institutions/${lab.organizationId}`}>{t("dashboard.institution")}</Link>
                  </>
                ) : null}
              </p>
              {lab.providerStatus !== "accepted" ? (
                <p className="notice notice-warning">{t("dashboard.notAccepted")}</p>
              ) : null}
              <dl className="status-counts">
                {(["published", "draft", "suspended", "retired"] as const).map((s) => (
                  <div key={s} className={`status-count status-count-${s}`}>
                    <dt>{t(`catalogue:status.${s}`)}</dt>
                    <dd>{lab[s]}</dd>
                  </div>
                ))}
              </dl>
              <ul className="lab-work" aria-label={t("dashboard.work")}>
                {workItems.filter((item) => item.always || lab.work[item.count] > 0).map((item) => (
                  <li key={item.count} className={lab.work[item.count] > 0 ? "lab-work-waiting" : undefined}>
                    <Link to={`/manage/labs/${lab.id}/bookings#${item.anchor}`}>
                      {t(item.label)} <strong>{lab.work[item.count]}</strong>
                    </Link>
                  </li>
                ))}
              </ul>
              <p className="lab-card-actions">
                <Link to={`/manage/labs/${lab.id}/bookings`} className={`button button-compact${lab.work.pending > 0 ? "" : " button-secondary"}`}>
                  {t("queue:link")}
                </Link>
                <Link to={`/manage/labs/${lab.id}`} className="button button-secondary button-compact">
                  {t("dashboard.open")}
                </Link>
                <Link to={`/manage/labs/${lab.id}/instruments/new`} className="button button-secondary button-compact">
                  {t("lab.new")}
                </Link>
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
