// Page weight and Lighthouse: the JavaScript the catalogue and an instrument page load, gzipped,
// and Lighthouse's performance score for each (median of several runs), measured in Debian's Chromium against the built
// server (`npm run build`) on an embedded database with the demo data.
import os from "node:os";
import { gzipSync } from "node:zlib";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { chromium } from "playwright-core";
import { buildApp, startAppServer } from "../support/app-server";
import { chromiumExecutable } from "../support/chromium";

/** The pages a visitor lands on: the catalogue and the demo instrument. */
export const landingPages = { catalogue: "/instruments", instrument: "/instruments/jem-2100f-zju-emlab" };
export const JS_GOAL_KB = 150;
export const LIGHTHOUSE_GOAL = 95;
const LIGHTHOUSE_RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 5);

export type PageFigures = { path: string; scripts: number; jsKb: number; jsRawKb: number; lighthouse: number | null };

const CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Every script the page loads until the network is quiet, gzipped one by one as the server sends them. */
async function scriptWeight(baseUrl: string, path: string, executablePath: string) {
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS.slice(1) });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const bodies = new Map<string, Promise<Buffer>>();
    page.on("response", (response) => {
      if (response.request().resourceType() === "script") bodies.set(response.url(), response.body());
    });
    const answer = await page.goto(`${baseUrl}${path}`, { waitUntil: "networkidle", timeout: 60_000 });
    if (!answer?.ok()) throw new Error(`${path} answered ${answer?.status()}`);
    const scripts = await Promise.all(bodies.values());
    const bytes = (list: Buffer[]) => list.reduce((n, b) => n + b.length, 0);
    return { scripts: scripts.length, jsKb: bytes(scripts.map((b) => gzipSync(b))) / 1024, jsRawKb: bytes(scripts) / 1024 };
  } finally {
    await browser.close();
  }
}

/**
 * Lighthouse's performance score (0–100) with its default mobile settings and simulated throttling,
 * the median of LIGHTHOUSE_RUNS runs (5): one run swings by 20 points with the machine's load, and
 * Lighthouse's own guidance is to take the median of several.
 */
async function medianLighthouseScore(url: string, executablePath: string): Promise<{ median: number | null; scores: number[] }> {
  const scores: number[] = [];
  for (let run = 0; run < LIGHTHOUSE_RUNS; run++) {
    const score = await lighthouseScore(url, executablePath);
    if (score !== null) scores.push(score);
  }
  const sorted = [...scores].sort((a, b) => a - b);
  return { median: sorted.length > 0 ? sorted[Math.floor((sorted.length - 1) / 2)]! : null, scores };
}

async function lighthouseScore(url: string, executablePath: string): Promise<number | null> {
  const chrome = await chromeLauncher.launch({ chromePath: executablePath, chromeFlags: CHROMIUM_FLAGS, logLevel: "silent" });
  try {
    const result = await lighthouse(url, { port: chrome.port, onlyCategories: ["performance"], logLevel: "error", output: "json" });
    const score = result?.lhr.categories.performance?.score;
    return typeof score === "number" ? Math.round(score * 100) : null;
  } finally {
    await chrome.kill();
  }
}

export async function benchPages(): Promise<PageFigures[]> {
  const executablePath = chromiumExecutable();
  if (!executablePath) throw new Error("pages needs Chromium: install Debian's chromium or set PLAYWRIGHT_CHROMIUM_EXECUTABLE");
  await buildApp();
  const server = await startAppServer();
  try {
    const figures: PageFigures[] = [];
    for (const [name, path] of Object.entries(landingPages)) {
      // One visit first so the server has compiled its queries and the demo data is warm.
      await (await fetch(`${server.baseUrl}${path}`)).arrayBuffer();
      const weight = await scriptWeight(server.baseUrl, path, executablePath);
      const { median, scores } = await medianLighthouseScore(`${server.baseUrl}${path}`, executablePath);
      figures.push({ path, ...weight, lighthouse: median });
      console.log(
        `${name}: ${weight.scripts} scripts, ${weight.jsKb.toFixed(1)} kB gzipped (${weight.jsRawKb.toFixed(0)} kB raw), ` +
          `Lighthouse median ${median ?? "n/a"} of ${scores.join(", ")}; load average ${os.loadavg()[0]!.toFixed(1)}`,
      );
    }
    console.table(
      Object.fromEntries(figures.map((f) => [f.path, { "JS kB gzipped": f.jsKb.toFixed(1), scripts: f.scripts, "Lighthouse performance": f.lighthouse ?? "n/a" }])),
    );
    console.log(`goals: JavaScript ≤ ${JS_GOAL_KB} kB gzipped, Lighthouse performance ≥ ${LIGHTHOUSE_GOAL}`);
    return figures;
  } finally {
    await server.stop();
  }
}
