// Package step (`make package`): gives the module's imports, and the
// exports only the glue reads, short names.
//
// wasm-bindgen names each import after the JS function it stands for and a
// 64-bit hash (`__wbg_set_d2d33b52458e984a`), under the module name
// `./engine_bg.js`; the names are written twice, in the wasm's import
// section and as keys of the glue's import object, and the hashes do not
// compress. Renamed `a`, `b`, … in both files, they cost about 0.9 KB
// gzipped less. The module name becomes `w` and a hash of the module's
// types, imports and exports: a glue and a wasm of two builds whose
// interfaces differ (a host's caches out of step) still fail to link,
// as with wasm-bindgen's names, rather than calling each other's
// functions under the same short names.
// The exports only the glue reads (`__wbindgen_malloc`, …, every name
// starting with `__`) become `_a`, `_b`, … in both files too; the API's
// keep their names (the glue's `init` returns them, and pages may read
// them: `memory`).
//
// The wasm is rewritten in place, section by section: only the import
// and export sections change, every other byte is copied. The glue must
// hold each old import name exactly once, as a key (`name:`), the module
// name once, and the renamed exports only as `wasm.<name>`, or this fails
// rather than writing a package whose imports do not resolve. Functions
// the glue provides and the module does not import are dropped from it.
// Then, before either file is written, the module is instantiated with
// the rewritten glue (`initSync`): an import the glue does not provide
// by name fails the build here. (A JS function takes any arguments, so
// this checks names, not signatures; the mapping is by construction.)
//
// Usage: node src/pkg/short-imports.mjs <pkg>/engine_bg.wasm <pkg>/engine.js

import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const [wasmPath, gluePath] = process.argv.slice(2);
if (!wasmPath || !gluePath) {
  console.error("usage: node src/pkg/short-imports.mjs <engine_bg.wasm> <engine.js>");
  process.exit(2);
}
const fail = (why) => {
  console.error(`short-imports: ${why}`);
  process.exit(1);
};

/** The glue's module name for its imports, as wasm-bindgen writes it. */
const MODULE = `./${path.basename(wasmPath).replace(/\.wasm$/, "")}.js`;
/** Reads an unsigned LEB128 at `at`: [value, next offset]. */
function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (at >= bytes.length) fail(`${wasmPath}: truncated LEB128`);
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}

/** Unsigned LEB128 bytes of `n`. */
function uleb(n) {
  const out = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

const name = (s) => {
  const b = Buffer.from(s, "utf8");
  return [...uleb(b.length), ...b];
};

/** The n-th short name: a … z, A … Z, then two letters. */
function short(n) {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let s = "";
  do {
    s = letters[n % letters.length] + s;
    n = Math.floor(n / letters.length) - 1;
  } while (n >= 0);
  return s;
}

/** Skips an import's descriptor (kind byte first): the offset after it. */
function skipDescriptor(bytes, at) {
  const kind = bytes[at++];
  const limits = (at) => {
    const flags = bytes[at++];
    [, at] = leb(bytes, at);
    if (flags & 1) [, at] = leb(bytes, at);
    return at;
  };
  switch (kind) {
    case 0x00: // function: type index
      return leb(bytes, at)[1];
    case 0x01: // table: reference type, limits
      return limits(at + 1);
    case 0x02: // memory: limits
      return limits(at);
    case 0x03: // global: value type, mutability
      return at + 2;
    case 0x04: // tag: attribute, type index
      return leb(bytes, at + 1)[1];
    default:
      return fail(`${wasmPath}: unknown import kind ${kind}`);
  }
}

const wasm = fs.readFileSync(wasmPath);
if (wasm.readUInt32LE(0) !== 0x6d736100) fail(`${wasmPath}: not a wasm module`);

/** The module's sections, as [id, start, body start, end]. */
const sections = [];
for (let at = 8; at < wasm.length; ) {
  const [size, body] = leb(wasm, at + 1);
  if (body + size > wasm.length) fail(`${wasmPath}: a section runs past the end`);
  sections.push([wasm[at], at, body, body + size]);
  at = body + size;
}
const importSection = sections.find(([id]) => id === 2);
if (!importSection) fail(`${wasmPath}: no import section`);

/** The imports, as [module, name, descriptor bytes]. */
const imports = [];
{
  const [, , body, end] = importSection;
  let [count, p] = leb(wasm, body);
  for (let i = 0; i < count; i++) {
    const strings = [];
    for (let k = 0; k < 2; k++) {
      const [n, s] = leb(wasm, p);
      strings.push(wasm.subarray(s, s + n).toString("utf8"));
      p = s + n;
    }
    const start = p;
    p = skipDescriptor(wasm, p);
    imports.push([...strings, wasm.subarray(start, p)]);
  }
  if (p !== end) fail(`${wasmPath}: the import section does not end where its size says`);
}

const renamed = new Map();
for (const [module, field] of imports) {
  if (module === MODULE && !renamed.has(field)) renamed.set(field, short(renamed.size));
}
if (renamed.size === 0) fail(`${wasmPath}: no import from ${MODULE} (already renamed?)`);
// The module name: a hash of the module's interface with the glue, its
// type, import and export sections as wasm-bindgen left them (so two
// builds whose glue differs in any import or export, or any signature,
// such as an embedded index's module and a split one's, differ).
const hash = createHash("sha256");
for (const [id, start, , end] of sections) if (id === 1 || id === 2 || id === 7) hash.update(wasm.subarray(start, end));
const SHORT_MODULE = "w" + hash.digest("hex").slice(0, 8);

// The glue's own exports (`__wbindgen_malloc`, `__externref_table_alloc`,
// …: every name starting with `__`), which only it reads, as
// `wasm.<name>`, become `_a`, `_b`, …; the API's keep their names.
const exportSection = sections.find(([id]) => id === 7);
const exports = [];
if (exportSection) {
  const [, , body, end] = exportSection;
  let [count, p] = leb(wasm, body);
  for (let i = 0; i < count; i++) {
    const [n, s] = leb(wasm, p);
    const field = wasm.subarray(s, s + n).toString("utf8");
    const start = s + n;
    p = leb(wasm, start + 1)[1];
    exports.push([field, wasm.subarray(start, p)]);
  }
  if (p !== end) fail(`${wasmPath}: the export section does not end where its size says`);
}
const internal = new Map();
for (const [field] of exports) if (field.startsWith("__")) internal.set(field, `_${short(internal.size)}`);

const section = [...uleb(imports.length)];
for (const [module, field, descriptor] of imports) {
  if (module === MODULE) section.push(...name(SHORT_MODULE), ...name(renamed.get(field)), ...descriptor);
  else section.push(...name(module), ...name(field), ...descriptor);
}
const exported = [...uleb(exports.length)];
for (const [field, descriptor] of exports) exported.push(...name(internal.get(field) ?? field), ...descriptor);
const rewritten = { 2: section, 7: exported };
const out = sections.map(([id, start, , end]) => (rewritten[id] ? Buffer.from([id, ...uleb(rewritten[id].length), ...rewritten[id]]) : wasm.subarray(start, end)));
out.unshift(wasm.subarray(0, 8));

let glue = fs.readFileSync(gluePath, "utf8");
const once = (needle, replacement) => {
  const parts = glue.split(needle);
  if (parts.length !== 2) fail(`${gluePath}: ${JSON.stringify(needle)} found ${parts.length - 1} times, not once`);
  glue = parts.join(replacement);
};
once(`${JSON.stringify(MODULE)}:`, `${JSON.stringify(SHORT_MODULE)}:`);
for (const [old, fresh] of renamed) once(`${old}:`, `${fresh}:`);

for (const [old, fresh] of internal) {
  const uses = glue.split(`wasm.${old}`).length - 1;
  glue = glue.replace(new RegExp(`\\bwasm\\.${old}\\b`, "g"), `wasm.${fresh}`);
  if (new RegExp(`\\b${old}\\b`).test(glue)) fail(`${gluePath}: ${old} is used other than as wasm.${old} (${uses} uses)`);
}

// Functions the glue provides that the module no longer imports (the
// optimiser removed their last call) are dropped: in wasm-bindgen's
// layout each is a key at 8 spaces in `import0`, up to the next key or
// the object's end at 4 spaces.
const lines = glue.split("\n");
const begin = lines.indexOf("    const import0 = {");
const close = lines.indexOf("    };", begin);
if (begin < 0 || close < 0) fail(`${gluePath}: no import object (const import0 = { … }) in wasm-bindgen's layout`);
const provided = new Set(renamed.values());
let dropped = 0;
for (let i = close - 1; i > begin; i--) {
  const key = /^ {8}([A-Za-z_$][\w$]*): function/.exec(lines[i]);
  if (!key || provided.has(key[1])) continue;
  let end = i + 1;
  // (Up to the next key or the object's end, found anew: an entry
  // dropped after it moved the end up.)
  while (end < lines.length && lines[end] !== "    };" && !/^ {8}[A-Za-z_$][\w$]*:/.test(lines[end])) end++;
  lines.splice(i, end - i);
  dropped++;
}
glue = lines.join("\n");

// Every import must resolve: instantiate the module through the glue,
// both from memory, before either file is written.
const wasmOut = Buffer.concat(out);
try {
  const glueModule = await import(`data:text/javascript;base64,${Buffer.from(glue).toString("base64")}`);
  glueModule.initSync({ module: wasmOut });
} catch (e) {
  fail(`${wasmPath} would not instantiate with ${gluePath}: ${e.message}`);
}
fs.writeFileSync(wasmPath, wasmOut);
fs.writeFileSync(gluePath, glue);
console.log(`short-imports: ${renamed.size} imports and ${internal.size} of the glue's exports renamed (module ${SHORT_MODULE}) in ${wasmPath} and ${gluePath}, ${dropped} unused dropped from the glue`);
