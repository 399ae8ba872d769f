// make bench-hostile: the hostile inputs of the reliability issue, timed in
// headless Chromium on a built package (by default the large corpus that
// `make bench` builds into target/bench/large). Each must answer or throw
// an Error within 1 s, and the module's memory must grow by at most 64 MB
// over the whole run. This is a measurement, not a test: it prints each
// input's time and the memory growth, and exits non-zero when a budget is
// missed. The engine is called through the wasm-bindgen glue directly, to
// read its memory.
//
//   node bench/hostile.mjs [dir]     (dir holds pkg/, served on loopback)
import path from "node:path";
import fs from "node:fs";
import { serve, launch, ROOT } from "../tests/page/helpers.mjs";

const dir = path.resolve(process.argv[2] || path.join(ROOT, "target/bench/large"));
if (!fs.existsSync(path.join(dir, "pkg/engine.js"))) {
  console.error(`${dir}/pkg/engine.js not found: build a package there first (make bench, or make package PKG=…)`);
  process.exit(2);
}
fs.writeFileSync(path.join(dir, "hostile.html"), '<!doctype html><meta charset="utf-8"><title>hostile</title><p id="out">…</p>\n');

const server = await serve(dir);
const browser = await launch();
try {
  const page = await browser.context.newPage();
  await page.goto(`${server.url}/hostile.html`);
  const rows = await page.evaluate(async () => {
    const glue = await import("./pkg/engine.js");
    const wasm = await glue.default();
    const mb = () => wasm.memory.buffer.byteLength / (1 << 20);
    const si = (n, sep) => Array(n).fill("si").join(sep);
    const cases = [
      ["phrase of 20,000 words", () => glue.search(`"${si(20000, " ")}"`, {})],
      ["si-si-… (60 KB)", () => glue.search(si(20000, "-"), {})],
      ["si,si,… (60 KB)", () => glue.search(si(20000, ","), {})],
      ["si,si,… (15 KB, the ?q= link)", () => glue.search(si(5000, ","), {})],
      ["32 excluded phrases of 500 words", () => glue.search("fichier " + Array(32).fill(`-"${si(500, " ")}"`).join(" "), {})],
      ["10 MB query", () => glue.search("otan défense ".repeat(800000), {})],
      ["256 filter values of 1 MB", () => glue.search("fichier", { filters: { person: Array(256).fill("x".repeat(1 << 20)) } })],
      ["2,185 throwing getters", () => { for (let i = 0; i < 2185; i++) { try { glue.search("fichier", { get limit() { throw new Error("boom"); } }); } catch (e) { if (e.field !== "options.limit") throw e; } } }],
      ["revoked Proxy as filters ×500", () => { for (let i = 0; i < 500; i++) { const p = Proxy.revocable({}, {}); p.revoke(); try { glue.search("fichier", { filters: p.proxy }); } catch (e) { if (e.field !== "options.filters") throw e; } } }],
      ["filter({})", () => glue.filter({})],
      ["tableau croisé (a normal query, for scale)", () => glue.search("tableau croisé", {})],
    ];
    glue.search("otan", {});
    const before = mb();
    const out = [];
    for (const [name, run] of cases) {
      const t0 = performance.now();
      let outcome;
      try {
        const r = run();
        outcome = r && typeof r.total === "number" ? `${r.total} results` : "ok";
      } catch (e) {
        outcome = e instanceof Error ? `Error: ${String(e.message).slice(0, 80)}` : `non-Error thrown: ${String(e)}`;
      }
      out.push({ name, ms: performance.now() - t0, outcome, memoryMb: mb() });
    }
    return { before, out };
  });
  let missed = 0;
  for (const r of rows.out) {
    const over = r.ms > 1000;
    missed += over;
    console.log(`${over ? "MISSED" : "ok    "} ${r.ms.toFixed(1).padStart(8)} ms  ${r.memoryMb.toFixed(0).padStart(5)} MB  ${r.name}: ${r.outcome}`);
  }
  const growth = rows.out[rows.out.length - 1].memoryMb - rows.before;
  console.log(`memory: ${rows.before.toFixed(0)} MB before, grew by ${growth.toFixed(1)} MB (budget 64 MB)`);
  if (growth > 64) missed++;
  process.exitCode = missed ? 1 : 0;
} finally {
  await browser.close();
  await server.close();
}
