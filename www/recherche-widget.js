// <recherche-widget>: the search box with a results dropdown, for any page.
//
//   <script type="module" src="https://example.org/recherche/recherche-widget.js"></script>
//   <recherche-widget placeholder="Rechercher…" limit="8" lang="fr"></recherche-widget>
//
// The engine (pkg/) is found relative to this file, so the widget works
// from any directory or host; several widgets share one wasm instance.
// Shadow DOM isolates its styles both ways; theme it with the CSS custom
// properties listed in THEME below. Choosing a result fires a cancelable
// `recherche-select` event (detail: { id, title, url, date, source });
// unless cancelled, an http(s) `url` is then followed.
import { loadEngine, formatDate, countLabel, safeUrl, loadErrorMessage, setSnippet, titleText, setActiveOption } from "./recherche-ui.js";

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
  fr: { placeholder: "Rechercher…", label: "Rechercher", loading: "Chargement…", relaxed: "Résultats les plus proches" },
  en: { placeholder: "Search…", label: "Search", loading: "Loading…", relaxed: "Closest matches" },
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
li { padding: 0.5rem 0.6rem; border-radius: calc(${v("--recherche-radius")} - 0.15rem); cursor: pointer; }
li[aria-selected="true"] { background: color-mix(in srgb, ${v("--recherche-accent")} 12%, transparent); box-shadow: inset 3px 0 0 ${v("--recherche-accent")}; }
.title { display: block; font-weight: 600; color: ${v("--recherche-accent")}; }
.meta { display: block; font-size: 0.8rem; color: ${v("--recherche-muted")}; }
.snippet { display: block; font-size: 0.88rem; margin-top: 0.15rem; }
mark { background: ${v("--recherche-mark-bg")}; color: ${v("--recherche-mark-fg")}; }
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
    return ["placeholder", "limit", "lang"];
  }

  constructor() {
    super();
    const n = ++instances;
    this._ids = { list: `recherche-liste-${n}`, status: `recherche-etat-${n}` };
    this._hits = [];
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
    this._input.addEventListener("focus", () => { if (this._input.value.trim()) this._search(); });
    this._onOutside = (e) => { if (!e.composedPath().includes(this)) this._close(); };
  }

  get _lang() {
    return STRINGS[this.getAttribute("lang")] ? this.getAttribute("lang") : "fr";
  }

  get _strings() {
    return STRINGS[this._lang];
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
    loadEngine().then(
      (engine) => {
        this._engine = engine;
        this.setAttribute("data-ready", "");
        if (this._input.value.trim()) this._search();
      },
      (e) => this._fail(loadErrorMessage(e))
    );
  }

  disconnectedCallback() {
    document.removeEventListener("pointerdown", this._onOutside);
  }

  async _search() {
    const q = this._input.value;
    const mine = ++this._searches;
    if (!q.trim()) return this._close();
    if (!this._engine) {
      this._status.textContent = this._strings.loading;
      this._panel.hidden = false;
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
    this._hits = r.hits;
    this._active = -1;
    this._input.removeAttribute("aria-activedescendant");
    const label = countLabel(r.total, q.trim(), this._lang) + (r.relaxed ? ` · ${this._strings.relaxed}` : "");
    this._status.textContent = label;
    this._list.replaceChildren(...r.hits.map((h, i) => this._item(h, i)));
    this._panel.hidden = false;
    this._input.setAttribute("aria-expanded", r.hits.length ? "true" : "false");
    clearTimeout(this._announce);
    this._announce = setTimeout(() => { this._live.textContent = label; }, 350);
  }

  /** Shows an engine error in the panel, with no stale results under it. */
  _fail(message) {
    clearTimeout(this._announce);
    this._hits = [];
    this._active = -1;
    this._input.removeAttribute("aria-activedescendant");
    this._list.replaceChildren();
    this._input.setAttribute("aria-expanded", "false");
    this._status.textContent = message;
    this._live.textContent = message;
    this._panel.hidden = false;
    this.setAttribute("data-error", "");
  }

  _item(hit, i) {
    const li = document.createElement("li");
    li.id = `${this._ids.list}-${i}`;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    const title = document.createElement("span");
    title.className = "title";
    title.textContent = titleText(hit.title);
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = [formatDate(hit.date, this._lang), hit.source].filter(Boolean).join(" · ");
    const snippet = document.createElement("span");
    snippet.className = "snippet";
    setSnippet(snippet, hit.snippet);
    li.append(title, meta, snippet);
    li.addEventListener("pointerdown", (e) => e.preventDefault());
    li.addEventListener("click", () => this._choose(i));
    return li;
  }

  _setActive(i) {
    this._active = setActiveOption(this._input, this._list, this._active, i);
  }

  _key(e) {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      if (this._panel.hidden) this._search();
      this._setActive(Math.min(this._active + 1, this._hits.length - 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      this._setActive(this._active - 1);
    } else if (e.key === "Enter") {
      if (this._hits.length) {
        e.preventDefault();
        this._choose(this._active >= 0 ? this._active : 0);
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
  }

  _choose(i) {
    const hit = this._hits[i];
    if (!hit) return;
    const detail = { id: hit.id, title: hit.title, url: hit.url, date: hit.date, source: hit.source };
    const event = new CustomEvent("recherche-select", { detail, bubbles: true, composed: true, cancelable: true });
    const proceed = this.dispatchEvent(event);
    this._close();
    const url = safeUrl(hit.url);
    if (proceed && url) location.assign(url);
  }
}

if (!customElements.get("recherche-widget")) customElements.define("recherche-widget", RechercheWidget);
