import { randomBytes } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { constants as zlib } from "node:zlib";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";
import helmet from "helmet";

/**
 * Serves the built app. Everything about the product lives in the Remix build; this file only
 * adds static files, compression, security headers, request logging and the start-up sequence.
 * `npm run build` compiles it to build/server.js, which `npm start` runs with plain Node: loading
 * TypeScript at run time cost the process about 80 MB of its memory in the soak test.
 */
// Resolved from the working directory like the static folders below, so the compiled file in
// build/ finds it too; the build exists only after `npm run build`, so it is loaded untyped.
const build = await import(pathToFileURL(path.resolve("build/server/index.js")).href);

try {
  await build.entry.module.boot();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
const { env, logger } = build.entry.module;
const config = env();

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", true);

app.use(build.entry.module.requestLog(logger));

/** Security headers; the content policy allows this origin's scripts, and those carrying `nonce` when given. */
const securityHeaders = (nonce?: (res: express.Response) => string) =>
  helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        "script-src": nonce ? ["'self'", (_req, res) => `'nonce-${nonce(res as express.Response)}'`] : ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'", "https://checkout.stripe.com"],
        "upgrade-insecure-requests": config.PUBLIC_URL?.startsWith("https://") ? [] : null,
      },
    },
    strictTransportSecurity: config.PUBLIC_URL?.startsWith("https://") ? undefined : false,
    crossOriginEmbedderPolicy: false,
    // "no-referrer" makes browsers send `Origin: null` on form posts, which Remix refuses.
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
  });
const documentHeaders = securityHeaders((res) => res.locals.nonce);
// Remix's data requests (`/….data`) are answered with data, never a document, so their policy
// needs no nonce: a fixed header, where a nonce and a policy built per request cost ~55 µs.
const dataHeaders = securityHeaders();
app.use((req, res, next) => {
  if (req.path.endsWith(".data")) return dataHeaders(req, res, next);
  res.locals.nonce = randomBytes(16).toString("base64");
  documentHeaders(req, res, next);
});

// The largest legitimate body is eight 10 MB photos; anything bigger is refused before it is read.
const MAX_BODY_BYTES = 100 * 1024 * 1024;
app.use((req, res, next) => {
  if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) {
    res.status(413).type("text/plain").send("Payload Too Large");
    return;
  }
  next();
});

// Brotli or gzip, whichever the browser takes, for pages, data and assets alike. Brotli's window is
// held at 64 KB (default 4 MB): a page is about 35 KB, each response in flight holds a window, and
// under load the larger one more than doubled what compressing a page cost.
app.use(compression({ brotli: { params: { [zlib.BROTLI_PARAM_LGWIN]: 16 } } }));

app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
app.use(express.static("build/client", { maxAge: "1h" }));
app.use(express.static("public", { maxAge: "1h" }));

// While the database is away every page would fail; answer a clear 503 until it is back.
app.use((req, res, next) => {
  if (!build.entry.module.databaseIsDown() || req.path === "/healthz") return next();
  res.status(503).set({ "Retry-After": "5", "Cache-Control": "no-store" }).type("html").send(build.entry.module.unavailablePage);
});

app.all(
  "*",
  createRequestHandler({
    build,
    mode: "production",
    getLoadContext: (req, res) => ({ nonce: res.locals.nonce, clientIp: req.ip }),
  }),
);

const server = app.listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  logger.info({ port }, `OpenLab listening on http://localhost:${port}`);
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.close();
    build.entry.module.shutdown().finally(() => process.exit(0));
  });
}
