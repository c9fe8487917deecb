import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";

/**
 * Attempt limits for sign-in, sign-up and emailed links, counted in this process's memory
 * (docs/decisions/003-rate-limits-in-memory.md). Each check consumes a point before any work is done.
 */
const MINUTE = 60;

function createLimiters() {
  return {
    signInAccount: new RateLimiterMemory({ keyPrefix: "sign-in-account", points: 5, duration: 15 * MINUTE }),
    signInIp: new RateLimiterMemory({ keyPrefix: "sign-in-ip", points: 30, duration: 15 * MINUTE }),
    signUpIp: new RateLimiterMemory({ keyPrefix: "sign-up-ip", points: 10, duration: 60 * MINUTE }),
    // Every request sends an email to someone; keep one address or one IP from flooding inboxes.
    mailIp: new RateLimiterMemory({ keyPrefix: "mail-ip", points: 10, duration: 60 * MINUTE }),
    mailUser: new RateLimiterMemory({ keyPrefix: "mail-user", points: 5, duration: 60 * MINUTE }),
  };
}

let limiters = createLimiters();

/** For tests: forget every counted attempt. */
export function resetRateLimits() {
  limiters = createLimiters();
}

async function take(limiter: RateLimiterAbstract, key: string): Promise<boolean> {
  try {
    await limiter.consume(key);
    return true;
  } catch (error) {
    if (error instanceof RateLimiterRes) return false;
    throw error;
  }
}

/**
 * The client address: from the server's load context when it passes one, else the first
 * X-Forwarded-For hop (the server trusts its proxy). Unknown → null, and per-IP limits are skipped
 * rather than making every visitor share one bucket.
 */
export function clientIp(request: Request, context?: unknown): string | null {
  const fromServer = (context as { clientIp?: unknown } | undefined)?.clientIp;
  if (typeof fromServer === "string" && fromServer) return fromServer;
  return request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || null;
}

const accountKey = (ip: string | null, email: string) => `${ip ?? "-"}|${email.toLowerCase()}`;

export async function allowSignIn(ip: string | null, email: string): Promise<boolean> {
  const checks = await Promise.all([
    take(limiters.signInAccount, accountKey(ip, email)),
    ip ? take(limiters.signInIp, ip) : true,
  ]);
  return checks.every(Boolean);
}

/**
 * A successful sign-in forgets the failed attempts for that address from that IP, and gives its
 * point back to the IP: the IP limit is for guessing, and many colleagues behind one office
 * address must still be able to sign in.
 */
export async function forgetSignInFailures(ip: string | null, email: string) {
  await Promise.all([limiters.signInAccount.delete(accountKey(ip, email)), ip ? limiters.signInIp.reward(ip, 1) : null]);
}

export async function allowSignUp(ip: string | null): Promise<boolean> {
  return ip ? take(limiters.signUpIp, ip) : true;
}

/** Password-reset requests (by IP and address) and verification resends (by user). */
export async function allowMail(ip: string | null, recipient: string): Promise<boolean> {
  const checks = await Promise.all([take(limiters.mailUser, recipient.toLowerCase()), ip ? take(limiters.mailIp, ip) : true]);
  return checks.every(Boolean);
}
