// www/index.html in headless Chromium: search as you type, highlights,
// facets and URL state, keyboard, dialog, states, accessibility.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import fs from "node:fs";
import { serve, launch, newPage, ready, titles, axe, WWW, ROOT } from "./helpers.mjs";

let server, browser;
before(async () => {
  server = await serve(WWW);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const T = {
  s000: "Le secrétaire général s’est rendu aux États-Unis et au Canada en prévision du sommet de Washington",
  s001: "Le secrétaire général reçoit le secrétaire américain à la Défense pour un entretien au siège de l’OTAN",
  s002: "Le secrétaire général de l’OTAN rencontre les hauts commandants militaires",
  s003: "Stoltenberg a eu \"une bonne discussion\" avec Trump sur l'avenir de l'Otan",
  s004: "Réunion des conseillers pour la sécurité nationale sous la présidence du secrétaire général de l’OTAN",
};

async function open(query = "") {
  const { page, problems } = await newPage(browser.context);
  await page.goto(`${server.url}/${query}`);
  await ready(page);
  return { page, problems };
}

test("typing renders the right titles, count and highlights", async () => {
  const { page, problems } = await open();
  assert.equal(await page.evaluate(() => document.activeElement.id), "q", "search box focused on load");
  await page.keyboard.type("Stoltenberg");
  await page.waitForFunction(() => document.querySelectorAll("#resultats .hit").length === 5);
  assert.deepEqual(await titles(page), [T.s003, T.s000, T.s004, T.s001, T.s002]);
  assert.equal(await page.textContent("#compte"), "5 résultats");
  await page.fill("#q", "securite");
  await page.waitForFunction(() => document.querySelector("#resultats .hit-title")?.textContent.startsWith("Réunion"));
  const marks = await page.$$eval("#resultats .hit:first-child mark", (m) => m.map((x) => x.textContent));
  assert.ok(marks.length >= 1 && marks.every((m) => m === "sécurité"), JSON.stringify(marks));
  // French dates, source and people.
  assert.equal(await page.textContent("#resultats .hit:first-child time"), "7 février 2024");
  assert.match(await page.textContent("#resultats .hit:first-child .meta"), /OTAN/);
  assert.equal(await page.textContent("#resultats .hit:first-child .people"), "Jens Stoltenberg");
  await page.fill("#q", "Esper");
  await page.waitForFunction(() => document.querySelector("#compte").textContent === "1 résultat");
  await page.fill("#q", "zzzzqqq");
  await page.waitForFunction(() => document.querySelector("#compte").textContent === "Aucun résultat pour « zzzzqqq »");
  await page.fill("#q", "Trump");
  await page.waitForFunction(() => document.querySelector("#resultats .hit time")?.textContent === "date inconnue");
  assert.deepEqual(problems, []);
});

test("relaxed results are announced", async () => {
  const { page, problems } = await open("?q=Esper+Trump");
  assert.equal(await page.isVisible("#relache"), true);
  assert.match(await page.textContent("#relache"), /Aucun document ne contient tous les mots ; résultats les plus proches/);
  await page.waitForFunction(() => document.querySelector("#etat").textContent.includes("2 résultats"));
  await page.fill("#q", "Esper");
  assert.equal(await page.isVisible("#relache"), false);
  assert.deepEqual(problems, []);
});

test("a facet click filters and updates the URL; reload and Back restore the view", async () => {
  const { page, problems } = await open("?q=Stoltenberg");
  await page.click('.facet[data-field="year"] button:has-text("2024")');
  await page.waitForFunction(() => document.querySelectorAll("#resultats .hit").length === 2);
  assert.match(page.url(), /annee=2024/);
  assert.deepEqual(await titles(page), [T.s000, T.s004]);
  assert.equal(await page.getAttribute('.facet[data-field="year"] button:has-text("2024")', "aria-pressed"), "true");
  // Disjunctive counts: the other years still show their counts.
  assert.equal(await page.textContent('.facet[data-field="year"] button:has-text("2020") .n'), "1 résultat");
  assert.match(await page.textContent("#filtres-actifs"), /année : 2024/);
  await page.click('.facet[data-field="person"] button:has-text("Joe Biden")');
  await page.waitForFunction(() => document.querySelectorAll("#resultats .hit").length === 1);
  assert.match(page.url(), /personne=Joe\+Biden/);

  await page.reload();
  await ready(page);
  assert.deepEqual(await titles(page), [T.s000]);
  assert.equal(await page.inputValue("#q"), "Stoltenberg");
  assert.equal(await page.getAttribute('.facet[data-field="person"] button:has-text("Joe Biden")', "aria-pressed"), "true");

  await page.goBack();
  await page.waitForFunction(() => document.querySelectorAll("#resultats .hit").length === 2);
  assert.doesNotMatch(page.url(), /personne/);
  await page.goBack();
  await page.waitForFunction(() => document.querySelectorAll("#resultats .hit").length === 5);

  // A chip removes its filter.
  await page.click('.facet[data-field="source"] button:has-text("Presse")');
  await page.waitForFunction(() => document.querySelectorAll("#resultats .hit").length === 1);
  await page.click("#filtres-actifs .chip");
  await page.waitForFunction(() => document.querySelectorAll("#resultats .hit").length === 5);
  assert.deepEqual(problems, []);
});

test("the sort switch orders by date, undated last", async () => {
  const { page, problems } = await open("?q=Stoltenberg");
  await page.check('input[name="tri"][value="date"]');
  await page.waitForFunction(() => document.querySelector("#resultats .hit-title")?.textContent.startsWith("Le secrétaire général s’est rendu"));
  assert.deepEqual(await titles(page), [T.s000, T.s004, T.s002, T.s001, T.s003]);
  assert.match(page.url(), /tri=date/);
  assert.deepEqual(problems, []);
});

test("keyboard: arrows, Enter opens the dialog, Escape closes it then clears the box, / focuses", async () => {
  const { page, problems } = await open();
  await page.keyboard.type("otan");
  await page.waitForFunction(() => document.querySelectorAll("#resultats .hit").length === 5);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.getAttribute("#q", "aria-activedescendant"), "resultat-1");
  assert.equal(await page.getAttribute("#resultat-1", "aria-selected"), "true");
  await page.keyboard.press("ArrowUp");
  assert.equal(await page.getAttribute("#q", "aria-activedescendant"), "resultat-0");
  await page.keyboard.press("Enter");
  await page.waitForSelector("dialog#detail[open]");
  assert.equal(await page.textContent("#detail-titre"), T.s003);
  assert.match(await page.textContent("#detail-meta"), /date inconnue · Presse/);
  assert.match(await page.textContent("#detail-personnes"), /Donald Trump/);
  assert.ok((await page.$$("#detail-corps p")).length >= 5);
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => !document.querySelector("dialog#detail").open);
  assert.equal(await page.evaluate(() => document.activeElement.id), "q");
  await page.keyboard.press("Escape");
  assert.equal(await page.inputValue("#q"), "");
  // Opening a NATO article shows update time and captions.
  await page.fill("#q", "Congressmen");
  await page.waitForFunction(() => document.querySelectorAll("#resultats .hit").length === 1);
  await page.keyboard.press("Enter");
  await page.waitForSelector("dialog#detail[open]");
  assert.match(await page.textContent("#detail-meta"), /21 juin 2024 · OTAN · mis à jour le 24 juin 2024 à 11 h 03/);
  // Update stamps: a real date (and time) is formatted, anything else
  // (JSON Lines gives it as written) is shown as it is.
  const stamps = await page.evaluate(async () => {
    const { formatUpdated } = await import("./recherche-ui.js");
    return ["2024-06-24T11:03", "2024-06-01", "15 juillet 2023", "2023-02-30", "2024-06-24T25:00", "2024-06-24 11:03", "", null]
      .map((s) => [formatUpdated(s), formatUpdated(s, "en")]);
  });
  assert.deepEqual(stamps, [
    ["24 juin 2024 à 11 h 03", "24 June 2024, 11:03"], ["1er juin 2024", "1 June 2024"], ["15 juillet 2023", "15 juillet 2023"],
    ["2023-02-30", "2023-02-30"], ["2024-06-24T25:00", "2024-06-24T25:00"], ["2024-06-24 11:03", "2024-06-24 11:03"], ["", ""], ["", ""],
  ]);
  assert.equal(await page.isVisible("#detail-legendes"), true);
  await page.click("dialog .close");
  await page.click("h1");
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement.id), "q");
  assert.deepEqual(problems, []);
});

test("no query lists the corpus newest first; bad URL parameters are ignored", async () => {
  const { page, problems } = await open("?annee=abc&tri=n%27importe");
  assert.deepEqual(await titles(page), [T.s000, T.s004, T.s002, T.s001, T.s003]);
  assert.equal(await page.textContent("#compte"), "5 résultats");
  assert.deepEqual(problems, []);
});

test("a link with filter values the engine would refuse drops them, and never leaves the page on an error", async () => {
  const reference = await open("?q=otan");
  const expected = await titles(reference.page);
  assert.equal(expected.length, 5);
  const long = "x".repeat(1001);
  const many = Array.from({ length: 300 }, (_, i) => `personne=p${i}`).join("&");
  for (const query of [`?q=otan&source=${long}&personne=${long}`, `?q=otan&annee=0&annee=10000`]) {
    const { page, problems } = await open(query);
    assert.deepEqual(await titles(page), expected, query.slice(0, 40));
    assert.equal(await page.getAttribute("#etat", "class"), "state visually-hidden");
    assert.deepEqual(problems, []);
  }
  // 300 people: the first 256 are asked for (none is in the corpus).
  const { page, problems } = await open(`?q=otan&${many}`);
  await page.waitForFunction(() => /^Aucun/.test(document.querySelector("#compte").textContent));
  assert.equal(await page.getAttribute("#etat", "class"), "state visually-hidden");
  assert.equal(await page.isEnabled("#q"), true);
  assert.deepEqual(problems, []);
});

test("each kind of failure is explained in French, with the engine's message as the detail", async () => {
  const { page } = await open();
  const said = await page.evaluate(async () => {
    const { loadErrorMessage } = await import("./recherche-ui.js");
    const field = Object.assign(new Error("recherche: options.limit must be an integer"), { field: "options.limit" });
    return [
      new Error("recherche: index file d0123abcd.bin could not be loaded (HTTP 404 Not Found; the site's search index may have been updated since this page was loaded: reload the page (if that does not help, the site lacks this file))"),
      new Error("recherche: index file d0123abcd.bin could not be loaded (no data for 20 s)"),
      new Error("recherche: http://x/pkg/engine_bg.wasm could not be loaded (no data for 20 s while reading it)"),
      new Error("recherche: the search engine failed (unreachable); it has been restarted and the next search will work"),
      field,
      new Error("recherche: corrupt index: truncated"),
      new Error("something else"),
    ].map(loadErrorMessage);
  });
  const expected = [
    /^Une partie de l’index de recherche est introuvable sur le serveur : .* rechargez-la \(si cela ne suffit pas, le site est incomplet\)\. Détail : recherche: index file d0123abcd\.bin/,
    /^Une partie de l’index de recherche n’a pas pu être chargée ; réessayez dans un instant\. Détail : .*no data for 20 s\)$/,
    /^Le moteur de recherche n’a pas pu être téléchargé ; vérifiez la connexion et réessayez\. Détail : .*engine_bg\.wasm/,
    /^Le moteur de recherche a rencontré une erreur et a redémarré : relancez la recherche\. Détail : /,
    /^Cette recherche est impossible \(options\.limit\) : recherche: options\.limit must be an integer$/,
    /^L’index de recherche est endommagé/,
    /^Le moteur de recherche n’a pas pu démarrer : something else$/,
  ];
  expected.forEach((re, i) => assert.match(said[i], re));
});

test("« Afficher plus de résultats » stops at the 1,000 hits a call gives at most, though more match", async () => {
  // An engine with 5,000 matches (no fixture has over 1,000): the real
  // API's shapes, its limit clamped to 1,000 as the module does.
  const fake = `
    const hit = (i) => ({ id: "d" + i, title: "Titre " + i, url: null, date: null, source: null, people: [], score: 1, snippet: "texte", section: null, sections: [] });
    const answer = (query, o) => ({ query, total: 5000, relaxed: false,
      hits: Array.from({ length: Math.min(o?.limit ?? 10, 1000) }, (_, i) => hit(i)),
      facets: { year: {}, source: {}, person: {} }, facetLists: { year: [], source: [], person: [] }, ignored: [] });
    export default async function init() {}
    export async function search(q, o) { return answer(q, o); }
    export async function filter(o) { return answer(null, o); }
    export async function getDocument() { return null; }`;
  const { page, problems } = await newPage(browser.context);
  await page.route(`${server.url}/pkg/recherche.js`, (route) => route.fulfill({ contentType: "text/javascript", body: fake }));
  await page.goto(`${server.url}/?q=titre`);
  await ready(page);
  await page.waitForFunction(() => document.querySelectorAll("#resultats .hit").length === 10);
  for (let shown = 10; shown < 1000; shown += 10) {
    assert.equal(await page.isVisible("#plus"), true, `${shown} shown`);
    await page.click("#plus");
    await page.waitForFunction((n) => document.querySelectorAll("#resultats .hit").length === n, shown + 10);
  }
  assert.equal(await page.isVisible("#plus"), false, "no button that can add nothing");
  assert.deepEqual(problems, []);
});

test("accessibility: axe-core finds no violations, light and dark, with results and dialog", async () => {
  for (const scheme of ["light", "dark"]) {
    const { page } = await newPage(browser.context);
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${server.url}/?q=securite&annee=2024`);
    await ready(page);
    await page.keyboard.press("ArrowDown");
    assert.deepEqual(await axe(page), [], `${scheme} page`);
    await page.keyboard.press("Enter");
    await page.waitForSelector("dialog#detail[open]");
    assert.deepEqual(await axe(page), [], `${scheme} dialog`);
    await page.close();
  }
});

test("responsive down to 320 px", async () => {
  const { page, problems } = await newPage(browser.context);
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto(`${server.url}/?q=otan`);
  await ready(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px at 320px`);
  assert.deepEqual(problems, []);
});

// The README's screenshot. `make test` writes it under target/; only
// UPDATE_SCREENSHOT=1 replaces the tracked docs/screenshot.jpg.
test("screenshot for the README", async () => {
  const { page } = await newPage(browser.context);
  await page.setViewportSize({ width: 960, height: 620 });
  await page.goto(`${server.url}/?q=s%C3%A9curit%C3%A9+nationale&annee=2024`);
  await ready(page);
  await page.waitForFunction(() => document.querySelectorAll("#resultats .hit").length > 0);
  const target = process.env.UPDATE_SCREENSHOT === "1" ? path.join(ROOT, "docs/screenshot.jpg") : path.join(ROOT, "target/screenshot.jpg");
  await page.screenshot({ path: target, type: "jpeg", quality: 55 });
  assert.ok(fs.statSync(target).size > 10_000);
});

test("opened from file:// the page explains it must be served", async () => {
  const { page } = await newPage(browser.context);
  await page.goto(`file://${WWW}/index.html`);
  await page.waitForFunction(() => document.querySelector("#etat").textContent.includes("HTTP"));
  assert.match(await page.textContent("#etat"), /make serve/);
});

test("when the engine cannot be downloaded the page says so, and its retry button loads it without a reload", async () => {
  const { page, problems } = await newPage(browser.context);
  let cut = true;
  await page.route("**/pkg/engine_bg.wasm", (route) => (cut ? route.abort("internetdisconnected") : route.continue()));
  await page.goto(`${server.url}/?q=otan`);
  await page.waitForFunction(() => document.querySelector("#etat").classList.contains("error"));
  assert.match(await page.textContent("#etat"), /^Le moteur de recherche n’a pas pu être téléchargé ; vérifiez la connexion et réessayez\. Détail : recherche: http:\/\/127\.0\.0\.1:\d+\/pkg\/engine_bg\.wasm could not be loaded \(network error: [^)]*\)$/);
  assert.equal(await page.isDisabled("#q"), true);
  // Still offline, from the keyboard: the same message, and the focus stays on the one button.
  await page.focus("#etat + button.retry");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector("#etat").classList.contains("error"));
  assert.equal(await page.$$eval("button.retry", (b) => b.length), 1);
  assert.equal(await page.evaluate(() => document.activeElement?.className), "retry");
  cut = false;
  await page.click("button.retry");
  await ready(page);
  await page.waitForSelector("#resultats .snippet mark");
  assert.equal(await page.isEnabled("#q"), true);
  assert.equal(await page.$("button.retry"), null);
  assert.deepEqual(problems.filter((p) => !/Failed to load resource|internetdisconnected/.test(p)), []);
});

test("under a CSP without 'wasm-unsafe-eval' the page says why it cannot start", async () => {
  const strict = await serve(WWW, { "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'" });
  try {
    const { page } = await newPage(browser.context);
    await page.goto(`${strict.url}/`);
    await page.waitForFunction(() => document.querySelector("#etat").classList.contains("error"));
    assert.match(await page.textContent("#etat"), /wasm-unsafe-eval/);
    // Trying again would not help: no button.
    assert.equal(await page.$("button.retry"), null);
  } finally {
    await strict.close();
  }
});
