// A built site indexed end to end (tests/fixtures/site, built by `make
// test-page` into target/site-www): its pages at the root, the search page
// and the widget in recherche/, as `RECHERCHE_CORPUS=… make serve` serves
// them. Results are real links, with their sections; the detail dialog
// marks the query.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { serve, launch, newPage, ready, widgetReady, titles, axe, ROOT } from "./helpers.mjs";

const SITE = path.join(ROOT, "target/site-www");
const FETE = "https://echo.example.fr/actualites/2024/fete";

let server, browser;
before(async () => {
  assert.ok(fs.existsSync(path.join(SITE, "recherche/pkg/engine_bg.wasm")), "make test-page builds target/site-www first");
  server = await serve(SITE);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(query) {
  const { page, problems } = await newPage(browser.context);
  // The canonical URLs' host, answered locally.
  await page.route("https://echo.example.fr/**", (route) => route.fulfill({ contentType: "text/html", body: "<!doctype html><title>Écho</title><h2 id=programme>Le programme</h2>" }));
  await page.goto(`${server.url}/recherche/${query ? "?q=" + encodeURIComponent(query) : ""}`);
  await ready(page);
  if (query) await page.waitForSelector("#resultat-0");
  return { page, problems };
}

/** Each option of the page's listbox: tag, id, href, text. */
function options(page) {
  return page.$$eval("#resultats [role=option]", (els) => els.map((e) => ({ tag: e.tagName, id: e.id, href: e.getAttribute("href"), text: e.textContent })));
}

test("results are links to their pages, followed by links to their sections", async () => {
  const { page, problems } = await open("pétanque");
  assert.deepEqual(await titles(page), ["Fête du village : trois jours de liesse"]);
  const o = await options(page);
  // The canonical URL, and the section of the match as url#id.
  assert.deepEqual(o.map((x) => [x.tag, x.id, x.href]), [["A", "resultat-0", FETE], ["A", "resultat-0-1", `${FETE}#programme`]]);
  assert.match(o[1].text, /Le programme/);
  // A relative URL resolves against the site's root; up to three sections,
  // the best match's first, then the ones with most matches; accents in ids.
  await page.fill("#q", "bouteilles");
  await page.waitForFunction(() => document.querySelector("#resultats .hit-title")?.textContent === "Guide du tri sélectif");
  const guide = `${server.url}/dossiers/guide.html`;
  assert.deepEqual((await options(page)).map((x) => x.href), [guide, `${guide}#verre`, `${guide}#d%C3%A9ch%C3%A8terie`, `${guide}#papiers`]);
  assert.deepEqual(await page.$$eval("#resultat-0 ~ .sections [role=option]", (els) => els.map((e) => e.textContent)), ["§Section : Le verre", "§Section : La déchèterie", "§Section : Papiers et cartons"]);
  // Links stay out of the tab order: the combobox keeps the focus.
  assert.deepEqual(await page.$$eval("#resultats a", (els) => [...new Set(els.map((e) => e.tabIndex))]), [-1]);
  // A match outside any section: a link to the page alone.
  await page.fill("#q", "météo capricieuse");
  await page.waitForFunction(() => document.querySelectorAll("#resultats [role=option]").length === 1);
  assert.equal(await page.getAttribute("#resultat-0", "href"), FETE);
  assert.deepEqual(problems, []);
});

test("the page shows ten results, newest first with no query; « Afficher plus de résultats » adds the next ones and gives the box the focus back", async () => {
  const { page, problems } = await open("");
  await page.waitForFunction(() => document.querySelectorAll("#resultats .hit").length === 10);
  assert.equal(await page.textContent("#compte"), "15 résultats");
  const first = await titles(page);
  assert.equal(first[0], "La rentrée à l’école Jules-Ferry");
  assert.ok(await page.isVisible("#plus"));
  // By keyboard: the button, then the five left.
  await page.focus("#plus");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelectorAll("#resultats .hit").length === 15);
  const all = await titles(page);
  assert.deepEqual(all.slice(0, 10), first, "the first ten stay in place");
  assert.ok(all.includes("Visiting Saint-Clair") && all.includes("Guide du tri sélectif"), JSON.stringify(all));
  assert.ok(await page.isHidden("#plus"), "nothing more to show");
  // The button is gone: the box has the focus, on the first new result.
  assert.equal(await page.evaluate(() => document.activeElement.id), "q");
  assert.equal(await page.getAttribute("#q", "aria-activedescendant"), "resultat-10");
  assert.equal(await page.getAttribute("#resultat-10", "aria-selected"), "true");
  // Screen readers hear what was added, not the unchanged count alone.
  await page.waitForFunction(() => document.querySelector("#etat").textContent === "5 résultats de plus affichés. 15 résultats");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.getAttribute("#q", "aria-activedescendant"), "resultat-11");
  // A new query starts again at ten.
  await page.fill("#q", "bouteilles");
  await page.waitForFunction(() => document.querySelector("#compte").textContent === "1 résultat");
  await page.fill("#q", "");
  await page.waitForFunction(() => document.querySelector("#compte").textContent === "15 résultats");
  assert.equal(await page.$$eval("#resultats .hit", (els) => els.length), 10);
  assert.ok(await page.isVisible("#plus"));
  assert.deepEqual(problems, []);
});

test("the site's chrome is not indexed; a windows-1252 page is found with its accents", async () => {
  const { page, problems } = await open("");
  for (const word of ["zorglubnav", "zorglubfoot", "mentions légales", "zorglubaside"]) {
    await page.fill("#q", word);
    await page.waitForFunction((w) => document.querySelector("#compte").textContent === `Aucun résultat pour « ${w} »`, word);
  }
  await page.fill("#q", "cooperative");
  await page.waitForFunction(() => document.querySelector("#resultats .hit-title")?.textContent === "Kermesse de l'école : un été réussi");
  assert.equal(await page.textContent("#resultats .snippet mark"), "coopérative");
  assert.match(await page.textContent("#resultats .snippet"), /1 200 € à la coopérative/);
  assert.equal(await page.getAttribute("#resultat-0", "href"), `${server.url}/archives/2019/kermesse.htm`);
  assert.deepEqual(problems, []);
});

test("a click follows the link; middle-click and Ctrl-click open a new tab and leave the page", async () => {
  const { page, problems } = await open("bouteilles");
  const searchUrl = page.url();
  // Nothing on the page cancels a click on a result.
  await page.evaluate(() => {
    window.__prevented = [];
    for (const type of ["click", "auxclick", "mousedown", "pointerdown"]) {
      window.addEventListener(type, (e) => { if (e.defaultPrevented) window.__prevented.push(type); });
    }
  });
  for (const how of [{ button: "middle" }, { modifiers: ["Control"] }]) {
    const [tab] = await Promise.all([browser.context.waitForEvent("page"), page.click("#resultat-0-1", how)]);
    await tab.waitForLoadState();
    assert.equal(tab.url(), `${server.url}/dossiers/guide.html#verre`, JSON.stringify(how));
    await tab.close();
    assert.equal(page.url(), searchUrl, "the search page stays");
  }
  assert.deepEqual(await page.evaluate(() => window.__prevented), []);
  // A plain click navigates, to the section.
  await page.click("#resultat-0-2");
  await page.waitForURL(`${server.url}/dossiers/guide.html#d%C3%A9ch%C3%A8terie`);
  assert.equal(await page.evaluate(() => document.querySelector(":target")?.id), "déchèterie", "the section's heading is the target");
  // Back on the search page, the title's link goes to the page.
  await page.goBack();
  await ready(page);
  await page.waitForSelector("#resultat-0");
  await page.click("#resultat-0 .hit-title");
  await page.waitForURL(`${server.url}/dossiers/guide.html`);
  assert.deepEqual(problems, []);
});

test("keyboard: arrows go through results and their sections, Enter follows the active link", async () => {
  const { page, problems } = await open("bouteilles");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.getAttribute("#q", "aria-activedescendant"), "resultat-0");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.getAttribute("#q", "aria-activedescendant"), "resultat-0-1");
  assert.equal(await page.getAttribute("#resultat-0-1", "aria-selected"), "true");
  assert.equal(await page.getAttribute("#resultat-0", "aria-selected"), "false");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowUp");
  assert.equal(await page.getAttribute("#q", "aria-activedescendant"), "resultat-0-1");
  assert.equal(await page.evaluate(() => document.activeElement.id), "q", "the focus stays in the box");
  await page.keyboard.press("Enter");
  await page.waitForURL(`${server.url}/dossiers/guide.html#verre`);
  // Enter with no active option follows the first result.
  await page.goBack();
  await ready(page);
  await page.waitForSelector("#resultat-0");
  await page.focus("#q");
  await page.keyboard.press("Enter");
  await page.waitForURL(`${server.url}/dossiers/guide.html`);
  assert.deepEqual(problems, []);
});

test("the detail dialog marks the query's words as snippets do and scrolls to the first", async () => {
  const { page, problems } = await open("lampadair");
  // A document without a URL: an option that is not a link.
  assert.equal(await page.evaluate(() => document.querySelector("#resultat-0").tagName), "DIV");
  assert.equal(await page.textContent("#resultats .snippet mark"), "lampadaire");
  await page.keyboard.press("Enter");
  await page.waitForSelector("dialog#detail[open]");
  assert.equal(await page.textContent("#detail-titre"), "Compte rendu du conseil de quartier");
  assert.equal(await page.$$eval("#detail-corps p", (p) => p.length), 41);
  // The prefix's completion is marked, and nothing else; only <mark> is HTML.
  assert.deepEqual(await page.$$eval("#detail-corps mark", (m) => m.map((x) => x.textContent)), ["lampadaire"]);
  assert.deepEqual(await page.$$eval("#detail-corps *", (els) => [...new Set(els.map((e) => e.tagName))]), ["P", "MARK"]);
  assert.equal(await page.textContent("#detail-corps p:last-child"), "Le lampadaire de la place de l’Église sera remplacé en mai.");
  // The dialog scrolled to it: the mark is inside the dialog's visible box.
  const where = await page.evaluate(() => {
    const d = document.querySelector("dialog#detail").getBoundingClientRect();
    const m = document.querySelector("#detail-corps mark").getBoundingClientRect();
    return { scrolled: document.querySelector("dialog#detail").scrollTop, inside: m.top >= d.top && m.bottom <= d.bottom };
  });
  assert.ok(where.scrolled > 0 && where.inside, JSON.stringify(where));
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => !document.querySelector("dialog#detail").open);
  // Several words, each marked wherever it is, and a click opens it too.
  await page.fill("#q", "discussion mai");
  await page.waitForFunction(() => document.querySelector("#resultats .hit-title")?.textContent === "Compte rendu du conseil de quartier");
  await page.click("#resultat-0");
  await page.waitForSelector("dialog#detail[open]");
  const marks = await page.$$eval("#detail-corps mark", (m) => m.map((x) => x.textContent));
  assert.equal(marks.length, 41);
  assert.deepEqual([...new Set(marks)], ["discussion", "mai"]);
  assert.deepEqual(problems, []);
});

test("the widget's results are links with their sections; recherche-select still fires and can cancel", async () => {
  const { page, problems } = await newPage(browser.context);
  await page.goto(`${server.url}/recherche/embed.html`);
  await widgetReady(page);
  const searchUrl = page.url();
  await page.click("#principal input");
  await page.keyboard.type("bouteilles");
  await page.waitForSelector("#principal [role=option]");
  const guide = `${server.url}/dossiers/guide.html`;
  const opts = await page.evaluate(() =>
    [...document.querySelector("#principal").shadowRoot.querySelectorAll("[role=option]")].map((e) => ({ tag: e.tagName, id: e.id, href: e.href, text: e.textContent }))
  );
  assert.deepEqual(opts.map((o) => [o.tag, o.href]), [["A", guide], ["A", `${guide}#verre`], ["A", `${guide}#d%C3%A9ch%C3%A8terie`], ["A", `${guide}#papiers`]]);
  assert.equal(opts[1].id, "recherche-liste-1-0-1");
  assert.match(opts[1].text, /Le verre$/);
  // A cancelled choice is not followed; the event says which section.
  await page.evaluate(() => {
    window.__chosen = [];
    document.addEventListener("recherche-select", (e) => {
      window.__chosen.push({ id: e.detail.id, url: e.detail.url, section: e.detail.section && e.detail.section.anchor });
      if (window.__cancel) e.preventDefault();
    });
    window.__cancel = true;
  });
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.getAttribute("#principal input", "aria-activedescendant"), "recherche-liste-1-0-1");
  await page.keyboard.press("Enter");
  await page.click("#principal input");
  await page.keyboard.press("ArrowDown");
  await page.waitForSelector("#principal [role=option]");
  await page.click("#principal [role=option] >> nth=0");
  assert.deepEqual(await page.evaluate(() => window.__chosen), [
    { id: "dossiers/guide.html", url: "dossiers/guide.html", section: "verre" },
    { id: "dossiers/guide.html", url: "dossiers/guide.html", section: null },
  ]);
  assert.equal(page.url(), searchUrl);
  // Middle-click opens a new tab without choosing.
  await page.click("#principal input");
  await page.keyboard.press("ArrowDown");
  await page.waitForSelector("#principal [role=option]");
  const [tab] = await Promise.all([browser.context.waitForEvent("page"), page.click("#principal [role=option] >> nth=3", { button: "middle" })]);
  await tab.waitForLoadState();
  assert.equal(tab.url(), `${guide}#papiers`);
  await tab.close();
  assert.equal((await page.evaluate(() => window.__chosen)).length, 2);
  // Not cancelled: the link is followed.
  await page.evaluate(() => { window.__cancel = false; });
  await page.click("#principal [role=option] >> nth=2");
  await page.waitForURL(`${guide}#d%C3%A9ch%C3%A8terie`);
  assert.deepEqual(problems, []);
});

test("accessibility with links and sections: axe-core finds no violations, page (light and dark) and widget", async () => {
  for (const scheme of ["light", "dark"]) {
    const { page } = await newPage(browser.context);
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${server.url}/recherche/?q=bouteilles`);
    await ready(page);
    await page.waitForSelector("#resultat-0-1");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    assert.deepEqual(await axe(page), [], `${scheme} page`);
    await page.fill("#q", "lampadaire");
    await page.waitForSelector("div#resultat-0");
    await page.keyboard.press("Enter");
    await page.waitForSelector("dialog#detail[open]");
    assert.deepEqual(await axe(page), [], `${scheme} dialog`);
    await page.close();
  }
  const { page } = await newPage(browser.context);
  await page.goto(`${server.url}/recherche/embed.html`);
  await widgetReady(page);
  await page.fill("#principal input", "bouteilles");
  await page.waitForSelector("#principal [role=option]");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  assert.deepEqual(await axe(page), []);
});

test("the page's <meta name=recherche-base> and the widget's base attribute move where relative URLs resolve", async () => {
  const { page, problems } = await newPage(browser.context);
  const html = fs.readFileSync(path.join(SITE, "recherche/index.html"), "utf8").replace("<head>", '<head>\n  <meta name="recherche-base" content="/archives/">');
  await page.route(`${server.url}/recherche/`, (route) => route.fulfill({ contentType: "text/html; charset=utf-8", body: html }));
  await page.goto(`${server.url}/recherche/`);
  await ready(page);
  await page.fill("#q", "bouteilles");
  await page.waitForSelector("#resultat-0");
  assert.equal(await page.getAttribute("#resultat-0", "href"), `${server.url}/archives/dossiers/guide.html`);
  await page.goto(`${server.url}/recherche/embed.html`);
  await widgetReady(page);
  await page.evaluate(() => document.querySelector("#principal").setAttribute("base", "https://example.org/aide/"));
  await page.fill("#principal input", "bouteilles");
  await page.waitForSelector("#principal [role=option]");
  assert.equal(await page.evaluate(() => document.querySelector("#principal").shadowRoot.querySelector("[role=option]").href), "https://example.org/aide/dossiers/guide.html");
  assert.deepEqual(problems, []);
});
