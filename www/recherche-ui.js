// Shared by the page (app.js) and the embed (recherche-widget.js):
// loading the engine once, and the French formatting of results.

let ready = null;

/** Loads the wasm engine once per page, however many callers ask. Its
 *  functions return Promises. A failed load is retried by the next call.
 *  The engine's files (pkg/) are imported here, not when this module is:
 *  a widget fetches none of them until the reader shows intent. */
export function loadEngine() {
  if (!ready) {
    ready = import("./pkg/recherche.js").then(async ({ default: init, search, filter, getDocument }) => {
      await init();
      return { search, filter, getDocument };
    });
    ready.catch(() => { ready = null; });
  }
  return ready;
}

/** The locale of a language: English for "en", French for anything else
 *  (a compared string, not an object's key: `lang` may be any attribute). */
const locale = (lang) => (lang === "en" ? "en-GB" : "fr-FR");
/** Intl formatters by kind and locale, each made once. */
const formats = new Map();
function formatter(kind, lang, make) {
  const key = kind + locale(lang);
  if (!formats.has(key)) formats.set(key, make(locale(lang)));
  return formats.get(key);
}
const dateFormat = (lang) =>
  formatter("date", lang, (l) => new Intl.DateTimeFormat(l, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }));
const numberFormat = (lang) => formatter("number", lang, (l) => new Intl.NumberFormat(l));

/** `2024-06-21` → `21 juin 2024` (`1er` for the first day); null → `date inconnue`. */
export function formatDate(iso, lang = "fr") {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
  if (!m) return lang === "en" ? "undated" : "date inconnue";
  const text = dateFormat(lang).format(new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])));
  return lang !== "en" && +m[3] === 1 ? text.replace(/^1 /, "1er ") : text;
}

/** An update stamp: `2024-06-24T11:03` → `24 juin 2024 à 11 h 03`
 *  (`June 24, 2024, 11:03`); one that is not a date (a JSON Lines corpus
 *  gives it as written: `15 juillet 2023`) is shown as it is. */
export function formatUpdated(stamp, lang = "fr") {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(stamp || "");
  // Only a real date and time is reformatted (not 2023-02-30, not 25:00).
  const day = m && new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  if (!m || day.getUTCMonth() !== +m[2] - 1 || day.getUTCDate() !== +m[3] || (m[4] && (+m[4] > 23 || +m[5] > 59))) return stamp || "";
  const time = !m[4] ? "" : lang === "en" ? `, ${m[4]}:${m[5]}` : ` à ${+m[4]} h ${m[5]}`;
  return formatDate(stamp, lang) + time;
}

/** The result count, with the language's plural rules. */
export function countLabel(total, query, lang = "fr") {
  if (lang === "en") {
    if (total === 0) return query ? `No results for “${query}”` : "No documents";
    return `${numberFormat(lang).format(total)} ${total === 1 ? "result" : "results"}`;
  }
  if (total === 0) return query ? `Aucun résultat pour « ${query} »` : "Aucun document";
  return `${numberFormat(lang).format(total)} ${total === 1 ? "résultat" : "résultats"}`;
}

/**
 * Where relative result URLs (an indexed page's path in the site,
 * `actualites/2024/fete.html`) are resolved by default: the site's root,
 * taken to be the folder above recherche's own (`/recherche/` → `/`).
 */
export const SITE_ROOT = new URL("../", import.meta.url).href;

/**
 * The URL to follow for a result, or null: `url` resolved against `base`
 * (default SITE_ROOT), if the result is http(s). Never javascript:,
 * data: or another scheme, relative or not.
 */
export function safeUrl(url, base = SITE_ROOT) {
  if (typeof url !== "string" || url === "") return null;
  try {
    const u = new URL(url, new URL(base || SITE_ROOT, location.href));
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}

/** A click that the browser turns into a new tab or window (or a download): left to it. */
export function opensElsewhere(e) {
  return e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey;
}

/** Whether loading the engine failed for a download (network error, HTTP
 *  error, no data, the glue's import): trying again may work, where a CSP
 *  or a corrupt index would not. */
export function downloadFailed(error) {
  return /could not be loaded|Failed to fetch|dynamically imported module|NetworkError/i.test(String(error && error.message));
}

/** A French explanation of why the engine did not load or a call failed. */
export function loadErrorMessage(error) {
  const text = String(error && (error.message || error));
  if (location.protocol === "file:") {
    return "Cette page doit être servie par HTTP (par exemple avec « make serve ») : les navigateurs refusent de charger un module WebAssembly depuis file://.";
  }
  if (/Content Security Policy|wasm-unsafe-eval|CSP/i.test(text)) {
    return "La politique de sécurité du site (CSP) interdit WebAssembly : ajoutez 'wasm-unsafe-eval' à script-src.";
  }
  if (/index file .*\(HTTP (404|410)\b/i.test(text)) {
    // Index files are named by their content: one the server no longer
    // has is most likely from an older build than the one it now serves.
    return "Une partie de l’index de recherche est introuvable sur le serveur : il a sans doute été mis à jour depuis l’ouverture de cette page ; rechargez-la (si cela ne suffit pas, le site est incomplet). Détail : " + text;
  }
  if (/index file/i.test(text)) {
    return "Une partie de l’index de recherche n’a pas pu être chargée ; réessayez dans un instant. Détail : " + text;
  }
  if (/could not be loaded \((network error|no data)/i.test(text)) {
    return "Le moteur de recherche n’a pas pu être téléchargé ; vérifiez la connexion et réessayez. Détail : " + text;
  }
  if (/has been restarted/i.test(text)) {
    return "Le moteur de recherche a rencontré une erreur et a redémarré : relancez la recherche. Détail : " + text;
  }
  if (error && typeof error.field === "string") {
    return `Cette recherche est impossible (${error.field}) : ` + text;
  }
  if (/corrupt index/i.test(text)) {
    return "L’index de recherche est endommagé : reconstruisez-le (make build). Détail : " + text;
  }
  return "Le moteur de recherche n’a pas pu démarrer : " + text;
}

/** A document's title, or a placeholder when the corpus gives none. */
export function titleText(title) {
  return title && title.trim() ? title : "(sans titre)";
}

/**
 * Moves the active option of a combobox (`input`) among `items` (the
 * options of its listbox, in order) from index `from` to `to` (ARIA
 * activedescendant pattern): updates aria-selected and
 * aria-activedescendant and scrolls the option into view. Returns the new
 * active index, -1 for none.
 */
export function setActiveOption(input, items, from, to) {
  if (items[from]) items[from].setAttribute("aria-selected", "false");
  if (to < 0 || to >= items.length) {
    input.removeAttribute("aria-activedescendant");
    return -1;
  }
  items[to].setAttribute("aria-selected", "true");
  input.setAttribute("aria-activedescendant", items[to].id);
  items[to].scrollIntoView({ block: "nearest" });
  return to;
}

/** Fills `el` with a hit's snippet, or a paragraph of getDocument's
 *  `bodyHtml`: the engine's escaped HTML with <mark>s. */
export function setSnippet(el, snippet) {
  // The only HTML ever inserted: produced by the engine, which escapes
  // all corpus text and adds nothing but <mark> and </mark>.
  el.innerHTML = snippet;
}

/** Paragraphs (or captions) of a document as `tag` elements: `html[k]`
 *  (getDocument's `bodyHtml`, marked) where given, else the text. */
export function paragraphs(tag, texts, html) {
  return texts.map((text, k) => {
    const el = document.createElement(tag);
    if (html?.[k] === undefined) el.textContent = text;
    else setSnippet(el, html[k]);
    return el;
  });
}

/**
 * The option element of a result or of one of its sections: a link
 * (`<a href role="option">`) when `url` is safe, so that middle-click,
 * open in a new tab and copy link work; else a plain option. Options stay
 * out of the tab order: the combobox keeps the focus.
 */
export function optionElement(url) {
  const o = document.createElement(url ? "a" : "div");
  if (url) o.href = url;
  o.setAttribute("role", "option");
  o.setAttribute("aria-selected", "false");
  o.tabIndex = -1;
  return o;
}

/** The sections of a hit that can be linked to: http(s) ones only. */
export function linkedSections(hit, base) {
  return (hit.sections || []).map((s) => ({ section: s, url: safeUrl(s.url, base) })).filter((s) => s.url);
}
