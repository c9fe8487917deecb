import { and, eq, isNull } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog, emailTokens, users } from "../../db/schema";
import { confirmEmailChange, requestPasswordReset, signIn, signUp } from "../../app/accounts/auth.server";
import type { Database } from "../../app/lib/db.server";
import { resetRateLimits } from "../../app/lib/rate-limit.server";
import * as accountRoute from "../../app/routes/account";
import * as confirmRoute from "../../app/routes/confirm-email";
import { deliverQueued, emailJobs, newEmail, signedUpUser, TEST_PASSWORD, tokenFrom } from "../support/accounts";
import { useTestDatabase } from "../support/db";
import { callRoute, formRequest, getRequest, sessionFrom } from "../support/requests";

/** Changing the account's email address: a link to the new one, then the change and a notice to the old one. */

let d: Database;
beforeAll(async () => {
  d = await useTestDatabase();
});
beforeEach(() => resetRateLimits());

const PASSWORD = TEST_PASSWORD;
const newUser = () => signedUpUser(d, "换邮箱");

const ask = async (userId: string, fields: Record<string, string>) =>
  callRoute(accountRoute.action, await formRequest("/account", { intent: "email", ...fields }, { userId }));

async function addressOf(userId: string) {
  const [row] = await d.db.select({ email: users.email, verified: users.emailVerifiedAt }).from(users).where(eq(users.id, userId));
  return row!;
}

/** The confirmation link's token from the message delivered to the new address. */
async function confirmationToken(to: string) {
  const [message] = (await deliverQueued(d, to)).filter((m) => m.template === "change-email");
  expect(message!.subject).toBe("确认您的 OpenLab 新邮箱");
  return tokenFrom(message!.text, "http://localhost/confirm-email")!;
}

const openLink = async (token: string) => callRoute(confirmRoute.loader, await getRequest(`/confirm-email?token=${token}`));

describe("changing the email address", () => {
  it("keeps the address until the link from the new one is opened; then signs in with it, tells the old one, kills old links", async () => {
    const { email, userId } = await newUser();
    const next = newEmail().toUpperCase();
    await requestPasswordReset(email, "http://localhost");

    const answer = await ask(userId, { email: next, currentPassword: PASSWORD });
    expect(answer.status).toBe(302);
    expect((await sessionFrom(answer.headers)).notice).toBe(`确认邮件已发送至 ${next.toLowerCase()}，请在 24 小时内点击其中的链接。`);
    expect((await addressOf(userId)).email).toBe(email);

    const token = await confirmationToken(next.toLowerCase());
    const page = await openLink(token);
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({ problem: null, email: next.toLowerCase() });
    const after = await addressOf(userId);
    expect(after.email).toBe(next.toLowerCase());
    expect(after.verified).not.toBeNull();

    expect((await signIn({ email: next.toLowerCase(), password: PASSWORD })).ok).toBe(true);
    expect((await signIn({ email, password: PASSWORD })).ok).toBe(false);
    const [notice] = (await deliverQueued(d, email)).filter((m) => m.template === "email-changed");
    expect(notice!.subject).toBe("您的 OpenLab 账户邮箱已修改");
    expect(notice!.text).toContain(next.toLowerCase());
    // The reset link sent to the old mailbox no longer reaches the account.
    const open = await d.db
      .select({ id: emailTokens.id })
      .from(emailTokens)
      .where(and(eq(emailTokens.userId, userId), isNull(emailTokens.usedAt)));
    expect(open).toEqual([]);

    const [filed] = await d.db.select().from(auditLog).where(and(eq(auditLog.entityId, userId), eq(auditLog.action, "account.email")));
    expect(filed).toMatchObject({ actorUserId: userId, organizationId: null, before: { email }, after: { email: next.toLowerCase() } });

    const again = await openLink(token);
    expect(again.status).toBe(400);
    expect(again.data.problem).toBe("accounts:link.used");
  });

  it("refuses a wrong password, the same address, one taken, or no address, at the field, sending nothing", async () => {
    const { email, userId } = await newUser();
    const { email: taken } = await newUser();
    const fresh = newEmail();
    const cases: [Record<string, string>, string, string][] = [
      [{ email: fresh, currentPassword: "Wrong-guess-1" }, "currentPassword", "accounts:password.wrongCurrent"],
      [{ email: email.toUpperCase(), currentPassword: PASSWORD }, "email", "accounts:changeEmail.unchanged"],
      [{ email: taken, currentPassword: PASSWORD }, "email", "accounts:changeEmail.taken"],
      [{ email: "not-an-address", currentPassword: PASSWORD }, "email", expect.any(String)],
      [{ email: fresh, currentPassword: "" }, "currentPassword", expect.any(String)],
    ];
    for (const [fields, field, message] of cases) {
      const answer = await ask(userId, fields);
      expect(answer.status).toBe(400);
      expect(answer.data).toMatchObject({ intent: "email", errors: { [field]: message } });
    }
    expect(await emailJobs(d, fresh)).toEqual([]);
    const links = await d.db.select({ id: emailTokens.id }).from(emailTokens).where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, "change_email")));
    expect(links).toEqual([]);
    expect((await addressOf(userId)).email).toBe(email);
  });

  it("refuses the link when the address was taken meanwhile, and a link that is not one", async () => {
    const { email, userId } = await newUser();
    const next = newEmail();
    await ask(userId, { email: next, currentPassword: PASSWORD });
    const token = await confirmationToken(next);
    await signUp({ email: next, password: PASSWORD, displayName: "抢先" }, { locale: "zh-CN", origin: "http://localhost" });

    const page = await openLink(token);
    expect(page.status).toBe(400);
    expect(page.data.problem).toBe("accounts:changeEmail.taken");
    expect((await addressOf(userId)).email).toBe(email);

    expect(await confirmEmailChange("../../etc/passwd")).toEqual({ ok: false, problem: "accounts:link.invalid" });
    expect((await openLink("A".repeat(43))).data.problem).toBe("accounts:link.invalid");
  });

  it("refuses an expired link", async () => {
    const { userId } = await newUser();
    const next = newEmail();
    await ask(userId, { email: next, currentPassword: PASSWORD });
    const token = await confirmationToken(next);
    await d.db.update(emailTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(emailTokens.userId, userId));
    const page = await openLink(token);
    expect(page.data.problem).toBe("accounts:link.expired");
  });
});
