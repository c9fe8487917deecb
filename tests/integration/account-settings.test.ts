import { and, eq, isNull } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog, emailTokens, users } from "../../db/schema";
import { createSessionFor, requestPasswordReset, resetPassword, signIn } from "../../app/accounts/auth.server";
import type { Database } from "../../app/lib/db.server";
import { resetRateLimits } from "../../app/lib/rate-limit.server";
import * as accountRoute from "../../app/routes/account";
import * as loginRoute from "../../app/routes/login";
import { deliverQueued, emailJobs, signedUpUser, TEST_PASSWORD, tokenFrom } from "../support/accounts";
import { useTestDatabase } from "../support/db";
import { callRoute, cookieHeader, formRequest, sessionCookie, sessionFrom } from "../support/requests";

/** The account page's own forms: the user's name, password and signed-in devices. */

let d: Database;
beforeAll(async () => {
  d = await useTestDatabase();
});
beforeEach(() => resetRateLimits());

const PASSWORD = TEST_PASSWORD;
const newUser = () => signedUpUser(d, "改名前");

const post = async (userId: string, fields: Record<string, string>, epoch?: number) =>
  callRoute(accountRoute.action, await formRequest("/account", fields, { userId, epoch }));

async function stored(userId: string) {
  const [row] = await d.db.select({ displayName: users.displayName, passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  return row!;
}

describe("the account page", () => {
  it("renames the user, trimmed, and says so", async () => {
    const { userId } = await newUser();
    const answer = await post(userId, { intent: "profile", displayName: "  王芳  " });
    expect(answer.status).toBe(302);
    expect(answer.headers.get("Location")).toBe("/account");
    expect((await sessionFrom(answer.headers)).notice).toBe("姓名已更新。");
    expect((await stored(userId)).displayName).toBe("王芳");
  });

  it("refuses an empty or overlong name at its field, keeping the old one", async () => {
    const { userId } = await newUser();
    for (const displayName of ["   ", "名".repeat(61)]) {
      const answer = await post(userId, { intent: "profile", displayName });
      expect(answer.status).toBe(400);
      expect(answer.data).toMatchObject({ intent: "profile", errors: { displayName: expect.any(String) } });
    }
    expect((await stored(userId)).displayName).toBe("改名前");
  });

  it("changes the password given the current one: the new one signs in, the old one no longer does, open reset links die", async () => {
    const { email, userId } = await newUser();
    await requestPasswordReset(email, "http://localhost");
    const answer = await post(userId, { intent: "password", currentPassword: PASSWORD, password: "Spectrometer2027" });
    expect(answer.status).toBe(302);
    expect((await sessionFrom(answer.headers)).notice).toBe("密码已修改，其他设备上的登录已退出。下次登录请使用新密码。");
    expect((await signIn({ email, password: "Spectrometer2027" })).ok).toBe(true);
    expect((await signIn({ email, password: PASSWORD })).ok).toBe(false);
    // The account's address is told, in case someone else changed it.
    const [notice] = (await deliverQueued(d, email)).filter((m) => m.template === "password-changed");
    expect(notice!.subject).toBe("您的 OpenLab 密码已修改");
    expect(notice!.text).toContain("忘记密码");
    const open = await d.db
      .select({ id: emailTokens.id })
      .from(emailTokens)
      .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, "reset_password"), isNull(emailTokens.usedAt)));
    expect(open).toEqual([]);
  });

  it("refuses a wrong current password, a weak or unchanged new one, each at its field, changing nothing", async () => {
    const { email, userId } = await newUser();
    const before = (await stored(userId)).passwordHash;
    const cases: [Record<string, string>, string, string][] = [
      [{ currentPassword: "Wrong-guess-1", password: "Spectrometer2027" }, "currentPassword", "accounts:password.wrongCurrent"],
      [{ currentPassword: PASSWORD, password: "short1" }, "password", "accounts:validation.passwordTooShort"],
      [{ currentPassword: PASSWORD, password: email }, "password", "accounts:validation.passwordIsEmail"],
      [{ currentPassword: PASSWORD, password: PASSWORD }, "password", "accounts:password.unchanged"],
      [{ currentPassword: "", password: "Spectrometer2027" }, "currentPassword", expect.any(String)],
    ];
    for (const [fields, field, message] of cases) {
      const answer = await post(userId, { intent: "password", ...fields });
      expect(answer.status).toBe(400);
      expect(answer.data).toMatchObject({ intent: "password", errors: { [field]: message } });
    }
    expect((await stored(userId)).passwordHash).toBe(before);
  });

  it("stops guessing the current password after the sign-in limit", async () => {
    const { userId } = await newUser();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await post(userId, { intent: "password", currentPassword: `Guess-${i}-wrong`, password: "Spectrometer2027" })).status);
    expect(statuses).toContain(429);
    // Even the right one is turned away until the limit has passed.
    expect((await post(userId, { intent: "password", currentPassword: PASSWORD, password: "Spectrometer2027" })).status).toBe(429);
  });

  it("refuses an unknown intent without touching anything", async () => {
    const { userId } = await newUser();
    const answer = await post(userId, { intent: "delete", displayName: "别人" });
    expect(answer.status).toBe(400);
    expect((await stored(userId)).displayName).toBe("改名前");
  });

  it("files each change to the account's security in the platform's audit log, with the address it came from", async () => {
    const { userId } = await newUser();
    const from = { "x-forwarded-for": "203.0.113.9" };
    await callRoute(accountRoute.action, await formRequest("/account", { intent: "password", currentPassword: PASSWORD, password: "Spectrometer2027" }, { userId, headers: from }));
    await callRoute(accountRoute.action, await formRequest("/account", { intent: "sessions" }, { userId, epoch: 1, headers: from }));
    const rows = await d.db
      .select({ action: auditLog.action, organizationId: auditLog.organizationId, actor: auditLog.actorUserId, entityType: auditLog.entityType, ip: auditLog.ip })
      .from(auditLog)
      .where(eq(auditLog.entityId, userId))
      .orderBy(auditLog.at);
    expect(rows).toEqual([
      { action: "account.password", organizationId: null, actor: userId, entityType: "user", ip: "203.0.113.9" },
      { action: "account.sessions", organizationId: null, actor: userId, entityType: "user", ip: "203.0.113.9" },
    ]);
  });

  describe("other devices", () => {
    /** The account page as a browser holding `cookie` opens it: 200, or 302 to sign in. */
    const open = async (cookie: string) => (await callRoute(accountRoute.loader, new Request("http://localhost/account", { headers: { Cookie: cookie } }))).status;
    const kept = (answer: { headers: Headers }) => cookieHeader(answer.headers.get("Set-Cookie")!);

    it("a password change signs out every other session and keeps this one", async () => {
      const { userId } = await newUser();
      const laptop = await sessionCookie({ userId });
      expect(await open(laptop)).toBe(200);
      const answer = await post(userId, { intent: "password", currentPassword: PASSWORD, password: "Spectrometer2027" });
      expect(answer.status).toBe(302);
      expect(await open(laptop)).toBe(302);
      expect(await open(kept(answer))).toBe(200);
      // The laptop is told why it must sign in again; a visitor who never signed in is not.
      const sentAway = await callRoute(accountRoute.loader, new Request("http://localhost/account", { headers: { Cookie: laptop } }));
      expect(sentAway.headers.get("Location")).toBe("/login?redirectTo=%2Faccount&ended=1");
      const stranger = await callRoute(accountRoute.loader, new Request("http://localhost/account"));
      expect(stranger.headers.get("Location")).toBe("/login?redirectTo=%2Faccount");
      const login = await callRoute(loginRoute.loader, new Request("http://localhost/login?redirectTo=%2Faccount&ended=1"));
      expect(login.data).toMatchObject({ ended: true, redirectTo: "/account" });
    });

    it("signs out all other devices on request, again and again, and says so", async () => {
      const { userId } = await newUser();
      const laptop = await sessionCookie({ userId });
      const first = await post(userId, { intent: "sessions" });
      expect(first.status).toBe(302);
      expect((await sessionFrom(first.headers)).notice).toBe("其他设备上的登录已全部退出。");
      expect(await open(laptop)).toBe(302);
      const phone = kept(first);
      expect(await open(phone)).toBe(200);
      // A device signed out cannot act for the account any more: it is sent to sign in.
      const stale = await post(userId, { intent: "sessions" });
      expect(stale.headers.get("Location")).toMatch(/^\/login/);
      expect(await open(phone)).toBe(200);
      // One signed in since (under epoch 1) ends the kept session in turn.
      const second = await post(userId, { intent: "sessions" }, 1);
      expect(second.headers.get("Location")).toBe("/account");
      expect(await open(phone)).toBe(302);
      expect(await open(kept(second))).toBe(200);
    });

    it("a password reset ends every session; signing in again starts a valid one", async () => {
      const { email, userId } = await newUser();
      const laptop = await sessionCookie({ userId });
      await requestPasswordReset(email, "http://localhost");
      const link = (await emailJobs(d, email)).find((j) => j.template === "reset-password")!.props.url;
      expect((await resetPassword({ token: tokenFrom(link, "/reset-password")!, password: "Spectrometer2027" })).ok).toBe(true);
      expect((await emailJobs(d, email)).map((j) => j.template)).toContain("password-changed");
      expect(await open(laptop)).toBe(302);
      const again = cookieHeader(await createSessionFor(new Request("http://localhost/login", { headers: { Cookie: laptop } }), userId));
      expect(await open(again)).toBe(200);
    });
  });
});
