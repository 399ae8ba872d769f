// <recherche-widget>: the search box with a results dropdown, for any page.
//
//   <script type="module" src="https://example.org/recherche/recherche-widget.js"></script>
//   <recherche-widget placeholder="Rechercher…" limit="8" lang="fr"></recherche-widget>
//
// The engine (pkg/) is found relative to this file, so the widget works
// from any directory or host; several widgets share one wasm instance.
// Shadow DOM isolates its styles both ways; theme it with the CSS custom
// properties listed in THEME below. A result with an http(s) or relative
// URL is a link (`base` attribute: where relative URLs resolve, by default
// the folder above this file's), listed with links to its sections.
// Choosing a result (a plain click, or Enter) fires a cancelable
// `recherche-select` event (detail: { id, title, url, date, source,
// section }); unless cancelled, the link is then followed, or, for a
// result without a URL to follow, a dialog shows its text with the
// query's words marked. Middle-click, Ctrl-click and the link's context
// menu are left to the browser.
// The engine is downloaded only when the reader shows intent (focus,
// the pointer over the box, a key press in it); the `eager` attribute
// loads it as soon as the widget is on the page.
import {
  loadEngine, formatDate, formatUpdated, countLabel, safeUrl, loadErrorMessage, setSnippet, paragraphs, titleText, setActiveOption, optionElement, linkedSections, opensElsewhere,
} from "./recherche-ui.js";

/** Theming variables and their defaults. */
export const THEME = {
  "--recherche-accent": "#0b57d0",
  "--recherche-bg": "#ffffff",
  "--recherche-fg": "#1a1a1a",
  "--recherche-muted": "#555555",
  "--recherche-border": "#c4c4c4",
  "--recherche-mark-bg": "#ffe58a",
  "--recherche-mark-fg": "#1a1a1a",
  "--recherche-radius": "0.5rem",
  "--recherche-font": "system-ui, sans-serif",
  "--recherche-width": "100%",
};

const STRINGS = {
  fr: {
    placeholder: "Rechercher…", label: "Rechercher", loading: "Chargement…", relaxed: "Résultats les plus proches",
    close: "Fermer", updated: "mis à jour le ", people: "Personnes : ", captions: "Légendes photo",
  },
  en: {
    placeholder: "Search…", label: "Search", loading: "Loading…", relaxed: "Closest matches",
    close: "Close", updated: "updated ", people: "People: ", captions: "Photo captions",
  },
};

const v = (name) => `var(${name}, ${THEME[name]})`;
const CSS = `
:host { display: block; position: relative; width: ${v("--recherche-width")}; font-family: ${v("--recherche-font")}; }
:host([hidden]) { display: none; }
* { box-sizing: border-box; color: ${v("--recherche-fg")}; font-family: inherit; margin: 0; }
input {
  width: 100%; font-size: 1rem; padding: 0.55rem 0.75rem; background: ${v("--recherche-bg")};
  border: 2px solid ${v("--recherche-border")}; border-radius: ${v("--recherche-radius")};
}
input:focus { outline: none; border-color: ${v("--recherche-accent")}; }
.panel {
  position: absolute; left: 0; right: 0; z-index: 1000; margin-top: 0.25rem;
  background: ${v("--recherche-bg")}; border: 1px solid ${v("--recherche-border")}; border-radius: ${v("--recherche-radius")};
  box-shadow: 0 8px 24px rgb(0 0 0 / 0.18); padding: 0.25rem;
}
.panel[hidden] { display: none; }
.status { padding: 0.4rem 0.6rem; font-size: 0.85rem; color: ${v("--recherche-muted")}; }
ul { list-style: none; padding: 0; }
[role="option"] { display: block; padding: 0.5rem 0.6rem; border-radius: calc(${v("--recherche-radius")} - 0.15rem); cursor: pointer; text-decoration: none; }
[role="option"][aria-selected="true"] { background: color-mix(in srgb, ${v("--recherche-accent")} 12%, transparent); box-shadow: inset 3px 0 0 ${v("--recherche-accent")}; }
.title { display: block; font-weight: 600; color: ${v("--recherche-accent")}; }
a:hover .title { text-decoration: underline; }
.sections { display: flex; flex-wrap: wrap; gap: 0 0.25rem; padding-left: 0.9rem; }
.sections [role="option"] { padding: 0.15rem 0.45rem; font-size: 0.85rem; color: ${v("--recherche-accent")}; text-decoration: underline; }
.sign { color: ${v("--recherche-muted")}; margin-right: 0.25em; }
.meta { display: block; font-size: 0.8rem; color: ${v("--recherche-muted")}; }
.snippet { display: block; font-size: 0.88rem; margin-top: 0.15rem; }
mark { background: ${v("--recherche-mark-bg")}; color: ${v("--recherche-mark-fg")}; }
dialog {
  width: min(42rem, calc(100vw - 1.5rem)); max-height: calc(100vh - 2rem); padding: 1.25rem 1.5rem;
  background: ${v("--recherche-bg")}; border: 1px solid ${v("--recherche-border")}; border-radius: ${v("--recherche-radius")};
  line-height: 1.5;
}
dialog::backdrop { background: rgb(0 0 0 / 0.5); }
dialog h2 { font-size: 1.3rem; line-height: 1.3; margin-bottom: 0.4rem; }
dialog .meta { font-size: 0.85rem; margin-bottom: 0.15rem; }
dialog .body { margin-top: 0.9rem; }
dialog .body p, .captions li { margin-bottom: 0.8rem; }
.captions { border-top: 1px solid ${v("--recherche-border")}; margin-top: 1rem; padding-top: 0.6rem; }
.captions[hidden] { display: none; }
.captions h3 { font-size: 0.95rem; margin-bottom: 0.4rem; }
.captions ul { list-style: disc; padding-left: 1.2rem; }
.captions li { color: ${v("--recherche-muted")}; }
.close {
  font: inherit; padding: 0.45rem 1rem; border-radius: ${v("--recherche-radius")}; cursor: pointer;
  border: 1px solid ${v("--recherche-accent")}; background: ${v("--recherche-accent")}; color: ${v("--recherche-bg")};
}
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
`;

let sheet = null;
function styles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}

/** Most results the dropdown shows (it grows with them rather than scroll). */
const MAX_LIMIT = 20;

let instances = 0;

export class RechercheWidget extends HTMLElement {
  static get observedAttributes() {
    return ["placeholder", "limit", "lang", "base"];
  }

  constructor() {
    super();
    const n = ++instances;
    this._ids = { list: `recherche-liste-${n}`, status: `recherche-etat-${n}` };
    /** The listbox's options in order: { el, hit, section }. */
    this._options = [];
    this._active = -1;
    this._engine = null;
    this._searches = 0;
    const root = this.attachShadow({ mode: "open" });
    root.adoptedStyleSheets = [styles()];
    this._input = document.createElement("input");
    this._input.type = "search";
    this._input.autocomplete = "off";
    this._input.spellcheck = false;
    this._input.setAttribute("role", "combobox");
    this._input.setAttribute("aria-autocomplete", "list");
    this._input.setAttribute("aria-expanded", "false");
    this._input.setAttribute("aria-controls", this._ids.list);
    this._panel = document.createElement("div");
    this._panel.className = "panel";
    this._panel.hidden = true;
    this._status = document.createElement("p");
    this._status.className = "status";
    this._status.id = this._ids.status;
    this._list = document.createElement("ul");
    this._list.id = this._ids.list;
    this._list.setAttribute("role", "listbox");
    this._live = document.createElement("p");
    this._live.className = "sr";
    this._live.setAttribute("role", "status");
    this._live.setAttribute("aria-live", "polite");
    this._panel.append(this._status, this._list);
    root.append(this._input, this._panel, this._live);

    this._input.addEventListener("input", () => this._search());
    this._input.addEventListener("keydown", (e) => this._key(e));
    this._input.addEventListener("focus", () => { this._load(); if (this._input.value.trim()) this._search(); });
    // Intent: the engine starts downloading before the first key.
    this._input.addEventListener("pointerenter", () => this._load());
    this._input.addEventListener("keydown", () => this._load());
    this._onOutside = (e) => { if (!e.composedPath().includes(this)) this._close(); };
  }

  get _lang() {
    // Own keys only: `lang="constructor"` is no language.
    const lang = this.getAttribute("lang");
    return Object.hasOwn(STRINGS, lang) ? lang : "fr";
  }

  get _strings() {
    return STRINGS[this._lang];
  }

  /** Where relative result URLs resolve (undefined: the site root). */
  get _base() {
    return this.getAttribute("base") || undefined;
  }

  get _limit() {
    const n = parseInt(this.getAttribute("limit") || "", 10);
    return Number.isInteger(n) && n > 0 ? Math.min(n, MAX_LIMIT) : 8;
  }

  attributeChangedCallback() {
    this._input.placeholder = this.getAttribute("placeholder") || this._strings.placeholder;
    this._input.setAttribute("aria-label", this.getAttribute("placeholder") || this._strings.label);
    if (this._engine && this._input.value.trim()) this._search();
  }

  connectedCallback() {
    this.attributeChangedCallback();
    document.addEventListener("pointerdown", this._onOutside);
    if (this.hasAttribute("eager")) this._load();
  }

  /** Starts loading the engine, once (again after a failure). */
  _load() {
    if (this._engine || this._loading) return;
    this._loading = loadEngine().then(
      (engine) => {
        this._engine = engine;
        this.setAttribute("data-ready", "");
        if (this._input.value.trim()) this._search();
      },
      (e) => {
        this._loading = null;
        this._fail(loadErrorMessage(e));
      }
    );
  }

  disconnectedCallback() {
    document.removeEventListener("pointerdown", this._onOutside);
  }

  /** Searches the box's text; `first`: make the first option active. */
  async _search(first = false) {
    const q = this._input.value;
    const mine = ++this._searches;
    if (!q.trim()) return this._close();
    if (!this._engine) {
      this._status.textContent = this._strings.loading;
      this._panel.hidden = false;
      this._load();
      return;
    }
    let r;
    try {
      r = await this._engine.search(q, { limit: this._limit });
    } catch (e) {
      if (mine === this._searches) this._fail(loadErrorMessage(e));
      return;
    }
    // Only the answer to the latest keystroke is shown.
    if (mine !== this._searches) return;
    this.removeAttribute("data-error");
    this._options = [];
    this._active = -1;
    this._input.removeAttribute("aria-activedescendant");
    const label = countLabel(r.total, q.trim(), this._lang) + (r.relaxed ? ` · ${this._strings.relaxed}` : "");
    this._status.textContent = label;
    this._list.replaceChildren(...r.hits.map((h, i) => this._item(h, i)));
    this._panel.hidden = false;
    this._input.setAttribute("aria-expanded", r.hits.length ? "true" : "false");
    if (first) this._setActive(0);
    clearTimeout(this._announce);
    this._announce = setTimeout(() => { this._live.textContent = label; }, 350);
  }

  /** Shows an engine error in the panel, with no stale results under it. */
  _fail(message) {
    clearTimeout(this._announce);
    this._options = [];
    this._active = -1;
    this._input.removeAttribute("aria-activedescendant");
    this._list.replaceChildren();
    this._input.setAttribute("aria-expanded", "false");
    this._status.textContent = message;
    this._live.textContent = message;
    this._panel.hidden = false;
    this.setAttribute("data-error", "");
  }

  /** One hit: its option (a link when it has a URL), then its sections. */
  _item(hit, i) {
    const li = document.createElement("li");
    li.setAttribute("role", "none");
    const url = safeUrl(hit.url, this._base);
    const main = this._option(optionElement(url), hit, null);
    main.id = `${this._ids.list}-${i}`;
    const title = document.createElement("span");
    title.className = "title";
    title.textContent = titleText(hit.title);
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = [formatDate(hit.date, this._lang), hit.source].filter(Boolean).join(" · ");
    const snippet = document.createElement("span");
    snippet.className = "snippet";
    setSnippet(snippet, hit.snippet);
    main.append(title, meta, snippet);
    li.append(main);
    const sections = url ? linkedSections(hit, this._base) : [];
    if (sections.length) {
      const box = document.createElement("div");
      box.className = "sections";
      sections.forEach(({ section, url }, k) => {
        const o = this._option(optionElement(url), hit, section);
        o.id = `${this._ids.list}-${i}-${k + 1}`;
        const sign = document.createElement("span");
        sign.className = "sign";
        sign.textContent = "§";
        sign.setAttribute("aria-hidden", "true");
        const label = document.createElement("span");
        label.className = "sr";
        label.textContent = this._lang === "en" ? "Section: " : "Section : ";
        o.append(sign, label, section.heading);
        box.append(o);
      });
      li.append(box);
    }
    return li;
  }

  /** Makes `el` an option choosing `hit` (and `section`), in order. */
  _option(el, hit, section) {
    this._options.push({ el, hit, section });
    // The focus stays in the box.
    el.addEventListener("pointerdown", (e) => { if (e.button === 0) e.preventDefault(); });
    el.addEventListener("click", (e) => {
      if (opensElsewhere(e)) return; // a new tab or window: the browser's
      const query = this._input.value;
      if (!this._choose(hit, section)) e.preventDefault();
      else if (!el.href) this._detail(hit, query);
    });
    return el;
  }

  /** The dialog of a hit without a URL to follow: its text, the query's
   *  words marked as in snippets, scrolled to the first of them. Closing
   *  it (Escape, or its button) gives the focus back to the box. */
  async _detail(hit, query) {
    const mine = this._searches;
    let doc;
    try {
      doc = await this._engine.getDocument(hit.id, query.trim() ? query : null);
    } catch (e) {
      if (mine === this._searches) this._fail(loadErrorMessage(e));
      return;
    }
    // Not over what the reader typed meanwhile (a split index may fetch).
    if (!doc || mine !== this._searches) return;
    const s = this._strings;
    const d = (this._dialog ??= this._makeDialog());
    d.title.textContent = titleText(doc.title);
    const meta = [formatDate(doc.date, this._lang)];
    if (doc.source) meta.push(doc.source);
    if (doc.updated) meta.push(s.updated + formatUpdated(doc.updated, this._lang));
    d.meta.textContent = meta.join(" · ");
    d.people.textContent = doc.people.length ? s.people + doc.people.join(", ") : "";
    d.people.hidden = !doc.people.length;
    d.body.replaceChildren(...paragraphs("p", doc.body, doc.bodyHtml));
    d.captions.hidden = !doc.captions.length;
    d.captionsTitle.textContent = s.captions;
    d.list.replaceChildren(...paragraphs("li", doc.captions, doc.captionsHtml));
    d.close.textContent = s.close;
    d.el.showModal();
    d.el.querySelector("mark")?.scrollIntoView({ block: "center" });
  }

  _makeDialog() {
    const make = (tag, className) => {
      const e = document.createElement(tag);
      if (className) e.className = className;
      return e;
    };
    const d = { el: make("dialog"), title: make("h2"), meta: make("p", "meta"), people: make("p", "meta"), body: make("div", "body") };
    d.title.id = `${this._ids.list}-document`;
    d.el.setAttribute("aria-labelledby", d.title.id);
    d.captions = make("section", "captions");
    d.captionsTitle = make("h3");
    d.list = make("ul");
    d.captions.append(d.captionsTitle, d.list);
    const form = make("form");
    form.method = "dialog";
    d.close = make("button", "close");
    d.close.type = "submit";
    form.append(d.close);
    d.el.append(d.title, d.meta, d.people, d.body, d.captions, form);
    d.el.addEventListener("close", () => this._input.focus());
    this.shadowRoot.append(d.el);
    return d;
  }

  _setActive(i) {
    this._active = setActiveOption(this._input, this._options.map((o) => o.el), this._active, i);
  }

  _key(e) {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      // A closed list is searched again, its first option made active
      // when the answer comes.
      if (this._panel.hidden) this._search(true);
      else this._setActive(Math.min(this._active + 1, this._options.length - 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      this._setActive(this._active - 1);
    } else if (e.key === "Enter") {
      // The active option (else the first) as if clicked: a link is followed.
      if (this._options.length) {
        e.preventDefault();
        this._options[this._active >= 0 ? this._active : 0].el.click();
      }
    } else if (e.key === "Escape") {
      if (!this._panel.hidden) this._close();
      else this._input.value = "";
    }
  }

  _close() {
    this._searches++;
    this._panel.hidden = true;
    this._input.setAttribute("aria-expanded", "false");
    this._setActive(-1);
    // A hidden list offers nothing: Enter on a closed or emptied box
    // chooses no result of an earlier query.
    this._options = [];
  }

  /** Fires recherche-select and closes the dropdown; false if the host
   *  cancelled the event (then the link is not followed). */
  _choose(hit, section) {
    const detail = { id: hit.id, title: hit.title, url: hit.url, date: hit.date, source: hit.source, section: section || null };
    const event = new CustomEvent("recherche-select", { detail, bubbles: true, composed: true, cancelable: true });
    const proceed = this.dispatchEvent(event);
    this._close();
    return proceed;
  }
}

if (!customElements.get("recherche-widget")) customElements.define("recherche-widget", RechercheWidget);
