// make bench-site: index a real website nobody here wrote, the French help
// of LibreOffice (Debian's libreoffice-help-fr: 2,500 HTML pages), and
// report the build's time and memory, the sizes, the build warnings and a
// few queries answered in Chromium. Writes bench/site.json. The package is
// downloaded once into target/lo-help (never installed); the built site is
// left in target/lo-www (`python3 -m http.server -d target/lo-www`, then
// /recherche/). Benchmarks are not tests: nothing here asserts a time.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { serve, ROOT, CHROMIUM, CHROMIUM_ARGS, packageOutDir } from "../tests/page/helpers.mjs";

const DOWNLOAD = path.join(ROOT, "target/lo-help");
const CORPUS = path.join(DOWNLOAD, "root/usr/share/libreoffice/help/fr");
const OUT = path.join(ROOT, "target/lo-www");
const QUERIES = [
  "tableau croisé dynamique",
  "mise en forme conditionnelle",
  "raccourcis clavier",
  "RECHERCHEV",
  "exporter en PDF",
  "numérotation des pages",
  "insérer une image",
  "tablaeu croisé", // a typo
  "macro Basic",
];
const LOADS = 3;
const RUNS = 20;
const SECTIONS = ["terms", "postings", "positions", "variants", "variant postings", "fields", "facets", "ids", "stored offsets", "stored text"];
const gz = (buf) => spawnSync("gzip", ["-9c"], { input: buf, maxBuffer: 1 << 30 }).stdout.length;
const kb = (n) => Math.round((n / 1024) * 10) / 10;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const PATH = `${path.join(ROOT, "node_modules/.bin")}:${path.join(process.env.HOME || "/root", ".cargo/bin")}:${process.env.PATH}`;

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: opts.cwd || ROOT, env: { ...process.env, PATH, ...(opts.env || {}) }, encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    throw new Error(`${cmd} ${args.join(" ")} failed`);
  }
  return r;
}

// 1. The pages, downloaded once.
if (!fs.existsSync(CORPUS)) {
  fs.mkdirSync(DOWNLOAD, { recursive: true });
  process.stderr.write("== downloading libreoffice-help-fr (apt-get download, no install)\n");
  run("apt-get", ["download", "libreoffice-help-fr"], { cwd: DOWNLOAD });
  const deb = fs.readdirSync(DOWNLOAD).find((f) => f.endsWith(".deb"));
  run("dpkg-deb", ["-x", deb, "root"], { cwd: DOWNLOAD });
}
const deb = fs.readdirSync(DOWNLOAD).find((f) => f.endsWith(".deb"));
const files = run("find", [CORPUS, "-type", "f"]).stdout.trim().split("\n");
const pages = files.filter((f) => /\.html?$/i.test(f));
const htmlBytes = pages.reduce((n, f) => n + fs.statSync(f).size, 0);

// 2. The release package, timed; build.rs is touched so the index is rebuilt.
process.stderr.write(`== building the package from ${pages.length} pages\n`);
fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(path.join(OUT, "recherche"), { recursive: true });
const now = new Date();
fs.utimesSync(path.join(ROOT, "build.rs"), now, now);
const timed = run("/usr/bin/time", ["-v", "make", "--no-print-directory", "package", `PKG=${path.join(OUT, "recherche/pkg")}`], { env: { RECHERCHE_CORPUS: CORPUS } });
const log = timed.stdout + timed.stderr;
const peakMb = Math.round(Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(timed.stderr)[1]) / 1024);
const wall = /Elapsed \(wall clock\) time .*: (?:(\d+):)?(\d+):(\d+(?:\.\d+)?)/.exec(timed.stderr);
const buildSeconds = Number(wall[1] || 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]);
// Build warnings, one per line (cargo repeats them for each target it builds).
const warnings = [...new Set(log.split("\n").filter((l) => /^warning: recherche@[^:]+: recherche: /.test(l)))];
const kinds = {};
for (const w of warnings) {
  const kind = /is none of/.test(w) ? "other files, not indexed"
    : /has no title/.test(w) ? "pages without a title"
    : /has no body text/.test(w) ? "pages without text"
    : /page language is/.test(w) ? "pages not in French"
    : /teaser/.test(w) ? "teasers dropped"
    : "other";
  (kinds[kind] ||= []).push(w.replace(/^warning: recherche@[^:]+: recherche: /, "").replace(CORPUS + "/", ""));
}

const out = packageOutDir();
const stats = JSON.parse(fs.readFileSync(path.join(out, "stats.json"), "utf8"));
const index = fs.readFileSync(path.join(out, "index.bin"));
const dv = new DataView(index.buffer, index.byteOffset, index.byteLength);
const part = {};
SECTIONS.forEach((name, i) => {
  const off = dv.getUint32(20 + i * 8, true);
  part[name] = index.subarray(off, off + dv.getUint32(24 + i * 8, true));
});
const noStored = Buffer.concat(SECTIONS.filter((s) => s !== "stored text" && s !== "stored offsets").map((s) => part[s]));

// 3. The site as it would be deployed: its pages at /, the search page at /recherche/.
for (const f of fs.readdirSync(path.join(ROOT, "www"))) {
  if (/\.(html|js|css|svg)$/.test(f)) fs.copyFileSync(path.join(ROOT, "www", f), path.join(OUT, "recherche", f));
}
for (const f of fs.readdirSync(CORPUS)) fs.symlinkSync(path.join(CORPUS, f), path.join(OUT, f));
const wasm = fs.readFileSync(path.join(OUT, "recherche/pkg/engine_bg.wasm"));
const js = ["pkg/recherche.js", "pkg/engine.js", "recherche-ui.js", "app.js", "boot.js"].map((f) => fs.readFileSync(path.join(OUT, "recherche", f)));

// 4. In Chromium: ready time, and each query's top hits, sections and latency.
process.stderr.write("== Chromium\n");
const server = await serve(OUT);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
let ready = [];
let answers = [];
try {
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/recherche/?q=${encodeURIComponent(QUERIES[0])}`);
    await page.waitForSelector("body.ready", { timeout: 120000 });
    ready.push(await page.evaluate(() => performance.getEntriesByName("recherche:first-answer")[0].startTime));
    if (i === LOADS - 1) {
      // The first hit is a link to a page that is really there.
      await page.waitForSelector("#resultat-0");
      const href = await page.getAttribute("#resultat-0", "href");
      const response = await page.request.get(href);
      if (!response.ok()) throw new Error(`${href}: HTTP ${response.status()}`);
      answers = await page.evaluate(async ({ queries, runs }) => {
        const api = await import("./pkg/recherche.js");
        const out = [];
        for (const q of queries) {
          await api.search(q, { limit: 10 });
          const times = [];
          let r;
          for (let k = 0; k < runs; k++) {
            const t = performance.now();
            r = await api.search(q, { limit: 10 });
            times.push(performance.now() - t);
          }
          times.sort((a, b) => a - b);
          out.push({
            query: q,
            total: r.total,
            relaxed: r.relaxed,
            ms: Math.round(times[Math.floor(times.length / 2)] * 1000) / 1000,
            top: r.hits.slice(0, 3).map((h) => ({ title: h.title, url: h.url, sections: h.sections.map((s) => s.heading) })),
          });
        }
        return out;
      }, { queries: QUERIES, runs: RUNS });
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}

const result = {
  date: new Date().toISOString().slice(0, 10),
  package: deb,
  pages: pages.length,
  otherFiles: files.length - pages.length,
  htmlKb: kb(htmlBytes),
  documents: stats.documents,
  buildSeconds,
  indexSeconds: stats.index_seconds,
  buildPeakMb: peakMb,
  indexKb: kb(index.length),
  storedTextKb: kb(part["stored text"].length),
  indexWithoutStoredGzipKb: kb(gz(noStored)),
  wasmKb: kb(wasm.length),
  wasmGzipKb: kb(gz(wasm)),
  jsGzipKb: kb(gz(Buffer.concat(js))),
  readyMs: Math.round(median(ready)),
  readyAllMs: ready.map(Math.round),
  warnings: Object.fromEntries(Object.entries(kinds).map(([k, v]) => [k, { count: v.length, examples: v.slice(0, 3) }])),
  queries: answers,
};
fs.writeFileSync(path.join(ROOT, "bench/site.json"), JSON.stringify(result, null, 2) + "\n");

console.log(`${result.package}: ${result.pages} pages (${result.htmlKb} KB of HTML), ${result.documents} documents`);
console.log(`build ${buildSeconds.toFixed(1)} s (index ${stats.index_seconds.toFixed(1)} s), peak ${peakMb} MB`);
console.log(`index ${result.indexKb} KB (stored text ${result.storedTextKb} KB; without it, gzip ${result.indexWithoutStoredGzipKb} KB)`);
console.log(`wasm ${result.wasmKb} KB, gzip ${result.wasmGzipKb} KB; JS gzip ${result.jsGzipKb} KB; ready ${result.readyMs} ms (${result.readyAllMs.join(", ")})`);
for (const [k, v] of Object.entries(result.warnings)) console.log(`warnings: ${v.count} ${k}, e.g. ${v.examples[0]}`);
for (const a of answers) {
  console.log(`\n${a.query}: ${a.total} hits${a.relaxed ? " (relaxed)" : ""}, ${a.ms} ms`);
  for (const h of a.top) console.log(`  ${h.title}  [${h.url}]${h.sections.length ? "  § " + h.sections.join(" · ") : ""}`);
}
