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
// answers undefined, `wanted()` names them, separated by spaces (a
// postings or positions record, or a document's stored text, with its
// byte range: `p3f09a2c4.bin#1200-3400`, fetched with a Range request,
// or whole from a host that ignores it; stored text is compressed record
// by record, and inflated here), and they are fetched (at most
// MAX_PARALLEL at once, each once even when several calls want it) and
// handed to the module, which checks their length and content hash and
// keeps them for the page's life (a body longer than its file, or a
// record that inflates past MAX_INFLATE_RATIO times its length, is
// refused as it arrives, never copied into the module); then the call is
// made again. A file that cannot be fetched or is not what the index expects rejects the
// call with an Error naming the file and saying why (a request that gets
// no data for STALL_MS is abandoned; a file that is gone, HTTP 404 or
// 410, or shorter than a range asked of it, 416, most likely belongs to
// an older build, and the message says to reload the page); it is fetched anew by the next call that needs it,
// bypassing the browser's cache if its bytes were wrong (a host may tell
// browsers to keep index files forever).
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

/** Whether this package's index is split. `make package` defines
 *  RECHERCHE_SPLIT (terser's --define) as false for an embedded index,
 *  whose module answers every call at once: the code that fetches index
 *  files is then left out of pkg/recherche.js (1.4 KB gzipped). */
// eslint-disable-next-line no-undef
const SPLIT = typeof RECHERCHE_SPLIT === "undefined" ? true : RECHERCHE_SPLIT;
const WASM_URL = new URL("engine_bg.wasm", import.meta.url);
const INDEX_URL = new URL("index/", import.meta.url);
/** Index files fetched at once, at most (browsers open 6 per host). */
const MAX_PARALLEL = 6;
/** Rounds of fetching for one call, at most: a query takes three (four
 *  for a phrase whose positions are read by byte range, one more for a
 *  typo). */
const MAX_ROUNDS = 8;
/** Milliseconds without data after which a request (an index file, or
 *  the module fetched here) is abandoned (the call rejects; the next one
 *  asks again). Long enough for a 200 KB file on a poor mobile link, which
 *  still sends a chunk every few hundred milliseconds. */
const STALL_MS = 20000;
/** A stored-text record inflates to at most this many times its length,
 *  plus INFLATE_SLACK bytes (`MAX_INFLATE_RATIO` in src/index/mod.rs: the
 *  build leaves a record that would inflate further uncompressed), so
 *  that an altered one is refused as it inflates. */
const MAX_INFLATE_RATIO = 64;
const INFLATE_SLACK = 1024;

/** Index file name → Promise of its bytes, while it is fetched and until
 *  the module has it: the module then keeps it for the page's life (a
 *  fresh instance after a trap asks again, and the browser's cache
 *  answers), so the bytes are not held twice. */
const files = new Map();
let active = 0;
/** Fetches waiting for a slot: `{ go, rank }`, the newest call's first
 *  (as-you-type, the last keystroke's query is the one shown). */
const waiting = [];
/** Index file name → its entry in `waiting`, while it waits. */
const queued = new Map();
/** Calls made so far: a call's number is its fetches' rank. */
let calls = 0;

/** Index files whose bytes were refused (too long, or by the module):
 *  fetched again past the browser's cache. */
const refused = new Set();
/** Whether the host answered a Range request with the whole file (it
 *  ignores ranges): records are then fetched as whole files, each once.
 *  Until it is known, records of one file wanted in the same round may
 *  each bring the whole file once. */
let rangesIgnored = false;
/** Stored-text files fetched whole, once the host is known to ignore
 *  ranges (file name → Promise of its bytes): each result's record is cut
 *  from its file, which is fetched once for the page. */
const wholeStored = new Map();

/** Where the module is, as given to `init`, kept for a retry (default:
 *  beside this file). */
let wasmInput;
/** Promise of the compiled WebAssembly.Module, once per page. */
let compiled = null;
/** Promise of the live instance's glue namespace. */
let live = null;
/** Instances created so far. */
let instances = 0;
/** Whether an instance of the compiled module has started (then it is
 *  kept for the page's life: one module per page). */
let started = false;

/** A response's status, as errors give it: "HTTP 404 Not Found". */
function httpStatus(response) {
  return `HTTP ${response.status}${response.statusText ? " " + response.statusText : ""}`;
}

/**
 * Fetches `url` and returns `use(response)`, which reads its body; errors
 * name `what` ("recherche: <what> could not be loaded (<why>)"), and
 * `hint(status)` adds to an HTTP error's reason. A request that gets no
 * data for STALL_MS, before the headers or between two chunks of the
 * body, is abandoned: a stalled connection rejects instead of leaving the
 * call pending.
 */
async function fetchWatched(url, init, what, use, hint = () => "") {
  const abort = new AbortController();
  let timer, stalled = false;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => { stalled = true; abort.abort(); }, STALL_MS);
  };
  const fail = (reason, cause) => new Error(`recherche: ${what} could not be loaded (${reason})`, { cause });
  const lost = (e, during) => fail(stalled ? `no data for ${STALL_MS / 1000} s${during}` : `network error${during}: ${e && e.message}`, e);
  // A Request's own signal still cancels it.
  const own = url instanceof Request ? url.signal : null;
  const signal = own && typeof AbortSignal.any === "function" ? AbortSignal.any([own, abort.signal]) : abort.signal;
  arm();
  try {
    let response;
    try {
      response = await fetch(url, { ...init, signal });
    } catch (e) {
      throw lost(e, "");
    }
    // The headers came: the body has STALL_MS for its first chunk.
    arm();
    if (!response.ok) throw fail(httpStatus(response) + hint(response.status));
    // A copy of the body is read only to see data arrive: the original is
    // `use`d whole (the browser may keep a module compiled from it).
    const watch = response.clone().body?.getReader();
    (async () => {
      try {
        while (watch && !(await watch.read()).done) arm();
      } catch {
        // `use` reports it.
      }
      clearTimeout(timer);
    })();
    try {
      return await use(response);
    } catch (e) {
      // A module that does not compile is not a network failure.
      throw stalled || e instanceof TypeError || e?.name === "AbortError" ? lost(e, " while reading it") : e;
    }
  } finally {
    // Done, the body consumed, or failed: no timer, and an unread body is
    // let go (aborting earlier would cut what is still unread).
    clearTimeout(timer);
    abort.abort();
  }
}

/** Compiles the module from `response` (streaming when its type allows). */
async function compileResponse(response) {
  const type = response.headers.get("Content-Type") || "";
  if (typeof WebAssembly.compileStreaming === "function" && type.split(";")[0].trim() === "application/wasm") {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

async function compile(input) {
  if (input instanceof WebAssembly.Module) return input;
  const source = input === undefined ? WASM_URL : input;
  if (typeof source === "string" || source instanceof URL || source instanceof Request) {
    return fetchWatched(source, {}, String(source.url || source), compileResponse);
  }
  const given = await source;
  if (!(given instanceof Response)) return WebAssembly.compile(given);
  if (!given.ok) throw new Error(`recherche: ${given.url || "engine_bg.wasm"} could not be loaded (${httpStatus(given)})`);
  return compileResponse(given);
}

/** Starts an instance of the module `pending` compiles. */
async function instantiate(pending) {
  const module = await pending;
  if (++instances > 1) glue.__reset();
  try {
    await glue.default({ module_or_path: module });
  } catch (e) {
    // A module that compiles but does not start (another build's, or not
    // an engine at all) is not kept unless an instance of it ever ran: a
    // later `init` may give the right one.
    if (!started && compiled === pending) compiled = null;
    throw new Error(`recherche: the search engine could not be started (${e && e.message}); is engine_bg.wasm this package's module?`, { cause: e });
  }
  started = true;
  return glue;
}

/** The live instance, created (and the module compiled) if needed. */
function engine(input = wasmInput) {
  if (!compiled) {
    compiled = compile(input);
    compiled.catch(() => { compiled = null; });
  }
  if (!live) {
    const p = instantiate(compiled);
    live = p;
    // A failed load is retried by the next call.
    p.catch(() => { if (live === p) live = null; });
  }
  return live;
}

/** Runs `task` when fewer than MAX_PARALLEL fetches are running; among
 *  those waiting, the highest `entry.rank` goes first (ties: the oldest). */
async function limited(entry, task) {
  // A finishing fetch hands its slot straight to the next one waiting.
  if (active >= MAX_PARALLEL) await new Promise((go) => waiting.push(Object.assign(entry, { go })));
  else active++;
  try {
    return await task();
  } finally {
    if (waiting.length) {
      let next = 0;
      waiting.forEach((w, i) => { if (w.rank > waiting[next].rank) next = i; });
      waiting.splice(next, 1)[0].go();
    } else active--;
  }
}

/** The body of index file `name`'s `response`, read as it arrives and
 *  refused once longer than the `expected` bytes the index gives it: a
 *  wrong answer (an error page, another file) is never copied into the
 *  module whole, nor kept (`wanted`, the name the module asked for, is
 *  then fetched past the cache). A shorter one is handed over, and
 *  refused by the module as truncated. */
async function readFile(response, name, expected, wanted = name) {
  const bytes = new Uint8Array(expected);
  const reader = response.body?.getReader();
  for (let n = 0; ; ) {
    const { done, value } = reader ? await reader.read() : { done: true };
    if (done) return bytes.subarray(0, n);
    if (value.length > expected - n) {
      refused.add(wanted);
      throw new Error(`recherche: index file ${name} is longer than its ${expected} bytes (altered)`);
    }
    bytes.set(value, n);
    n += value.length;
  }
}

/** Whether this browser inflates raw deflate (undefined until asked). */
let inflates;

/** Whether `DecompressionStream("deflate-raw")` works here (Chrome 103,
 *  Firefox 113 and Safari 16.4 have it; Chrome 80 to 102 have the stream
 *  without raw deflate). */
function canInflate() {
  if (inflates === undefined) {
    try {
      new DecompressionStream("deflate-raw");
      inflates = true;
    } catch {
      inflates = false;
    }
  }
  return inflates;
}

/** The Error of a record this browser cannot inflate: nothing is wrong
 *  with the file, so nothing is refused or fetched again for it. */
function cannotInflate(name) {
  return new Error(`recherche: index file ${name} could not be loaded (this browser cannot inflate it: no DecompressionStream for deflate-raw)`);
}

/** A document's stored-text record, `bytes` of the index file `name`,
 *  inflated: the build compresses each one alone with raw deflate
 *  (src/index/write.rs, `pack`), as a byte range is not compressed on
 *  the wire. Refused as it inflates past MAX_INFLATE_RATIO times its
 *  length (altered: a few bytes could inflate to gigabytes). The module
 *  checks the result against its checksum. */
async function inflate(bytes, name) {
  if (!canInflate()) throw cannotInflate(name);
  const most = bytes.length * MAX_INFLATE_RATIO + INFLATE_SLACK;
  const chunks = [];
  let n = 0;
  let reader;
  try {
    reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      n += value.length;
      if (n > most) break;
      chunks.push(value);
    }
  } catch (e) {
    refused.add(name);
    throw new Error(`recherche: index file ${name} could not be loaded (its record does not inflate: truncated or altered)`, { cause: e });
  }
  if (n > most) {
    reader.cancel().catch(() => {});
    refused.add(name);
    throw new Error(`recherche: index file ${name} could not be loaded (it inflates past ${most} bytes: altered)`);
  }
  const plain = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    plain.set(c, at);
    at += c.length;
  }
  return plain;
}

/** Record `name` (bytes `start` to `end` of stored-text file `file`, `whole`
 *  bytes long) cut from its file fetched whole (a host that ignores
 *  ranges), inflated, as `[name, bytes]`. */
function cutStored(file, whole, start, end, name) {
  return storedFile(file, whole)
    .then((bytes) => inflate(bytes.subarray(start, end), name).catch((e) => { forgetStored(file); throw e; }))
    .then((plain) => [name, plain]);
}

/** The bytes of index file `name` (`expected` bytes long), fetched once
 *  for the page, as `[name they load as, bytes]`; `rank`, the number of
 *  the call that wants it (a newer call's want moves a waiting fetch up).
 *  A name with a byte range, `p3f09a2c4.bin#1200-3400` (a postings or
 *  positions record, or a document's stored text, src/index/shards.rs),
 *  is fetched with a Range request; a host that ignores it answers 200
 *  with the whole file (`whole` bytes long), which loads as the file, or,
 *  for stored text (`s…`, whose records are compressed one by one and
 *  inflated here), gives the record. */
function fetchFile(name, expected, rank, whole) {
  const [file, range] = name.split("#");
  const packed = range && file.startsWith("s");
  let p = files.get(name);
  if (p) {
    const entry = queued.get(name);
    if (entry && entry.rank < rank) entry.rank = rank;
    return p;
  }
  // Nothing to fetch that could not be read.
  if (packed && !canInflate()) return Promise.reject(cannotInflate(name));
  // The host sent a whole file for a range before: whole files it is.
  if (range && rangesIgnored && !packed) return fetchFile(file, whole, rank, whole);
  const [start, end] = range ? range.split("-").map(Number) : [];
  // Stored text's too, fetched once each, every record cut from it.
  if (packed && rangesIgnored) {
    p = cutStored(file, whole, start, end, name);
    files.set(name, p);
    p.catch(() => { if (files.get(name) === p) files.delete(name); });
    return p;
  }
  const entry = { rank };
  queued.set(name, entry);
  p = limited(entry, () => {
    queued.delete(name);
    // The host turned out to ignore ranges while this waited.
    if (packed && rangesIgnored) return cutStored(file, whole, start, end, name);
    return fetchWatched(
      // A record's own URL (hosts ignore the query): browsers let one
      // request at a time into their cache per URL, so records of one
      // file asked for at once would otherwise come one after another.
      new URL(range ? `${file}?${start}-${end}` : file, INDEX_URL),
      { cache: refused.has(name) || refused.has(file) ? "reload" : "default", headers: range ? { Range: `bytes=${start}-${end - 1}` } : {} },
      `index file ${name}`,
      async (response) => {
        if (!range || response.status === 206) {
          const sent = range && response.headers.get("Content-Range");
          if (sent && !sent.startsWith(`bytes ${start}-${end - 1}/`)) {
            refused.add(name);
            throw new Error(`recherche: index file ${name} could not be loaded (the host sent another byte range: ${sent})`);
          }
          const bytes = await readFile(response, name, expected);
          return [name, packed ? await inflate(bytes, name) : bytes];
        }
        const bytes = await readFile(response, file, whole, name);
        // A whole file (not an error page) says the host ignores ranges.
        if (bytes.length === whole) rangesIgnored = true;
        if (!packed) return [file, bytes];
        // Kept for the file's other records, each cut from it.
        if (!wholeStored.has(file)) wholeStored.set(file, Promise.resolve(wholeFile(bytes, file, whole, name)));
        return cutStored(file, whole, start, end, name);
      },
      // Index files are named by their content: one that is gone most
      // likely belongs to an older build than the site now serves.
      (status) => (status === 404 || status === 410 || status === 416 ? "; the site's search index may have been updated since this page was loaded: reload the page (if that does not help, the site lacks this file)" : ""),
    );
  });
  files.set(name, p);
  // A failed fetch is tried again by the next call that needs it.
  p.catch(() => { if (files.get(name) === p) files.delete(name); });
  return p;
}

/** Forgets the whole stored-text file `file` after one of its records was
 *  refused: the next call fetches it anew, past the browser's cache. */
function forgetStored(file) {
  if (wholeStored.delete(file)) refused.add(file);
}

/** `bytes`, the stored-text file `file` fetched whole, if all `whole` of
 *  them came (else `refuse`, the name asked for, is fetched anew past the
 *  cache next time). */
function wholeFile(bytes, file, whole, refuse) {
  if (bytes.length !== whole) {
    refused.add(refuse);
    throw new Error(`recherche: index file ${file} could not be loaded (${bytes.length} bytes instead of ${whole}: truncated)`);
  }
  return bytes;
}

/** Stored-text file `file` (`whole` bytes long), fetched whole once for
 *  the page from a host that ignores ranges (see `wholeStored`). Not
 *  bounded by MAX_PARALLEL: a record fetch holding a slot may wait for it
 *  (such hosts are rare, and a page of results has ten files at most). */
function storedFile(file, whole) {
  let p = wholeStored.get(file);
  if (p) return p;
  p = fetchWatched(new URL(file, INDEX_URL), { cache: refused.has(file) ? "reload" : "default" }, `index file ${file}`, async (response) => {
    const bytes = wholeFile(await readFile(response, file, whole), file, whole, file);
    refused.delete(file);
    return bytes;
  });
  wholeStored.set(file, p);
  // A failed fetch is tried again by the next call that needs it.
  p.catch(() => { if (wholeStored.get(file) === p) wholeStored.delete(file); });
  return p;
}

/** Deepest nesting, and most entries of one object or array, that the
 *  module reads of an options value, and most values it reads in all
 *  (`MAX_DEPTH` and `MAX_ENTRIES` in src/js.rs, `MAX_OPTION_VALUES` in
 *  src/options.rs). */
const OPTIONS_DEPTH = 4;
const OPTIONS_ENTRIES = 1024;
const OPTIONS_VALUES = 4096;

/**
 * A copy of `options`, taken when the call is made, of what the module
 * reads and exactly as it reads it (src/js.rs: own enumerable keys, the
 * first OPTIONS_ENTRIES; an array's `length` if it is a number, then its
 * items by index; OPTIONS_DEPTH deep; OPTIONS_VALUES properties and items
 * in all, then one more, unread, where the module stops): a page may
 * change its options object as soon as the call returns (for the next
 * page of results, say) and the call must not see it, although it runs
 * after the engine has loaded and, on a split index, once per round of
 * fetching. Where a read throws, the copy throws when the module reads it
 * there, so the module's Error names the same field. (One exception: a
 * Proxy whose `ownKeys` lists an integer-like key after others; the copy,
 * a plain object, lists it first. Such options are refused either way,
 * an integer-like key being no option, but the field named may differ.)
 */
function snapshot(options) {
  return copyValue(options, 0, { left: OPTIONS_VALUES });
}

/** `value` copied as the module reads it at `depth`; `budget.left`: the
 *  values that may still be read. */
function copyValue(value, depth, budget) {
  // Deeper than the module reads, or a primitive: as it is.
  if (value === null || typeof value !== "object" || depth >= OPTIONS_DEPTH) return value;
  try {
    if (Array.isArray(value)) {
      const length = value.length;
      const n = typeof length === "number" ? length : 0;
      // The module reads only that it is too long.
      if (n > OPTIONS_ENTRIES) return new Array(OPTIONS_ENTRIES + 1);
      const copy = [];
      for (let i = 0; i < (n > 0 ? Math.trunc(n) : 0); i++) if (!copyItem(copy, i, value, depth, budget)) break;
      return copy;
    }
    // No prototype: a key named "__proto__" stays an own property.
    const copy = Object.create(null);
    for (const key of Object.keys(value).slice(0, OPTIONS_ENTRIES)) if (!copyItem(copy, key, value, depth, budget)) break;
    return copy;
  } catch {
    // Array.isArray (a revoked Proxy), .length or Object.keys threw.
    return threw();
  }
}

/** Copies `from[key]` into `copy`, or a getter that throws if reading it
 *  threw; false, with `key` left unread (undefined), once the budget is
 *  spent: the module, counting the same reads, stops there too. */
function copyItem(copy, key, from, depth, budget) {
  let item, more = budget.left-- > 0;
  try {
    item = more ? copyValue(from[key], depth + 1, budget) : undefined;
  } catch (e) {
    Object.defineProperty(copy, key, { get() { throw e; }, enumerable: true, configurable: true });
    return true;
  }
  Object.defineProperty(copy, key, { value: item, enumerable: true, configurable: true, writable: true });
  return more;
}

/** A value whose reading throws, as the module reads it (a revoked Proxy). */
function threw() {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** Whether an exception means the instance can no longer be trusted. */
function fatal(e) {
  return e instanceof WebAssembly.RuntimeError || e instanceof RangeError;
}

async function call(name, args) {
  const rank = ++calls;
  let p = engine();
  let g = await p;
  try {
    for (let round = 0; ; round++) {
      // Another call restarted the engine while this one was fetching.
      if (live !== p) g = await (p = engine());
      const answer = g[name](...args);
      if (answer !== undefined) return answer;
      // (An embedded index's module never wants a file.)
      if (!SPLIT) throw new Error(`recherche: ${name} gave no answer`);
      const wanted = g.wanted().split(" ").filter(Boolean);
      if (round >= MAX_ROUNDS || wanted.length === 0) {
        throw new Error(`recherche: ${name} still needs index files after ${round} rounds (${wanted.join(", ")})`);
      }
      // Every file of the round, even when one fails: those that came
      // are handed over, not fetched again by the next call.
      const promises = wanted.map((file) => fetchFile(file, g.size(file), rank, g.size(file.split("#")[0])));
      const fetched = await Promise.allSettled(promises);
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
          g.load(...value);
          refused.delete(file);
          refused.delete(value[0]);
        } catch (e) {
          if (fatal(e)) throw e;
          // Truncated or altered: fetched anew, past the cache, next time
          // (a record's whole file too, if that is what came).
          refused.add(file);
          refused.add(value[0]);
          forgetStored(file.split("#")[0]);
          failure ??= e;
        } finally {
          // Loaded, the module holds it; refused, it is not kept either
          // (unless another call already fetches it anew). A record
          // fetched as its whole file is kept under the file's name.
          for (const key of [file, value?.[0]]) if (files.get(key) === promises[i]) files.delete(key);
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
 * WebAssembly.Module (or wasm-bindgen's `{ module_or_path }` holding one;
 * anything else throws, and is not kept); by default `engine_bg.wasm`
 * beside this file. It is
 * kept: if loading fails, the next call tries the same input again (a
 * Response, whose body can be read only once, is not kept). Once
 * the module has compiled, another `input` is ignored (one module per
 * page). A module fetched here (the default, a URL or a Request) is
 * abandoned after STALL_MS without data; a Response given is read as it
 * comes.
 */
export default async function init(input) {
  // wasm-bindgen's own form, `init({ module_or_path })`, is understood.
  if (input !== null && typeof input === "object" && Object.getPrototypeOf(input) === Object.prototype && "module_or_path" in input) input = input.module_or_path;
  if (!(input === undefined || typeof input === "string" || [URL, Request, Response, ArrayBuffer, WebAssembly.Module].some((T) => input instanceof T) || ArrayBuffer.isView(input) || typeof input?.then === "function")) {
    // Not kept: it could never load.
    throw new Error("recherche: init's input must be a URL, a Request, a Response, bytes or a WebAssembly.Module");
  }
  // A Response (or a promise of one) can be read only once: a retry after
  // it failed uses the default.
  const once = input instanceof Response || typeof input?.then === "function";
  if (input !== undefined && !compiled && !once) wasmInput = input;
  await engine(input);
}

/**
 * `result` with `facets`: each field's counts keyed by value, made here
 * from `facetLists` (the module sends only the lists; building objects
 * there would cost it 0.7 KB). Object.fromEntries makes every value an
 * own property, even one named "__proto__", which an assignment would
 * lose.
 */
function keyed({ facetLists, ignored, ...result }) {
  const facets = {};
  // Own keys only: a page may have added enumerable properties to
  // Object.prototype.
  for (const field of Object.keys(facetLists)) facets[field] = Object.fromEntries(facetLists[field].map((f) => [f.value, f.count]));
  // In the documented order.
  return { ...result, facets, facetLists, ignored };
}

/** Searches: `search(query, { limit, offset, sort, filters })`. */
export function search(query, options) {
  return call("search", [query, snapshot(options)]).then(keyed);
}

/** Lists the documents passing `options.filters`, newest first by default. */
export function filter(options) {
  return call("filter", [snapshot(options)]).then(keyed);
}

/**
 * The whole document with this id, or null. With a `query`, also
 * `bodyHtml` and `captionsHtml`: its paragraphs as HTML, the query's
 * words in `<mark>` as in snippets, everything else escaped.
 */
export function getDocument(id, query) {
  return call("getDocument", [id, query]);
}
