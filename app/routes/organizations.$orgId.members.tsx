import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { flashNotice } from "~/accounts/auth.server";
import { notFound, requireOrgAdmin } from "~/accounts/authz.server";
import { membersPath } from "~/accounts/members-path";
import { withdrawInvitation } from "~/accounts/invitations.server";
import { inviteMember, organizationMembers, removeMember, setOrgAdmin } from "~/accounts/members.server";
import { CsrfInput, FormError, SubmitButton } from "~/components/forms";
import { InvitationPanel } from "~/components/invitations";
import { invitationSchema } from "~/catalogue/onboarding";
import { formOf } from "~/lib/form.server";
import { formatDate, localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { allowMail, clientIp } from "~/lib/rate-limit.server";
import { parseForm, type FieldErrors } from "~/lib/validation";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "accounts", "onboarding"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const orgId = params.orgId ?? "";
  const viewer = await requireOrgAdmin(request, orgId);
  const [page, t] = await Promise.all([organizationMembers(orgId), i18nServer.getFixedT(request, "accounts")]);
  if (!page) throw notFound();
  return { ...page, viewerId: viewer.id, title: `${page.organization.nameZh} · ${t("members.title")} · OpenLab` };
}

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("invite") }),
  z.object({ intent: z.literal("remove"), userId: z.string().uuid() }),
  z.object({ intent: z.literal("promote"), userId: z.string().uuid() }),
  z.object({ intent: z.literal("demote"), userId: z.string().uuid() }),
  z.object({ intent: z.literal("withdraw"), invitationId: z.string().uuid() }),
]);

/** Invites a colleague by email, withdraws an invitation, makes a member an admin or no longer one, or removes a member. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const orgId = params.orgId ?? "";
  const viewer = await requireOrgAdmin(request, orgId);
  const form = await formOf(request);
  const email = String(form.get("email") ?? "").slice(0, 254);
  const parsed = actionSchema.safeParse(Object.fromEntries(form));
  const intent = parsed.success ? parsed.data.intent : null;
  // Each refusal is shown beside the form that was sent.
  const fail = (errors: FieldErrors, status = 400) => data({ intent, errors, email }, { status });
  if (!parsed.success) return fail({ _form: "validation.invalid" });
  const ip = clientIp(request, context);
  const [t, tOnboarding] = await Promise.all([i18nServer.getFixedT(request, "accounts"), i18nServer.getFixedT(request, "onboarding")]);
  const done = async (notice: string) => redirect(membersPath(orgId), { headers: { "Set-Cookie": await flashNotice(request, notice) } });

  if (parsed.data.intent === "remove") {
    const removed = await removeMember(orgId, { userId: viewer.id, ip }, parsed.data.userId);
    return removed.ok ? done(t("members.removed")) : fail(removed.errors);
  }
  if (parsed.data.intent === "promote" || parsed.data.intent === "demote") {
    const admin = parsed.data.intent === "promote";
    const set = await setOrgAdmin(orgId, { userId: viewer.id, ip }, parsed.data.userId, admin);
    return set.ok ? done(t(set.changed ? (admin ? "members.promoted" : "members.demoted") : "members.unchanged")) : fail(set.errors);
  }
  if (parsed.data.intent === "withdraw") {
    if (!(await withdrawInvitation({ organizationId: orgId, labId: null }, parsed.data.invitationId, { userId: viewer.id, ip }))) return fail({ _form: "onboarding:invite.gone" });
    return done(tOnboarding("invite.withdrawn"));
  }
  const invite = parseForm(invitationSchema, form);
  if (!invite.ok) return fail(invite.errors);
  if (!(await allowMail(ip, invite.data.email))) return fail({ _form: "accounts:rateLimited" }, 429);
  const sent = await inviteMember(orgId, { ...viewer, ip }, invite.data.email, new URL(request.url).origin);
  if (!sent.ok && "notFound" in sent) throw notFound();
  if (!sent.ok) return fail(sent.errors);
  return done(t("members.invited", { email: invite.data.email }));
}

/** A customer organisation's members, for its org admin: who books in its name, and invitations for colleagues. */
export default function OrganizationMembers() {
  const { organization, members, invitations, viewerId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("accounts");
  const { t: tc } = useTranslation("common");
  const locale = useLocale();
  // One small form per action on a member's row, its button named with the member for screen readers.
  const memberAction = (m: { userId: string; displayName: string }, intent: "promote" | "demote" | "remove") => (
    <Form method="post">
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="userId" value={m.userId} />
      <SubmitButton className="button button-secondary" aria-label={t(`members.${intent}Named`, { name: m.displayName })}>
        {t(`members.${intent}`)}
      </SubmitButton>
    </Form>
  );
  const errorsOf = (intent: "invite" | "remove" | "promote" | "demote" | "withdraw" | null): FieldErrors => (result && result.intent === intent ? result.errors : {});
  return (
    <section className="form-card wide members-page">
      <h1>{t("members.title")}</h1>
      <p>{t("members.lead", { organization: localName(organization, locale) })}</p>
      <FormError error={errorsOf("remove")._form ?? errorsOf("promote")._form ?? errorsOf("demote")._form ?? errorsOf(null)._form} />
      {members.length === 0 ? (
        <p className="empty">{t("members.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="stack-on-phone">
            <thead>
              <tr>
                <th scope="col">{t("members.name")}</th>
                <th scope="col">{t("account.role")}</th>
                <th scope="col">{t("members.since")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("members.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.userId}>
                  <td className="member">
                    {m.displayName}
                    <span className="muted">{m.email}</span>
                  </td>
                  <td>{m.roles.map((r) => tc(`role.${r}`)).join("、")}</td>
                  <td>{formatDate(m.since, locale)}</td>
                  <td>
                    {m.userId === viewerId ? null : (
                      <div className="row-actions">
                        {memberAction(m, m.roles.includes("org_admin") ? "demote" : "promote")}
                        {memberAction(m, "remove")}
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <InvitationPanel invitations={invitations} title={t("members.inviteTitle")} lead={t("members.inviteLead")} errors={{ ...errorsOf("withdraw"), ...errorsOf("invite") }} email={result?.intent === "invite" ? result.email : undefined} />
    </section>
  );
}
