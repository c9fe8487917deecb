import { beforeAll, describe, expect, it } from "vitest";
import { bookings } from "../../db/schema";
import type { BookingStatus } from "../../db/schema/booking-vocabulary";
import { MY_BOOKINGS_PAGE_SIZE } from "../../app/booking/booking-list";
import type { Database } from "../../app/lib/db.server";
import * as myBookings from "../../app/routes/bookings._index";
import { bookableInstrument, demoCustomer, newUsers } from "../support/booking";
import { useTestDatabase } from "../support/db";
import { callRoute, getRequest } from "../support/requests";

let d: Database;
let userId: string;
const HOUR = 3_600_000;
const now = Date.now();
/** Reference → booking, as made below. */
const made = new Map<string, { status: BookingStatus; start: number | null }>();

/** The list as the route answers it, as references in order. */
async function list(query: string) {
  const answer = await callRoute(myBookings.loader, await getRequest(`/bookings${query}`, { userId }));
  expect(answer.status).toBe(200);
  return { ...answer.data, references: answer.data.bookings.map((b: { reference: string }) => b.reference) as string[] };
}

beforeAll(async () => {
  d = await useTestDatabase();
  [userId] = await newUsers(d, 1);
  const { organizationId } = await demoCustomer(d);
  const instrumentId = await bookableInstrument(d);
  const slot = (reference: string, status: BookingStatus, startHours: number) => {
    made.set(reference, { status, start: now + startHours * HOUR });
    return {
      reference,
      instrumentId,
      organizationId,
      userId: userId!,
      kind: "slot" as const,
      status,
      period: { start: new Date(now + startHours * HOUR), end: new Date(now + (startHours + 1) * HOUR) },
      purpose: "列表测试",
    };
  };
  const tag = `${now.toString(36)}-${Math.random().toString(36).slice(2, 6)}`.toUpperCase();
  const ref = (name: string) => `BK-LIST-${tag}-${name}`;
  await d.db.insert(bookings).values([
    slot(ref("LATER"), "confirmed", 72),
    slot(ref("SOON"), "requested", 24),
    slot(ref("NOW"), "in_use", -0.5),
    slot(ref("DONE"), "completed", -48),
    slot(ref("CANCELLED"), "cancelled", 96),
    slot(ref("NOSHOW"), "no_show", -120),
    // Sixty ended bookings, one a day further back: more than a page.
    ...Array.from({ length: 60 }, (_, i) => slot(ref(`OLD${String(i).padStart(2, "0")}`), "completed", -200 - 24 * i)),
  ]);
  // A sample job holds no time: it is under way until the lab finishes it, ordered by when it was asked for.
  made.set(ref("SAMPLES"), { status: "in_testing", start: null });
  await d.db.insert(bookings).values({
    reference: ref("SAMPLES"),
    instrumentId,
    organizationId,
    userId: userId!,
    kind: "sample_job",
    status: "in_testing",
    purpose: "送样",
    createdAt: new Date(now - 10 * HOUR),
  });
});

describe("my bookings", () => {
  it("opens on what is under way, soonest first, with each tab's count", async () => {
    const current = await list("");
    expect(current.view).toBe("current");
    expect(current.references.map((r: string) => r.split("-").pop())).toEqual(["SAMPLES", "NOW", "SOON", "LATER"]);
    expect(current.tabs).toEqual({ current: 4, history: 63 });
    expect(current.pages).toBe(1);
  });

  it("shows ended bookings latest first, in pages that reach every one", async () => {
    const first = await list("?view=history");
    expect(first.view).toBe("history");
    expect(first.references).toHaveLength(MY_BOOKINGS_PAGE_SIZE);
    // A cancelled booking for next week has ended as a booking: it leads, being latest in time.
    expect(first.references.slice(0, 3).map((r: string) => r.split("-").pop())).toEqual(["CANCELLED", "DONE", "NOSHOW"]);
    expect(first.pages).toBe(2);
    const second = await list("?view=history&page=2");
    expect(second.references).toHaveLength(63 - MY_BOOKINGS_PAGE_SIZE);
    expect(second.references.at(-1)).toMatch(/-OLD59$/);
    const seen = new Set([...first.references, ...second.references]);
    expect(seen.size).toBe(63);
    for (const reference of seen) expect(made.get(reference)!.status).not.toMatch(/^(requested|confirmed|in_use|in_testing)$/);
  });

  it("filters by status, opening the tab that holds it", async () => {
    const noShows = await list("?status=no_show&view=current");
    expect(noShows.view).toBe("history");
    expect(noShows.references.map((r: string) => r.split("-").pop())).toEqual(["NOSHOW"]);
    expect(noShows.total).toBe(1);
    const requested = await list("?status=requested");
    expect(requested.view).toBe("current");
    expect(requested.references.map((r: string) => r.split("-").pop())).toEqual(["SOON"]);
  });

  it("answers a bad tab, status or page with the default list, not an error", async () => {
    const odd = await list("?view=everything&status=lost&page=-3");
    expect(odd.view).toBe("current");
    expect(odd.page).toBe(1);
    expect(odd.references).toHaveLength(4);
    const beyond = await list("?view=history&page=99");
    expect(beyond.references).toEqual([]);
    expect(beyond.pages).toBe(2);
  });
});
