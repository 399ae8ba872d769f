// recherche — the public JavaScript API, copied to pkg/recherche.js by `make build`.
//
//   import init, { search, filter, getDocument } from "./pkg/recherche.js";
//   await init();                       // optional: the first call initialises
//   const r = await search("otan", { limit: 10, filters: { year: 2024 } });
//
// search, filter and getDocument return Promises. This file wraps the
// wasm-bindgen glue (engine.js and engine_bg.wasm, beside it) for two
// reasons.
//
// A split index (see src/plan.rs): the module holds only the index's
// root, and its other files are in index/ beside this file. The module
// plans, this file fetches: a call that needs files it does not have
// answers undefined, `wanted()` names them, and they are fetched (at most
// MAX_PARALLEL at once, each once even when several calls want it) and
// handed to the module, which checks their length and content hash and
// keeps them for the page's life; then the call is made again. A file that cannot be
// fetched or is not what the index expects rejects the call with an
// Error naming the file and saying why; it is fetched anew by the next
// call that needs it, bypassing the browser's cache if its bytes were
// wrong (a host may tell browsers to keep index files forever).
//
// A fault inside the module (a trap: a Rust panic, memory exhausted)
// must never leave search dead until the page is reloaded.
// The module is compiled once per page; after a `WebAssembly.RuntimeError`
// (or a RangeError from the glue, which means its memory views are gone)
// the failing call rejects with an Error saying so, and the next call
// runs on a fresh instance of the same compiled module, through the same
// glue: `make package` adds `__reset` to engine.js, which forgets the dead
// instance (its memory is then freed). The module is not fetched again;
// a split index's files are asked for again (the browser's cache
// answers them when the host lets it keep them).
import * as glue from "./engine.js";

const WASM_URL = new URL("engine_bg.wasm", import.meta.url);
const INDEX_URL = new URL("index/", import.meta.url);
/** Index files fetched at once, at most (browsers open 6 per host). */
const MAX_PARALLEL = 6;
/** Rounds of fetching for one call, at most: a query takes three. */
const MAX_ROUNDS = 8;

/** Index file name → Promise of its bytes, while it is fetched and until
 *  the module has it: the module then keeps it for the page's life (a
 *  fresh instance after a trap asks again, and the browser's cache
 *  answers), so the bytes are not held twice. */
const files = new Map();
let active = 0;
const waiting = [];

/** Index files whose bytes the module refused: fetched again past the
 *  browser's cache. */
const refused = new Set();

/** Where the module is, as given to `init`, kept for a retry (default:
 *  beside this file). */
let wasmInput;
/** Promise of the compiled WebAssembly.Module, once per page. */
let compiled = null;
/** Promise of the live instance's glue namespace. */
let live = null;
/** Instances created so far. */
let instances = 0;

function describe(what, response) {
  return `recherche: ${what} could not be loaded (HTTP ${response.status}${response.statusText ? " " + response.statusText : ""})`;
}

async function compile(input) {
  if (input instanceof WebAssembly.Module) return input;
  let source = input === undefined ? WASM_URL : input;
  if (typeof source === "string" || source instanceof URL || source instanceof Request) source = fetch(source);
  source = await source;
  if (source instanceof Response) {
    if (!source.ok) throw new Error(describe(source.url || "engine_bg.wasm", source));
    const type = source.headers.get("Content-Type") || "";
    if (typeof WebAssembly.compileStreaming === "function" && type.split(";")[0].trim() === "application/wasm") {
      return WebAssembly.compileStreaming(source);
    }
    source = await source.arrayBuffer();
  }
  return WebAssembly.compile(source);
}

async function instantiate() {
  const module = await compiled;
  if (++instances > 1) glue.__reset();
  await glue.default({ module_or_path: module });
  return glue;
}

/** The live instance, created (and the module compiled) if needed. */
function engine(input = wasmInput) {
  if (!compiled) {
    compiled = compile(input);
    compiled.catch(() => { compiled = null; });
  }
  if (!live) {
    const p = instantiate();
    live = p;
    // A failed load is retried by the next call.
    p.catch(() => { if (live === p) live = null; });
  }
  return live;
}

/** Runs `task` when fewer than MAX_PARALLEL fetches are running. */
async function limited(task) {
  // A finishing fetch hands its slot straight to the next one waiting.
  if (active >= MAX_PARALLEL) await new Promise((go) => waiting.push(go));
  else active++;
  try {
    return await task();
  } finally {
    if (waiting.length) waiting.shift()();
    else active--;
  }
}

/** The bytes of index file `name`, fetched once for the page. */
function fetchFile(name) {
  let p = files.get(name);
  if (p) return p;
  p = limited(async () => {
    const why = (reason) => new Error(`recherche: index file ${name} could not be loaded (${reason})`);
    let response;
    try {
      response = await fetch(new URL(name, INDEX_URL), refused.has(name) ? { cache: "reload" } : undefined);
    } catch (e) {
      throw why(`network error: ${e && e.message}`);
    }
    if (!response.ok) throw why(`HTTP ${response.status}${response.statusText ? " " + response.statusText : ""}`);
    try {
      return new Uint8Array(await response.arrayBuffer());
    } catch (e) {
      throw why(`network error while reading it: ${e && e.message}`);
    }
  });
  files.set(name, p);
  // A failed fetch is tried again by the next call that needs the file.
  p.catch(() => { if (files.get(name) === p) files.delete(name); });
  return p;
}

/** Whether an exception means the instance can no longer be trusted. */
function fatal(e) {
  return e instanceof WebAssembly.RuntimeError || e instanceof RangeError;
}

async function call(name, args) {
  let p = engine();
  let g = await p;
  try {
    for (let round = 0; ; round++) {
      // Another call restarted the engine while this one was fetching.
      if (live !== p) g = await (p = engine());
      const answer = g[name](...args);
      if (answer !== undefined) return answer;
      const wanted = g.wanted();
      if (round >= MAX_ROUNDS || wanted.length === 0) {
        throw new Error(`recherche: ${name} still needs index files after ${round} rounds (${wanted.join(", ")})`);
      }
      // Every file of the round, even when one fails: those that came
      // are handed over, not fetched again by the next call.
      const fetched = await Promise.allSettled(wanted.map(fetchFile));
      // Another call restarted the engine meanwhile: the fresh instance
      // asks again (the files are still in `files`).
      if (live !== p) continue;
      let failure = null;
      wanted.forEach((file, i) => {
        const { status, value, reason } = fetched[i];
        if (status === "rejected") {
          failure ??= reason;
          return;
        }
        try {
          g.load(file, value);
          refused.delete(file);
        } catch (e) {
          if (fatal(e)) throw e;
          // Truncated or altered: fetched anew, past the cache, next time.
          refused.add(file);
          failure ??= e;
        } finally {
          // Loaded, the module holds it; refused, it is not kept either.
          files.delete(file);
        }
      });
      if (failure) throw failure;
    }
  } catch (e) {
    if (!fatal(e)) throw e;
    if (live === p) live = null;
    const error = new Error(`recherche: the search engine failed (${e && e.message}); it has been restarted and the next search will work`);
    error.cause = e;
    throw error;
  }
}

/**
 * Loads the engine. Optional: any call does it. `input` (rarely needed)
 * is where the module is: a URL, a Request, a Response, bytes or a
 * WebAssembly.Module; by default `engine_bg.wasm` beside this file. It is
 * kept: if loading fails, the next call tries the same input again (a
 * Response, whose body can be read only once, is not kept). Once
 * the module has compiled, another `input` is ignored (one module per
 * page).
 */
export default async function init(input) {
  // A Response (or a promise of one) can be read only once: a retry after
  // it failed uses the default.
  const once = input instanceof Response || typeof input?.then === "function";
  if (input !== undefined && !compiled && !once) wasmInput = input;
  await engine(input);
}

/** Searches: `search(query, { limit, offset, sort, filters })`. */
export function search(query, options) {
  return call("search", [query, options]);
}

/** Lists the documents passing `options.filters`, newest first by default. */
export function filter(options) {
  return call("filter", [options]);
}

/**
 * The whole document with this id, or null. With a `query`, also
 * `bodyHtml` and `captionsHtml`: its paragraphs as HTML, the query's
 * words in `<mark>` as in snippets, everything else escaped.
 */
export function getDocument(id, query) {
  return call("getDocument", [id, query]);
}
