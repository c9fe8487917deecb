import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * Sends through a real SMTP server on 127.0.0.1. SMTP_URL must be in place before env() is first
 * read (it caches), so the app modules are imported only after the server is listening.
 */
type Received = { from: string; to: string[]; raw: string };
const received: Received[] = [];

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      received.push({
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
        to: session.envelope.rcptTo.map((r) => r.address),
        raw: Buffer.concat(chunks).toString("utf8"),
      });
      callback();
    });
  },
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
process.env.SMTP_URL = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;

const { emailJobs } = await import("../support/accounts");
const { eq } = await import("drizzle-orm");
const { outbox, users } = await import("../../db/schema");
const { signUp } = await import("../../app/accounts/auth.server");
const { jobHandlers } = await import("../../app/lib/job-handlers.server");
const { unique, useTestDatabase } = await import("../support/db");
const { requestSlot } = await import("../../app/booking/bookings.server");
const { at, bookableInstrument, demoCustomer, MONDAY_0800, newUsers } = await import("../support/booking");
const { bookingJobs, parseInvite } = await import("../support/mail");

let d: Awaited<ReturnType<typeof useTestDatabase>>;
beforeAll(async () => {
  d = await useTestDatabase();
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Header value with folded lines joined and RFC 2047 encoded-words decoded. */
function header(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, " ");
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`)) ?? "";
  return line
    .slice(name.length + 1)
    .trim()
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, kind: string, text: string) =>
      kind.toLowerCase() === "b"
        ? Buffer.from(text, "base64").toString("utf8")
        : Buffer.from(decodeQuotedPrintable(text.replace(/_/g, " ")), "latin1").toString("utf8"),
    );
}

function decodeQuotedPrintable(text: string): string {
  return text.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The decoded bodies of every leaf MIME part, keyed by content type. */
function parts(raw: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const part of raw.split(/\r?\n--[^\r\n]+/)) {
    const [head, ...rest] = part.split(/\r?\n\r?\n/);
    const type = /content-type:\s*([^;\s]+)/i.exec(head)?.[1]?.toLowerCase();
    if (!type || type.startsWith("multipart/")) continue;
    const body = rest.join("\n\n");
    const encoding = /content-transfer-encoding:\s*(\S+)/i.exec(head)?.[1]?.toLowerCase();
    found[type] =
      encoding === "base64"
        ? Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8")
        : encoding === "quoted-printable"
          ? Buffer.from(decodeQuotedPrintable(body), "latin1").toString("utf8")
          : body;
  }
  return found;
}

describe("mail through SMTP", () => {
  it("delivers the verification email with its subject and link, and records it as sent", async () => {
    const email = `smtp-${unique()}@example.com`;
    const result = await signUp(
      { email, password: "Microscope2026", displayName: "孙悦" },
      { locale: "zh-CN", origin: "http://openlab.test:3000" },
    );
    expect(result.ok).toBe(true);
    const [job] = await emailJobs(d, email);
    await jobHandlers["send-email"](job);

    const messages = received.filter((m) => m.to.includes(email));
    expect(messages).toHaveLength(1);
    const { raw } = messages[0];
    expect(header(raw, "Subject")).toBe("请验证您的 OpenLab 邮箱");
    expect(header(raw, "To")).toContain(email);
    expect(header(raw, "Message-ID")).toBe(`<${job.messageId}@openlab>`);
    expect(raw).not.toContain("\u0000");

    const bodies = parts(raw);
    const link = /http:\/\/openlab\.test:3000\/verify-email\?token=[A-Za-z0-9_-]{43}/;
    expect(bodies["text/plain"]).toMatch(link);
    expect(bodies["text/plain"]).toContain("孙悦，您好");
    expect(bodies["text/html"]).toMatch(link);

    const [row] = await d.db.select().from(outbox).where(eq(outbox.id, job.messageId));
    expect(row).toMatchObject({ toAddress: email, transport: "smtp", template: "verify-email", subject: "请验证您的 OpenLab 邮箱" });
    expect(row.sentAt).toBeInstanceOf(Date);
  });

  it("does not send a message twice when its job runs again", async () => {
    const email = `smtp-${unique()}@example.com`;
    await signUp({ email, password: "Microscope2026", displayName: "Retry" }, { locale: "en", origin: "http://localhost" });
    const [job] = await emailJobs(d, email);
    await jobHandlers["send-email"](job);
    await jobHandlers["send-email"](job);
    const messages = received.filter((m) => m.to.includes(email));
    expect(messages).toHaveLength(1);
    expect(header(messages[0].raw, "Subject")).toBe("Verify your OpenLab email");
    expect(await d.db.select().from(outbox).where(eq(outbox.toAddress, email))).toHaveLength(1);
  });

  it("sends a booking's calendar invite as a text/calendar part with its method", async () => {
    const instrumentId = await bookableInstrument(d, { settings: { approvalMode: "never" } });
    const { organizationId } = await demoCustomer(d);
    const [userId] = await newUsers(d, 1);
    const result = await requestSlot(
      { instrumentId, userId: userId!, organizationId, start: at("2026-03-05 09:00"), end: at("2026-03-05 10:00"), purpose: "XRD" },
      MONDAY_0800,
    );
    if (!result.ok) throw new Error(result.reason);
    const [user] = await d.db.select().from(users).where(eq(users.id, userId!));
    const [job] = await bookingJobs(d, user!.email, result.booking.reference);
    await jobHandlers["send-email"](job);

    const [message] = received.filter((m) => m.to.includes(user!.email));
    const calendarPart = message!.raw.split(/\r?\n--/).find((p) => /content-type:\s*text\/calendar/i.test(p))!;
    const head = calendarPart.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, " ");
    expect(head).toMatch(/content-type: text\/calendar; charset=utf-8; method=REQUEST/i);
    expect(head).toMatch(new RegExp(`filename=${result.booking.reference}\\.ics`));
    const ics = parseInvite(parts(message!.raw)["text/calendar"]!);
    expect(ics.method).toBe("REQUEST");
    expect(ics.event.uid).toBe(`booking-${result.booking.id}@openlab`);
    const [row] = await d.db.select().from(outbox).where(eq(outbox.id, job.messageId));
    expect(row!.attachments).toHaveLength(1);
    expect(row!.sentAt).toBeInstanceOf(Date);
  });
});
