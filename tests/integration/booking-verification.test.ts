import { randomUUID } from "node:crypto";
import { arrayContains, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { bookings, instruments, memberships, organizations, users } from "../../db/schema";
import { cellsOf } from "../../app/booking/week-cells";
import { instrumentWeek, parseDateParam } from "../../app/booking/week.server";
import type { Database } from "../../app/lib/db.server";
import * as book from "../../app/routes/instruments.$slug_.book";
import * as samples from "../../app/routes/instruments.$slug_.samples";
import { saveVerificationSettings } from "../../app/trust/verifications.server";
import { bookableInstrument, newUsers } from "../support/booking";
import { useTestDatabase } from "../support/db";
import { callRoute, formRequest } from "../support/requests";

// The rule is platform-wide: this file has a database of its own, so no other file books under it.
let d: Database;
beforeAll(async () => {
  d = await useTestDatabase({ isolated: true });
});

describe("the platform's verification rule on the booking and sample-job forms", () => {
  it("refuses an unverified organisation's first booking while it holds, and books once it is lifted", async () => {
    const [userId] = await newUsers(d, 1);
    const [organization] = await d.db
      .insert(organizations)
      .values({ slug: `new-${userId!.slice(0, 8)}`, nameZh: "新成立的公司", nameEn: "A new company", type: "enterprise", isSme: true })
      .returning({ id: organizations.id });
    await d.db.insert(memberships).values({ userId: userId!, organizationId: organization!.id, role: "customer" });
    const [{ slug }] = await d.db.select({ slug: instruments.slug }).from(instruments).where(eq(instruments.id, await bookableInstrument(d)));
    const date = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    const week = (await instrumentWeek(slug, parseDateParam(date), new Date()))!;
    const [slot] = week.days.flatMap((day) => cellsOf(day.free, week.slotMinutes, week.defaultMinutes).flatMap((c) => (c.slotEnd ? [{ start: c.start, end: c.slotEnd }] : [])));
    const request = async () =>
      callRoute(book.action, await formRequest(`/instruments/${slug}/book`, { ...slot!, purpose: "首次送测", projectReference: "", serviceMode: "" }, { userId: userId! }), { slug });
    const [admin] = await d.db.select({ id: users.id }).from(users).where(eq(users.email, "admin@openlab.test"));
    const actor = { userId: admin!.id, ip: null };

    await saveVerificationSettings({ requireBeforeFirstBooking: true }, actor);
    const refused = await request();
    expect(refused.status).toBe(403);
    expect(refused.data).toMatchObject({ formError: "verification:refusal.firstBooking", unverified: organization!.id });
    expect(await d.db.select().from(bookings).where(eq(bookings.organizationId, organization!.id))).toEqual([]);

    // The sample-job form answers to the same rule.
    const [takesSamples] = await d.db.select({ slug: instruments.slug }).from(instruments).where(arrayContains(instruments.serviceModes, ["sample_submission"])).limit(1);
    const sampleJob = await callRoute(
      samples.action,
      await formRequest(
        `/instruments/${takesSamples!.slug}/samples`,
        { requestKey: randomUUID(), purpose: "首次送测", remains: "return", lines: "1", "samples.0.name": "涂层样品", "samples.0.count": "2", "samples.0.requiredTests": "SEM 形貌" },
        { userId: userId! },
      ),
      { slug: takesSamples!.slug },
    );
    expect(sampleJob.status).toBe(403);
    expect(sampleJob.data).toMatchObject({ formError: "verification:refusal.firstBooking", unverified: organization!.id });
    expect(await d.db.select().from(bookings).where(eq(bookings.organizationId, organization!.id))).toEqual([]);

    await saveVerificationSettings({ requireBeforeFirstBooking: false }, actor);
    expect((await request()).status).toBe(302);
  });
});
