import { Transform } from "node:stream";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { createInstance, type i18n } from "i18next";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { StylesContext } from "~/components/inline-styles";
import { NonceContext } from "~/components/nonce";
import { i18nServer, rememberLookupOrder, rememberAnswers, serverI18nConfig } from "~/lib/i18n.server";
import { logger } from "~/lib/log.server";
import { databaseIsDown, noteDatabaseFailure } from "~/lib/database-status.server";
import styles from "~/styles/app.css?inline";

export { boot, shutdown } from "~/lib/boot.server";
export { env } from "~/lib/env.server";
export { logger } from "~/lib/log.server";
export { requestLog } from "~/lib/request-log.server";
export { databaseIsDown, unavailablePage } from "~/lib/database-status.server";

const ABORT_DELAY = 5_000;

/**
 * Both languages' strings, loaded once, and one instance per language that every page renders
 * with. The namespaces are those of every route in the build, the same for each page, and a
 * render only reads the instance, so it can also keep the strings it has looked up; a clone made
 * per page cost a tenth of a small page's render.
 */
const pageTranslations = (async () => {
  const instance = createInstance();
  await instance.use(initReactI18next).init({ ...serverI18nConfig });
  return rememberLookupOrder(instance);
})();
const languageInstances = new Map<string, i18n>();

async function translationsFor(lng: string, context: EntryContext): Promise<i18n> {
  let instance = languageInstances.get(lng);
  if (!instance) {
    instance = rememberAnswers((await pageTranslations).cloneInstance({ lng, ns: i18nServer.getRouteNamespaces(context) }));
    languageInstances.set(lng, instance);
  }
  return instance;
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: { nonce?: string },
) {
  const lng = await i18nServer.getLocale(request);
  const instance = await translationsFor(lng, remixContext);
  const nonce = loadContext?.nonce ?? "";
  const readyEvent = isbot(request.headers.get("user-agent")) ? "onAllReady" : "onShellReady";

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    let timer: NodeJS.Timeout | undefined;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <StylesContext.Provider value={styles}>
          <I18nextProvider i18n={instance}>
            <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
          </I18nextProvider>
        </StylesContext.Provider>
      </NonceContext.Provider>,
      {
        nonce,
        [readyEvent]() {
          shellRendered = true;
          const body = pageBody();
          body.on("close", () => clearTimeout(timer));
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              // A failure because the database is away is a 503 (try again), not a bug.
              status: responseStatusCode === 500 && databaseIsDown() ? 503 : responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) logger.error({ err: error }, "render failed");
        },
      },
    );
    // Cleared once the page is written: left to run, each timer would hold its render (the page's
    // data and translations) in memory for the whole delay, most of the heap under load.
    timer = setTimeout(abort, ABORT_DELAY);
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  noteDatabaseFailure(error);
  logger.error({ err: error, url: new URL(request.url).pathname }, "request failed");
}

/**
 * The page as it leaves the renderer. React 18.3's streaming renderer pads a 2 KiB chunk with NUL
 * bytes when a multi-byte character (any Chinese text) does not fit at its end; HTML never needs
 * NUL, so they are dropped here. The chunks one render pass writes are handed on as one: Remix
 * flushes the compressor after every chunk it is given, six times a page where once is enough
 * (about 0.3 ms of CPU a page with brotli). What streams in later still goes out on its own.
 */
function pageBody() {
  let held: Uint8Array[] = [];
  let pending = false;
  const release = () => {
    pending = false;
    if (held.length === 0) return;
    body.push(held.length === 1 ? held[0] : Buffer.concat(held));
    held = [];
  };
  const body = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      held.push(chunk.includes(0) ? chunk.filter((byte) => byte !== 0) : chunk);
      if (!pending) {
        pending = true;
        setImmediate(release);
      }
      done();
    },
    flush(done) {
      release();
      done();
    },
  });
  return body;
}
