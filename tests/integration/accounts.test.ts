import { verify } from "@node-rs/argon2";
import { eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { emailTokens, memberships, organizations, outbox } from "../../db/schema";
import { signUp, verifyEmail } from "../../app/accounts/auth.server";
import type { Database } from "../../app/lib/db.server";
import { jobHandlers } from "../../app/lib/job-handlers.server";
import { startWorkers, stopJobs } from "../../app/lib/jobs.server";
import { resetRateLimits } from "../../app/lib/rate-limit.server";
import * as accountRoute from "../../app/routes/account";
import * as signupRoute from "../../app/routes/signup";
import * as verifyRoute from "../../app/routes/verify-email";
import {
  deliverQueued,
  emailJobs,
  newCreditCode,
  newEmail,
  tokenFrom,
  userIdOf,
  usersWithEmail,
} from "../support/accounts";
import { useTestDatabase } from "../support/db";
import { callRoute, formRequest, getRequest, sessionFrom } from "../support/requests";

/** Sign-up and email verification; sign-in, reset, CSRF and sessions are in accounts-sessions.test.ts. */

let d: Database;
beforeAll(async () => {
  d = await useTestDatabase();
});
beforeEach(() => resetRateLimits());

const context = { locale: "zh-CN" as const, origin: "http://localhost" };

describe("the send-email queue", () => {
  // First in the file: workers take one job per poll, so a backlog from later tests would slow this down.
  it("delivers queued mail through the pg-boss worker without anyone calling the handler", async () => {
    await startWorkers(jobHandlers);
    const email = newEmail();
    await signUp({ email, password: "Microscope2026", displayName: "队列" }, context);
    const deadline = Date.now() + 30_000;
    let rows: (typeof outbox.$inferSelect)[] = [];
    while (rows.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      rows = await d.db.select().from(outbox).where(eq(outbox.toAddress, email));
    }
    // The other tests run the handler themselves, deterministically.
    await stopJobs();
    expect(rows).toHaveLength(1);
    expect(rows[0].subject).toBe("请验证您的 OpenLab 邮箱");
  });
});
describe("sign-up", () => {
  it("creates the user, the enterprise, both memberships, a token and the queued email together", async () => {
    const email = newEmail();
    const creditCode = newCreditCode();
    const result = await signUp(
      { email, password: "Microscope2026", displayName: "王丽", organizationName: "深圳纳米检测有限公司", creditCode },
      context,
    );
    expect(result.ok).toBe(true);
    const [user] = await usersWithEmail(d, email);
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

    const jobs = await emailJobs(d, email);
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
    expect(await usersWithEmail(d, loserEmail)).toHaveLength(0);
    expect(await emailJobs(d, loserEmail)).toHaveLength(0);
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
    expect(session.userId).toBe(await userIdOf(d, email));
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
    expect(await usersWithEmail(d, email)).toHaveLength(1);
    expect(await d.db.select().from(organizations).where(eq(organizations.creditCode, creditCode))).toHaveLength(0);
    expect(await emailJobs(d, email)).toHaveLength(1);
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
    expect(await usersWithEmail(d, email)).toHaveLength(0);
    expect(await d.db.select().from(organizations).where(eq(organizations.nameZh, "错码公司"))).toHaveLength(0);
  });

  it("refuses a credit code another company registered", async () => {
    const [{ creditCode }] = await d.db.select({ creditCode: organizations.creditCode }).from(organizations).where(eq(organizations.slug, "weina"));
    const email = newEmail();
    const result = await signUp({ email, password: "Microscope2026", displayName: "王", organizationName: "冒名公司", creditCode: creditCode! }, context);
    expect(result).toEqual({ ok: false, errors: { creditCode: "accounts:validation.creditCodeTaken" } });
    expect(await usersWithEmail(d, email)).toHaveLength(0);
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
    expect(await usersWithEmail(d, email)).toHaveLength(0);
  });
});
describe("email verification", () => {
  it("renders the queued email into the outbox once, with a link that verifies once", async () => {
    const email = newEmail();
    await signUp({ email, password: "Microscope2026", displayName: "周", organizationName: undefined, creditCode: undefined }, context);
    const [job] = await emailJobs(d, email);
    await jobHandlers["send-email"](job);
    const messages = await deliverQueued(d, email); // the retry of an already delivered job
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ subject: "请验证您的 OpenLab 邮箱", template: "verify-email", transport: "outbox", locale: "zh-CN" });
    expect(messages[0].html).toContain("OpenLab 开放实验室");
    const token = tokenFrom(messages[0].text, "http://localhost/verify-email")!;
    expect(token).toBeTruthy();

    const first = await callRoute(verifyRoute.loader, await getRequest(`/verify-email?token=${token}`));
    expect(first.status).toBe(200);
    expect(first.data.problem).toBeNull();
    const [user] = await usersWithEmail(d, email);
    expect(user.emailVerifiedAt).not.toBeNull();

    const second = await callRoute(verifyRoute.loader, await getRequest(`/verify-email?token=${token}`));
    expect(second.status).toBe(400);
    expect(second.data.problem).toBe("accounts:link.used");
    const [still] = await usersWithEmail(d, email);
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
    const token = tokenFrom((await emailJobs(d, email))[0].props.url, "/verify-email")!;
    await d.db.update(emailTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(emailTokens.userId, await userIdOf(d, email)));
    expect(await verifyEmail(token)).toEqual({ ok: false, problem: "accounts:link.expired" });
  });

  it("writes the email in English for an English-speaking visitor", async () => {
    const email = newEmail();
    const request = await formRequest("/signup", { email, password: "Microscope2026", displayName: "Alice" }, { headers: { "Accept-Language": "en-GB,en;q=0.9" } });
    expect((await callRoute(signupRoute.action, request)).status).toBe(302);
    const [message] = await deliverQueued(d, email);
    expect(message).toMatchObject({ subject: "Verify your OpenLab email", locale: "en" });
    expect(message.text).toContain("Hello Alice");
  });

  it("sends a new link from the account page to an unverified user", async () => {
    const email = newEmail();
    await signUp({ email, password: "Microscope2026", displayName: "补发" }, context);
    const userId = await userIdOf(d, email);
    const page = await callRoute(accountRoute.loader, await getRequest("/account", { userId }));
    expect(page.status).toBe(200);
    expect(page.data.viewer).toMatchObject({ email, emailVerified: false });
    const answer = await callRoute(accountRoute.action, await formRequest("/account", { intent: "resend" }, { userId }));
    expect(answer.status).toBe(302);
    expect((await sessionFrom(answer.headers)).notice).toContain(email);
    expect(await emailJobs(d, email)).toHaveLength(2);
  });
});