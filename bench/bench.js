// Query latency in the browser: after a warm-up on the whole list (so the
// engine's wasm has been tiered up from the baseline compiler, as on a page
// someone is typing into), each of the 30 queries is run in a batch long
// enough for performance.now() to time it; its mean per run counts. The
// public API returns Promises: each call is awaited, as a page would.
import init, { search } from "./pkg/recherche.js";

const MIN_BATCH_MS = 25;
const WARM_UP_MS = 500;

async function main() {
  await init();
  const queries = await (await fetch("queries.json")).json();
  const warm = performance.now();
  while (performance.now() - warm < WARM_UP_MS) {
    for (const { q, options } of queries) await search(q, options);
  }
  const perQuery = [];
  for (const { q, options } of queries) {
    for (let i = 0; i < 3; i++) await search(q, options);
    let reps = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < MIN_BATCH_MS || reps < 5) {
      await search(q, options);
      reps++;
      t = performance.now();
    }
    perQuery.push({ q, ms: (t - t0) / reps, reps });
  }
  window.__bench = perQuery;
  document.getElementById("out").textContent = "fini";
}
main().catch((e) => { window.__benchError = String(e); });
