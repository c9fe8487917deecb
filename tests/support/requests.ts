import { commitSession, getSession, newCsrfToken } from "../../app/lib/session.server";

/**
 * Requests for calling route modules' loaders and actions directly, with a real signed session
 * cookie, as the browser would send them.
 */
export type SessionOptions = { userId?: string; csrf?: string; epoch?: number; headers?: Record<string, string> };

/** `epoch`: the user's session epoch the session was signed in under (as a new user's, 0, when absent). */
export async function sessionCookie(options: { userId?: string; csrf?: string; epoch?: number } = {}): Promise<string> {
  const session = await getSession(new Request("http://localhost/"));
  if (options.csrf) session.set("csrf", options.csrf);
  if (options.userId) session.set("userId", options.userId);
  if (options.epoch !== undefined) session.set("epoch", options.epoch);
  return cookieHeader(await commitSession(session));
}

/** "name=value; Path=/; HttpOnly" → "name=value". */
export function cookieHeader(setCookie: string): string {
  return setCookie.split(";")[0];
}

/** A form POST with a valid session cookie; `_csrf` is added unless `withoutCsrf` is set. */
export async function formRequest(
  path: string,
  fields: Record<string, string>,
  options: SessionOptions & { withoutCsrf?: boolean } = {},
): Promise<Request> {
  const csrf = options.csrf ?? newCsrfToken();
  const body = new URLSearchParams(fields);
  if (!options.withoutCsrf) body.set("_csrf", csrf);
  return new Request(new URL(path, "http://localhost"), {
    method: "POST",
    body,
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Cookie: await sessionCookie({ userId: options.userId, csrf, epoch: options.epoch }),
      ...options.headers,
    },
  });
}

export async function getRequest(path: string, options: SessionOptions = {}): Promise<Request> {
  return new Request(new URL(path, "http://localhost"), {
    headers: { Cookie: await sessionCookie(options), ...options.headers },
  });
}

export type RouteAnswer = { status: number; headers: Headers; data: any };

/**
 * Runs a loader or action and describes its answer the same way whether it returned data,
 * `data(…, { status })`, a Response, or threw a Response (redirects, 403, 404).
 */
export async function callRoute(
  fn: (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => unknown,
  request: Request,
  params: Record<string, string> = {},
): Promise<RouteAnswer> {
  let result: unknown;
  try {
    result = await fn({ request, params, context: {} });
  } catch (thrown) {
    // Routes throw Responses and `data()` answers (a refusal that carries its reason).
    if (!(thrown instanceof Response) && (thrown as { type?: string } | null)?.type !== "DataWithResponseInit") throw thrown;
    result = thrown;
  }
  if (result instanceof Response) {
    return { status: result.status, headers: result.headers, data: await result.text() };
  }
  if (result && typeof result === "object" && (result as { type?: string }).type === "DataWithResponseInit") {
    const { data, init } = result as { data: unknown; init: ResponseInit | null };
    return { status: init?.status ?? 200, headers: new Headers(init?.headers), data };
  }
  return { status: 200, headers: new Headers(), data: result };
}

/** What a response's Set-Cookie put into the session (userId, flash notice). */
export async function sessionFrom(headers: Headers) {
  const setCookie = headers.get("Set-Cookie");
  const session = await getSession(new Request("http://localhost/", { headers: setCookie ? { Cookie: cookieHeader(setCookie) } : {} }));
  return { userId: session.get("userId"), notice: session.get("notice") as string | undefined, csrf: session.get("csrf") };
}
