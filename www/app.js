// The search page: results as you type, facets, URL state, keyboard,
// detail dialog. Corpus text is inserted with textContent; the only HTML
// is the engine's escaped snippets and marked paragraphs (see setSnippet).
// A result with an http(s) or relative URL is a link to it, followed by
// its sections; other results open the detail dialog.
import {
  loadEngine, formatDate, formatUpdated, countLabel, safeUrl, loadErrorMessage, downloadFailed, setSnippet, paragraphs, titleText, setActiveOption, optionElement, linkedSections, SITE_ROOT,
} from "./recherche-ui.js";

/** Results per page: the first answer shows 10 (as most search pages do), and
 *  "Afficher plus de résultats" adds 10 more. */
const PAGE = 10;
/** The most hits one call gives (the API clamps `limit` to it). */
const MAX_LIMIT = 1000;
const FIELDS = { year: "annee", source: "source", person: "personne" };
const FIELD_LABELS = { year: "année", source: "source", person: "personne" };

const $ = (id) => document.getElementById(id);
const input = $("q");
const state$ = $("etat");
const list = $("resultats");
const count = $("compte");
const relaxed = $("relache");
const chips = $("filtres-actifs");
const more = $("plus");
const facetsPanel = $("facettes");
const dialog = $("detail");
// Where relative result URLs resolve: <meta name="recherche-base" content="…">, else the site root.
const BASE = document.querySelector('meta[name="recherche-base"]')?.content || SITE_ROOT;

let engine = null;
let state = { q: "", year: [], source: [], person: [], sort: null, limit: PAGE };
let hits = [];
/** The listbox's options in order: each hit, then its sections. */
let items = [];
let active = -1;
let announceTimer = 0;
let lastFocus = null;

/** Values of one filter the engine accepts, at most (MAX_FILTER_VALUES). */
const MAX_VALUES = 256;
/** Longest filter value the engine accepts (MAX_STRING_CHARS); no source
 *  or person in an index is longer (the build refuses them). */
const MAX_VALUE_CHARS = 1000;

/** The view a URL asks for; what the engine would refuse (a year out of
 *  range, a value too long, too many values) is ignored, so that no link
 *  can leave the page stuck on an error. */
function readUrl() {
  const p = new URLSearchParams(location.search);
  const years = p.getAll(FIELDS.year).map(Number).filter((y) => Number.isInteger(y) && y >= 1 && y <= 9999);
  const values = (name) => [...new Set(p.getAll(name).filter((v) => v.length <= MAX_VALUE_CHARS))].slice(0, MAX_VALUES);
  const tri = p.get("tri");
  return {
    q: p.get("q") || "",
    year: [...new Set(years)].slice(0, MAX_VALUES),
    source: values(FIELDS.source),
    person: values(FIELDS.person),
    sort: tri === "date" ? "date" : tri === "pertinence" ? "relevance" : null,
    limit: PAGE,
  };
}

function writeUrl(push) {
  const p = new URLSearchParams();
  if (state.q) p.set("q", state.q);
  for (const f of Object.keys(FIELDS)) for (const v of state[f]) p.append(FIELDS[f], String(v));
  if (state.sort) p.set("tri", state.sort === "date" ? "date" : "pertinence");
  const url = `${location.pathname}${p.toString() ? "?" + p : ""}`;
  if (url === location.pathname + location.search) return;
  history[push ? "pushState" : "replaceState"](null, "", url);
}

function options() {
  return {
    limit: state.limit,
    sort: state.sort || (state.q.trim() ? "relevance" : "date"),
    filters: { year: state.year, source: state.source, person: state.person },
  };
}

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Renders the current state. Calls are asynchronous: only the answer to
 *  the latest one is shown (the Promise says whether it was this one). */
let renders = 0;
async function render() {
  const mine = ++renders;
  let r;
  try {
    r = await (state.q.trim() ? engine.search(state.q, options()) : engine.filter(options()));
  } catch (e) {
    if (mine === renders) {
      // No results of another query under the error.
      hits = [];
      items = [];
      active = -1;
      input.removeAttribute("aria-activedescendant");
      input.setAttribute("aria-expanded", "false");
      list.replaceChildren();
      count.textContent = "";
      relaxed.hidden = more.hidden = facetsPanel.hidden = true;
      showError(loadErrorMessage(e));
    }
    return false;
  }
  if (mine !== renders) return false;
  hits = r.hits;
  items = [];
  active = -1;
  input.removeAttribute("aria-activedescendant");
  count.textContent = countLabel(r.total, state.q.trim());
  relaxed.hidden = !r.relaxed;

  list.replaceChildren(...hits.map(renderHit));
  input.setAttribute("aria-expanded", hits.length ? "true" : "false");
  // The API gives at most MAX_LIMIT hits: past them, no more to show.
  more.hidden = r.total <= hits.length || hits.length >= MAX_LIMIT;
  renderFacets(r.facetLists);
  renderChips();
  for (const radio of document.querySelectorAll('input[name="tri"]')) {
    radio.checked = radio.value === options().sort;
  }
  announce(count.textContent + (r.relaxed ? ". " + relaxed.textContent : ""));
  return true;
}

/** Says `text` to screen readers once typing pauses (the status is
 *  visually hidden unless it holds an error). */
function announce(text) {
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => {
    state$.className = "state visually-hidden";
    state$.textContent = text;
  }, 350);
}

/** One hit: its option (a link to its URL, or a button-like option that
 *  opens the dialog), then its sections' links, each an option too. */
function renderHit(hit, i) {
  const li = el("li", "hit");
  li.setAttribute("role", "none");
  li.dataset.index = String(i);
  const url = safeUrl(hit.url, BASE);
  const main = optionElement(url);
  main.className = "hit-main";
  main.id = `resultat-${i}`;
  main.append(el("h3", "hit-title", titleText(hit.title)));
  const meta = el("p", "meta");
  const time = el("time", "", formatDate(hit.date));
  if (hit.date) time.dateTime = hit.date;
  meta.append(time);
  if (hit.source) meta.append(el("span", "sep", " · "), el("span", "source", hit.source));
  main.append(meta);
  const snippet = el("p", "snippet");
  setSnippet(snippet, hit.snippet);
  main.append(snippet);
  if (hit.people && hit.people.length) main.append(el("p", "people", hit.people.join(", ")));
  // A link is followed by the browser itself; other results open the dialog.
  if (!url) main.addEventListener("click", () => openDetail(hit));
  li.append(main);
  items.push(main);
  const sections = url ? linkedSections(hit, BASE) : [];
  if (sections.length) {
    const box = el("div", "sections");
    sections.forEach(({ section, url }, k) => {
      const a = optionElement(url);
      a.className = "section-link";
      a.id = `resultat-${i}-${k + 1}`;
      const sign = el("span", "section-sign", "§");
      sign.setAttribute("aria-hidden", "true");
      a.append(sign, el("span", "visually-hidden", "Section : "), el("span", "", section.heading));
      box.append(a);
      items.push(a);
    });
    li.append(box);
  }
  return li;
}

function renderFacets(lists) {
  facetsPanel.hidden = false;
  for (const section of document.querySelectorAll(".facet")) {
    const field = section.dataset.field;
    const ul = section.querySelector("ul");
    const counts = new Map(lists[field].map((f) => [f.value, f.count]));
    // Chosen values stay visible even when they have no hit.
    for (const v of state[field]) if (!counts.has(String(v))) counts.set(String(v), 0);
    ul.replaceChildren(
      ...[...counts].map(([value, n]) => {
        const li = el("li");
        const b = el("button", "facet-value");
        b.type = "button";
        const chosen = state[field].map(String).includes(value);
        b.setAttribute("aria-pressed", chosen ? "true" : "false");
        const num = el("span", "n", String(n));
        num.append(el("span", "visually-hidden", n === 1 ? " résultat" : " résultats"));
        b.append(el("span", "label", value), num);
        b.addEventListener("click", () => toggle(field, value));
        li.append(b);
        return li;
      })
    );
    section.hidden = counts.size === 0;
  }
}

function renderChips() {
  const all = [];
  for (const field of Object.keys(FIELDS)) {
    for (const v of state[field]) {
      const b = el("button", "chip");
      b.type = "button";
      const x = el("span", "x", " ×");
      x.setAttribute("aria-hidden", "true");
      b.append(el("span", "visually-hidden", "Retirer le filtre "), el("span", "", `${FIELD_LABELS[field]} : ${v}`), x);
      b.addEventListener("click", () => toggle(field, String(v)));
      all.push(b);
    }
  }
  chips.replaceChildren(...all);
  chips.hidden = all.length === 0;
}

function toggle(field, value) {
  const v = field === "year" ? Number(value) : value;
  const has = state[field].includes(v);
  state[field] = has ? state[field].filter((x) => x !== v) : [...state[field], v];
  state.limit = PAGE;
  writeUrl(true);
  render();
}

function setActive(i) {
  active = setActiveOption(input, items, active, i);
}

/** The detail dialog of a hit without a URL to follow: its text, the
 *  query's words marked as in snippets, scrolled to the first of them. */
async function openDetail(hit) {
  let doc;
  try {
    doc = await engine.getDocument(hit.id, state.q.trim() ? state.q : null);
  } catch (e) {
    showError(loadErrorMessage(e));
    return;
  }
  if (!doc) return;
  lastFocus = document.activeElement;
  $("detail-titre").textContent = titleText(doc.title);
  const meta = [formatDate(doc.date)];
  if (doc.source) meta.push(doc.source);
  if (doc.updated) meta.push("mis à jour le " + formatUpdated(doc.updated));
  $("detail-meta").textContent = meta.join(" · ");
  $("detail-personnes").textContent = doc.people.length ? "Personnes : " + doc.people.join(", ") : "";
  $("detail-corps").replaceChildren(...paragraphs("p", doc.body, doc.bodyHtml));
  const captions = $("detail-legendes");
  captions.hidden = doc.captions.length === 0;
  captions.querySelector("ul").replaceChildren(...paragraphs("li", doc.captions, doc.captionsHtml));
  dialog.showModal();
  dialog.querySelector("mark")?.scrollIntoView({ block: "center" });
}

function showError(message) {
  // A pending announcement must not replace the error.
  clearTimeout(announceTimer);
  state$.textContent = message;
  state$.className = "state error";
}

function onKey(e) {
  if (e.key === "ArrowDown") {
    e.preventDefault();
    if (items.length) setActive(Math.min(active + 1, items.length - 1));
  } else if (e.key === "ArrowUp") {
    e.preventDefault();
    setActive(active - 1);
  } else if (e.key === "Enter") {
    // The active option (else the first) as if clicked: a link is followed.
    e.preventDefault();
    items[active >= 0 ? active : 0]?.click();
  } else if (e.key === "Escape") {
    if (input.value) {
      e.preventDefault();
      input.value = "";
      state.q = "";
      state.limit = PAGE;
      writeUrl(false);
      render();
    }
  }
}

/** The « Réessayer » button after a failed download: one button, kept
 *  (and its focus) across attempts, beside the status, not inside its
 *  live region. */
let retry = null;
let retrying = false;

function offerRetry() {
  if (!retry) {
    retry = document.createElement("button");
    retry.type = "button";
    retry.className = "retry";
    retry.textContent = "Réessayer";
    retry.addEventListener("click", async () => {
      if (retrying) return;
      retrying = true;
      state$.textContent = "Chargement de l’index…";
      state$.className = "state";
      try {
        await main();
      } finally {
        retrying = false;
      }
    });
    state$.after(retry);
  }
}

async function main() {
  try {
    engine = await loadEngine();
  } catch (e) {
    showError(loadErrorMessage(e));
    // A download that failed may work on a second try, without reloading
    // the page (loadEngine starts afresh).
    if (downloadFailed(e)) offerRetry();
    return;
  }
  retry?.remove();
  retry = null;
  state = readUrl();
  input.value = state.q;
  input.disabled = false;
  state$.className = "state visually-hidden";
  state$.textContent = "";
  document.body.classList.add("ready");
  await render();
  // For benchmarks and site monitoring: navigation → first answer.
  performance.mark("recherche:first-answer");
  input.focus();

  input.addEventListener("input", () => {
    state.q = input.value;
    state.limit = PAGE;
    writeUrl(false);
    render();
  });
  input.addEventListener("keydown", onKey);
  $("search-form").addEventListener("submit", (e) => e.preventDefault());
  for (const radio of document.querySelectorAll('input[name="tri"]')) {
    radio.addEventListener("change", () => {
      state.sort = radio.value;
      writeUrl(true);
      render();
    });
  }
  more.addEventListener("click", async (e) => {
    const shown = hits.length;
    // A click from the keyboard (Enter or Space) has no pointer detail.
    const byKeyboard = e.detail === 0;
    state.limit += PAGE;
    if (!(await render())) return;
    // The count alone would not change: say what was added (this replaces
    // the count's announcement).
    const added = hits.length - shown;
    if (added > 0) announce(`${added} résultat${added > 1 ? "s" : ""} de plus affiché${added > 1 ? "s" : ""}. ${count.textContent}`);
    // The first new result becomes the active option (and is scrolled to);
    // once the button hides, a keyboard user's focus, which it held, goes
    // back to the search box (a pointer user's stays put: on a phone,
    // focusing the box would open the keyboard over the new results).
    if (byKeyboard && more.hidden && (document.activeElement === more || document.activeElement === document.body)) input.focus({ preventScroll: true });
    setActive(items.indexOf($(`resultat-${shown}`)));
  });
  dialog.addEventListener("close", () => {
    if (lastFocus && lastFocus.focus) lastFocus.focus();
    else input.focus();
  });
  window.addEventListener("popstate", () => {
    state = readUrl();
    input.value = state.q;
    render();
  });
  document.addEventListener("keydown", (e) => {
    const t = e.target;
    const typing = t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (e.key === "/" && !typing && !dialog.open && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });
}

main();
