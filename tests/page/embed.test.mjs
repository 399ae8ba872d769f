// www/embed.html: the one-script-tag widget on a third-party page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, newPage, widgetReady, axe, WWW, ROOT } from "./helpers.mjs";

let server, root, browser;
before(async () => {
  server = await serve(WWW);
  root = await serve(ROOT);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await root?.close();
});

async function openEmbed(base = server.url, path = "/embed.html") {
  const { page, problems } = await newPage(browser.context);
  const wasm = [];
  page.on("request", (r) => { if (r.url().endsWith(".wasm")) wasm.push(r.url()); });
  await page.goto(base + path);
  // The engine loads on intent: focus the (first) box.
  await widgetReady(page);
  return { page, problems, wasm };
}

test("the widget searches, highlights and fires recherche-select", async () => {
  const { page, problems, wasm } = await openEmbed();
  await page.click("#principal input");
  await page.keyboard.type("Esper");
  await page.waitForSelector("#principal [role=option]");
  const titles = await page.$$eval("#principal", (w) => [...w[0].shadowRoot.querySelectorAll(".title")].map((t) => t.textContent));
  assert.deepEqual(titles, ["Le secrétaire général reçoit le secrétaire américain à la Défense pour un entretien au siège de l’OTAN"]);
  assert.equal(await page.evaluate(() => document.querySelector("#principal").shadowRoot.querySelector("mark").textContent), "Esper");
  await page.evaluate(() => {
    window.__chosen = [];
    document.addEventListener("recherche-select", (e) => window.__chosen.push(e.detail.id));
  });
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.getAttribute("#principal input", "aria-activedescendant"), "recherche-liste-1-0");
  await page.keyboard.press("Enter");
  assert.deepEqual(await page.evaluate(() => window.__chosen), ["001_80dbe67e56024610"]);
  assert.match(await page.textContent("#choisi"), /Vous avez choisi : Le secrétaire général reçoit/);
  assert.equal(await page.isVisible("#principal .panel"), false, "dropdown closes after choosing");
  // The seeds have no URLs: the document opens in the widget's dialog,
  // the query's words marked, the focus inside; Escape gives it back.
  await page.waitForFunction(() => document.querySelector("#principal").shadowRoot.querySelector("dialog")?.open);
  const shown = await page.evaluate(() => {
    const root = document.querySelector("#principal").shadowRoot;
    const dialog = root.querySelector("dialog");
    return {
      title: dialog.querySelector("h2").textContent,
      labelled: root.getElementById(dialog.getAttribute("aria-labelledby"))?.textContent,
      meta: dialog.querySelector(".meta").textContent,
      paragraphs: dialog.querySelectorAll(".body p").length,
      marks: [...new Set([...dialog.querySelectorAll(".body mark")].map((m) => m.textContent))],
      focusInside: dialog.contains(root.activeElement),
      close: dialog.querySelector("button").textContent,
    };
  });
  assert.match(shown.title, /^Le secrétaire général reçoit le secrétaire américain/);
  assert.equal(shown.labelled, shown.title);
  assert.match(shown.meta, /^26 juin 2020 · OTAN/);
  assert.ok(shown.paragraphs > 3, `${shown.paragraphs} paragraphs`);
  assert.deepEqual(shown.marks, ["Esper"]);
  assert.ok(shown.focusInside, "the focus is in the dialog");
  assert.equal(shown.close, "Fermer");
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => !document.querySelector("#principal").shadowRoot.querySelector("dialog").open);
  assert.ok(await page.evaluate(() => document.querySelector("#principal").shadowRoot.activeElement?.tagName === "INPUT"), "the focus is back in the box");
  // A host that cancels recherche-select keeps the dialog closed.
  await page.evaluate(() => document.addEventListener("recherche-select", (e) => e.preventDefault(), { once: true }));
  await page.fill("#principal input", "Esper");
  await page.waitForSelector("#principal [role=option]");
  await page.click("#principal [role=option]");
  assert.deepEqual(await page.evaluate(() => window.__chosen), ["001_80dbe67e56024610", "001_80dbe67e56024610"]);
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => document.querySelector("#principal").shadowRoot.querySelector("dialog").open), false);
  // Two widgets, one wasm download.
  await page.click("recherche-widget.sidebar input");
  await page.keyboard.type("otan");
  await page.waitForFunction(() => document.querySelector("recherche-widget.sidebar").shadowRoot.querySelectorAll("li").length === 3);
  assert.equal(wasm.length, 1, `wasm fetched ${wasm.length} times`);
  assert.deepEqual(problems, []);
});

test("host styles do not reach inside, widget styles do not leak out; theming variables apply", async () => {
  const { page, problems } = await openEmbed();
  await page.addStyleTag({ content: "* { color: red !important; background: yellow !important; }" });
  await page.fill("#principal input", "Washington");
  await page.waitForSelector("#principal [role=option]");
  const inside = await page.evaluate(() => {
    const root = document.querySelector("#principal").shadowRoot;
    return [".title", ".snippet", "input", ".meta"].map((s) => getComputedStyle(root.querySelector(s)).color);
  });
  for (const c of inside) assert.notEqual(c, "rgb(255, 0, 0)", `host style leaked in: ${inside}`);
  const outside = await page.evaluate(() => getComputedStyle(document.querySelector("main > p")).fontFamily);
  assert.match(outside, /Courier/, "the host page keeps its own styles");
  await page.fill("recherche-widget.sidebar input", "Washington");
  await page.waitForSelector("recherche-widget.sidebar [role=option]");
  const accent = await page.evaluate(() => getComputedStyle(document.querySelector("recherche-widget.sidebar").shadowRoot.querySelector(".title")).color);
  assert.equal(accent, "rgb(138, 59, 0)", "--recherche-accent themes the widget");
  assert.deepEqual(problems, []);
});

test("the widget finds pkg/ relative to itself, from another directory", async () => {
  const { page, problems } = await openEmbed(root.url, "/tests/page/fixtures/elsewhere.html");
  await page.fill("recherche-widget input", "Cavoli");
  await page.waitForSelector("recherche-widget [role=option]");
  assert.deepEqual(problems, []);
});

test("attributes: placeholder, limit and lang", async () => {
  const { page, problems } = await openEmbed();
  assert.equal(await page.getAttribute("#principal input", "placeholder"), "Chercher dans les archives…");
  assert.equal(await page.getAttribute("recherche-widget.sidebar input", "placeholder"), "Rechercher…");
  // limit="4" caps the dropdown below the 5 matches; the total still shows.
  await page.fill("#principal input", "Stoltenberg");
  await page.waitForSelector("#principal [role=option]");
  assert.equal(await page.evaluate(() => document.querySelector("#principal").shadowRoot.querySelectorAll("li").length), 4);
  await page.evaluate(() => document.querySelector("#principal").setAttribute("limit", "2"));
  await page.waitForFunction(() => document.querySelector("#principal").shadowRoot.querySelectorAll("li").length === 2);
  assert.equal(await page.evaluate(() => document.querySelector("#principal").shadowRoot.querySelector(".status").textContent), "5 résultats");
  // lang="en": English interface, dates and counts.
  await page.evaluate(() => {
    const w = document.createElement("recherche-widget");
    w.id = "anglais";
    w.setAttribute("lang", "en");
    document.querySelector("main").append(w);
  });
  await widgetReady(page, "#anglais");
  assert.equal(await page.getAttribute("#anglais input", "placeholder"), "Search…");
  await page.fill("#anglais input", "Trump");
  await page.waitForSelector("#anglais [role=option]");
  const en = await page.evaluate(() => {
    const root = document.querySelector("#anglais").shadowRoot;
    return { status: root.querySelector(".status").textContent, meta: root.querySelector(".meta").textContent };
  });
  assert.deepEqual(en, { status: "1 result", meta: "undated · Presse" });
  await page.fill("#anglais input", "Esper");
  await page.waitForFunction(() => document.querySelector("#anglais").shadowRoot.querySelector(".meta")?.textContent === "26 June 2020 · OTAN");
  await page.fill("#anglais input", "zzzz");
  await page.waitForFunction(() => document.querySelector("#anglais").shadowRoot.querySelector(".status").textContent === "No results for “zzzz”");
  // A lang naming an Object.prototype property is no language: French.
  for (const lang of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
    await page.evaluate((lang) => {
      document.querySelector("#autre")?.remove();
      const w = document.createElement("recherche-widget");
      w.id = "autre";
      w.setAttribute("lang", lang);
      document.querySelector("main").append(w);
    }, lang);
    await widgetReady(page, "#autre");
    assert.equal(await page.getAttribute("#autre input", "placeholder"), "Rechercher…", lang);
    await page.fill("#autre input", "Esper");
    await page.waitForFunction(() => document.querySelector("#autre").shadowRoot.querySelector(".meta")?.textContent === "26 juin 2020 · OTAN");
    assert.equal(await page.evaluate(() => document.querySelector("#autre").shadowRoot.querySelector(".status").textContent), "1 résultat", lang);
  }
  assert.deepEqual(problems, []);
});

test("the widget's keys act on the list shown: Enter on a closed or emptied box chooses nothing, ArrowDown reopens it on its first option", async () => {
  const { page, problems } = await openEmbed();
  await page.evaluate(() => {
    window.__chosen = [];
    document.addEventListener("recherche-select", (e) => { e.preventDefault(); window.__chosen.push(e.detail.id); });
  });
  const state = () => page.evaluate(() => {
    const root = document.querySelector("#principal").shadowRoot;
    return { shown: !root.querySelector(".panel").hidden, active: root.querySelector("input").getAttribute("aria-activedescendant"), chosen: window.__chosen };
  });
  const esper = "001_80dbe67e56024610";
  await page.click("#principal input");
  await page.keyboard.type("otan");
  await page.waitForSelector("#principal [role=option]");
  // Emptied with Backspace: the list closes, and Enter chooses nothing.
  for (let i = 0; i < 4; i++) await page.keyboard.press("Backspace");
  await page.waitForFunction(() => document.querySelector("#principal").shadowRoot.querySelector(".panel").hidden);
  await page.keyboard.press("Enter");
  // Closed with Escape: Enter chooses nothing.
  await page.keyboard.type("Esper");
  await page.waitForSelector("#principal [role=option]");
  await page.keyboard.press("Escape");
  await page.keyboard.press("Enter");
  assert.deepEqual(await state(), { shown: false, active: null, chosen: [] });
  // Chosen with Enter, the list closes; Enter again chooses nothing more.
  await page.fill("#principal input", "Esper");
  await page.waitForSelector("#principal [role=option]");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  assert.deepEqual(await state(), { shown: false, active: null, chosen: [esper] });
  // ArrowDown on the closed list reopens it, its first option active.
  await page.keyboard.press("ArrowDown");
  await page.waitForFunction(() => document.querySelector("#principal").shadowRoot.querySelector("input").getAttribute("aria-activedescendant") === "recherche-liste-1-0");
  assert.deepEqual(await state(), { shown: true, active: "recherche-liste-1-0", chosen: [esper] });
  await page.keyboard.press("Enter");
  assert.deepEqual(await state(), { shown: false, active: null, chosen: [esper, esper] });
  assert.deepEqual(problems, []);
});

test("accessibility of the embed: axe-core finds no violations", async () => {
  const { page } = await openEmbed();
  await page.fill("#principal input", "otan");
  await page.waitForSelector("#principal [role=option]");
  await page.keyboard.press("ArrowDown");
  assert.deepEqual(await axe(page), []);
  // And with a document open in the dialog.
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector("#principal").shadowRoot.querySelector("dialog")?.open);
  assert.deepEqual(await axe(page), []);
});
