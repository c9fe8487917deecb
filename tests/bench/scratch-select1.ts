import postgres from "postgres";
const sql = postgres("postgres://postgres@127.0.0.1:5432/openlab_bench_2000", { max: 20 });
const mode = process.argv[2] ?? "single";
await sql`select 1`;
const deadline = performance.now() + 5000; let n = 0;
await Promise.all(Array.from({ length: 50 }, async () => {
  while (performance.now() < deadline) {
    if (mode === "single") { await sql`select ${1}::int`; n++; }
    else { await sql.begin(async (tx) => { await Promise.all(Array.from({ length: 10 }, () => tx`select ${1}::int`)); }); n += 10; }
  }
}));
console.log(mode, n / 5, "statements/s");
await sql.end();
