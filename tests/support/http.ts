/**
 * A minimal HTTP client with a cookie jar for the end-to-end tests that need no browser: it never
 * follows redirects, so a test sees the 3xx the app answered.
 */
export class HttpClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async request(pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size && !headers.has("cookie")) headers.set("cookie", this.cookieHeader());
    const response = await fetch(new URL(pathname, this.baseUrl), { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=thu, 01 jan 1970/i.test(a));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  get(pathname: string) {
    return this.request(pathname);
  }

  /** A form POST; `_csrf` is added from the page at csrfFrom unless the fields bring their own. */
  async post(pathname: string, fields: Record<string, string>, csrfFrom: string | null = pathname) {
    const body = new URLSearchParams(fields);
    if (csrfFrom && !body.has("_csrf")) body.set("_csrf", await this.csrfToken(csrfFrom));
    return this.request(pathname, {
      method: "POST",
      body,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
  }

  /** The CSRF token that the page at `pathname` hands its forms (it also sets the session cookie). */
  async csrfToken(pathname = "/"): Promise<string> {
    const response = await this.get(pathname);
    const html = await response.text();
    const token = html.match(/name="_csrf"[^>]*value="([^"]+)"/)?.[1] ?? html.match(/value="([^"]+)"[^>]*name="_csrf"/)?.[1];
    if (!token) throw new Error(`no _csrf field on ${pathname} (status ${response.status})`);
    return token;
  }

  /** Signs in through the login form; throws unless the app answers with a redirect. */
  async signIn(email: string, password: string) {
    const response = await this.post("/login", { email, password });
    if (response.status < 300 || response.status >= 400) {
      throw new Error(`sign-in as ${email} answered ${response.status}, expected a redirect`);
    }
    return response;
  }
}
