import { describe, expect, it } from "vitest";
import { badgeKinds, daysBetween, dueWarning, isShown, realDay } from "../../app/trust/accreditation";
import { accreditationFormSchema } from "../../app/trust/accreditation-form";
import { parseValues } from "../../app/lib/validation";

const form = { kind: "cnas", certificateNumber: "CNAS L1234", issuer: "CNAS", scope: "", validFrom: "2026-01-01", validTo: "2028-12-31" };

describe("accreditation form", () => {
  it("accepts a valid accreditation and refuses an end before its start at the end field", () => {
    expect(parseValues(accreditationFormSchema, form).ok).toBe(true);
    expect(parseValues(accreditationFormSchema, { ...form, validTo: form.validFrom }).ok).toBe(true);
    expect(parseValues(accreditationFormSchema, { ...form, validTo: "2025-12-31" })).toEqual({ ok: false, errors: { validTo: "accreditation:validation.endBeforeStart" } });
  });

  it("refuses unknown kinds, impossible dates and empty numbers", () => {
    expect(parseValues(accreditationFormSchema, { ...form, kind: "iso9001" })).toMatchObject({ ok: false, errors: { kind: "validation.choice" } });
    expect(parseValues(accreditationFormSchema, { ...form, validFrom: "2026-02-30" })).toMatchObject({ ok: false, errors: { validFrom: "accreditation:validation.date" } });
    expect(parseValues(accreditationFormSchema, { ...form, certificateNumber: "  " })).toMatchObject({ ok: false, errors: { certificateNumber: "validation.required" } });
    expect(realDay("2028-02-29")).toBe(true);
    expect(realDay("2027-02-29")).toBe(false);
  });
});

describe("which accreditations show", () => {
  it("shows from the first through the last day of validity", () => {
    const a = { validFrom: "2026-03-01", validTo: "2026-03-31" };
    expect(["2026-02-28", "2026-03-01", "2026-03-31", "2026-04-01"].map((d) => isShown(a, d))).toEqual([false, true, true, false]);
  });

  it("orders badges and names each kind once", () => {
    expect(badgeKinds(["other", "cma", "cnas", "cma"])).toEqual(["cnas", "cma", "other"]);
  });
});

describe("expiry warnings", () => {
  it("counts whole days", () => {
    expect(daysBetween("2026-01-01", "2026-03-02")).toBe(60);
  });

  it("sends the 60-day warning, then the 30-day one, each once", () => {
    const end = "2026-06-30";
    expect(dueWarning(end, "2026-04-30", [])).toBeNull(); // 61 days
    expect(dueWarning(end, "2026-05-01", [])).toBe(60);
    expect(dueWarning(end, "2026-05-20", [60])).toBeNull();
    expect(dueWarning(end, "2026-05-31", [60])).toBe(30);
    expect(dueWarning(end, "2026-06-10", [60, 30])).toBeNull();
    expect(dueWarning(end, "2026-07-01", [])).toBeNull();
  });

  it("a certificate added within 30 days gets only the 30-day warning", () => {
    expect(dueWarning("2026-06-30", "2026-06-10", [])).toBe(30);
    expect(dueWarning("2026-06-30", "2026-06-11", [30])).toBeNull();
  });
});
