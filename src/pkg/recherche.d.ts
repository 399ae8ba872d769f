// Type declarations for pkg/recherche.js, the public API of recherche.

/** Where the module is, for `init` (by default engine_bg.wasm beside recherche.js). */
export type InitInput = string | URL | Request | Response | Promise<Response> | BufferSource | WebAssembly.Module;

/** Loads the engine. Optional: the first call to any function does it.
 *  An input of another kind throws an Error at once. */
export default function init(input?: InitInput | { module_or_path: InitInput }): Promise<void>;

export interface Filters {
  /** A year or years (1–9999); OR-ed. */
  year?: number | number[] | null;
  /** Inclusive lower bound, `YYYY-MM-DD`. */
  from?: string | null;
  /** Inclusive upper bound, `YYYY-MM-DD`. */
  to?: string | null;
  /** Source label(s); OR-ed. At most 1000 characters each. */
  source?: string | string[] | null;
  /** Full name(s); OR-ed. At most 1000 characters each. */
  person?: string | string[] | null;
}

export interface SearchOptions {
  /** Hits per page, integer ≥ 0 or Infinity (clamped to 1000). Default 10. */
  limit?: number | null;
  /** Hits skipped, integer ≥ 0 or Infinity (past the last). Default 0. */
  offset?: number | null;
  /** Default: relevance for `search`, date for `filter`. */
  sort?: "relevance" | "date" | null;
  /** Within a field values are OR-ed; across fields AND-ed. */
  filters?: Filters | null;
}

export interface Hit {
  id: string;
  title: string;
  /** `YYYY-MM-DD` or null. */
  date: string | null;
  source: string | null;
  url: string | null;
  /** Relevance, rounded to 3 decimals (0 for `filter`). */
  score: number;
  /** HTML: escaped text with `<mark>` around matched words. */
  snippet: string;
  people: string[];
  /** The section (an `h2`/`h3` with an `id`) the snippet's passage is in, or null. */
  section: HitSection | null;
  /**
   * Sections where the query matched, at most 3: `section` first, then
   * those with the most distinct query words, then the most matches, then
   * in page order; never two with the same heading.
   */
  sections: HitSection[];
}

export interface HitSection {
  /** The heading's text. */
  heading: string;
  /** The heading's `id`. */
  anchor: string;
  /** The document's URL with `#anchor`, or null if it has no URL. */
  url: string | null;
}

export interface DocumentSection {
  /** The heading's text. */
  heading: string;
  /** The heading's `id`. */
  anchor: string;
  /** The document's URL with `#anchor`; absent if the document has no URL. */
  url?: string;
  /** Index in `body` of the heading's own paragraph; the section runs to the next one's. */
  paragraph: number;
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface SearchResult {
  /** The query as read (null for `filter`): its first 16,384 UTF-16 units
   *  (`ignored` then says how many more were not read), a lone surrogate
   *  replaced by U+FFFD. */
  query: string | null;
  /** Matching documents before paging. */
  total: number;
  /** True: no document had every word; these are the best partial matches. */
  relaxed: boolean;
  hits: Hit[];
  /** Counts keyed by value, each an own property (even `__proto__`). */
  facets: { year: Record<string, number>; source: Record<string, number>; person: Record<string, number> };
  /** The same counts, ordered by count then name. */
  facetLists: { year: FacetCount[]; source: FacetCount[]; person: FacetCount[] };
  /** Query words not searched (stop words, words past the limits). */
  ignored: string[];
}

export interface RechercheDocument {
  id: string;
  title: string;
  date: string | null;
  /** When it was updated: `YYYY-MM-DDTHH:MM` for an article of the
   *  seeds' format, as written for a JSON Lines corpus, or null. */
  updated: string | null;
  source: string | null;
  url: string | null;
  /** Paragraphs. */
  body: string[];
  captions: string[];
  people: string[];
  /** An HTML page's sections, in order; absent when it has none. */
  sections?: DocumentSection[];
  /** With a query: `body` as HTML, escaped, with `<mark>` around the query's words. */
  bodyHtml?: string[];
  /** With a query: `captions` likewise. */
  captionsHtml?: string[];
}

/** Thrown for an invalid argument: `field` names it (`options.filters.year`). */
export interface RechercheError extends Error {
  field?: string;
}

/*
 * Every call returns a Promise. Besides a RechercheError for an invalid
 * argument, a call on a split index (RECHERCHE_LAYOUT=split) rejects with
 * an Error naming the index file it needed when that file could not be
 * fetched ("recherche: index file d….bin could not be loaded (network
 * error: …)", "(no data for 20 s)", "(HTTP 503 …)"; a file that is gone,
 * "(HTTP 404 Not Found; the site's search index may have been updated
 * since this page was loaded: reload the page (if that does not help,
 * the site lacks this file)") or is not the file the index expects
 * ("… does not match its content hash (altered)", "… is N bytes long
 * instead of M (truncated or altered)"). Nothing is kept of a failed
 * file: the next call that needs it fetches it anew.
 *
 * A call's options are read when it is made: changing the object
 * afterwards does not change that call's answer.
 */
export function search(query: string, options?: SearchOptions | null): Promise<SearchResult>;
export function filter(options?: SearchOptions | null): Promise<SearchResult>;
/** With a `query` (only its first 16,384 UTF-16 units are read, as in
 *  `search`), the document also has `bodyHtml` and `captionsHtml`. An id
 *  longer than any the build accepts (2,048 UTF-16 units) gives null. */
export function getDocument(id: string, query?: string | null): Promise<RechercheDocument | null>;
