import { describe, expect, it } from "vitest";
import { proposedEnd, wallClock } from "../../app/booking/usage";

const SHANGHAI = "Asia/Shanghai";

describe("the check-out form's proposed end", () => {
  const bookedEnd = new Date("2026-03-03T02:30:00Z"); // 10:30 on 3 March in Shanghai

  it("is now when the session is checked out on the day it ended, early or late", () => {
    expect(proposedEnd(bookedEnd, new Date("2026-03-03T02:10:00Z"), SHANGHAI)).toBe("2026-03-03T10:10");
    expect(proposedEnd(bookedEnd, new Date("2026-03-03T09:45:00Z"), SHANGHAI)).toBe("2026-03-03T17:45");
  });

  it("is the booked end when the session was left in use past the lab's midnight", () => {
    // 00:05 on 4 March in Shanghai, though still 3 March in UTC.
    expect(proposedEnd(bookedEnd, new Date("2026-03-03T16:05:00Z"), SHANGHAI)).toBe("2026-03-03T10:30");
    expect(proposedEnd(bookedEnd, new Date("2026-03-09T01:00:00Z"), SHANGHAI)).toBe(wallClock(bookedEnd, SHANGHAI));
  });

  it("reads days on the lab's calendar, not the server's", () => {
    // 23:30 on 2 March in New York is 04:30 UTC on 3 March: the same day for the lab.
    const nyEnd = new Date("2026-03-03T03:00:00Z"); // 22:00 on 2 March in New York
    expect(proposedEnd(nyEnd, new Date("2026-03-03T04:30:00Z"), "America/New_York")).toBe("2026-03-02T23:30");
  });
});
