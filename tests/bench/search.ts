import { readDirectoryQuery } from "../../app/catalogue/directory-query";
import { directoryStatements, loadSynonyms } from "../../app/catalogue/search.server";
import { countStatements } from "../../app/lib/db.server";
import { benchDatabase, measureConcurrent, ms, ratio, serverBuild } from "./support";

/** A fixed mix: Chinese words and abbreviations, English words, a model number, facet combinations. */
export const searchMix = [
  "q=电镜",
  "q=核磁共振",
  "q=X射线衍射&region=11",
  "q=mass spectrometer",
  "q=confocal microscope&mode=self_operated",
  "q=JEM2100",
  "category=0101&region=33",
  "mode=sample_submission&orgType=university",
  "q=质谱&sort=newest&page=2",
  "",
];

const CLIENTS = 20;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

export async function benchSearch() {
  const d = await benchDatabase({ instruments: 20_000 });
  const build = await serverBuild();
  const loader = build.routes["routes/instruments._index"].module.loader;
  const callLoader = (params: string) => () =>
    loader({ request: new Request(`http://localhost/instruments?${encodeURI(params)}`), params: {}, context: {} });

  const synonyms = await loadSynonyms();
  const bare = searchMix.map((params) => {
    const statements = directoryStatements(readDirectoryQuery(new URLSearchParams(params)), synonyms);
    return () => Promise.all([d.db.execute(statements.page), d.db.execute(statements.facets)]);
  });

  // Warm both paths once so plans and caches are equal before timing.
  for (const task of [...searchMix.map(callLoader), ...bare]) await task();

  const counts = await Promise.all(searchMix.map(async (params) => (await countStatements(callLoader(params))).statements));
  const bareTiming = await measureConcurrent(CLIENTS, ROUNDS, bare);
  const loaderTiming = await measureConcurrent(CLIENTS, ROUNDS, searchMix.map(callLoader));

  console.log(`\nsearch: ${CLIENTS} concurrent clients × ${ROUNDS} rounds × ${searchMix.length} queries`);
  console.table({
    "bare SQL (baseline)": { p50: ms(bareTiming.p50), p95: ms(bareTiming.p95), requests: bareTiming.count },
    "search page loader": { p50: ms(loaderTiming.p50), p95: ms(loaderTiming.p95), requests: loaderTiming.count },
  });
  console.log(`loader / bare SQL: p50 ${ratio(loaderTiming.p50, bareTiming.p50)}, p95 ${ratio(loaderTiming.p95, bareTiming.p95)}`);
  console.log(`SQL statements per request: ${counts.join(", ")} (min ${Math.min(...counts)}, max ${Math.max(...counts)})`);
  await d.close();
}
