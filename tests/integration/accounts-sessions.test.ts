import { and, eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { emailTokens } from "../../db/schema";
import { DEMO_PASSWORD } from "../../db/seed/data";
import { requestPasswordReset, resetPassword, signIn, signUp } from "../../app/accounts/auth.server";
import { getViewer } from "../../app/accounts/authz.server";
import { countStatements, type Database } from "../../app/lib/db.server";
import { resetRateLimits } from "../../app/lib/rate-limit.server";
import * as accountRoute from "../../app/routes/account";
import * as forgotRoute from "../../app/routes/forgot-password";
import * as loginRoute from "../../app/routes/login";
import * as logoutRoute from "../../app/routes/logout";
import * as outboxRoute from "../../app/routes/admin.outbox";
import * as outboxMessageRoute from "../../app/routes/admin.outbox.$id";
import * as resetRoute from "../../app/routes/reset-password";
import * as signupRoute from "../../app/routes/signup";
import { deliverQueued, emailJobs, newEmail, tokenFrom, userIdOf, usersWithEmail } from "../support/accounts";
import { useTestDatabase } from "../support/db";
import { callRoute, cookieHeader, formRequest, getRequest, sessionFrom } from "../support/requests";

/** Sign-in and out, password reset, CSRF, tampered sessions and the admin outbox. */

let d: Database;
beforeAll(async () => {
  d = await useTestDatabase();
});
beforeEach(() => resetRateLimits());

const context = { locale: "zh-CN" as const, origin: "http://localhost" };

describe("sign-in", () => {
  const demo = "customer@weina.openlab.test";

  it("signs in a demo user and honours a same-site redirectTo only", async () => {
    const userId = await userIdOf(d, demo);
    const answer = await callRoute(
      loginRoute.action,
      await formRequest("/login", { email: "Customer@Weina.openlab.test", password: DEMO_PASSWORD, redirectTo: "/instruments?q=NMR" }),
    );
    expect(answer.status).toBe(302);
    expect(answer.headers.get("Location")).toBe("/instruments?q=NMR");
    expect((await sessionFrom(answer.headers)).userId).toBe(userId);

    const offsite = await callRoute(loginRoute.action, await formRequest("/login", { email: demo, password: DEMO_PASSWORD, redirectTo: "//evil.example/x" }));
    expect(offsite.headers.get("Location")).toBe("/account");
  });

  it("gives the same generic error for a wrong password and an unknown address", async () => {
    const wrong = await callRoute(loginRoute.action, await formRequest("/login", { email: demo, password: "not-the-password-1" }));
    const unknown = await callRoute(loginRoute.action, await formRequest("/login", { email: newEmail(), password: DEMO_PASSWORD }));
    for (const answer of [wrong, unknown]) {
      expect(answer.status).toBe(400);
      expect(answer.data.errors).toEqual({ _form: "accounts:login.invalid" });
      expect(answer.headers.get("Set-Cookie")).toBeNull();
    }
  });

  it("lets an unverified user in", async () => {
    const email = newEmail();
    await signUp({ email, password: "Microscope2026", displayName: "未验证" }, context);
    expect(await signIn({ email, password: "Microscope2026" })).toEqual({ ok: true, userId: await userIdOf(d, email) });
  });

  it("answers 429 after five attempts for one address from one IP, even with the right password", async () => {
    const headers = { "X-Forwarded-For": "198.51.100.9" };
    for (let i = 0; i < 5; i++) {
      const answer = await callRoute(loginRoute.action, await formRequest("/login", { email: demo, password: `wrong-${i}-password` }, { headers }));
      expect(answer.status).toBe(400);
    }
    const blocked = await callRoute(loginRoute.action, await formRequest("/login", { email: demo, password: DEMO_PASSWORD }, { headers }));
    expect(blocked.status).toBe(429);
    expect(blocked.data.errors).toEqual({ _form: "accounts:rateLimited" });
    expect(blocked.headers.get("Set-Cookie")).toBeNull();
    // Another IP is not affected.
    const elsewhere = await callRoute(loginRoute.action, await formRequest("/login", { email: demo, password: DEMO_PASSWORD }, { headers: { "X-Forwarded-For": "198.51.100.10" } }));
    expect(elsewhere.status).toBe(302);
  });

  it("lets many people behind one office address sign in: only failed attempts count against the IP", async () => {
    const headers = { "X-Forwarded-For": "198.51.100.20" };
    for (let i = 0; i < 40; i++) {
      const answer = await callRoute(loginRoute.action, await formRequest("/login", { email: demo, password: DEMO_PASSWORD }, { headers }));
      expect(answer.status).toBe(302);
    }
  });

  it("signs out only by POST", async () => {
    const userId = await userIdOf(d, demo);
    const get = await callRoute(logoutRoute.loader, await getRequest("/logout", { userId }));
    expect(get.status).toBe(302);
    expect(get.headers.get("Set-Cookie")).toBeNull();
    const post = await callRoute(logoutRoute.action, await formRequest("/logout", {}, { userId }));
    expect(post.status).toBe(302);
    expect((await sessionFrom(post.headers)).userId).toBeUndefined();
  });
});
describe("password reset", () => {
  async function requestReset(email: string) {
    const answer = await callRoute(forgotRoute.action, await formRequest("/forgot-password", { email }));
    expect(answer.status).toBe(200);
    return answer;
  }

  it("answers the same for known and unknown addresses, and mails only the known one", async () => {
    const email = newEmail();
    await signUp({ email, password: "Microscope2026", displayName: "重置" }, context);
    const stranger = newEmail();
    const known = await requestReset(email);
    const unknown = await requestReset(stranger);
    expect(known.data).toEqual(unknown.data);
    expect(known.data).toEqual({ sent: true, errors: {} });
    expect((await emailJobs(d, email)).map((j) => j.template)).toEqual(["verify-email", "reset-password"]);
    expect(await emailJobs(d, stranger)).toHaveLength(0);
  });

  it("sets a new password once; the link cannot be used again", async () => {
    const email = newEmail();
    await signUp({ email, password: "Microscope2026", displayName: "重置" }, context);
    await requestReset(email);
    const messages = await deliverQueued(d, email);
    const reset = messages.find((m) => m.template === "reset-password")!;
    expect(reset.subject).toBe("重置您的 OpenLab 密码");
    const token = tokenFrom(reset.text, "http://localhost/reset-password")!;

    const page = await callRoute(resetRoute.loader, await getRequest(`/reset-password?token=${token}`));
    expect(page.data).toMatchObject({ token, problem: null });

    const weak = await callRoute(resetRoute.action, await formRequest("/reset-password", { token, password: "short" }));
    expect(weak.data.errors).toEqual({ password: "accounts:validation.passwordTooShort" });
    const sameAsEmail = await callRoute(resetRoute.action, await formRequest("/reset-password", { token, password: email }));
    expect(sameAsEmail.data.errors).toEqual({ password: "accounts:validation.passwordIsEmail" });

    const done = await callRoute(resetRoute.action, await formRequest("/reset-password", { token, password: "NewPassword2026" }));
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe("/login");
    expect((await sessionFrom(done.headers)).notice).toBe("密码已更新，请使用新密码登录。");
    expect((await signIn({ email, password: "NewPassword2026" })).ok).toBe(true);
    expect((await signIn({ email, password: "Microscope2026" })).ok).toBe(false);

    const again = await callRoute(resetRoute.action, await formRequest("/reset-password", { token, password: "ThirdPassword2026" }));
    expect(again.status).toBe(400);
    expect(again.data.errors).toEqual({ token: "accounts:link.used" });
    expect((await signIn({ email, password: "NewPassword2026" })).ok).toBe(true);
    const pageAgain = await callRoute(resetRoute.loader, await getRequest(`/reset-password?token=${token}`));
    expect(pageAgain).toMatchObject({ status: 400, data: { problem: "accounts:link.used", token: "" } });
  });

  it("refuses an expired link and leaves the password alone", async () => {
    const email = newEmail();
    await signUp({ email, password: "Microscope2026", displayName: "过期" }, context);
    await requestPasswordReset(email, "http://localhost");
    const token = tokenFrom((await emailJobs(d, email))[1].props.url, "/reset-password")!;
    const userId = await userIdOf(d, email);
    await d.db
      .update(emailTokens)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, "reset_password")));
    expect(await resetPassword({ token, password: "NewPassword2026" })).toEqual({ ok: false, errors: { token: "accounts:link.expired" } });
    expect((await signIn({ email, password: "Microscope2026" })).ok).toBe(true);
  });

  it("refuses a malformed token with the invalid-link page", async () => {
    const answer = await callRoute(resetRoute.action, await formRequest("/reset-password", { token: "../../etc/passwd", password: "NewPassword2026" }));
    expect(answer).toMatchObject({ status: 400, data: { errors: { token: "accounts:link.invalid" } } });
    const page = await callRoute(resetRoute.loader, await getRequest("/reset-password"));
    expect(page).toMatchObject({ status: 400, data: { problem: "accounts:link.invalid" } });
  });
});
describe("CSRF, sessions and the admin outbox", () => {
  it("refuses a POST without the CSRF token with 403 and writes nothing", async () => {
    const email = newEmail();
    const request = await formRequest("/signup", { email, password: "Microscope2026", displayName: "无令牌" }, { withoutCsrf: true });
    const answer = await callRoute(signupRoute.action, request);
    expect(answer.status).toBe(403);
    expect(await usersWithEmail(d, email)).toHaveLength(0);
    const wrongToken = await formRequest("/signup", { email, password: "Microscope2026", displayName: "错令牌", _csrf: "x".repeat(32) }, { withoutCsrf: true });
    expect((await callRoute(signupRoute.action, wrongToken)).status).toBe(403);
    expect(await usersWithEmail(d, email)).toHaveLength(0);
  });

  it("treats a tampered session cookie as anonymous", async () => {
    const userId = await userIdOf(d, "customer@weina.openlab.test");
    const request = await getRequest("/account", { userId });
    const cookie = request.headers.get("Cookie")!;
    const [name, value] = cookie.split("=");
    const flipped = value.slice(0, 5) + (value[5] === "A" ? "B" : "A") + value.slice(6);
    const tampered = new Request("http://localhost/account", { headers: { Cookie: `${name}=${flipped}` } });
    const answer = await callRoute(accountRoute.loader, tampered);
    expect(answer.status).toBe(302);
    expect(answer.headers.get("Location")).toBe("/login?redirectTo=%2Faccount");
    // The untouched cookie does sign the user in.
    expect((await callRoute(accountRoute.loader, request)).status).toBe(200);
  });

  it("shows the outbox to the platform admin only", async () => {
    const email = newEmail();
    await signUp({ email, password: "Microscope2026", displayName: "邮件" }, context);
    const [message] = await deliverQueued(d, email);
    const adminId = await userIdOf(d, "admin@openlab.test");
    const list = await callRoute(outboxRoute.loader, await getRequest("/admin/outbox", { userId: adminId }));
    expect(list.status).toBe(200);
    expect(list.data.messages.length).toBeLessThanOrEqual(100);
    expect(list.data.messages.some((m: { id: string }) => m.id === message.id)).toBe(true);

    const one = await callRoute(outboxMessageRoute.loader, await getRequest(`/admin/outbox/${message.id}`, { userId: adminId }), { id: message.id });
    expect(one.data.message.html).toContain("verify-email?token=");
    const missing = await callRoute(outboxMessageRoute.loader, await getRequest("/admin/outbox/nope", { userId: adminId }), { id: "nope" });
    expect(missing.status).toBe(404);

    const customerId = await userIdOf(d, "customer@weina.openlab.test");
    expect((await callRoute(outboxRoute.loader, await getRequest("/admin/outbox", { userId: customerId }))).status).toBe(403);
    expect((await callRoute(outboxRoute.loader, await getRequest("/admin/outbox"))).status).toBe(302);
  });

  it("keeps signed-in users off the sign-up page", async () => {
    const userId = await userIdOf(d, "customer@weina.openlab.test");
    const answer = await callRoute(signupRoute.loader, await getRequest("/signup", { userId }));
    expect(answer).toMatchObject({ status: 302 });
    expect(cookieHeader("a=b; Path=/")).toBe("a=b");
  });
});
describe("the viewer", () => {
  it("is the signed-in user with every membership, read in one statement", async () => {
    const staff = await userIdOf(d, "staff@zju.openlab.test");
    const [membership] = (await d.executeSql("select organization_id, lab_id from memberships where user_id = $1 and role = 'lab_staff'", [staff])).rows;
    const { result: viewer, statements } = await countStatements(async () => getViewer(await getRequest("/account", { userId: staff })));
    expect(statements).toBe(1);
    expect(viewer).toMatchObject({ id: staff, email: "staff@zju.openlab.test", emailVerified: true, isPlatformAdmin: false });
    expect(viewer!.memberships).toContainEqual({ organizationId: membership.organization_id, role: "lab_staff", labId: membership.lab_id });
    expect(await getViewer(await getRequest("/account"))).toBeNull();
  });
});
