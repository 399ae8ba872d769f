// The bench's HTTP server: serves a directory on 127.0.0.1 the way a
// static host would, gzips on the wire, and counts what it sends.
//
//   const server = await serveBench("target/bench/large");
//   const before = server.mark();
//   ... load the page ...
//   server.since(before)   // the requests answered since, with their bytes
//
// What it does, and what a later split layout (many small files fetched
// on demand) can rely on:
// - Content-Type from the extension (application/wasm for .wasm, so that
//   WebAssembly.compileStreaming is used); unknown extensions are
//   application/octet-stream.
// - gzip (Content-Encoding: gzip, level GZIP_LEVEL = 6, what nginx, Apache
//   and most hosts use) whenever the request accepts it and the file is not
//   already compressed (images, fonts, .gz/.br/.zst). Every other file is
//   compressed, whatever its size or type: wasm, JS, JSON and index shards
//   alike. The compressed bytes are cached (keyed by path, size and mtime),
//   so compression costs nothing after the first request of a file.
// - Cache-Control on every 200 (default `no-cache`: the browser may keep a
//   copy but must revalidate), an ETag, and 304 Not Modified answers to a
//   matching If-None-Match.
// - Byte ranges, as nginx, Apache, GitHub Pages, Netlify or S3 serve
//   them: a single range (`Range: bytes=a-b`, which is what recherche.js
//   sends for a postings or positions record) gets 206 Partial Content with those
//   bytes, not compressed (hosts do not gzip a 206); one past the end gets
//   416. `ranges: false` ignores the header and sends the whole file, as
//   some hosts do.
// - A record of every request, in order: path, status, encoding, the file's
//   size, the body bytes sent (after compression: what crossed the wire)
//   and the header bytes sent, with start and end times. `body` is the
//   figure the bench reports as "bytes on the wire"; headers are kept
//   apart (`headers`), as the peers' figures are body sizes too.
//
// Also a command, which `make serve` runs: `node bench/serve.mjs DIR`
// serves DIR (PORT=0 by default: a free port) and prints each request
// with its bytes.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { TYPES, byteRange } from "../tests/page/helpers.mjs";

export const GZIP_LEVEL = 6;

/** Larger files (a site's videos, archives) are sent as they are rather
 *  than gzipped in memory. Far above any package or index file. */
const GZIP_MAX_BYTES = 64 << 20;

/** Already compressed: sent as they are. */
const PRECOMPRESSED = new Set([".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".woff", ".woff2", ".gz", ".br", ".zst", ".zip", ".pdf", ".mp4", ".webm", ".mp3"]);

/**
 * Serves `root` on a free loopback port.
 * Options: `gzipLevel` (default 6; 0 sends everything uncompressed),
 * `cacheControl` (a string, or a function of the URL path returning one),
 * `headers` (added to every response).
 */
export function serveBench(root, { gzipLevel = GZIP_LEVEL, cacheControl = "no-cache", headers = {}, port = 0, onRequest = null, ranges = true } = {}) {
  root = path.resolve(root);
  const cache = new Map();
  const requests = [];
  const t0 = performance.now();

  // One entry per file and encoding, replaced when the file changes (a
  // preview left running across rebuilds keeps one copy of each file).
  // `acceptsGzip`: whether the request allows it; a file above GZIP_MAX_BYTES is
  // sent as it is (`entry.gzip`).
  function load(file, acceptsGzip) {
    const st = fs.statSync(file);
    const gzip = acceptsGzip && st.size <= GZIP_MAX_BYTES;
    const key = `${file}\0${gzip ? gzipLevel : 0}`;
    const version = `${st.size}\0${st.mtimeMs}`;
    let entry = cache.get(key);
    if (!entry || entry.version !== version) {
      const raw = fs.readFileSync(file);
      const body = gzip ? zlib.gzipSync(raw, { level: gzipLevel }) : raw;
      entry = { version, gzip, raw: raw.length, body, etag: `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}${gzip ? "-gz" : ""}"` };
      cache.set(key, entry);
    }
    return entry;
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    const record = {
      n: requests.length,
      method: req.method,
      path: url.pathname + url.search,
      status: 0,
      type: "",
      encoding: "identity",
      raw: 0,
      body: 0,
      headers: 0,
      start: performance.now() - t0,
      end: 0,
    };
    requests.push(record);
    const socket = req.socket;
    const written0 = socket.bytesWritten;
    res.on("finish", () => {
      record.end = performance.now() - t0;
      // Headers: whatever went to the socket beyond the body.
      record.headers = Math.max(0, socket.bytesWritten - written0 - record.body);
      if (onRequest) onRequest(record);
    });

    const send = (status, extra, body) => {
      record.status = status;
      record.body = body && req.method !== "HEAD" ? body.length : 0;
      res.writeHead(status, { ...headers, ...extra, ...(body ? { "Content-Length": body.length } : {}) });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, { Allow: "GET, HEAD" }, Buffer.from("method not allowed"));

    let file;
    try {
      file = path.join(root, decodeURIComponent(url.pathname));
    } catch {
      return send(400, {}, Buffer.from("bad request"));
    }
    if (file !== root && !file.startsWith(root + path.sep)) return send(403, {}, Buffer.from("forbidden"));
    try {
      if (fs.statSync(file).isDirectory()) {
        // As static hosts do: a folder's page is at its URL with a slash,
        // so that the page's relative URLs resolve inside the folder.
        if (!url.pathname.endsWith("/")) return send(301, { Location: url.pathname + "/" + url.search }, null);
        file = path.join(file, "index.html");
      }
    } catch {
      return send(404, { "Content-Type": "text/plain; charset=utf-8" }, Buffer.from("not found"));
    }
    const ext = path.extname(file).toLowerCase();
    const acceptsGzip = gzipLevel > 0 && !PRECOMPRESSED.has(ext) && /\bgzip\b/.test(req.headers["accept-encoding"] || "");
    let entry;
    try {
      entry = load(file, acceptsGzip);
    } catch {
      return send(404, { "Content-Type": "text/plain; charset=utf-8" }, Buffer.from("not found"));
    }
    record.type = TYPES[ext] || "application/octet-stream";
    record.raw = entry.raw;
    const common = {
      "Cache-Control": typeof cacheControl === "function" ? cacheControl(url.pathname) : cacheControl,
      ETag: entry.etag,
      Vary: "Accept-Encoding",
    };
    if (req.headers["if-none-match"] === entry.etag) return send(304, common, null);
    const range = ranges ? byteRange(req.headers.range, entry.raw) : null;
    if (range === "unsatisfiable") return send(416, { ...common, "Content-Range": `bytes */${entry.raw}` }, Buffer.alloc(0));
    if (range) {
      // The file's own bytes: a range is never compressed.
      const identity = entry.gzip ? load(file, false) : entry;
      record.raw = range.end - range.start;
      return send(206, { ...common, ETag: identity.etag, "Content-Type": record.type, "Accept-Ranges": "bytes", "Content-Range": `bytes ${range.start}-${range.end - 1}/${entry.raw}` }, identity.body.subarray(range.start, range.end));
    }
    record.encoding = entry.gzip ? "gzip" : "identity";
    send(200, { ...common, "Content-Type": record.type, "Accept-Ranges": ranges ? "bytes" : "none", ...(entry.gzip ? { "Content-Encoding": "gzip" } : {}) }, entry.body);
  });

  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const { port: p } = server.address();
      resolve({
        url: `http://127.0.0.1:${p}`,
        /** Every request so far, in arrival order. */
        requests,
        /** A position in the request log, for `since`. */
        mark: () => requests.length,
        /** The requests that arrived after `mark`. */
        since: (mark) => requests.slice(mark),
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }),
      });
    });
  });
}

/** Sums a list of request records: body bytes (compressed, as sent), header bytes, count. */
export function totals(records) {
  return {
    requests: records.length,
    body: records.reduce((n, r) => n + r.body, 0),
    headers: records.reduce((n, r) => n + r.headers, 0),
    raw: records.reduce((n, r) => n + (r.status === 200 || r.status === 206 ? r.raw : 0), 0),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (!dir) {
    console.error("usage: node bench/serve.mjs DIR   (PORT=0 by default: a free port)");
    process.exit(2);
  }
  const s = await serveBench(dir, {
    port: Number(process.env.PORT || 0),
    onRequest: (r) => console.log(`${r.status} ${r.path} ${r.encoding} ${r.raw} → ${r.body} B body + ${r.headers} B headers`),
  });
  console.log(process.env.SERVE_MESSAGE || `serving ${path.resolve(dir)} at ${s.url}/ (gzip level ${GZIP_LEVEL}; Ctrl-C to stop)`);
}
