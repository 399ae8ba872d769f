// Helpers for the page tests: a static server on 127.0.0.1 (optionally
// sending extra headers such as a Content-Security-Policy) and Debian's
// Chromium, headless, driven by playwright-core. No browser is downloaded.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { chromium } from "playwright-core";

/** Content-Types by extension, shared with the bench server (bench/serve.mjs,
 *  which `make serve` runs on whole sites). HTML has no charset: a page's
 *  own `<meta charset>` (a site's windows-1252 pages) must decide. */
export const TYPES = {
  ".html": "text/html",
  ".htm": "text/html",
  ".xhtml": "application/xhtml+xml",
  ".xml": "application/xml",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".jsonl": "application/jsonl",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".ico": "image/x-icon",
  ".pdf": "application/pdf",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
};

export const ROOT = path.resolve(new URL("../..", import.meta.url).pathname);
export const WWW = path.join(ROOT, "www");

/** The output folder of the build script of the newest `make package`
 *  (its `stats.json` and `index.bin`), which builds in target/package or
 *  target/package-panic-messages (the Makefile's PACKAGE_TARGET); for the
 *  benchmarks. */
export function packageOutDir() {
  return fs.readdirSync(path.join(ROOT, "target"))
    .filter((d) => d.startsWith("package"))
    .map((d) => path.join(ROOT, "target", d, "wasm32-unknown-unknown/release/build"))
    .filter((b) => fs.existsSync(b))
    .flatMap((base) => fs.readdirSync(base)
      .filter((d) => d.startsWith("recherche-") && fs.existsSync(path.join(base, d, "out/stats.json")))
      .map((d) => path.join(base, d, "out")))
    .sort((a, b) => fs.statSync(path.join(b, "stats.json")).mtimeMs - fs.statSync(path.join(a, "stats.json")).mtimeMs)[0];
}

/**
 * The one byte range a `Range` header asks of a file of `size` bytes, as
 * static hosts answer it: `{ start, end }` (end exclusive) for a single
 * satisfiable `bytes=a-b`, `bytes=a-` or `bytes=-n`; `"unsatisfiable"`
 * (HTTP 416) for one that starts past the end; `null` to send the whole
 * file (no header, or one this server does not serve: several ranges,
 * other units).
 */
export function byteRange(header, size) {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header || "");
  if (!m || (m[1] === "" && m[2] === "")) return null;
  let start, end;
  if (m[1] === "") {
    start = Math.max(0, size - Number(m[2]));
    end = size;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size : Math.min(size, Number(m[2]) + 1);
    if (m[2] !== "" && Number(m[2]) < start) return null;
  }
  return start >= size ? "unsatisfiable" : { start, end };
}

/**
 * Serves `root` on a free loopback port. `headers` is added to every
 * response. Options: `base`, the URL path `root` is served under
 * (`/sub/dir/`; anything outside it is 404); `onRequest(path, range)`,
 * called with each request's path (before `base` is removed) and its
 * Range header; `ranges`: byte ranges are served as static hosts serve
 * them (206, see `byteRange`) unless it is false, and then, as some hosts
 * do, a Range header is ignored and the whole file sent.
 */
export function serve(root, headers = {}, { base = "/", onRequest, ranges = true } = {}) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    if (onRequest) onRequest(url.pathname, req.headers.range);
    if (!url.pathname.startsWith(base)) { res.writeHead(404, headers).end("not found"); return; }
    let file = path.join(root, decodeURIComponent(url.pathname.slice(base.length - 1)));
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404, headers).end("not found"); return; }
      const type = { "Content-Type": TYPES[path.extname(file)] || "application/octet-stream", "Cache-Control": "no-store", "Accept-Ranges": ranges ? "bytes" : "none" };
      const range = ranges ? byteRange(req.headers.range, data.length) : null;
      if (range === "unsatisfiable") { res.writeHead(416, { ...type, "Content-Range": `bytes */${data.length}`, ...headers }).end(); return; }
      if (range) {
        res.writeHead(206, { ...type, "Content-Range": `bytes ${range.start}-${range.end - 1}/${data.length}`, ...headers });
        res.end(data.subarray(range.start, range.end));
        return;
      }
      res.writeHead(200, { ...type, ...headers });
      res.end(data);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      // The browser keeps idle connections open: closing waits for none of them.
      const close = () => new Promise((r) => { server.close(r); server.closeAllConnections(); });
      resolve({ url: `http://127.0.0.1:${port}`, close });
    });
  });
}

/** Debian's Chromium, and the flags it needs on this closed network as root. */
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
];

/** Headless Debian Chromium with a fresh profile. */
export async function launch() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "recherche-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1100, height: 800 },
    args: CHROMIUM_ARGS,
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** A new page that records console errors, page errors and CSP violations. */
export async function newPage(context) {
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return { page, problems };
}

/** Waits until the page's engine is ready. */
export async function ready(page) {
  await page.waitForSelector("body.ready", { timeout: 15000 });
}

/** Shows intent on a <recherche-widget> (focuses its box), which loads
 *  the engine, and waits until it is ready. */
export async function widgetReady(page, selector = "recherche-widget") {
  await page.focus(`${selector} input`);
  await page.waitForSelector(`${selector}[data-ready]`, { timeout: 15000 });
}

export async function titles(page) {
  return page.$$eval("#resultats .hit-title", (els) => els.map((e) => e.textContent));
}

/** Runs axe-core on the page and returns its violations. */
export async function axe(page) {
  await page.addScriptTag({ path: path.join(ROOT, "node_modules/axe-core/axe.min.js") });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`);
  });
}
