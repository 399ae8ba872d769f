// Page loads for the bench: one cold load of the real page, optionally over
// an emulated link, timed to its first answer (titles and snippets of the
// first page of results in the DOM), with the bytes the bench server sent
// for it; then, optionally, the bytes each later query makes the engine
// fetch. Used by bench/run.mjs; the server is bench/serve.mjs.
import { totals } from "./serve.mjs";

/** The issue's link: Chromium's Network.emulateNetworkConditions, a 4G-class
 *  mobile connection. Throughputs are in bytes per second. */
export const LINK = {
  label: "9 Mbit/s down, 3 Mbit/s up, 60 ms latency",
  latency: 60,
  downloadThroughput: 9e6 / 8,
  uploadThroughput: 3e6 / 8,
  connectionType: "cellular4g",
};

/** Applies `link` to `page` through a CDP session, and records what the
 *  browser itself says it received (encodedDataLength: bytes off the
 *  network, headers included) as a cross-check of the server's count. */
async function devtools(page, link) {
  const cdp = await page.context().newCDPSession(page);
  const received = new Map();
  cdp.on("Network.loadingFinished", (e) => received.set(e.requestId, e.encodedDataLength));
  await cdp.send("Network.enable");
  if (link) {
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: link.latency,
      downloadThroughput: link.downloadThroughput,
      uploadThroughput: link.uploadThroughput,
      connectionType: link.connectionType,
    });
  }
  return { cdp, received };
}

/** Notes, in the page's clock, when the first result appears in the list:
 *  a cross-check of the page's own `recherche:first-answer` mark. */
function watchFirstHit() {
  performance.setResourceTimingBufferSize(100000);
  new MutationObserver((_, observer) => {
    if (!window.__firstHit && document.querySelector("#resultats .hit")) {
      window.__firstHit = performance.now();
      observer.disconnect();
    }
  }).observe(document, { subtree: true, childList: true });
}

/** Matches the page's finished fetches to the server's records (by path,
 *  in order): a fetch with no record of its own was served by the
 *  browser's cache or a preload, and cost nothing on the wire. */
function match(entries, records, origin) {
  const unused = [...records];
  const used = [];
  for (const e of entries) {
    if (!e.url.startsWith(origin)) continue;
    const p = e.url.slice(origin.length);
    const i = unused.findIndex((r) => r.path === p);
    if (i >= 0) used.push(unused.splice(i, 1)[0]);
  }
  return { used: used.sort((a, b) => a.n - b.n), other: unused };
}

/** Waits until the server has had no new request and none in flight for
 *  `idleMs` (at most `maxMs`). */
async function quiet(server, idleMs = 500, maxMs = 10000) {
  const t0 = Date.now();
  let n = server.mark();
  let since = Date.now();
  while (Date.now() - t0 < maxMs) {
    await new Promise((r) => setTimeout(r, 50));
    const busy = server.requests.some((r) => !r.end);
    if (server.mark() !== n || busy) {
      n = server.mark();
      since = Date.now();
    } else if (Date.now() - since >= idleMs) return;
  }
}

const brief = (r) => ({ path: r.path, status: r.status, encoding: r.encoding, raw: r.raw, body: r.body, headers: r.headers });

/**
 * One cold load (a fresh browser context: empty cache, no connections) of
 * `server.url + pagePath`, over `link` if given. Resolves once the page has
 * rendered its first answer (which must have results), with:
 *   firstAnswerMs   navigation start → performance.mark("recherche:first-answer")
 *   firstHitMs      navigation start → first `#resultats .hit` in the DOM
 *   wallMs          Node's clock, page.goto → first `#resultats .hit` seen
 *                   (polled at each animation frame)
 *   hits, snippets  results rendered, and how many have a non-empty snippet
 *   wire            totals of the requests finished before the mark
 *                   (server's count: body bytes as sent, headers apart)
 *   files           those requests
 *   encodedBodyBytes  the same, as the page's Resource Timing sees it
 *   otherRequests   requests served during the load but not needed for it
 *   devtoolsBytes   Chromium's own count of bytes received (headers included)
 * With `laterQueries` (a list of {q, options}): once the server has been
 * quiet for 500 ms (`afterFirstAnswer`: every request of the load not
 * needed for the first answer, a prefetch say, and the favicon), each
 * query is run in turn, on the same page, through the page's own API
 * (`await search(q, options)`); `later` lists the bytes and requests each
 * one caused (files fetched by an earlier query are not fetched again if
 * the engine or the browser's cache keeps them) and its time.
 */
export async function coldLoad(browser, server, pagePath, { link = null, laterQueries = null, timeout = 120000 } = {}) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.addInitScript(watchFirstHit);
    const { cdp, received } = await devtools(page, link);
    const mark = server.mark();
    const t0 = Date.now();
    await page.goto(server.url + pagePath, { waitUntil: "commit", timeout });
    // Node's cross-check: the first result in the DOM (or the page's mark,
    // if the answer has no result: then the load fails below).
    await page.waitForFunction(() => document.querySelector("#resultats .hit") || performance.getEntriesByName("recherche:first-answer").length,
      null, { timeout, polling: "raf" }).catch((e) => {
      throw new Error(`no answer on ${pagePath}${errors.length ? ` (${errors.join("; ")})` : ""}: ${e.message}`);
    });
    const wallMs = Date.now() - t0;
    await page.waitForFunction(() => performance.getEntriesByName("recherche:first-answer").length > 0, null, { timeout });
    const seen = await page.evaluate(() => {
      const mark = performance.getEntriesByName("recherche:first-answer")[0].startTime;
      const all = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")];
      const done = all.filter((e) => e.responseEnd > 0 && e.responseEnd <= mark);
      return {
        mark,
        firstHit: window.__firstHit,
        hits: document.querySelectorAll("#resultats .hit").length,
        titles: [...document.querySelectorAll("#resultats .hit .hit-title")].filter((e) => e.textContent.trim()).length,
        snippets: [...document.querySelectorAll("#resultats .hit .snippet")].filter((e) => e.textContent.trim()).length,
        entries: done.map((e) => ({ url: e.name, encoded: e.encodedBodySize })),
      };
    });
    if (!seen.hits) throw new Error(`${pagePath}: the first answer has no result; choose a query with results`);
    const loadRecords = server.since(mark);
    const { used, other } = match(seen.entries, loadRecords, server.url);
    const result = {
      firstAnswerMs: seen.mark,
      firstHitMs: seen.firstHit,
      wallMs,
      hits: seen.hits,
      titles: seen.titles,
      snippets: seen.snippets,
      wire: totals(used),
      files: used.map(brief),
      encodedBodyBytes: seen.entries.reduce((n, e) => n + e.encoded, 0),
      otherRequests: other.map(brief),
      devtoolsBytes: [...received.values()].reduce((n, x) => n + x, 0),
    };
    if (laterQueries) {
      // Whatever the engine fetches on its own once it has answered (a
      // prefetch) is counted apart, not charged to the first later query.
      await quiet(server);
      const after = server.since(mark).filter((r) => !used.includes(r));
      result.afterFirstAnswer = { ...totals(after), files: after.map(brief) };
      result.later = [];
      for (const { q, options } of laterQueries) {
        const before = server.mark();
        const r = await page.evaluate(async ({ q, options }) => {
          const api = await import("./pkg/recherche.js");
          const t = performance.now();
          const r = await api.search(q, options);
          return { ms: performance.now() - t, total: r.total, hits: r.hits.length };
        }, { q, options });
        const recs = server.since(before);
        result.later.push({ q, ...r, ...totals(recs), files: recs.map(brief) });
      }
    }
    await cdp.detach();
    return result;
  } finally {
    await context.close();
  }
}
