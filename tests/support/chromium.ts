import { existsSync } from "node:fs";
import { chromium } from "playwright-core";

/** PLAYWRIGHT_CHROMIUM_EXECUTABLE, else Debian's /usr/bin/chromium, else Playwright's own download. */
export function chromiumExecutable(): string | undefined {
  const given = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE;
  if (given) return existsSync(given) ? given : undefined;
  if (existsSync("/usr/bin/chromium")) return "/usr/bin/chromium";
  try {
    const bundled = chromium.executablePath();
    return existsSync(bundled) ? bundled : undefined;
  } catch {
    return undefined;
  }
}
