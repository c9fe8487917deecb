import { verify } from "@node-rs/argon2";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { emailTokens, memberships, organizations, outbox, users } from "../../db/schema";
import { DEMO_PASSWORD, makeCreditCode } from "../../db/seed/data";
import { requestPasswordReset, resetPassword, signIn, signUp, verifyEmail } from "../../app/accounts/auth.server";
import type { Database } from "../../app/lib/db.server";
import { jobHandlers } from "../../app/lib/job-handlers.server";
import { resetRateLimits } from "../../app/lib/rate-limit.server";
import * as accountRoute from "../../app/routes/account";
import * as forgotRoute from "../../app/routes/forgot-password";
import * as loginRoute from "../../app/routes/login";
import * as logoutRoute from "../../app/routes/logout";
import * as outboxRoute from "../../app/routes/admin.outbox";
import * as outboxMessageRoute from "../../app/routes/admin.outbox.$id";
import * as resetRoute from "../../app/routes/reset-password";
import * as signupRoute from "../../app/routes/signup";
import * as verifyRoute from "../../app/routes/verify-email";
import { unique, useTestDatabase } from "../support/db";
import { callRoute, cookieHeader, formRequest, getRequest, sessionFrom } from "../support/requests";

let d: Database;
beforeAll(async () => {
  d = await useTestDatabase();
});
beforeEach(() => resetRateLimits());

const context = { locale: "zh-CN" as const, origin: "http://localhost" };
const newEmail = () => `user-${unique()}@example.com`;
let codeSeq = 0;
/** A valid credit code no other test (or the seed) uses. */
const newCreditCode = () => makeCreditCode("91", "440300", 60_000_000 + Math.floor(Math.random() * 30_000_000) + codeSeq++);

async function usersWithEmail(email: string) {
  return d.db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`);
}

/** The queued send-email jobs for an address, oldest first, straight from pg-boss's table. */
async function emailJobs(to: string): Promise<any[]> {
  const { rows } = await d.executeSql(
    "select data from pgboss.job where name = 'send-email' and data->>'to' = $1 order by created_on",
    [to],
  );
  return rows.map((r) => (typeof r.data === "string" ? JSON.parse(r.data) : r.data));
}

/** Runs the queued jobs the way the worker would and returns what landed in the outbox. */
async function deliverQueued(to: string) {
  for (const job of await emailJobs(to)) await jobHandlers["send-email"](job);
  return d.db.select().from(outbox).where(eq(outbox.toAddress, to)).orderBy(outbox.createdAt);
}

const tokenFrom = (text: string, path: string) => new RegExp(`${path}\\?token=([A-Za-z0-9_-]{43})`).exec(text)?.[1];

async function userIdOf(email: string) {
  const [user] = await usersWithEmail(email);
  return user.id;
}

describe("sign-up", () => {
  it("creates the user, the enterprise, both memberships, a token and the queued email together", async () => {
    const email = newEmail();
    const creditCode = newCreditCode();
    const result = await signUp(
      { email, password: "Microscope2026", displayName: "王丽", organizationName: "深圳纳米检测有限公司", creditCode },
      context,
    );
    expect(result.ok).toBe(true);
    const [user] = await usersWithEmail(email);
    expect(user.emailVerifiedAt).toBeNull();
    expect(user.passwordHash.startsWith("$argon2id$")).toBe(true);
    expect(await verify(user.passwordHash, "Microscope2026")).toBe(true);

    const [org] = await d.db.select().from(organizations).where(eq(organizations.creditCode, creditCode));
    expect(org).toMatchObject({ nameZh: "深圳纳米检测有限公司", type: "enterprise", verifiedAt: null });
    const roles = await d.db.select({ role: memberships.role, org: memberships.organizationId }).from(memberships).where(eq(memberships.userId, user.id));
    expect(roles.map((r) => r.role).sort()).toEqual(["customer", "org_admin"]);
    expect(roles.every((r) => r.org === org.id)).toBe(true);

    const tokens = await d.db.select().from(emailTokens).where(eq(emailTokens.userId, user.id));
    expect(tokens).toHaveLength(1);
    expect(tokens[0].purpose).toBe("verify_email");
    const hours = (tokens[0].expiresAt.getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(47.9);
    expect(hours).toBeLessThanOrEqual(48);

    const jobs = await emailJobs(email);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ template: "verify-email", locale: "zh-CN", to: email });
    // Only the hash is stored; the token itself travels in the email.
    const token = tokenFrom(jobs[0].props.url, "/verify-email")!;
    expect(tokens[0].tokenHash).not.toContain(token);
  });

  it("rolls everything back when the company part fails: the losing racer leaves no user behind", async () => {
    const creditCode = newCreditCode();
    const [a, b] = [newEmail(), newEmail()];
    const input = (email: string) => ({ email, password: "Microscope2026", displayName: "赛跑", organizationName: "同名公司", creditCode });
    const results = await Promise.all([signUp(input(a), context), signUp(input(b), context)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const loser = results.findIndex((r) => !r.ok);
    expect(results[loser]).toEqual({ ok: false, errors: { creditCode: "accounts:validation.creditCodeTaken" } });
    const loserEmail = loser === 0 ? a : b;
    expect(await usersWithEmail(loserEmail)).toHaveLength(0);
    expect(await emailJobs(loserEmail)).toHaveLength(0);
    expect(await d.db.select().from(organizations).where(eq(organizations.creditCode, creditCode))).toHaveLength(1);
  });

  it("through the route: signs the user in, flashes a notice and redirects to /account", async () => {
    const email = newEmail();
    const answer = await callRoute(
      signupRoute.action,
      await formRequest("/signup", { email, password: "Spectrometer1", displayName: "李雷", organizationName: "", creditCode: "" }),
    );
    expect(answer.status).toBe(302);
    expect(answer.headers.get("Location")).toBe("/account");
    const session = await sessionFrom(answer.headers);
    expect(session.userId).toBe(await userIdOf(email));
    expect(session.notice).toContain(email);
    expect(session.notice).toContain("验证邮件已发送");
    expect(await d.db.select().from(memberships).where(eq(memberships.userId, session.userId!))).toHaveLength(0);
  });

  it("refuses a taken email whatever its case, writing nothing", async () => {
    const email = newEmail();
    expect((await signUp({ email, password: "Microscope2026", displayName: "甲" }, context)).ok).toBe(true);
    const creditCode = newCreditCode();
    const answer = await callRoute(
      signupRoute.action,
      await formRequest("/signup", {
        email: email.toUpperCase(),
        password: "Microscope2027",
        displayName: "乙",
        organizationName: "乙公司",
        creditCode,
      }),
    );
    expect(answer.status).toBe(400);
    expect(answer.data.errors).toEqual({ email: "accounts:validation.emailTaken" });
    expect(answer.data.values.email).toBe(email.toUpperCase());
    expect(await usersWithEmail(email)).toHaveLength(1);
    expect(await d.db.select().from(organizations).where(eq(organizations.creditCode, creditCode))).toHaveLength(0);
    expect(await emailJobs(email)).toHaveLength(1);
  });

  it("refuses a malformed email and a weak password at their fields", async () => {
    const answer = await callRoute(
      signupRoute.action,
      await formRequest("/signup", { email: "wang@@example", password: "password", displayName: "王" }),
    );
    expect(answer.status).toBe(400);
    expect(answer.data.errors).toEqual({ email: "validation.email", password: "accounts:validation.passwordTooShort" });
    const digitsOnly = await callRoute(
      signupRoute.action,
      await formRequest("/signup", { email: newEmail(), password: "12345678901", displayName: "王" }),
    );
    expect(digitsOnly.data.errors).toEqual({ password: "accounts:validation.passwordLettersDigits" });
  });

  it("refuses a bad credit code at its field and creates no organisation", async () => {
    const email = newEmail();
    const good = newCreditCode();
    const bad = good.slice(0, 17) + (good[17] === "1" ? "2" : "1");
    const answer = await callRoute(
      signupRoute.action,
      await formRequest("/signup", { email, password: "Microscope2026", displayName: "王", organizationName: "错码公司", creditCode: bad }),
    );
    expect(answer.status).toBe(400);
    expect(answer.data.errors).toEqual({ creditCode: "accounts:validation.creditCode" });
    expect(await usersWithEmail(email)).toHaveLength(0);
    expect(await d.db.select().from(organizations).where(eq(organizations.nameZh, "错码公司"))).toHaveLength(0);
  });

  it("refuses a credit code another company registered", async () => {
    const [{ creditCode }] = await d.db.select({ creditCode: organizations.creditCode }).from(organizations).where(eq(organizations.slug, "weina"));
    const email = newEmail();
    const result = await signUp({ email, password: "Microscope2026", displayName: "王", organizationName: "冒名公司", creditCode: creditCode! }, context);
    expect(result).toEqual({ ok: false, errors: { creditCode: "accounts:validation.creditCodeTaken" } });
    expect(await usersWithEmail(email)).toHaveLength(0);
  });

  it("survives garbage form fields with field errors, not a 500", async () => {
    const body = new URLSearchParams([["email", "a@b.cn"], ["email", "c@d.cn"], ["password", "x".repeat(5000)], ["creditCode", "💥"]]);
    const request = await formRequest("/signup", Object.fromEntries(body));
    const answer = await callRoute(signupRoute.action, request);
    expect(answer.status).toBe(400);
    expect(answer.data.errors.password).toBe("accounts:validation.passwordTooLong");
    expect(answer.data.errors.displayName).toBe("validation.required");
  });

  it("stops the eleventh sign-up from one IP within the hour, writing nothing", async () => {
    const headers = { "X-Forwarded-For": "203.0.113.7" };
    for (let i = 0; i < 10; i++) {
      const answer = await callRoute(signupRoute.action, await formRequest("/signup", { email: "bad", password: "", displayName: "" }, { headers }));
      expect(answer.status).toBe(400);
    }
    // Invalid forms do not count; ten real attempts do.
    for (let i = 0; i < 10; i++) {
      await callRoute(signupRoute.action, await formRequest("/signup", { email: newEmail(), password: "Microscope2026", displayName: "限流" }, { headers }));
    }
    const email = newEmail();
    const answer = await callRoute(signupRoute.action, await formRequest("/signup", { email, password: "Microscope2026", displayName: "限流" }, { headers }));
    expect(answer.status).toBe(429);
    expect(answer.data.errors).toEqual({ _form: "accounts:rateLimited" });
    expect(await usersWithEmail(email)).toHaveLength(0);
  });
});

describe("email verification", () => {
  it("renders the queued email into the outbox once, with a link that verifies once", async () => {
    const email = newEmail();
    await signUp({ email, password: "Microscope2026", displayName: "周", organizationName: undefined, creditCode: undefined }, context);
    const [job] = await emailJobs(email);
    await jobHandlers["send-email"](job);
    const messages = await deliverQueued(email); // the retry of an already delivered job
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ subject: "请验证您的 OpenLab 邮箱", template: "verify-email", transport: "outbox", locale: "zh-CN" });
    expect(messages[0].html).toContain("OpenLab 开放实验室");
    const token = tokenFrom(messages[0].text, "http://localhost/verify-email")!;
    expect(token).toBeTruthy();

    const first = await callRoute(verifyRoute.loader, await getRequest(`/verify-email?token=${token}`));
    expect(first.status).toBe(200);
    expect(first.data.problem).toBeNull();
    const [user] = await usersWithEmail(email);
    expect(user.emailVerifiedAt).not.toBeNull();

    const second = await callRoute(verifyRoute.loader, await getRequest(`/verify-email?token=${token}`));
    expect(second.status).toBe(400);
    expect(second.data.problem).toBe("accounts:link.used");
    const [still] = await usersWithEmail(email);
    expect(still.emailVerifiedAt).toEqual(user.emailVerifiedAt);
  });

  it("refuses missing, malformed, unknown and expired tokens", async () => {
    for (const query of ["", "?token=", "?token=%00%27;drop", `?token=${"A".repeat(43)}`, "?token=a&token=b"]) {
      const answer = await callRoute(verifyRoute.loader, await getRequest(`/verify-email${query}`));
      expect(answer.status).toBe(400);
      expect(answer.data.problem).toBe("accounts:link.invalid");
    }
    const email = newEmail();
    await signUp({ email, password: "Microscope2026", displayName: "过期" }, context);
    const token = tokenFrom((await emailJobs(email))[0].props.url, "/verify-email")!;
    await d.db.update(emailTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(emailTokens.userId, await userIdOf(email)));
    expect(await verifyEmail(token)).toEqual({ ok: false, problem: "accounts:link.expired" });
  });

  it("writes the email in English for an English-speaking visitor", async () => {
    const email = newEmail();
    const request = await formRequest("/signup", { email, password: "Microscope2026", displayName: "Alice" }, { headers: { "Accept-Language": "en-GB,en;q=0.9" } });
    expect((await callRoute(signupRoute.action, request)).status).toBe(302);
    const [message] = await deliverQueued(email);
    expect(message).toMatchObject({ subject: "Verify your OpenLab email", locale: "en" });
    expect(message.text).toContain("Hello Alice");
  });

  it("sends a new link from the account page to an unverified user", async () => {
    const email = newEmail();
    await signUp({ email, password: "Microscope2026", displayName: "补发" }, context);
    const userId = await userIdOf(email);
    const page = await callRoute(accountRoute.loader, await getRequest("/account", { userId }));
    expect(page.status).toBe(200);
    expect(page.data.viewer).toMatchObject({ email, emailVerified: false });
    const answer = await callRoute(accountRoute.action, await formRequest("/account", {}, { userId }));
    expect(answer.status).toBe(302);
    expect((await sessionFrom(answer.headers)).notice).toContain(email);
    expect(await emailJobs(email)).toHaveLength(2);
  });
});

describe("sign-in", () => {
  const demo = "customer@weina.openlab.test";

  it("signs in a demo user and honours a same-site redirectTo only", async () => {
    const userId = await userIdOf(demo);
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
    expect(await signIn({ email, password: "Microscope2026" })).toEqual({ ok: true, userId: await userIdOf(email) });
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

  it("signs out only by POST", async () => {
    const userId = await userIdOf(demo);
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
    expect((await emailJobs(email)).map((j) => j.template)).toEqual(["verify-email", "reset-password"]);
    expect(await emailJobs(stranger)).toHaveLength(0);
  });

  it("sets a new password once; the link cannot be used again", async () => {
    const email = newEmail();
    await signUp({ email, password: "Microscope2026", displayName: "重置" }, context);
    await requestReset(email);
    const messages = await deliverQueued(email);
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
    const token = tokenFrom((await emailJobs(email))[1].props.url, "/reset-password")!;
    const userId = await userIdOf(email);
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
    expect(await usersWithEmail(email)).toHaveLength(0);
    const wrongToken = await formRequest("/signup", { email, password: "Microscope2026", displayName: "错令牌", _csrf: "x".repeat(32) }, { withoutCsrf: true });
    expect((await callRoute(signupRoute.action, wrongToken)).status).toBe(403);
    expect(await usersWithEmail(email)).toHaveLength(0);
  });

  it("treats a tampered session cookie as anonymous", async () => {
    const userId = await userIdOf("customer@weina.openlab.test");
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
    const [message] = await deliverQueued(email);
    const adminId = await userIdOf("admin@openlab.test");
    const list = await callRoute(outboxRoute.loader, await getRequest("/admin/outbox", { userId: adminId }));
    expect(list.status).toBe(200);
    expect(list.data.messages.length).toBeLessThanOrEqual(100);
    expect(list.data.messages.some((m: { id: string }) => m.id === message.id)).toBe(true);

    const one = await callRoute(outboxMessageRoute.loader, await getRequest(`/admin/outbox/${message.id}`, { userId: adminId }), { id: message.id });
    expect(one.data.message.html).toContain("verify-email?token=");
    const missing = await callRoute(outboxMessageRoute.loader, await getRequest("/admin/outbox/nope", { userId: adminId }), { id: "nope" });
    expect(missing.status).toBe(404);

    const customerId = await userIdOf("customer@weina.openlab.test");
    expect((await callRoute(outboxRoute.loader, await getRequest("/admin/outbox", { userId: customerId }))).status).toBe(403);
    expect((await callRoute(outboxRoute.loader, await getRequest("/admin/outbox"))).status).toBe(302);
  });

  it("keeps signed-in users off the sign-up page", async () => {
    const userId = await userIdOf("customer@weina.openlab.test");
    const answer = await callRoute(signupRoute.loader, await getRequest("/signup", { userId }));
    expect(answer).toMatchObject({ status: 302 });
    expect(cookieHeader("a=b; Path=/")).toBe("a=b");
  });
});
