// postgres.js is patched (patches/postgres+3.4.9.patch) to send a transaction's first statements
// right behind a plain BEGIN instead of waiting for BEGIN's answer. These check that it saves the
// round trip and that what it sends still runs inside the transaction.
import net from "node:net";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import type { Database } from "../../app/lib/db.server";
import { useTestDatabase } from "../support/db";

const url = inject("databaseUrl");
const rowsOf = (r: unknown) => (Array.isArray(r) ? r : (r as { rows: any[] }).rows);

let d: Database;
beforeAll(async () => {
  d = await useTestDatabase();
});

describe.skipIf(!url)("transactions on a Postgres server", () => {
  /** What the client writes to the server, one entry per chunk received, through a local relay. */
  const writes: string[] = [];
  let relay: net.Server;
  let client: postgres.Sql;

  beforeAll(async () => {
    const server = new URL(url!);
    relay = net.createServer((socket) => {
      const upstream = net.connect(Number(server.port || 5432), server.hostname);
      socket.on("data", (chunk) => {
        writes.push(chunk.toString("latin1"));
        upstream.write(chunk);
      });
      upstream.pipe(socket);
      socket.on("error", () => upstream.destroy());
      upstream.on("error", () => socket.destroy());
      socket.on("close", () => upstream.end());
    });
    await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
    const relayed = new URL(url!);
    relayed.host = `127.0.0.1:${(relay.address() as net.AddressInfo).port}`;
    client = postgres(relayed.toString(), { max: 1, onnotice: () => {} });
    // Connected (start-up and type lookups done) before anything is counted.
    await client`select 1`;
  });

  afterAll(async () => {
    await client?.end({ timeout: 5 });
    await new Promise((resolve) => relay?.close(resolve));
  });

  it("sends the first statement together with BEGIN, and COMMIT after its answer", async () => {
    writes.length = 0;
    const [row] = await client.begin(async (tx) => tx`select 2 as two`);
    expect(row).toEqual({ two: 2 });
    expect(writes).toHaveLength(2);
    expect(writes[0]).toMatch(/begin[\s\S]*select 2 as two/);
    // COMMIT, prepared on first use.
    expect(writes[1]).toContain("commit");
  });

  it("sends statements issued together in one write, past the first kilobyte too", async () => {
    const text = (letter: string) => `select '${letter.repeat(700)}' as filler`;
    writes.length = 0;
    const rows = await client.begin((tx) => [tx.unsafe(text("a")), tx.unsafe(text("b")), tx.unsafe(text("c"))]);
    expect((rows as unknown as { filler: string }[][]).map(([row]) => row!.filler[0])).toEqual(["a", "b", "c"]);
    // BEGIN and the three statements, then COMMIT.
    expect(writes).toHaveLength(2);
    expect(writes[0]).toMatch(/begin[\s\S]*'a{700}'[\s\S]*'b{700}'[\s\S]*'c{700}'/);
  });

  it("waits for BEGIN's answer when BEGIN carries options", async () => {
    writes.length = 0;
    await client.begin("read only", async (tx) => tx`select 3 as three`);
    expect(writes).toHaveLength(3);
    expect(writes[0]).toContain("begin read only");
  });

  it("runs every statement of 40 concurrent transactions inside its own transaction", async () => {
    const ids = await Promise.all(
      Array.from({ length: 40 }, () =>
        d.db.transaction(async (tx) => {
          const [first, second] = await Promise.all([tx.execute(sql`select txid_current()::text as id`), tx.execute(sql`select txid_current()::text as id`)]);
          return [rowsOf(first)[0].id as string, rowsOf(second)[0].id as string];
        }),
      ),
    );
    for (const [first, second] of ids) expect(second).toBe(first);
    expect(new Set(ids.map(([id]) => id)).size).toBe(40);
  });

  it("rolls back what the first statements wrote when a later one fails", async () => {
    const key = `pipelining-${Date.now()}`;
    await expect(
      d.db.transaction(async (tx) => {
        await tx.execute(sql`insert into platform_settings (key, value) values (${key}, '{}'::jsonb)`);
        await tx.execute(sql`select 1 / 0`);
      }),
    ).rejects.toThrow();
    expect(rowsOf(await d.db.execute(sql`select key from platform_settings where key = ${key}`))).toEqual([]);
  });
});
