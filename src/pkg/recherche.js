// recherche — the public JavaScript API, copied to pkg/recherche.js by `make build`.
//
//   import init, { search, filter, getDocument } from "./pkg/recherche.js";
//   await init();                       // optional: the first call initialises
//   const r = await search("otan", { limit: 10, filters: { year: 2024 } });
//
// search, filter and getDocument return Promises. This file wraps the
// wasm-bindgen glue (engine.js and engine_bg.wasm, beside it) for one
// reason: a fault inside the module (a trap: a Rust panic, memory
// exhausted) must never leave search dead until the page is reloaded.
// The module is compiled once per page; after a `WebAssembly.RuntimeError`
// (or a RangeError from the glue, which means its memory views are gone)
// the failing call rejects with an Error saying so, and the next call
// runs on a fresh instance of the same compiled module. A fresh instance
// needs fresh glue state, so later instances import the glue under
// another URL (`engine.js?instance=2`), which gives a new copy of the
// module's variables; the browser fetches the file once.
import * as glue from "./engine.js";

const WASM_URL = new URL("engine_bg.wasm", import.meta.url);

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
  const n = ++instances;
  const g = n === 1 ? glue : await import(`./engine.js?instance=${n}`);
  await g.default({ module_or_path: module });
  return g;
}

/** The live instance, created (and the module compiled) if needed. */
function engine(input) {
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

/** Whether an exception means the instance can no longer be trusted. */
function fatal(e) {
  return e instanceof WebAssembly.RuntimeError || e instanceof RangeError;
}

async function call(name, args) {
  const p = engine();
  const g = await p;
  try {
    return g[name](...args);
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
 * WebAssembly.Module; by default `engine_bg.wasm` beside this file.
 */
export default async function init(input) {
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
