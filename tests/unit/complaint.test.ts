import { describe, expect, it } from "vitest";
import { ATTACHMENT_MAX_BYTES, attachmentProblem, complaintFormSchema, daysOpen, inboxFilterSchema, median, resolutionSchema, responseFigures } from "../../app/trust/complaint";

const bytes = (...b: number[]) => new Uint8Array(b);
const h = (hours: number) => new Date(Date.UTC(2026, 2, 2) + hours * 3_600_000);

describe("complaint attachments", () => {
  it("takes PDF, PNG and JPEG by their bytes up to 10 MB, and nothing else", () => {
    expect(attachmentProblem(100, bytes(0x25, 0x50, 0x44, 0x46, 0x2d))).toBeNull();
    expect(attachmentProblem(100, bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBeNull();
    expect(attachmentProblem(100, bytes(0xff, 0xd8, 0xff, 0xe0))).toBeNull();
    expect(attachmentProblem(100, new TextEncoder().encode("<svg onload=alert(1)>"))).toBe("wrong_type");
    expect(attachmentProblem(ATTACHMENT_MAX_BYTES + 1, bytes(0x25, 0x50, 0x44, 0x46, 0x2d))).toBe("too_big");
  });
});

describe("complaint forms", () => {
  it("refuses markup and empty text, and an unknown subject kind", () => {
    const id = "6f1c2b3a-9d4e-4f5a-8b7c-0d1e2f3a4b5c";
    expect(complaintFormSchema.safeParse({ subjectKind: "booking", subjectId: id, body: "样品被污染" }).success).toBe(true);
    expect(complaintFormSchema.safeParse({ subjectKind: "booking", subjectId: id, body: "<img src=x onerror=alert(1)>" }).success).toBe(false);
    expect(complaintFormSchema.safeParse({ subjectKind: "booking", subjectId: id, body: "  " }).success).toBe(false);
    expect(complaintFormSchema.safeParse({ subjectKind: "invoice", subjectId: id, body: "x" }).success).toBe(false);
    expect(resolutionSchema.safeParse({ resolution: "upheld", reason: "" }).success).toBe(false);
    expect(resolutionSchema.safeParse({ resolution: "settled", reason: "双方同意退款一半" }).success).toBe(true);
  });

  it("reads the inbox filters, dropping what it does not know", () => {
    expect(inboxFilterSchema.parse({ status: "unresolved", subjectKind: "charge", order: "oldest" })).toEqual({ status: "unresolved", subjectKind: "charge", order: "oldest" });
    expect(inboxFilterSchema.parse({ status: "<b>", labId: "x", order: "up" })).toEqual({ status: undefined, labId: undefined, order: undefined });
  });
});

describe("complaint figures", () => {
  it("counts whole days open", () => {
    expect(daysOpen(h(0), h(23))).toBe(0);
    expect(daysOpen(h(0), h(49))).toBe(2);
    expect(daysOpen(h(5), h(0))).toBe(0);
  });

  it("takes the median of odd and even counts, null for none", () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("gives each lab its filed, unresolved, unanswered and upheld counts and its median hours to first answer", () => {
    const figures = responseFigures([
      { labId: "a", filedAt: h(0), firstResponseAt: h(2), status: "resolved", resolution: "upheld" },
      { labId: "a", filedAt: h(0), firstResponseAt: h(10), status: "responded", resolution: null },
      { labId: "a", filedAt: h(0), firstResponseAt: null, status: "open", resolution: null },
      { labId: "b", filedAt: h(0), firstResponseAt: null, status: "open", resolution: null },
    ]);
    expect(figures).toEqual([
      { labId: "a", filed: 3, unresolved: 2, unanswered: 1, upheld: 1, medianResponseHours: 6 },
      { labId: "b", filed: 1, unresolved: 1, unanswered: 1, upheld: 0, medianResponseHours: null },
    ]);
  });
});
