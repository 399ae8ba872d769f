// Security of the page and the widget: a hostile corpus renders inert,
// only http(s) links are followed, and both work under a strict CSP.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { serve, launch, newPage, ready, WWW, ROOT } from "./helpers.mjs";

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
    await embed.page.waitForSelector("recherche-widget[data-ready]");
    await embed.page.fill("#principal input", "Trump");
    await embed.page.waitForSelector("#principal li[role=option]");
    const color = await embed.page.evaluate(() => getComputedStyle(document.querySelector("#principal").shadowRoot.querySelector(".title")).color);
    assert.equal(color, "rgb(11, 87, 208)", "widget styles apply under CSP");
    assert.deepEqual(await embed.page.evaluate(() => window.__cspViolations), []);
    assert.deepEqual(embed.problems, []);
  } finally {
    await server.close();
  }
});

test("a hostile corpus renders as text and runs nothing", async (t) => {
  assert.ok(fs.existsSync(path.join(HOSTILE, "pkg/recherche_bg.wasm")), "make test-page builds target/hostile-www first");
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
    assert.equal(await page.$$eval("#resultats img, #resultats script, #resultats svg, #resultats a, #resultats i, #resultats b", (e) => e.length), 0);
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

test("the widget renders a hostile corpus inert too", async () => {
  const server = await serve(HOSTILE);
  try {
    const { page, problems } = await newPage(browser.context);
    await page.goto(`${server.url}/embed.html`);
    await page.waitForSelector("recherche-widget[data-ready]");
    await page.fill("#principal input", "alerte");
    await page.waitForSelector("#principal li[role=option]");
    const r = await page.evaluate(() => {
      const root = document.querySelector("#principal").shadowRoot;
      return { imgs: root.querySelectorAll("img, script, svg, a").length, text: root.querySelector("ul").textContent };
    });
    assert.equal(r.imgs, 0);
    assert.match(r.text, /<script>/);
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
    const wasmPath = path.join(dir, "pkg/recherche_bg.wasm");
    const wasm = fs.readFileSync(wasmPath);
    const header = Buffer.from([0x52, 0x43, 0x48, 0x58, 0x01, 0x00, 0x00, 0x00]); // "RCHX", version 1, flags 0
    const at = wasm.indexOf(header);
    assert.ok(at > 0, "index header found in the module");
    wasm[at + 3] = 0x59; // "RCHY"
    fs.writeFileSync(wasmPath, wasm);
    const server = await serve(dir);
    try {
      const { page } = await newPage(browser.context);
      await page.goto(`${server.url}/?q=otan`);
      await page.waitForFunction(() => document.querySelector("#etat").classList.contains("error"));
      assert.match(await page.textContent("#etat"), /L’index de recherche est endommagé.*bad magic number/);
      // Typing keeps the page alive and explains again rather than breaking.
      await page.fill("#q", "sécurité");
      assert.match(await page.textContent("#etat"), /endommagé/);
    } finally {
      await server.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
