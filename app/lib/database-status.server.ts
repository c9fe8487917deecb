import { checkDatabase } from "./health.server";
import { logger } from "./log.server";

/**
 * Whether the database answers. When a request fails because the database is gone (restart,
 * failover, network), the server answers 503 with a plain page instead of running requests that
 * can only fail, and probes once a second until the database is back; nothing else to restart.
 */
const PROBE_INTERVAL_MS = 1_000;
// Connection-level failures: postgres.js codes, and SQLSTATE classes 08 (connection) and 57P (shutdown).
const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT", "EPIPE"]);

let down = false;

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = String((e as { code?: unknown }).code ?? "");
    if (CONNECTION_CODES.has(code) || /^08/.test(code) || /^57P0[123]$/.test(code)) return true;
  }
  return false;
}

export const databaseIsDown = () => down;

export function noteDatabaseFailure(error: unknown) {
  if (down || !isDatabaseUnavailable(error)) return;
  down = true;
  logger.warn("database unavailable; answering 503 until it is back");
  const probe = async () => {
    try {
      await checkDatabase();
      down = false;
      logger.info("database available again");
    } catch {
      setTimeout(probe, PROBE_INTERVAL_MS).unref();
    }
  };
  setTimeout(probe, PROBE_INTERVAL_MS).unref();
}

/** The page shown while the database is away: static, both languages, no database needed. */
export const unavailablePage = `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="10"><title>服务暂时不可用 · OpenLab</title>
<style>body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#1f2937}h1{font-size:1.5rem}p{line-height:1.6}</style>
</head><body><h1>服务暂时不可用</h1><p>OpenLab 正在恢复与数据库的连接，您的数据不会丢失。本页将在几秒后自动刷新。</p>
<h1 lang="en">Service temporarily unavailable</h1><p lang="en">OpenLab is reconnecting to its database; no data is lost. This page refreshes itself in a few seconds.</p></body></html>`;
