import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { flashNotice } from "~/accounts/auth.server";
import { notFound, requireInstitutionAdmin } from "~/accounts/authz.server";
import { withdrawInvitation } from "~/accounts/invitations.server";
import { InvitationPanel } from "~/components/invitations";
import { LabForm } from "~/components/lab-form";
import { invitationSchema, labSchema } from "~/catalogue/onboarding";
import { getLabForInstitution, inviteLabStaff, updateLab } from "~/catalogue/labs.server";
import { formOf } from "~/lib/form.server";
import { formatDate, localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { clientIp } from "~/lib/rate-limit.server";
import { parseForm, type FieldErrors } from "~/lib/validation";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "onboarding"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

const labIdSchema = z.string().uuid();

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireInstitutionAdmin(request, params.orgId ?? "");
  if (!labIdSchema.safeParse(params.labId).success) throw notFound();
  const [found, t] = await Promise.all([getLabForInstitution(params.orgId!, params.labId!), i18nServer.getFixedT(request, "onboarding")]);
  // A lab of another institution is as unknown here as a lab that doesn't exist.
  if (!found) throw notFound();
  return { title: `${found.lab.nameZh} · ${t("lab.manageTitle")} · OpenLab`, organizationId: params.orgId!, ...found };
}

type ActionResult = { intent: "update" | "invite" | "withdraw"; errors: FieldErrors; values: Record<string, string> };

/** Three forms: the lab's details ("update"), an invitation to its staff ("invite") and its withdrawal ("withdraw"). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = await requireInstitutionAdmin(request, params.orgId ?? "");
  if (!labIdSchema.safeParse(params.labId).success) throw notFound();
  const orgId = params.orgId!;
  const labId = params.labId!;
  const form = await formOf(request);
  const intent = form.get("intent") === "invite" ? "invite" : form.get("intent") === "withdraw" ? "withdraw" : "update";
  const values = Object.fromEntries([...form.entries()].filter(([k]) => k !== "_csrf").map(([k, v]) => [k, String(v).slice(0, 300)]));
  const t = await i18nServer.getFixedT(request, "onboarding");
  const back = `/manage/institutions/${orgId}/labs/${labId}`;

  if (intent === "withdraw") {
    const invitationId = z.string().uuid().safeParse(form.get("invitationId"));
    const withdrawn = invitationId.success && (await withdrawInvitation({ organizationId: orgId, labId }, invitationId.data, { userId: viewer.id, ip: clientIp(request, context) }));
    if (!withdrawn) return data<ActionResult>({ intent, errors: { _form: "onboarding:invite.gone" }, values }, { status: 400 });
    return redirect(back, { headers: { "Set-Cookie": await flashNotice(request, t("invite.withdrawn")) } });
  }
  if (intent === "invite") {
    const parsed = parseForm(invitationSchema, form);
    if (!parsed.ok) return data<ActionResult>({ intent, errors: parsed.errors, values }, { status: 400 });
    const result = await inviteLabStaff(orgId, labId, { ...viewer, ip: clientIp(request, context) }, parsed.data.email, new URL(request.url).origin);
    if (!result.ok && "notFound" in result) throw notFound();
    if (!result.ok) return data<ActionResult>({ intent, errors: result.errors, values }, { status: 400 });
    return redirect(back, { headers: { "Set-Cookie": await flashNotice(request, t("invite.sent", { email: parsed.data.email })) } });
  }

  const parsed = parseForm(labSchema, form);
  if (!parsed.ok) return data<ActionResult>({ intent, errors: parsed.errors, values }, { status: 400 });
  if (!(await updateLab(orgId, labId, parsed.data, { userId: viewer.id, ip: clientIp(request, context) }))) throw notFound();
  return redirect(back, { headers: { "Set-Cookie": await flashNotice(request, t("lab.saved")) } });
}

export default function ManageLab() {
  const { t } = useTranslation("onboarding");
  const locale = useLocale();
  const { organizationId, lab, staff, invitations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  // A refused withdrawal is told where the invitations are listed.
  const inviteErrors = result?.intent === "invite" || result?.intent === "withdraw" ? result.errors : {};
  const updateResult = result?.intent === "update" ? result : undefined;
  return (
    <section className="section onboarding">
      <p>
        <Link to={`/manage/institutions/${organizationId}`}>← {t("lab.backToInstitution")}</Link>
      </p>
      <h1>{localName(lab, locale)}</h1>
      <p className="muted">
        <Link to={`/labs/${lab.slug}`}>{t("lab.publicPage")}</Link> · <Link to={`/manage/labs/${lab.id}`}>{t("lab.instruments")}</Link>
      </p>

      <h2>{t("lab.staff")}</h2>
      {staff.length === 0 ? (
        <p className="empty">{t("lab.noStaff")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("lab.staffName")}</th>
                <th scope="col">{t("field.contactEmail")}</th>
                <th scope="col">{t("lab.since")}</th>
              </tr>
            </thead>
            <tbody>
              {staff.map((s) => (
                <tr key={s.userId}>
                  <td>{s.displayName}</td>
                  <td>{s.email}</td>
                  <td>{formatDate(s.since, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <InvitationPanel
        invitations={invitations}
        title={t("invite.title")}
        lead={t("invite.lead")}
        errors={inviteErrors}
        email={result?.intent === "invite" ? result.values.email : undefined}
      />

      <LabForm
        title={t("lab.editTitle")}
        submitLabel={t("lab.save")}
        intent="update"
        errors={updateResult?.errors}
        values={updateResult?.values ?? lab}
      />
    </section>
  );
}
