import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import express from "express";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { requestLog } from "../../app/lib/request-log.server";

/** An Express app behind the middleware, its log lines kept in memory. */
async function serve(level: string) {
  const lines: Record<string, any>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(JSON.parse(String(chunk)));
      callback();
    },
  });
  const app = express();
  app.set("trust proxy", true);
  app.use(requestLog(pino({ level }, sink)));
  app.get("/healthz", (_req, res) => res.json({ status: "ok" }));
  app.get("/broken", (_req, res) => res.status(500).send("no"));
  app.all("*", (_req, res) => res.status(202).send("ok"));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // pino writes through the sink asynchronously; a line follows its response by a tick.
  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
  return { base, lines, settle, close: () => new Promise((resolve) => server.close(resolve)) };
}

let close: (() => Promise<unknown>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe("request log", () => {
  it("writes one line per request with its id, method, URL, client, status and time", async () => {
    const app = await serve("info");
    close = app.close;
    const answer = await fetch(`${app.base}/instruments/sem-1/book.data?start=x`, {
      method: "POST",
      headers: { "x-forwarded-for": "203.0.113.9" },
    });
    await app.settle();
    const id = answer.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(app.lines).toHaveLength(1);
    expect(app.lines[0]).toMatchObject({
      level: 30,
      msg: "request completed",
      reqId: id,
      req: { method: "POST", url: "/instruments/sem-1/book.data?start=x", remoteAddress: "203.0.113.9" },
      res: { statusCode: 202 },
    });
    expect(app.lines[0]!.responseTime).toBeGreaterThanOrEqual(0);
  });

  it("keeps a caller's request id that looks like one and replaces one that does not", async () => {
    const app = await serve("info");
    close = app.close;
    const kept = await fetch(`${app.base}/`, { headers: { "x-request-id": "proxy-1234.abc" } });
    const replaced = await fetch(`${app.base}/`, { headers: { "x-request-id": "a b\tc" } });
    await app.settle();
    expect(kept.headers.get("x-request-id")).toBe("proxy-1234.abc");
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(app.lines.map((l) => l.reqId)).toEqual(["proxy-1234.abc", replaced.headers.get("x-request-id")]);
  });

  it("logs server errors at error level and leaves health probes out", async () => {
    const app = await serve("info");
    close = app.close;
    await fetch(`${app.base}/healthz`);
    await fetch(`${app.base}/broken`);
    await app.settle();
    expect(app.lines).toHaveLength(1);
    expect(app.lines[0]).toMatchObject({ level: 50, res: { statusCode: 500 }, req: { url: "/broken" } });
  });

  it("writes nothing when its level is off, and still answers with the request id", async () => {
    const app = await serve("warn");
    close = app.close;
    const answer = await fetch(`${app.base}/anything`);
    await app.settle();
    expect(answer.status).toBe(202);
    expect(answer.headers.get("x-request-id")).toBeTruthy();
    expect(app.lines).toEqual([]);
  });
});
