import { describe, expect, it } from "vitest";
import { defaultPaymentTerms, dueReminder, paymentTermsFrom } from "../../app/billing/reminders";

const steps = [1, 14, 30];

describe("overdue reminder steps", () => {
  it("nothing on or before the due date; the first step the day after", () => {
    expect(dueReminder("2026-04-02", "2026-03-20", [], steps)).toBeNull();
    expect(dueReminder("2026-04-02", "2026-04-02", [], steps)).toBeNull();
    expect(dueReminder("2026-04-02", "2026-04-03", [], steps)).toBe(1);
    expect(dueReminder("2026-04-02", "2026-04-15", [1], steps)).toBeNull();
    expect(dueReminder("2026-04-02", "2026-04-16", [1], steps)).toBe(14);
  });

  it("each step once, and a late first look sends only the latest step reached", () => {
    expect(dueReminder("2026-04-02", "2026-04-03", [1], steps)).toBeNull();
    expect(dueReminder("2026-04-02", "2026-05-20", [], steps)).toBe(30);
    expect(dueReminder("2026-04-02", "2026-05-20", [30], steps)).toBeNull();
    expect(dueReminder("2026-04-02", "2026-05-20", [1, 14], steps)).toBe(30);
  });
});

describe("payment terms setting", () => {
  it("defaults fill what is missing or no longer valid; steps come sorted and distinct", () => {
    expect(paymentTermsFrom(undefined)).toEqual(defaultPaymentTerms);
    expect(paymentTermsFrom({ termDays: 15 })).toEqual({ termDays: 15, reminderDays: [1, 14, 30] });
    expect(paymentTermsFrom({ termDays: -3, reminderDays: [7, 2, 7] })).toEqual(defaultPaymentTerms);
    expect(paymentTermsFrom({ reminderDays: [7, 2, 7] })).toEqual({ termDays: 30, reminderDays: [2, 7] });
  });
});
