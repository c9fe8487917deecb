import { and, eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog, invitations, memberships, users } from "../../db/schema";
import { signUp } from "../../app/accounts/auth.server";
import type { Database } from "../../app/lib/db.server";
import { renderEmail } from "../../app/lib/mail.server";
import { resetRateLimits } from "../../app/lib/rate-limit.server";
import * as invitationRoute from "../../app/routes/invitations.$token";
import * as membersRoute from "../../app/routes/organizations.$orgId.members";
import * as signupRoute from "../../app/routes/signup";
import { emailJobs, newCreditCode, newEmail, signedUpUser, TEST_PASSWORD, userIdOf } from "../support/accounts";
import { useTestDatabase } from "../support/db";
import { callRoute, formRequest, getRequest, sessionFrom } from "../support/requests";

/** A company's admin invites colleagues, who then book in its name, and removes those who left. */

let d: Database;
beforeAll(async () => {
  d = await useTestDatabase();
});
beforeEach(() => resetRateLimits());

/** A company signed up with its admin; returns the admin's id and the organisation's. */
async function company(name: string) {
  const email = newEmail();
  await signUp({ email, password: TEST_PASSWORD, displayName: `${name}管理员`, organizationName: name, creditCode: newCreditCode() }, { locale: "zh-CN", origin: "http://localhost" });
  const adminId = await userIdOf(d, email);
  const [m] = await d.db.select({ organizationId: memberships.organizationId }).from(memberships).where(eq(memberships.userId, adminId)).limit(1);
  return { adminId, orgId: m!.organizationId };
}

const post = async (orgId: string, userId: string, fields: Record<string, string>) =>
  callRoute(membersRoute.action, await formRequest(`/organizations/${orgId}/members`, fields, { userId }), { orgId });
const page = async (orgId: string, userId: string) => callRoute(membersRoute.loader, await getRequest(`/organizations/${orgId}/members`, { userId }), { orgId });
const rolesOf = async (userId: string, orgId: string) =>
  (await d.db.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.userId, userId), eq(memberships.organizationId, orgId)))).map((m) => m.role).sort();

describe("a company's members", () => {
  it("invites a colleague by email, who accepts with that address and becomes a customer", async () => {
    const { adminId, orgId } = await company("成员测试科技有限公司");
    const colleague = newEmail();
    const sent = await post(orgId, adminId, { intent: "invite", email: colleague.toUpperCase() });
    expect(sent.status).toBe(302);
    expect((await sessionFrom(sent.headers)).notice).toBe(`邀请已发送至 ${colleague}。`);
    const [job] = await emailJobs(d, colleague);
    expect(job).toMatchObject({ template: "member-invitation", props: { inviter: "成员测试科技有限公司管理员", organization: "成员测试科技有限公司" } });
    const [row] = await d.db.select().from(invitations).where(eq(invitations.email, colleague));
    expect(row).toMatchObject({ organizationId: orgId, role: "customer", labId: null, acceptedAt: null });
    expect((await page(orgId, adminId)).data.invitations.map((i: { email: string }) => i.email)).toEqual([colleague]);

    // A second invitation, to a mistyped address, is withdrawn and leaves the list.
    const typo = newEmail();
    expect((await post(orgId, adminId, { intent: "invite", email: typo })).status).toBe(302);
    const [mistyped] = await d.db.select({ id: invitations.id }).from(invitations).where(eq(invitations.email, typo));
    const withdrawn = await post(orgId, adminId, { intent: "withdraw", invitationId: mistyped!.id });
    expect(withdrawn.status).toBe(302);
    expect((await sessionFrom(withdrawn.headers)).notice).toBe("邀请已撤回，链接已失效。");
    expect((await page(orgId, adminId)).data.invitations.map((i: { email: string }) => i.email)).toEqual([colleague]);
    expect((await post(orgId, adminId, { intent: "withdraw", invitationId: mistyped!.id })).data.errors).toEqual({ _form: "onboarding:invite.gone" });
    // Its link says it was withdrawn, though the week it had is not over.
    const [typoJob] = await emailJobs(d, typo);
    const typoToken = /\/invitations\/([A-Za-z0-9_-]{43})$/.exec(typoJob!.props.url)![1]!;
    const shown = await callRoute(invitationRoute.loader, await getRequest(`/invitations/${typoToken}`), { token: typoToken });
    expect(shown).toMatchObject({ status: 400, data: { invitation: { ok: false, problem: "onboarding:invitation.withdrawn" } } });
    const [gone] = await d.db.select().from(invitations).where(eq(invitations.id, mistyped!.id));
    expect(gone!.withdrawnAt).toBeInstanceOf(Date);
    expect(gone!.expiresAt.getTime()).toBeGreaterThan(Date.now());

    // The colleague signs up with the invited address and accepts.
    await signUp({ email: colleague, password: TEST_PASSWORD, displayName: "新同事" }, { locale: "zh-CN", origin: "http://localhost" });
    const colleagueId = await userIdOf(d, colleague);
    const token = /\/invitations\/([A-Za-z0-9_-]{43})$/.exec(job.props.url)![1]!;
    const described = await callRoute(invitationRoute.loader, await getRequest(`/invitations/${token}`, { userId: colleagueId }), { token });
    expect(described.data.invitation).toMatchObject({ ok: true, role: "customer", lab: null, organization: { nameZh: "成员测试科技有限公司" } });
    const accepted = await callRoute(invitationRoute.action, await formRequest(`/invitations/${token}`, {}, { userId: colleagueId }), { token });
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("Location")).toBe("/instruments");
    expect(await rolesOf(colleagueId, orgId)).toEqual(["customer"]);
    const grants = await d.db.select().from(auditLog).where(and(eq(auditLog.action, "role.grant"), eq(auditLog.entityId, colleagueId)));
    expect(grants[0]).toMatchObject({ organizationId: orgId, after: { role: "customer", labId: null } });

    const listed = await page(orgId, adminId);
    expect(listed.data.members.map((m: { displayName: string; roles: string[] }) => [m.displayName, m.roles.sort()])).toEqual([
      ["成员测试科技有限公司管理员", ["customer", "org_admin"]],
      ["新同事", ["customer"]],
    ]);
    expect(listed.data.invitations).toEqual([]);

    // Inviting a member again is refused at the field, and nothing is sent.
    const again = await post(orgId, adminId, { intent: "invite", email: colleague });
    expect(again.status).toBe(400);
    expect(again.data).toEqual({ intent: "invite", errors: { email: "accounts:members.alreadyMember" }, email: colleague });
    expect((await emailJobs(d, colleague)).filter((j) => j.template === "member-invitation")).toHaveLength(1);
  });

  it("removes a member, not oneself or a stranger, and writes it to the audit log", async () => {
    const { adminId, orgId } = await company("移出测试科技有限公司");
    const { userId: memberId } = await signedUpUser(d, "将离职");
    await d.db.insert(memberships).values({ userId: memberId, organizationId: orgId, role: "customer" });
    const { userId: strangerId } = await signedUpUser(d, "外人");

    const self = await post(orgId, adminId, { intent: "remove", userId: adminId });
    expect(self.data).toEqual({ intent: "remove", errors: { _form: "accounts:members.notSelf" }, email: "" });
    const stranger = await post(orgId, adminId, { intent: "remove", userId: strangerId });
    expect(stranger.data.errors).toEqual({ _form: "accounts:members.notMember" });
    const malformed = await post(orgId, adminId, { intent: "remove", userId: "not-a-uuid" });
    expect(malformed.status).toBe(400);
    expect(await rolesOf(adminId, orgId)).toEqual(["customer", "org_admin"]);

    const removed = await post(orgId, adminId, { intent: "remove", userId: memberId });
    expect(removed.status).toBe(302);
    expect((await sessionFrom(removed.headers)).notice).toBe("已移出该成员，其原有预约和费用仍归本单位。");
    expect(await rolesOf(memberId, orgId)).toEqual([]);
    const [audit] = await d.db.select().from(auditLog).where(and(eq(auditLog.action, "role.revoke"), eq(auditLog.entityId, memberId)));
    expect(audit).toMatchObject({ actorUserId: adminId, organizationId: orgId, before: { roles: ["customer"] } });
  });

  it("makes a member a second admin who can manage members, and takes the role back; nobody demotes themselves", async () => {
    const { adminId, orgId } = await company("管理员测试科技有限公司");
    const { userId: memberId } = await signedUpUser(d, "新管理员");
    await d.db.insert(memberships).values({ userId: memberId, organizationId: orgId, role: "customer" });
    const { userId: strangerId } = await signedUpUser(d, "外人");
    // Before: a plain member may not open the page.
    expect((await page(orgId, memberId)).status).toBe(403);

    const promoted = await post(orgId, adminId, { intent: "promote", userId: memberId });
    expect(promoted.status).toBe(302);
    expect((await sessionFrom(promoted.headers)).notice).toBe("已设为机构管理员：可管理成员和邀请同事，并以本单位名义预约。");
    expect(await rolesOf(memberId, orgId)).toEqual(["customer", "org_admin"]);
    expect((await page(orgId, memberId)).status).toBe(200);
    // Promoting again changes nothing and writes nothing.
    expect((await sessionFrom((await post(orgId, adminId, { intent: "promote", userId: memberId })).headers)).notice).toBe("该成员已是此身份，未作更改。");

    // The new admin may not demote themselves, but may demote the first admin, who stays a customer.
    const selfDemote = await post(orgId, memberId, { intent: "demote", userId: memberId });
    expect(selfDemote.data.errors).toEqual({ _form: "accounts:members.notSelfAdmin" });
    expect(await rolesOf(memberId, orgId)).toEqual(["customer", "org_admin"]);
    expect((await post(orgId, memberId, { intent: "demote", userId: adminId })).status).toBe(302);
    expect(await rolesOf(adminId, orgId)).toEqual(["customer"]);
    expect((await page(orgId, adminId)).status).toBe(403);

    expect((await post(orgId, memberId, { intent: "promote", userId: strangerId })).data.errors).toEqual({ _form: "accounts:members.notMember" });
    expect(await rolesOf(strangerId, orgId)).toEqual([]);
    expect((await post(orgId, memberId, { intent: "promote", userId: "not-a-uuid" })).status).toBe(400);

    const audit = await d.db.select().from(auditLog).where(and(eq(auditLog.organizationId, orgId), eq(auditLog.entityType, "user")));
    expect(audit.map((a) => [a.action, a.entityId, a.before, a.after])).toEqual(
      expect.arrayContaining([
        ["role.grant", memberId, { roles: ["customer"] }, { roles: ["customer", "org_admin"] }],
        ["role.revoke", adminId, { roles: ["customer", "org_admin"] }, { roles: ["customer"] }],
      ]),
    );
    expect(audit.filter((a) => a.entityId === memberId && a.action === "role.grant")).toHaveLength(1);
  });

  it("keeps a demoted admin who held no customer role a member, as a customer", async () => {
    const { adminId, orgId } = await company("仅管理员测试科技有限公司");
    const { userId: onlyAdminId } = await signedUpUser(d, "只管不约");
    await d.db.insert(memberships).values({ userId: onlyAdminId, organizationId: orgId, role: "org_admin" });
    expect((await post(orgId, adminId, { intent: "demote", userId: onlyAdminId })).status).toBe(302);
    expect(await rolesOf(onlyAdminId, orgId)).toEqual(["customer"]);
  });

  it("signs the invitee up with the invited address and back to the invitation, never off the site", async () => {
    const page = await callRoute(signupRoute.loader, await getRequest("/signup?email=New.Colleague%40Example.com&redirectTo=%2Finvitations%2Fabc"));
    expect(page.data).toMatchObject({ email: "new.colleague@example.com", redirectTo: "/invitations/abc" });
    const junk = await callRoute(signupRoute.loader, await getRequest("/signup?email=not-an-address&redirectTo=%2F%2Fevil.example"));
    expect(junk.data).toMatchObject({ email: "", redirectTo: "/account" });
    const fields = (redirectTo: string) => ({ email: newEmail(), password: TEST_PASSWORD, displayName: "回到邀请", redirectTo });
    expect((await callRoute(signupRoute.action, await formRequest("/signup", fields("/invitations/abc")))).headers.get("Location")).toBe("/invitations/abc");
    expect((await callRoute(signupRoute.action, await formRequest("/signup", fields("https://evil.example/")))).headers.get("Location")).toBe("/account");
  });

  it("renders the invitation mail in both languages, with its single link", async () => {
    const props = { inviter: "刘洋", organization: "Weina Tech", url: "http://localhost/invitations/abc" };
    const zh = await renderEmail("member-invitation", "zh-CN", { ...props, organization: "杭州微纳科技有限公司" });
    expect(zh.subject).toBe("邀请您加入 OpenLab 上的单位");
    expect(zh.text).toContain("刘洋 邀请您加入杭州微纳科技有限公司");
    const en = await renderEmail("member-invitation", "en", props);
    expect(en.subject).toBe("You are invited to join an organisation on OpenLab");
    expect(en.text).toContain("刘洋 invites you to join Weina Tech on OpenLab");
    expect(en.html).toContain('href="http://localhost/invitations/abc"');
  });

  it("lets an institution admin invite the institution's own researchers to book elsewhere as its customers", async () => {
    const [admin] = await d.db
      .select({ userId: memberships.userId, orgId: memberships.organizationId })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(users.email, "inst-admin@zju.openlab.test"), eq(memberships.role, "institution_admin")));
    const researcher = newEmail();
    expect((await post(admin!.orgId, admin!.userId, { intent: "invite", email: researcher })).status).toBe(302);
    const [row] = await d.db.select().from(invitations).where(eq(invitations.email, researcher));
    expect(row).toMatchObject({ organizationId: admin!.orgId, role: "customer", labId: null });
  });

  it("answers only the organisation's own admins", async () => {
    const { orgId } = await company("甲公司");
    const { adminId: otherAdmin } = await company("乙公司");
    const { userId: customerId } = await signedUpUser(d, "甲公司用户");
    await d.db.insert(memberships).values({ userId: customerId, organizationId: orgId, role: "customer" });
    for (const userId of [otherAdmin, customerId]) {
      expect((await page(orgId, userId)).status).toBe(403);
      expect((await post(orgId, userId, { intent: "invite", email: newEmail() })).status).toBe(403);
    }
    expect(await d.db.select().from(invitations).where(eq(invitations.organizationId, orgId))).toEqual([]);
  });
});
