import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { flashNotice } from "~/accounts/auth.server";
import { requireUser } from "~/accounts/authz.server";
import { bookingTarget } from "~/booking/reservations.server";
import { formatSpan } from "~/booking/time-format";
import { joinWaitlist, leaveWaitlist, myWaitlist, waitlistWindowSchema } from "~/booking/waitlist.server";
import { CsrfInput, FormError, SubmitButton } from "~/components/forms";
import { formOf } from "~/lib/form.server";
import { formatDateTime, localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { parseForm } from "~/lib/validation";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "calendars"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

/** The user's waitlist; with ?instrument&start&end from the week calendar, the window to confirm. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireUser(request);
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const window = waitlistWindowSchema.safeParse(query);
  const target = window.success ? await bookingTarget(window.data.slug) : null;
  const [entries, t] = await Promise.all([myWaitlist(viewer.id, new Date()), i18nServer.getFixedT(request, "calendars")]);
  return {
    title: `${t("waitlist.title")} · OpenLab`,
    entries,
    candidate:
      window.success && target
        ? { slug: target.slug, nameZh: target.nameZh, nameEn: target.nameEn, zone: target.zone, start: window.data.start.toISOString(), end: window.data.end.toISOString() }
        : null,
  };
}

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("join"), instrument: z.string(), start: z.string(), end: z.string() }),
  z.object({ intent: z.literal("remove"), entryId: z.string() }),
]);

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requireUser(request);
  const parsed = parseForm(actionSchema, await formOf(request));
  if (!parsed.ok) return data({ formError: "validation.invalid" }, { status: 400 });
  const t = await i18nServer.getFixedT(request, "calendars");
  if (parsed.data.intent === "remove") {
    if (!(await leaveWaitlist(viewer.id, parsed.data.entryId))) return data({ formError: "calendars:waitlist.errors.not_found" }, { status: 404 });
    return redirect("/waitlist", { headers: { "Set-Cookie": await flashNotice(request, t("waitlist.removed")) } });
  }
  const window = waitlistWindowSchema.safeParse(parsed.data);
  if (!window.success) return data({ formError: "validation.invalid" }, { status: 400 });
  const result = await joinWaitlist(viewer.id, window.data, new Date());
  if (!result.ok) return data({ formError: `calendars:waitlist.errors.${result.reason}` }, { status: 400 });
  return redirect("/waitlist", { headers: { "Set-Cookie": await flashNotice(request, t("waitlist.joined")) } });
}

export default function Waitlist() {
  const { entries, candidate } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation("calendars");
  const locale = useLocale();
  return (
    <section className="section">
      <h1>{t("waitlist.title")}</h1>
      <p className="lead-muted">{t("waitlist.lead")}</p>
      <FormError error={answer?.formError} />
      {candidate ? (
        <section className="panel" aria-labelledby="waitlist-confirm">
          <h2 id="waitlist-confirm">{t("waitlist.confirmTitle")}</h2>
          <p>
            {t("waitlist.confirmLead", {
              instrument: localName(candidate, locale),
              when: `${formatSpan(candidate, candidate.zone, locale)} (${candidate.zone})`,
            })}
          </p>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="join" />
            <input type="hidden" name="instrument" value={candidate.slug} />
            <input type="hidden" name="start" value={candidate.start} />
            <input type="hidden" name="end" value={candidate.end} />
            <SubmitButton>{t("waitlist.confirm")}</SubmitButton>
          </Form>
        </section>
      ) : null}
      {entries.length === 0 ? (
        <p className="empty">{t("waitlist.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("waitlist.instrument")}</th>
                <th scope="col">{t("waitlist.window")}</th>
                <th scope="col">{t("waitlist.state")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("waitlist.remove")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>
                    <Link to={`/instruments/${e.instrument.slug}`}>{localName(e.instrument, locale)}</Link> {e.instrument.model}
                  </td>
                  <td>
                    {formatSpan(e.period, e.zone, locale)} ({e.zone})
                  </td>
                  <td>{e.notifiedAt ? t("waitlist.notified", { at: formatDateTime(e.notifiedAt, locale, e.zone) }) : t("waitlist.waiting")}</td>
                  <td>
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="entryId" value={e.id} />
                      <SubmitButton className="button button-secondary">{t("waitlist.remove")}</SubmitButton>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
