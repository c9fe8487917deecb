import { and, eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog, instruments, memberships, organizations, users } from "../../db/schema";
import type { Database } from "../../app/lib/db.server";
import { resetRateLimits } from "../../app/lib/rate-limit.server";
import * as accountRoute from "../../app/routes/account";
import * as book from "../../app/routes/instruments.$slug_.book";
import * as samples from "../../app/routes/instruments.$slug_.samples";
import { newCreditCode, signedUpUser } from "../support/accounts";
import { bookableInstrument } from "../support/booking";
import { useTestDatabase } from "../support/db";
import { callRoute, formRequest, getRequest, sessionFrom } from "../support/requests";

/** A user who signed up without a company: told why they cannot book, and registering it from the account page. */

let d: Database;
let slug: string;
beforeAll(async () => {
  d = await useTestDatabase();
  [{ slug }] = await d.db.select({ slug: instruments.slug }).from(instruments).where(eq(instruments.id, await bookableInstrument(d)));
});
beforeEach(() => resetRateLimits());

const register = async (userId: string, fields: Record<string, string>) =>
  callRoute(accountRoute.action, await formRequest("/account", { intent: "company", ...fields }, { userId }));

/** What the booking and sample forms answer the user, as the error page reads it; past the refusal, whatever else they answer. */
async function refusals(userId: string) {
  const answers = await Promise.all([
    callRoute(book.loader, await getRequest(`/instruments/${slug}/book`, { userId }), { slug }),
    callRoute(samples.loader, await getRequest(`/instruments/${slug}/samples`, { userId }), { slug }),
  ]);
  return answers.map((a) => (a.status === 403 ? (a.data as { refusal: string }).refusal : "allowed"));
}

const membershipsOf = (userId: string) =>
  d.db.select({ role: memberships.role, organizationId: memberships.organizationId }).from(memberships).where(eq(memberships.userId, userId));

describe("registering a company after sign-up", () => {
  it("says why booking is refused, registers the company with the user as its admin, then asks only for the verified address", async () => {
    const { userId } = await signedUpUser(d, "晚登记");
    expect(await refusals(userId)).toEqual(["joinOrganization", "joinOrganization"]);

    const creditCode = newCreditCode();
    const answer = await register(userId, { organizationName: "  杭州晚登记科技有限公司 ", creditCode: creditCode.toLowerCase() });
    expect(answer.status).toBe(302);
    expect(answer.headers.get("Location")).toBe("/account");
    expect((await sessionFrom(answer.headers)).notice).toBe("已登记企业“杭州晚登记科技有限公司”，您现在是该企业的机构管理员。");

    const [org] = await d.db.select().from(organizations).where(eq(organizations.creditCode, creditCode));
    expect(org).toMatchObject({ nameZh: "杭州晚登记科技有限公司", type: "enterprise", verifiedAt: null });
    expect((await membershipsOf(userId)).map((m) => m.role).sort()).toEqual(["customer", "org_admin"]);
    expect((await membershipsOf(userId)).every((m) => m.organizationId === org!.id)).toBe(true);
    const audit = await d.db.select().from(auditLog).where(and(eq(auditLog.action, "organization.register"), eq(auditLog.entityId, org!.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorUserId: userId, organizationId: org!.id, entityType: "organization" });

    // The address is still unverified: that is the one thing left, and then the forms open.
    expect(await refusals(userId)).toEqual(["verifyEmail", "verifyEmail"]);
    await d.db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, userId));
    expect(await refusals(userId)).toEqual(["allowed", "allowed"]);
  });

  it("refuses missing fields, an invalid code and a code already registered, each at its field, creating nothing", async () => {
    const { userId } = await signedUpUser(d, "被拒绝");
    const [taken] = await d.db.select({ creditCode: organizations.creditCode }).from(organizations).where(eq(organizations.type, "enterprise")).limit(1);
    const cases: [Record<string, string>, Record<string, string>][] = [
      [{ organizationName: "", creditCode: "" }, { organizationName: "validation.required", creditCode: "validation.required" }],
      [{ organizationName: "某公司", creditCode: "91330100MA2ABCDE1X" }, { creditCode: "accounts:validation.creditCode" }],
      [{ organizationName: "某公司", creditCode: taken!.creditCode! }, { creditCode: "accounts:validation.creditCodeTaken" }],
    ];
    for (const [fields, errors] of cases) {
      const answer = await register(userId, fields);
      expect(answer.status).toBe(400);
      expect(answer.data).toEqual({ intent: "company", errors });
    }
    expect(await membershipsOf(userId)).toEqual([]);
    expect(await refusals(userId)).toEqual(["joinOrganization", "joinOrganization"]);
  });
});
