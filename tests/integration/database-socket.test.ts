// A Postgres server on the same machine is reached through its Unix socket when DATABASE_URL names
// the socket's folder as libpq does (`?host=/var/run/postgresql`).
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { openDatabase, socketHost, type Database } from "../../app/lib/db.server";

const url = inject("databaseUrl");

describe("the database address", () => {
  it("takes a socket folder from the host parameter and leaves it out of the address", () => {
    expect(socketHost("postgres://app@localhost:5433/openlab?host=/var/run/postgresql&sslmode=disable")).toEqual({
      url: "postgres://app@localhost:5433/openlab?sslmode=disable",
      host: "/var/run/postgresql",
    });
  });

  it("leaves an address without a socket folder as it is", () => {
    expect(socketHost("postgres://app@db.internal:5432/openlab")).toEqual({ url: "postgres://app@db.internal:5432/openlab" });
    expect(socketHost("postgres://app@localhost/openlab?host=db.internal")).toEqual({ url: "postgres://app@localhost/openlab?host=db.internal" });
  });
});

describe.skipIf(!url)("a server reached through a Unix socket", () => {
  // A socket in a folder of the test's own, relayed to the server's TCP port: the connection
  // reaches the server only if the client used the socket.
  const folder = mkdtempSync(path.join(tmpdir(), "openlab-socket-"));
  const server = new URL(url ?? "postgres://localhost");
  const port = Number(server.port || 5432);
  let connections = 0;
  let relay: net.Server;
  let d: Database | undefined;

  beforeAll(async () => {
    relay = net.createServer((socket) => {
      connections++;
      const upstream = net.connect(port, server.hostname);
      socket.pipe(upstream).pipe(socket);
      socket.on("error", () => upstream.destroy());
      upstream.on("error", () => socket.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(path.join(folder, `.s.PGSQL.${port}`), resolve));
  });

  afterAll(async () => {
    await d?.close();
    await new Promise((resolve) => relay?.close(resolve));
    rmSync(folder, { recursive: true, force: true });
  });

  it("connects through the socket in the named folder", async () => {
    const address = new URL(url!);
    address.hostname = "localhost";
    address.searchParams.set("host", folder);
    d = await openDatabase({ url: address.toString() });
    // The parameter is not passed on as a setting, which the server would refuse.
    const { rows } = await d.executeSql("select current_database() as name");
    expect(rows[0].name).toBe(server.pathname.slice(1));
    expect(connections).toBeGreaterThan(0);
  });
});
