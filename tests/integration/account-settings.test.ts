import { and, eq, isNull } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { emailTokens, users } from "../../db/schema";
import { requestPasswordReset, signIn, signUp } from "../../app/accounts/auth.server";
import type { Database } from "../../app/lib/db.server";
import { resetRateLimits } from "../../app/lib/rate-limit.server";
import * as accountRoute from "../../app/routes/account";
import { newEmail, userIdOf } from "../support/accounts";
import { useTestDatabase } from "../support/db";
import { callRoute, formRequest, sessionFrom } from "../support/requests";

/** The account page's own forms: the user's name and password. */

let d: Database;
beforeAll(async () => {
  d = await useTestDatabase();
});
beforeEach(() => resetRateLimits());

const PASSWORD = "Microscope2026";

async function newUser() {
  const email = newEmail();
  await signUp({ email, password: PASSWORD, displayName: "改名前" }, { locale: "zh-CN", origin: "http://localhost" });
  return { email, userId: await userIdOf(d, email) };
}

const post = async (userId: string, fields: Record<string, string>) => callRoute(accountRoute.action, await formRequest("/account", fields, { userId }));

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
    expect((await sessionFrom(answer.headers)).notice).toBe("密码已修改，下次登录请使用新密码。");
    expect((await signIn({ email, password: "Spectrometer2027" })).ok).toBe(true);
    expect((await signIn({ email, password: PASSWORD })).ok).toBe(false);
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
});
