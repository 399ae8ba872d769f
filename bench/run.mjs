// make bench: for each corpus (seeds, medium, large) and each layout of the
// package, sizes, build cost, the first answer over an emulated 4G-class
// link (time, bytes on the wire, requests), the bytes later queries fetch,
// readiness without throttling, and warm query latency (browser and
// native). Prints Markdown tables and writes bench/results.json.
// Benchmarks are not tests: nothing here fails on a time or a size; the
// budgets are checked and reported (`budgets` in each record).
//
// Environment:
//   BENCH_ONLY=seeds,medium     corpora to run (the others keep their last
//                               figures in results.json)
//   BENCH_LAYOUTS=embedded,split  package layouts, each built with
//                               `RECHERCHE_LAYOUT=<layout> make package`
//                               (default: both)
//   BENCH_REUSE=1               reuse a corpus's earlier build in
//                               target/bench/<dir>/ if there is one (its build
//                               figures were saved with it)
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { chromium } from "playwright-core";
import { ROOT, CHROMIUM, CHROMIUM_ARGS, packageOutDir } from "../tests/page/helpers.mjs";
import { serveBench, GZIP_LEVEL } from "./serve.mjs";
import { LINK, coldLoad } from "./network.mjs";

// `query`: the first query, in the page's URL (`index.html?q=…`), for the
// cold loads with and without the link; its answer must have results.
const CORPORA = [
  { name: "seeds", path: "seeds", query: "otan" },
  { name: "medium", path: "../shared/corpora/medium.jsonl", query: "tableau croisé" },
  { name: "large", path: "../shared/corpora/large.jsonl", query: "tableau croisé" },
].filter((c) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(",").includes(c.name));
// A layout is a name given to the build as RECHERCHE_LAYOUT; its outputs go
// to target/bench/<corpus> (embedded) or target/bench/<corpus>-<layout>.
const LAYOUTS = (process.env.BENCH_LAYOUTS || "embedded,split").split(",").map((s) => s.trim()).filter(Boolean);
const REUSE = process.env.BENCH_REUSE === "1";
const LOADS = 5;
// The budgets. KB are 1,024 bytes, as everywhere in the README.
// Seeds: "embedded, and no larger than today (wasm + glue 80 KB gzipped)";
// today's package, measured by this bench on main at 39b854b, is also
// checked, in bytes: wasm 81,928 + glue 2,378 + API 733 (gzip -9).
const BUDGETS = {
  seeds: { wasm_glue_gzip_kb: 80, wasm_glue_gzip_bytes: 85039 },
  medium: { first_answer_kb: 110, first_answer_ms: 800 },
  large: { first_answer_kb: 150, first_answer_ms: 900, later_query_mean_kb: 60, browser_p95_ms: 2 },
};
const SECTIONS = ["terms", "postings", "positions", "variants", "variant postings", "surfaces", "fields", "facets", "ids", "directory", "stored text"];
// Sizes at rest: the gzip command at -9, as `make build` prints them. On
// the wire the bench server uses level GZIP_LEVEL (6).
const gz = (buf) => spawnSync("gzip", ["-9c"], { input: buf, maxBuffer: 1 << 30 }).stdout.length;
const kb = (n) => (n / 1024).toFixed(1);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

const PATH = `${path.join(ROOT, "node_modules/.bin")}:${path.join(process.env.HOME || "/root", ".cargo/bin")}:${process.env.PATH}`;

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, env: { ...process.env, PATH, ...env }, encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    throw new Error(`${cmd} ${args.join(" ")} failed`);
  }
  return r;
}

/** Section slices of an index, from its header. */
function sections(bytes) {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = {};
  SECTIONS.forEach((name, i) => {
    const off = dv.getUint32(20 + i * 8, true);
    const len = dv.getUint32(24 + i * 8, true);
    out[name] = bytes.subarray(off, off + len);
  });
  return out;
}

/** Every file under `dir`, relative to it. */
function walk(dir, base = dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name), base) : [path.relative(base, path.join(dir, e.name))]);
}

/** Builds `corpus` in `layout` into `dir` (the page, the package, the bench
 *  page), or reuses an earlier build with BENCH_REUSE=1. Returns the build
 *  figures, also saved in dir/build.json. */
function build(corpus, layout, dir) {
  const saved = path.join(dir, "build.json");
  if (REUSE && fs.existsSync(saved) && fs.existsSync(path.join(dir, "pkg/recherche.js"))) {
    say(`${corpus.name} (${layout}): reusing the build in ${path.relative(ROOT, dir)}`);
  } else {
    say(`${corpus.name} (${layout}): building`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    // Touch build.rs so that the index is really rebuilt and measured.
    const now = new Date();
    fs.utimesSync(path.join(ROOT, "build.rs"), now, now);
    // `make package` builds the wasm (this is what is timed: the index is
    // built by build.rs inside it), minifies the glue and adds the API wrapper.
    const timed = run("/usr/bin/time", ["-v", "make", "--no-print-directory", "package", `PKG=${path.join(dir, "pkg")}`],
      { RECHERCHE_CORPUS: corpus.path, RECHERCHE_LAYOUT: layout });
    const peakKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(timed.stderr)[1]);
    const wallText = /Elapsed \(wall clock\) time .*: (?:(\d+):)?(\d+):(\d+(?:\.\d+)?)/.exec(timed.stderr);
    const out = packageOutDir();
    fs.copyFileSync(path.join(out, "stats.json"), path.join(dir, "stats.json"));
    if (fs.existsSync(path.join(out, "index.bin"))) fs.copyFileSync(path.join(out, "index.bin"), path.join(dir, "index.bin"));
    fs.writeFileSync(saved, JSON.stringify({
      corpus: corpus.name,
      layout,
      build_wall_seconds: Number(wallText[1] || 0) * 3600 + Number(wallText[2]) * 60 + Number(wallText[3]),
      build_peak_mb: peakKb / 1024,
      date: new Date().toISOString(),
    }, null, 2) + "\n");
  }
  // The page and the bench page are copied afresh, even onto a reused build.
  for (const f of fs.readdirSync(path.join(ROOT, "www"))) {
    if (/\.(html|js|css|svg)$/.test(f)) fs.copyFileSync(path.join(ROOT, "www", f), path.join(dir, f));
  }
  for (const f of ["bench.html", "bench.js", "queries.json"]) fs.copyFileSync(path.join(ROOT, "bench", f), path.join(dir, f));
  return {
    ...JSON.parse(fs.readFileSync(saved, "utf8")),
    stats: JSON.parse(fs.readFileSync(path.join(dir, "stats.json"), "utf8")),
  };
}

/** Sizes at rest (gzip -9) of the package and of the index's sections. */
function sizes(dir) {
  const pkgFiles = walk(path.join(dir, "pkg")).sort().map((f) => {
    const b = fs.readFileSync(path.join(dir, "pkg", f));
    return { file: f, bytes: b.length, gzip: gz(b) };
  });
  const wasm = fs.readFileSync(path.join(dir, "pkg/engine_bg.wasm"));
  const gzOf = (f) => gz(fs.readFileSync(path.join(dir, f)));
  const glue = gzOf("pkg/engine.js");
  const api = gzOf("pkg/recherche.js");
  const page = ["recherche-ui.js", "app.js", "boot.js"].reduce((n, f) => n + gzOf(f), 0);
  const out = {
    pkg_files: pkgFiles,
    pkg_gzip: pkgFiles.reduce((n, f) => n + f.gzip, 0),
    wasm_bytes: wasm.length,
    wasm_gzip: gz(wasm),
    glue_gzip: glue,
    api_gzip: api,
    // The engine as a page gets it: wasm + wasm-bindgen glue + public API.
    wasm_glue_gzip: gz(wasm) + glue + api,
    js_gzip: glue + api + page,
    payload_gzip: gz(wasm) + glue + api + page,
  };
  const indexFile = path.join(dir, "index.bin");
  const shardDir = path.join(dir, "pkg/index");
  if (fs.existsSync(shardDir)) {
    // Split: the root is in the module; raw sizes per section come from
    // the build's stats (shards summed by kind), gzip sizes from the files.
    const stats = JSON.parse(fs.readFileSync(path.join(dir, "stats.json"), "utf8"));
    const raw = stats.sections;
    const files = fs.readdirSync(shardDir);
    const byKind = (letters) => gz(Buffer.concat(files.filter((f) => letters.includes(f[0])).map((f) => fs.readFileSync(path.join(shardDir, f)))));
    Object.assign(out, {
      index_bytes: stats.index_bytes,
      root_bytes: stats.root_bytes,
      split_files: files.length,
      largest_file_bytes: stats.largest_file_bytes,
      dictionary_bytes: raw.terms + raw.ids,
      postings_bytes: raw.postings + raw["variant postings"] + raw.fields,
      positions_bytes: raw.positions,
      stored_bytes: raw["stored text"],
      facets_bytes: raw.facets,
      index_without_stored_gzip: byKind("dpxvi"),
      index_without_stored_or_positions_gzip: byKind("dpvi"),
      stored_gzip: byKind("s"),
    });
  } else if (fs.existsSync(indexFile)) {
    const index = fs.readFileSync(indexFile);
    const parts = sections(index);
    const noStored = Buffer.concat(SECTIONS.filter((s) => s !== "stored text").map((s) => parts[s]));
    const core = Buffer.concat(SECTIONS.filter((s) => !["stored text", "positions"].includes(s)).map((s) => parts[s]));
    Object.assign(out, {
      index_bytes: index.length,
      dictionary_bytes: parts.terms.length + parts.variants.length + parts.surfaces.length + parts.ids.length,
      postings_bytes: parts.postings.length + parts["variant postings"].length + parts.fields.length,
      positions_bytes: parts.positions.length,
      stored_bytes: parts["stored text"].length,
      facets_bytes: parts.facets.length,
      index_without_stored_gzip: gz(noStored),
      index_without_stored_or_positions_gzip: gz(core),
      stored_gzip: gz(parts["stored text"]),
    });
  }
  return out;
}

/** Everything measured in the browser, on one bench server (gzip level 6). */
async function browserFigures(corpus, dir, queries) {
  const server = await serveBench(dir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    // Over the link: LOADS cold loads (each in a fresh context: empty cache,
    // new connections) to the first answer; the last one then
    // runs every query of bench/queries.json and counts what each fetches.
    // One load first, not counted: the browser's own start-up costs.
    say(`${corpus.name}: warm-up load over the link (not counted)`);
    await coldLoad(browser, server, `/index.html?q=${encodeURIComponent(corpus.query)}`, { link: LINK });
    const link = [];
    for (let i = 0; i < LOADS; i++) {
      say(`${corpus.name}: load ${i + 1}/${LOADS} over the link`);
      link.push(await coldLoad(browser, server, `/index.html?q=${encodeURIComponent(corpus.query)}`,
        { link: LINK, laterQueries: i === LOADS - 1 ? queries : null }));
    }
    say(`${corpus.name}: ${LOADS} loads without throttling, then warm queries`);
    // Without throttling: loopback, gzip, the same query.
    const ready = [];
    for (let i = 0; i < LOADS; i++) ready.push(await coldLoad(browser, server, `/index.html?q=${encodeURIComponent(corpus.query)}`));
    // Warm query latency, without throttling.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/bench.html`);
    await page.waitForFunction(() => window.__bench || window.__benchError, null, { timeout: 300000 });
    const err = await page.evaluate(() => window.__benchError);
    if (err) throw new Error(err);
    const warm = await page.evaluate(() => window.__bench);
    await context.close();
    return { link, ready, warm };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** The link figures: medians over the loads, and the load at the median
 *  for the list of files. */
function linkFigures(corpus, loads) {
  const times = loads.map((l) => l.firstAnswerMs);
  const mid = loads.find((l) => l.firstAnswerMs === median(times));
  const later = loads[loads.length - 1].later;
  return {
    link: LINK.label,
    gzip_level: GZIP_LEVEL,
    query: corpus.query,
    first_answer_ms: median(times),
    first_answer_ms_all: times,
    first_hit_ms_all: loads.map((l) => l.firstHitMs),
    wall_ms_all: loads.map((l) => l.wallMs),
    first_answer_bytes: median(loads.map((l) => l.wire.body)),
    first_answer_bytes_all: loads.map((l) => l.wire.body),
    first_answer_header_bytes: median(loads.map((l) => l.wire.headers)),
    first_answer_requests: median(loads.map((l) => l.wire.requests)),
    encoded_body_bytes_all: loads.map((l) => l.encodedBodyBytes),
    devtools_bytes_all: loads.map((l) => l.devtoolsBytes),
    hits: mid.hits,
    titles: mid.titles,
    snippets: mid.snippets,
    files: mid.files,
    other_requests: mid.otherRequests,
    after_first_answer: { bytes: loads[loads.length - 1].afterFirstAnswer.body, requests: loads[loads.length - 1].afterFirstAnswer.requests, files: loads[loads.length - 1].afterFirstAnswer.files.map((f) => f.path) },
    later_queries: {
      count: later.length,
      mean_bytes: mean(later.map((q) => q.body)),
      max_bytes: Math.max(...later.map((q) => q.body)),
      needing_files: later.filter((q) => q.requests > 0).length,
      // Over the queries that fetched anything (null if none did).
      mean_bytes_when_fetching: later.some((q) => q.requests) ? mean(later.filter((q) => q.requests).map((q) => q.body)) : null,
      requests: later.reduce((n, q) => n + q.requests, 0),
      per_query: later.map((q) => ({ q: q.q, ms: q.ms, total: q.total, bytes: q.body, header_bytes: q.headers, requests: q.requests, files: q.files.map((f) => f.path) })),
    },
  };
}

function budgets(corpus, r) {
  const b = BUDGETS[corpus];
  const out = {};
  const check = (name, limit, measured) => { out[name] = { limit, measured, met: measured <= limit }; };
  if (b.wasm_glue_gzip_kb !== undefined) check("wasm_glue_gzip_kb", b.wasm_glue_gzip_kb, r.wasm_glue_gzip / 1024);
  if (b.wasm_glue_gzip_bytes !== undefined) check("wasm_glue_gzip_bytes", b.wasm_glue_gzip_bytes, r.wasm_glue_gzip);
  if (b.first_answer_kb !== undefined) check("first_answer_kb", b.first_answer_kb, r.network.first_answer_bytes / 1024);
  if (b.first_answer_ms !== undefined) check("first_answer_ms", b.first_answer_ms, r.network.first_answer_ms);
  // "A later query that needs new files fetches ≤ 60 KB on average": the
  // mean over the queries that fetched anything (0 if none did).
  if (b.later_query_mean_kb !== undefined) check("later_query_mean_kb", b.later_query_mean_kb, (r.network.later_queries.mean_bytes_when_fetching || 0) / 1024);
  if (b.browser_p95_ms !== undefined) check("browser_p95_ms", b.browser_p95_ms, r.browser_p95_ms);
  return out;
}

const started = Date.now();
const say = (text) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0)} s, load ${os.loadavg()[0].toFixed(1)}] ${text}\n`);
const queries = JSON.parse(fs.readFileSync(path.join(ROOT, "bench/queries.json"), "utf8"));
const results = [];
for (const corpus of CORPORA) {
  for (const layout of LAYOUTS) {
    const dir = path.join(ROOT, "target/bench", layout === "embedded" ? corpus.name : `${corpus.name}-${layout}`);
    const built = build(corpus, layout, dir);
    const size = sizes(dir);

    say(`${corpus.name} (${layout}): browser`);
    const loadBefore = os.loadavg()[0];
    const browser = await browserFigures(corpus, dir, queries);
    // The machine is shared: its load says how much to trust the times.
    const loadAverage = [loadBefore, os.loadavg()[0]];
    const browserMs = browser.warm.map((x) => x.ms);

    say(`${corpus.name} (${layout}): criterion`);
    let nativeMs = null;
    // Natively, a split index answers as the embedded one once its files
    // are loaded: criterion measures the embedded layout only.
    if (size.index_bytes !== undefined && !size.split_files) {
      run("cargo", ["bench", "--bench", "search", "--", "--noplot"], { RECHERCHE_BENCH_INDEX: path.join(dir, "index.bin") });
      nativeMs = queries.map((_, i) => {
        const est = JSON.parse(fs.readFileSync(path.join(ROOT, `target/criterion/query/${String(i).padStart(2, "0")}/new/estimates.json`), "utf8"));
        return est.mean.point_estimate / 1e6;
      });
    }
    const filteredIdx = queries.map((q, i) => (q.kind === "filtered" ? i : -1)).filter((i) => i >= 0);

    const record = {
      corpus: corpus.name,
      layout,
      documents: built.stats.documents,
      ...size,
      elasticlunr_json_bytes: built.stats.elasticlunr_json_bytes,
      index_build_seconds: built.stats.index_seconds,
      build_wall_seconds: built.build_wall_seconds,
      build_peak_mb: built.build_peak_mb,
      network: linkFigures(corpus, browser.link),
      load_average_1min: loadAverage,
      ready_ms: median(browser.ready.map((l) => l.firstAnswerMs)),
      ready_ms_all: browser.ready.map((l) => l.firstAnswerMs),
      browser_p50_ms: pct(browserMs, 50),
      browser_p95_ms: pct(browserMs, 95),
      native_p50_ms: nativeMs && pct(nativeMs, 50),
      native_p95_ms: nativeMs && pct(nativeMs, 95),
      filtered_browser_ms: filteredIdx.map((i) => browserMs[i]),
      per_query: queries.map((q, i) => ({ q: q.q, kind: q.kind, browser_ms: browserMs[i], native_ms: nativeMs && nativeMs[i] })),
    };
    record.budgets = budgets(corpus.name, record);
    results.push(record);
  }
}

// With BENCH_ONLY or BENCH_LAYOUTS, the other records keep their last figures.
const file = path.join(ROOT, "bench/results.json");
const key = (r) => `${r.corpus}/${r.layout || "embedded"}`;
if (fs.existsSync(file)) {
  const previous = JSON.parse(fs.readFileSync(file, "utf8")).results || [];
  for (const old of previous) if (!results.some((r) => key(r) === key(old))) results.push({ layout: "embedded", ...old });
}
const order = ["seeds", "medium", "large"];
results.sort((a, b) => order.indexOf(a.corpus) - order.indexOf(b.corpus) || (a.layout === "embedded" ? -1 : b.layout === "embedded" ? 1 : a.layout.localeCompare(b.layout)));
const seconds = (Date.now() - started) / 1000;
fs.writeFileSync(file, JSON.stringify({
  date: new Date().toISOString(),
  link: { ...LINK, gzip_level: GZIP_LEVEL, bytes: "body bytes as sent by bench/serve.mjs (after gzip), HTTP headers excluded (kept apart)" },
  run_seconds: seconds,
  results,
}, null, 2) + "\n");

const f = (x, d = 3) => (x === null || x === undefined ? "–" : Number(x).toFixed(d));
const met = (b) => (b ? (b.met ? "met" : "missed") : "");
console.log([
  `Over the link (${LINK.label}, gzip ${GZIP_LEVEL}, median of ${LOADS} cold loads; KB of 1,024 bytes of response bodies):`,
  "",
  "| corpus | layout | query | first answer KB | requests | first answer ms (all) | later query mean KB, of those fetching (max) | budgets |",
  "|---|---|---|---:|---:|---:|---:|---|",
  ...results.filter((r) => r.network).map((r) => `| ${r.corpus} | ${r.layout} | ${r.network.query} | ${kb(r.network.first_answer_bytes)} | ${r.network.first_answer_requests} | ${f(r.network.first_answer_ms, 0)} (${r.network.first_answer_ms_all.map((x) => x.toFixed(0)).join(", ")}) | ${kb(r.network.later_queries.mean_bytes_when_fetching || 0)} (${kb(r.network.later_queries.max_bytes)}) | ${Object.entries(r.budgets || {}).map(([k, b]) => `${k} ${met(b)}`).join(", ")} |`),
  "",
  "| corpus | layout | docs | wasm raw / gzip KB | wasm+glue+API gzip KB | JS gzip KB | payload gzip KB | dictionary KB | postings KB | positions KB | stored text KB | facets KB | index w/o stored, gzip KB (w/o positions too) | elasticlunr JSON KB | index build s | build wall s | build peak MB | ready ms | browser p50 / p95 ms | native p50 / p95 ms |",
  "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ...results.map((r) => `| ${r.corpus} | ${r.layout} | ${r.documents} | ${kb(r.wasm_bytes)} / ${kb(r.wasm_gzip)} | ${r.wasm_glue_gzip ? kb(r.wasm_glue_gzip) : "–"} | ${kb(r.js_gzip)} | ${kb(r.payload_gzip)} | ${kb(r.dictionary_bytes)} | ${kb(r.postings_bytes)} | ${kb(r.positions_bytes)} | ${kb(r.stored_bytes)} | ${kb(r.facets_bytes)} | ${kb(r.index_without_stored_gzip)} (${kb(r.index_without_stored_or_positions_gzip)}) | ${kb(r.elasticlunr_json_bytes)} | ${f(r.index_build_seconds, 1)} | ${f(r.build_wall_seconds, 1)} | ${f(r.build_peak_mb, 0)} | ${f(r.ready_ms, 0)} | ${f(r.browser_p50_ms)} / ${f(r.browser_p95_ms)} | ${f(r.native_p50_ms, 4)} / ${f(r.native_p95_ms, 4)} |`),
  "",
  `bench/results.json written; ${seconds.toFixed(0)} s.`,
].join("\n"));
