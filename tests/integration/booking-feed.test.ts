import { eq } from "drizzle-orm";
import ical from "node-ical";
import { beforeAll, describe, expect, it } from "vitest";
import { closures, instruments } from "../../db/schema";
import { requestSlot } from "../../app/booking/bookings.server";
import { instrumentBusyFeed } from "../../app/booking/calendar-feed.server";
import type { Database } from "../../app/lib/db.server";
import * as feedRoute from "../../app/routes/instruments.$slug_.busy[.]ics";
import { at, bookableInstrument, demoCustomer } from "../support/booking";
import { useTestDatabase } from "../support/db";
import { callRoute, getRequest } from "../support/requests";

let d: Database;
beforeAll(async () => {
  d = await useTestDatabase();
});

const NOW = at("2026-03-02 08:00");

async function slugOf(id: string) {
  const [row] = await d.db.select({ slug: instruments.slug }).from(instruments).where(eq(instruments.id, id));
  return row!.slug;
}

describe("public busy/free feed", () => {
  it("lists booked and closed times as opaque events, with no personal data, and parses as iCalendar", async () => {
    const id = await bookableInstrument(d);
    const customer = await demoCustomer(d);
    const booked = await requestSlot(
      { instrumentId: id, ...customer, start: at("2026-03-04 09:00"), end: at("2026-03-04 10:00"), purpose: "机密项目 X-17 的样品观察" },
      NOW,
    );
    expect(booked.ok).toBe(true);
    await d.db.insert(closures).values({
      instrumentId: id,
      period: { start: at("2026-03-05 08:30"), end: at("2026-03-05 12:00") },
      kind: "maintenance",
      reason: "更换灯丝",
    });

    const text = (await instrumentBusyFeed(await slugOf(id), NOW, "https://openlab.example"))!;
    expect(text).not.toContain("机密项目");
    expect(text).not.toContain("更换灯丝");
    expect(text).not.toContain("张伟");
    const events = Object.values(ical.sync.parseICS(text)).filter((c) => c?.type === "VEVENT") as ical.VEvent[];
    expect(events.map((e) => [e.start.toISOString(), e.end!.toISOString()]).sort()).toEqual([
      [at("2026-03-04 09:00").toISOString(), at("2026-03-04 10:00").toISOString()],
      [at("2026-03-05 08:30").toISOString(), at("2026-03-05 12:00").toISOString()],
    ]);
    expect(events.every((e) => e.transparency === "OPAQUE")).toBe(true);
    expect(new Set(events.map((e) => e.uid)).size).toBe(2);
  });

  it("answers as a calendar file, and 404 for drafts and unknown or hostile slugs", async () => {
    const id = await bookableInstrument(d);
    const ok = await callRoute(feedRoute.loader as any, await getRequest(`/instruments/${await slugOf(id)}/busy.ics`), { slug: await slugOf(id) });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("Content-Type")).toContain("text/calendar");
    expect(ok.data).toContain("BEGIN:VCALENDAR");

    const draft = await bookableInstrument(d, { status: "draft" });
    for (const slug of [await slugOf(draft), "no-such-instrument", "../../etc/passwd", "x".repeat(500)]) {
      const answer = await callRoute(feedRoute.loader as any, await getRequest("/instruments/x/busy.ics"), { slug });
      expect(answer.status, slug).toBe(404);
    }
  });
});
