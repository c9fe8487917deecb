import { randomBytes, timingSafeEqual } from "node:crypto";
import { createCookieSessionStorage, type Session } from "@remix-run/node";
import { env } from "./env.server";

/** `epoch`: the user's session epoch when this session was signed in (absent on older cookies: 0). */
type SessionData = { userId: string; csrf: string; epoch: number };
type FlashData = { notice: string };

let storage: ReturnType<typeof create> | undefined;

function create() {
  const e = env();
  return createCookieSessionStorage<SessionData, FlashData>({
    cookie: {
      name: "__session",
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: e.PUBLIC_URL?.startsWith("https://") ?? false,
      secrets: [e.SESSION_SECRET],
      maxAge: 60 * 60 * 24 * 30,
    },
  });
}

export function sessionStorage() {
  return (storage ??= create());
}

export type AppSession = Session<SessionData, FlashData>;

/** A cookie that fails its signature check is treated as no cookie: the visitor is anonymous. */
export function getSession(request: Request): Promise<AppSession> {
  return sessionStorage().getSession(request.headers.get("Cookie"));
}

export function commitSession(session: AppSession): Promise<string> {
  return sessionStorage().commitSession(session);
}

export function destroySession(session: AppSession): Promise<string> {
  return sessionStorage().destroySession(session);
}

export function newCsrfToken(): string {
  return randomBytes(24).toString("base64url");
}

export function csrfMatches(expected: string | undefined, given: unknown): boolean {
  if (!expected || typeof given !== "string") return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
