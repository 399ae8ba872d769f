// Security of the page and the widget: a hostile corpus renders inert,
// only http(s) links are followed, and both work under a strict CSP.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { serve, launch, newPage, ready, widgetReady, WWW, ROOT } from "./helpers.mjs";

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
const HOSTILE = path.join(ROOT, "target/hostile-www");

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("the page and the embed work under a strict CSP with no violation", async () => {
  const server = await serve(WWW, { "Content-Security-Policy": CSP });
  try {
    const { page, problems } = await newPage(browser.context);
    await page.goto(`${server.url}/?q=otan`);
    await ready(page);
    await page.waitForFunction(() => document.querySelectorAll("#resultats .hit").length === 5);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.waitForSelector("dialog#detail[open]");
    assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
    assert.deepEqual(problems, []);

    const embed = await newPage(browser.context);
    await embed.page.goto(`${server.url}/embed.html`);
    await widgetReady(embed.page);
    await embed.page.fill("#principal input", "Trump");
    await embed.page.waitForSelector("#principal [role=option]");
    const color = await embed.page.evaluate(() => getComputedStyle(document.querySelector("#principal").shadowRoot.querySelector(".title")).color);
    assert.equal(color, "rgb(11, 87, 208)", "widget styles apply under CSP");
    assert.deepEqual(await embed.page.evaluate(() => window.__cspViolations), []);
    assert.deepEqual(embed.problems, []);
  } finally {
    await server.close();
  }
});

test("a hostile corpus renders as text and runs nothing", async (t) => {
  assert.ok(fs.existsSync(path.join(HOSTILE, "pkg/engine_bg.wasm")), "make test-page builds target/hostile-www first");
  const server = await serve(HOSTILE, { "Content-Security-Policy": CSP });
  try {
    const { page, problems } = await newPage(browser.context);
    await page.route("https://example.org/**", (route) => route.fulfill({ contentType: "text/html", body: "<title>ok</title>suivi" }));
    await page.goto(`${server.url}/?q=alerte`);
    await ready(page);
    await page.waitForFunction(() => document.querySelectorAll("#resultats .hit").length === 4);
    const text = await page.textContent("#resultats");
    assert.match(text, /<script>window.__pwned=1<\/script> Alerte/);
    assert.match(text, /<script>window.__pwned=2<\/script> fin/);
    assert.match(text, /<i>Mallory<\/i>/);
    assert.equal(await page.$$eval("#resultats img, #resultats script, #resultats svg, #resultats i, #resultats b", (e) => e.length), 0);
    // The one link is the https document's; javascript: and data: are no links.
    assert.deepEqual(await page.$$eval("#resultats a", (e) => e.map((a) => [a.querySelector(".hit-title").textContent, a.getAttribute("href")])), [["Lien sûr", "https://example.org/ok"]]);
    assert.match(await page.textContent(".facet[data-field=source]"), /<b>Source<\/b>/);
    // Only <mark> is ever created from a snippet.
    const tags = await page.$$eval("#resultats .snippet *", (els) => [...new Set(els.map((e) => e.tagName))]);
    assert.ok(tags.every((t) => t === "MARK"), JSON.stringify(tags));
    // javascript: and data: URLs are not followed: the dialog opens instead.
    for (const title of ["<script>window.__pwned=1</script> Alerte", "Données sans lien"]) {
      await page.click(`#resultats .hit-title:text-is("${title}")`);
      await page.waitForSelector("dialog#detail[open]");
      assert.equal(await page.textContent("#detail-titre"), title);
      assert.equal(await page.$$eval("#detail img, #detail script, #detail svg, #detail a", (e) => e.length), 0);
      if (title.startsWith("<script>")) assert.match(await page.textContent("#detail-corps"), /Texte <img src=x onerror="window.__pwned=1"> et/);
      // The body's marked HTML: escaped text, and no element but <p> and <mark>.
      assert.deepEqual(await page.$$eval("#detail-corps *", (els) => [...new Set(els.map((e) => e.tagName))]), ["P", "MARK"]);
      assert.match(await page.textContent("#detail-corps mark"), /^alerte$/i);
      await page.keyboard.press("Escape");
      await page.waitForFunction(() => !document.querySelector("dialog#detail").open);
    }
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
    assert.deepEqual(problems, []);
    // An https URL is followed.
    await page.click('#resultats .hit-title:text-is("Lien sûr")');
    await page.waitForURL("https://example.org/ok");
  } finally {
    await server.close();
  }
});

test("facet values named like JS object properties (__proto__, constructor, toString) are counted, listed in order and filterable", async () => {
  const server = await serve(HOSTILE);
  try {
    const { page, problems } = await newPage(browser.context);
    await page.goto(`${server.url}/?q=propri%C3%A9t%C3%A9s`);
    await ready(page);
    const r = await page.evaluate(async () => {
      const api = await import("./pkg/recherche.js");
      const pairs = (list) => list.map((x) => [x.value, x.count]);
      const res = await api.search("propriétés");
      const filtered = await api.filter({ filters: { source: "__proto__", person: ["__proto__"] } });
      return {
        total: res.total,
        source: Object.entries(res.facets.source),
        person: Object.entries(res.facets.person),
        lists: { source: pairs(res.facetLists.source), person: pairs(res.facetLists.person) },
        own: Object.hasOwn(res.facets.source, "__proto__") && Object.hasOwn(res.facets.person, "__proto__"),
        prototypes: [res.facets.source, res.facets.person, filtered.facets.source].every((o) => Object.getPrototypeOf(o) === Object.prototype),
        filtered: filtered.hits.map((h) => h.id),
        filteredSource: Object.entries(filtered.facets.source),
        // A page that added an enumerable property to Object.prototype.
        polluted: await (async () => {
          Object.prototype.ajout = 1;
          try {
            return Object.keys((await api.search("propriétés")).facets);
          } catch (e) {
            return String(e);
          } finally {
            delete Object.prototype.ajout;
          }
        })(),
      };
    });
    assert.equal(r.total, 1);
    assert.ok(r.own && r.prototypes, JSON.stringify(r));
    assert.deepEqual(r.source, [["__proto__", 1]]);
    assert.deepEqual(r.lists.source, r.source);
    // Same counts, same order as the lists.
    assert.deepEqual(r.person, r.lists.person);
    assert.deepEqual(r.person.map(([v]) => v).sort(), ["__proto__", "constructor", "toString"]);
    assert.deepEqual(r.filtered, ["x5"]);
    assert.deepEqual(r.filteredSource, [["__proto__", 1]]);
    assert.deepEqual(r.polluted, ["year", "source", "person"]);
    // The page lists them, and choosing one filters.
    await page.waitForFunction(() => document.querySelectorAll("#resultats .hit").length === 1);
    const labels = await page.$$eval(".facet[data-field=person] .label", (e) => e.map((x) => x.textContent).sort());
    assert.deepEqual(labels, ["__proto__", "constructor", "toString"]);
    await page.click('.facet[data-field=source] .facet-value:has(.label:text-is("__proto__"))');
    await page.waitForFunction(() => document.querySelector('.facet[data-field=source] .facet-value[aria-pressed="true"]'));
    assert.match(page.url(), /__proto__/);
    await page.waitForFunction(() => document.querySelectorAll("#resultats .hit").length === 1);
    assert.deepEqual(problems, []);
  } finally {
    await server.close();
  }
});

test("the widget renders a hostile corpus inert too", async () => {
  const server = await serve(HOSTILE);
  try {
    const { page, problems } = await newPage(browser.context);
    await page.goto(`${server.url}/embed.html`);
    await widgetReady(page);
    await page.fill("#principal input", "alerte");
    await page.waitForSelector("#principal [role=option]");
    const r = await page.evaluate(() => {
      const root = document.querySelector("#principal").shadowRoot;
      return { imgs: root.querySelectorAll("img, script, svg").length, links: [...root.querySelectorAll("a")].map((a) => a.getAttribute("href")), text: root.querySelector("ul").textContent };
    });
    assert.equal(r.imgs, 0);
    assert.deepEqual(r.links, ["https://example.org/ok"]);
    assert.match(r.text, /<script>/);
    // A javascript: URL is no link: choosing it opens the widget's dialog,
    // whose title is text and whose body holds no element but <p> and <mark>.
    await page.evaluate(() => [...document.querySelector("#principal").shadowRoot.querySelectorAll("div[role=option]")]
      .find((o) => o.querySelector(".title").textContent.startsWith("<script>")).click());
    await page.waitForFunction(() => document.querySelector("#principal").shadowRoot.querySelector("dialog")?.open);
    const d = await page.evaluate(() => {
      const dialog = document.querySelector("#principal").shadowRoot.querySelector("dialog");
      return {
        title: dialog.querySelector("h2").textContent,
        tags: [...new Set([...dialog.querySelectorAll(".body *")].map((e) => e.tagName))],
        active: dialog.querySelectorAll("img, script, svg, a, iframe").length,
        body: dialog.querySelector(".body").textContent,
      };
    });
    assert.equal(d.title, "<script>window.__pwned=1</script> Alerte");
    assert.deepEqual(d.tags, ["P", "MARK"]);
    assert.equal(d.active, 0);
    assert.match(d.body, /Texte <img src=x onerror="window.__pwned=1"> et/);
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => !document.querySelector("#principal").shadowRoot.querySelector("dialog").open);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.deepEqual(problems, []);
  } finally {
    await server.close();
  }
});

test("a module whose index is corrupt shows a readable error", async () => {
  // Copy www/ and damage the embedded index's magic number inside the wasm
  // (the module itself stays valid: only its data changes).
  const dir = fs.mkdtempSync(path.join(ROOT, "target/corrupt-www-"));
  try {
    fs.cpSync(WWW, dir, { recursive: true });
    const wasmPath = path.join(dir, "pkg/engine_bg.wasm");
    const wasm = fs.readFileSync(wasmPath);
    const at = wasm.indexOf(Buffer.from("RCHX")); // the header: "RCHX", version, flags
    assert.ok(at > 0, "index header found in the module");
    wasm[at + 3] = 0x59; // "RCHY"
    fs.writeFileSync(wasmPath, wasm);
    const server = await serve(dir);
    try {
      const { page } = await newPage(browser.context);
      await page.goto(`${server.url}/?q=otan`);
      await page.waitForFunction(() => document.querySelector("#etat").classList.contains("error"));
      assert.match(await page.textContent("#etat"), /L’index de recherche est endommagé.*bad magic number/);
      // Typing keeps the page alive and explains again rather than breaking:
      // the message is cleared first, so only a new one can pass.
      await page.evaluate(() => { document.querySelector("#etat").textContent = ""; });
      await page.fill("#q", "sécurité");
      await page.waitForFunction(() => /endommagé/.test(document.querySelector("#etat").textContent));
      // The 350 ms announcement of the previous state never replaces it.
      await page.waitForTimeout(600);
      assert.match(await page.textContent("#etat"), /endommagé/);
    } finally {
      await server.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// The hostile module is built with the trap-test feature: this query makes
// the Rust code panic, which traps the wasm instance.
const TRAP = "\u0000recherche:trap";

test("a trap in the module is reported once and never leaves the engine dead, offline too, fetching nothing again", async () => {
  const server = await serve(HOSTILE, { "Content-Security-Policy": CSP + "; connect-src 'self'" });
  try {
    const { page } = await newPage(browser.context);
    // The module and its glue: requested for the first instance only.
    const engine = [];
    page.on("request", (r) => { if (/\/pkg\/engine/.test(r.url())) engine.push(new URL(r.url()).pathname + new URL(r.url()).search); });
    await page.goto(`${server.url}/?q=alerte`);
    await ready(page);
    const outcome = await page.evaluate(async (trap) => {
      const api = await import("./pkg/recherche.js");
      const before = (await api.search("alerte")).total;
      let error = null;
      try {
        await api.search(trap);
      } catch (e) {
        error = { isError: e instanceof Error, message: e.message, cause: String(e.cause) };
      }
      // The next calls work, on a fresh instance: search, filter, getDocument.
      const after = (await api.search("alerte")).total;
      const all = (await api.filter({})).total;
      const doc = await api.getDocument("x1");
      // Several traps in a row: each is reported, each time the engine comes back.
      const again = [];
      for (let i = 0; i < 3; i++) {
        try { await api.search(trap); again.push("no error"); } catch (e) { again.push(e.message.includes("restarted") ? "restarted" : e.message); }
        again.push((await api.search("alerte")).total);
      }
      return { before, error, after, all, doc: doc && doc.id, again };
    }, TRAP);
    assert.equal(outcome.before, 4);
    assert.ok(outcome.error && outcome.error.isError, JSON.stringify(outcome));
    assert.match(outcome.error.message, /failed.*restarted/);
    assert.match(outcome.error.cause, /RuntimeError|unreachable/);
    assert.equal(outcome.after, 4);
    assert.equal(outcome.all, 5);
    assert.equal(outcome.doc, "x1");
    assert.deepEqual(outcome.again, ["restarted", 4, "restarted", 4, "restarted", 4]);

    // Offline, a trap and the restart after it need nothing from the network.
    await browser.context.setOffline(true);
    let offline;
    try {
      offline = await page.evaluate(async (trap) => {
        const api = await import("./pkg/recherche.js");
        let error = null;
        try { await api.search(trap); } catch (e) { error = e.message; }
        return { error, after: (await api.search("alerte")).total };
      }, TRAP);
    } finally {
      await browser.context.setOffline(false);
    }
    assert.match(offline.error, /restarted/);
    assert.equal(offline.after, 4);
    // (A preloaded file may show as two requests for one download.)
    assert.deepEqual([...new Set(engine)].sort(), ["/pkg/engine.js", "/pkg/engine_bg.wasm"]);

    // The page: a trapping query shows a readable error, the next one results.
    await page.fill("#q", TRAP);
    await page.waitForFunction(() => document.querySelector("#etat").classList.contains("error"));
    assert.match(await page.textContent("#etat"), /^Le moteur de recherche a rencontré une erreur et a redémarré : relancez la recherche\. Détail : .*restarted/);
    await page.fill("#q", "alerte");
    await page.waitForFunction(() => document.querySelectorAll("#resultats .hit").length === 4);
    await page.waitForFunction(() => !document.querySelector("#etat").classList.contains("error"));
  } finally {
    await server.close();
  }
});

test("the widget shows an engine error without stale results, and recovers", async () => {
  const server = await serve(HOSTILE, { "Content-Security-Policy": CSP });
  try {
    const { page, problems } = await newPage(browser.context);
    await page.goto(`${server.url}/embed.html`);
    await widgetReady(page, "#principal");
    await page.fill("#principal input", "alerte");
    await page.waitForFunction(() => document.querySelector("#principal").shadowRoot.querySelectorAll("li").length === 4);
    await page.fill("#principal input", TRAP);
    await page.waitForSelector("#principal[data-error]");
    const shown = await page.evaluate(() => {
      const root = document.querySelector("#principal").shadowRoot;
      return { items: root.querySelectorAll("li").length, status: root.querySelector(".status").textContent };
    });
    assert.equal(shown.items, 0, "no stale results under the error");
    assert.match(shown.status, /^Le moteur de recherche a rencontré une erreur et a redémarré : relancez la recherche\. Détail : .*restarted/);
    await page.fill("#principal input", "alerte");
    await page.waitForFunction(() => document.querySelector("#principal").shadowRoot.querySelectorAll("li").length === 4);
    assert.equal(await page.getAttribute("#principal", "data-error"), null);
    // The trap (and, in a PANIC_MESSAGES=1 package, its panic message) may be logged; nothing else may go wrong.
    assert.deepEqual(problems.filter((p) => !/deliberate trap|unreachable|RuntimeError/.test(p)), []);
  } finally {
    await server.close();
  }
});

/** Runs `fn(page, origin)` on the page of www/ served without headers, once ready. */
async function onReadyPage(fn) {
  const server = await serve(WWW);
  try {
    const { page } = await newPage(browser.context);
    await page.goto(`${server.url}/?q=otan`);
    await ready(page);
    await fn(page, server.url);
  } finally {
    await server.close();
  }
}

test("options that throw give an Error naming the field, however often", async () => {
  await onReadyPage(async (page) => {
    const r = await page.evaluate(async () => {
      const api = await import("./pkg/recherche.js");
      const bad = [
        ["options.limit", () => ({ get limit() { throw new Error("boom"); } })],
        ["options", () => new Proxy({}, { ownKeys() { throw new Error("boom"); } })],
        ["options.filters", () => { const p = Proxy.revocable({}, {}); p.revoke(); return { filters: p.proxy }; }],
        ["options.filters.year", () => ({ filters: { year: new Proxy([2024], { get(t, k) { if (k === "0") throw new Error("boom"); return Reflect.get(t, k); } }) } })],
        ["options.filters.person", () => ({ filters: { person: ["x".repeat(1_000_001)] } })],
      ];
      const fields = {};
      for (const [field, make] of bad) {
        const seen = new Set();
        // 2,185 throwing getters broke the module for good before.
        for (let i = 0; i < 2500; i++) {
          try { await api.search("otan", make()); seen.add("no error"); } catch (e) { seen.add(e instanceof Error ? e.field : "not an Error"); }
        }
        fields[field] = [...seen];
      }
      return { fields, after: (await api.search("otan")).total };
    });
    for (const [field, seen] of Object.entries(r.fields)) assert.deepEqual(seen, [field], field);
    assert.equal(r.after, 5);
  });
});

test("safeUrl: http(s) after resolving relative URLs against the site root, never another scheme", async () => {
  await onReadyPage(async (page, origin) => {
    const r = await page.evaluate(async () => {
      const { safeUrl, SITE_ROOT } = await import("./recherche-ui.js");
      const urls = ["actualites/a.html#x", "/b.html", "../c.html", "//example.org/d", "https://example.org/e", "HTTPS://EXAMPLE.ORG/f",
        "javascript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "mailto:a@b.c", "file:///etc/passwd", "", null, 42];
      return { root: SITE_ROOT, all: urls.map((u) => safeUrl(u)), based: safeUrl("g.html", "https://example.org/site/") };
    });
    const o = origin;
    assert.equal(r.root, `${o}/`);
    assert.deepEqual(r.all, [`${o}/actualites/a.html#x`, `${o}/b.html`, `${o}/c.html`, "http://example.org/d", "https://example.org/e", "https://example.org/f",
      null, null, null, null, null, null, null, null, null, null]);
    assert.equal(r.based, "https://example.org/site/g.html");
  });
});
