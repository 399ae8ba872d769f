// make bench: sizes, build cost, readiness and query latency for the seeds,
// medium and large corpora. Prints one Markdown table and writes
// bench/results.json. Benchmarks are not tests: nothing here asserts a time.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { serve, ROOT, CHROMIUM, CHROMIUM_ARGS } from "../tests/page/helpers.mjs";

const CORPORA = [
  { name: "seeds", path: "seeds" },
  { name: "medium", path: "../shared/corpora/medium.jsonl" },
  { name: "large", path: "../shared/corpora/large.jsonl" },
].filter((c) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(",").includes(c.name));
const LOADS = 5;
const SECTIONS = ["terms", "postings", "positions", "variants", "variant postings", "fields", "facets", "ids", "stored offsets", "stored text"];
// The same measure as `make build` prints: the gzip command, at -9.
const gz = (buf) => spawnSync("gzip", ["-9c"], { input: buf, maxBuffer: 1 << 30 }).stdout.length;
const kb = (n) => (n / 1024).toFixed(1);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

const PATH = `${path.join(ROOT, "node_modules/.bin")}:${path.join(process.env.HOME || "/root", ".cargo/bin")}:${process.env.PATH}`;

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, env: { ...process.env, PATH, ...env }, encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    throw new Error(`${cmd} ${args.join(" ")} failed`);
  }
  return r;
}

function newestOutDir() {
  const base = path.join(ROOT, "target/wasm32-unknown-unknown/release/build");
  return fs.readdirSync(base)
    .filter((d) => d.startsWith("recherche-") && fs.existsSync(path.join(base, d, "out/stats.json")))
    .map((d) => path.join(base, d, "out"))
    .sort((a, b) => fs.statSync(path.join(b, "stats.json")).mtimeMs - fs.statSync(path.join(a, "stats.json")).mtimeMs)[0];
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

async function browserFigures(dir) {
  const server = await serve(dir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const ready = [];
    for (let i = 0; i < LOADS; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${server.url}/index.html?q=otan`);
      await page.waitForSelector("body.ready", { timeout: 60000 });
      ready.push(await page.evaluate(() => performance.getEntriesByName("recherche:first-answer")[0].startTime));
      await context.close();
    }
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/bench.html`);
    await page.waitForFunction(() => window.__bench || window.__benchError, null, { timeout: 300000 });
    const err = await page.evaluate(() => window.__benchError);
    if (err) throw new Error(err);
    const per = await page.evaluate(() => window.__bench);
    await context.close();
    return { readyMs: median(ready), readyAll: ready, queryMs: per };
  } finally {
    await browser.close();
    await server.close();
  }
}

const results = [];
for (const corpus of CORPORA) {
  process.stderr.write(`\n== ${corpus.name}: building\n`);
  const dir = path.join(ROOT, "target/bench", corpus.name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  // Touch build.rs so that the index is really rebuilt and measured.
  const now = new Date();
  fs.utimesSync(path.join(ROOT, "build.rs"), now, now);
  // `make package` builds the wasm (this is what is timed: the index is
  // built by build.rs inside it), minifies the glue and adds the API wrapper.
  const timed = run("/usr/bin/time", ["-v", "make", "--no-print-directory", "package", `PKG=${path.join(dir, "pkg")}`],
    { RECHERCHE_CORPUS: corpus.path });
  const peakKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(timed.stderr)[1]);
  const wallText = /Elapsed \(wall clock\) time .*: (?:(\d+):)?(\d+):(\d+(?:\.\d+)?)/.exec(timed.stderr);
  const buildWall = (Number(wallText[1] || 0) * 3600) + Number(wallText[2]) * 60 + Number(wallText[3]);
  for (const f of fs.readdirSync(path.join(ROOT, "www"))) {
    if (/\.(html|js|css|svg)$/.test(f)) fs.copyFileSync(path.join(ROOT, "www", f), path.join(dir, f));
  }
  fs.copyFileSync(path.join(ROOT, "bench/bench.html"), path.join(dir, "bench.html"));
  fs.copyFileSync(path.join(ROOT, "bench/bench.js"), path.join(dir, "bench.js"));
  fs.copyFileSync(path.join(ROOT, "bench/queries.json"), path.join(dir, "queries.json"));

  const out = newestOutDir();
  const stats = JSON.parse(fs.readFileSync(path.join(out, "stats.json"), "utf8"));
  const index = fs.readFileSync(path.join(out, "index.bin"));
  fs.copyFileSync(path.join(out, "index.bin"), path.join(dir, "index.bin"));
  const parts = sections(index);
  const noStored = Buffer.concat(SECTIONS.filter((s) => s !== "stored text" && s !== "stored offsets").map((s) => parts[s]));
  const core = Buffer.concat(SECTIONS.filter((s) => !["stored text", "stored offsets", "positions"].includes(s)).map((s) => parts[s]));
  const wasm = fs.readFileSync(path.join(dir, "pkg/engine_bg.wasm"));
  const js = ["pkg/recherche.js", "pkg/engine.js", "recherche-ui.js", "app.js", "boot.js"].map((f) => fs.readFileSync(path.join(dir, f)));

  process.stderr.write(`== ${corpus.name}: browser\n`);
  const browser = await browserFigures(dir);
  process.stderr.write(`== ${corpus.name}: criterion\n`);
  run("cargo", ["bench", "--bench", "search", "--", "--noplot"], { RECHERCHE_BENCH_INDEX: path.join(dir, "index.bin") });
  const queries = JSON.parse(fs.readFileSync(path.join(ROOT, "bench/queries.json"), "utf8"));
  const nativeMs = queries.map((_, i) => {
    const est = JSON.parse(fs.readFileSync(path.join(ROOT, `target/criterion/query/${String(i).padStart(2, "0")}/new/estimates.json`), "utf8"));
    return est.mean.point_estimate / 1e6;
  });
  const browserMs = browser.queryMs.map((x) => x.ms);
  const filteredIdx = queries.map((q, i) => (q.kind === "filtered" ? i : -1)).filter((i) => i >= 0);

  results.push({
    corpus: corpus.name,
    documents: stats.documents,
    wasm_bytes: wasm.length,
    wasm_gzip: gz(wasm),
    js_gzip: js.reduce((n, b) => n + gz(b), 0),
    payload_gzip: gz(wasm) + js.reduce((n, b) => n + gz(b), 0),
    index_bytes: index.length,
    dictionary_bytes: parts.terms.length + parts.variants.length + parts.ids.length,
    postings_bytes: parts.postings.length + parts["variant postings"].length + parts.fields.length,
    positions_bytes: parts.positions.length,
    stored_bytes: parts["stored text"].length + parts["stored offsets"].length,
    facets_bytes: parts.facets.length,
    index_without_stored_gzip: gz(noStored),
    index_without_stored_or_positions_gzip: gz(core),
    stored_gzip: gz(Buffer.concat([parts["stored text"]])),
    elasticlunr_json_bytes: stats.elasticlunr_json_bytes,
    index_build_seconds: stats.index_seconds,
    build_wall_seconds: buildWall,
    build_peak_mb: peakKb / 1024,
    ready_ms: browser.readyMs,
    ready_ms_all: browser.readyAll,
    browser_p50_ms: pct(browserMs, 50),
    browser_p95_ms: pct(browserMs, 95),
    native_p50_ms: pct(nativeMs, 50),
    native_p95_ms: pct(nativeMs, 95),
    filtered_browser_ms: filteredIdx.map((i) => browserMs[i]),
    per_query: queries.map((q, i) => ({ q: q.q, kind: q.kind, browser_ms: browserMs[i], native_ms: nativeMs[i] })),
  });
}

// With BENCH_ONLY, the other corpora keep their last figures.
const file = path.join(ROOT, "bench/results.json");
if (process.env.BENCH_ONLY && fs.existsSync(file)) {
  const previous = JSON.parse(fs.readFileSync(file, "utf8")).results || [];
  for (const old of previous) if (!results.some((r) => r.corpus === old.corpus)) results.push(old);
  const order = ["seeds", "medium", "large"];
  results.sort((a, b) => order.indexOf(a.corpus) - order.indexOf(b.corpus));
}
fs.writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), results }, null, 2) + "\n");
const f = (x, d = 3) => Number(x).toFixed(d);
const lines = [
  "| corpus | docs | wasm raw / gzip KB | JS gzip KB | payload gzip KB | dictionary KB | postings KB | positions KB | stored text KB | facets KB | index w/o stored, gzip KB (w/o positions too) | elasticlunr JSON KB | index build s | build peak MB | ready ms | browser p50 / p95 ms | native p50 / p95 ms |",
  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ...results.map((r) => `| ${r.corpus} | ${r.documents} | ${kb(r.wasm_bytes)} / ${kb(r.wasm_gzip)} | ${kb(r.js_gzip)} | ${kb(r.payload_gzip)} | ${kb(r.dictionary_bytes)} | ${kb(r.postings_bytes)} | ${kb(r.positions_bytes)} | ${kb(r.stored_bytes)} | ${kb(r.facets_bytes)} | ${kb(r.index_without_stored_gzip)} (${kb(r.index_without_stored_or_positions_gzip)}) | ${kb(r.elasticlunr_json_bytes)} | ${f(r.index_build_seconds, 1)} | ${f(r.build_peak_mb, 0)} | ${f(r.ready_ms, 0)} | ${f(r.browser_p50_ms)} / ${f(r.browser_p95_ms)} | ${f(r.native_p50_ms, 4)} / ${f(r.native_p95_ms, 4)} |`),
];
console.log(lines.join("\n"));
