// The package step that shortens the module's import names
// (src/pkg/short-imports.mjs), on the packages `make test-page` builds and
// on a tiny module: every import is short and provided by the glue under
// the same name, and the glue's own exports are short; an embedded and a
// split module get different module names; the script refuses a glue that lacks a name (or holds it
// twice) and leaves both files as they were; two different import sets
// get different module names, so a glue and a wasm of different builds
// fail to link instead of calling the wrong functions.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./helpers.mjs";

const SCRIPT = path.join(ROOT, "src/pkg/short-imports.mjs");
const PACKAGES = ["www/pkg", "target/split-www/pkg", "target/site-www/recherche/pkg", "target/hostile-www/pkg"].map((p) => path.join(ROOT, p));

const moduleOf = (file) => new WebAssembly.Module(fs.readFileSync(file));
const importsOf = (file) => WebAssembly.Module.imports(moduleOf(file));
const exportsOf = (file) => WebAssembly.Module.exports(moduleOf(file)).map((e) => e.name);

test("every package's imports are short, under one hashed module name, and its glue provides each; the glue's own exports are short, the API's keep their names", async () => {
  const modules = new Map();
  for (const dir of PACKAGES) {
    const imports = importsOf(path.join(dir, "engine_bg.wasm"));
    assert.ok(imports.length > 10, dir);
    const names = new Set(imports.map((i) => i.module));
    assert.equal(names.size, 1, `${dir}: ${[...names]}`);
    const [module] = names;
    assert.match(module, /^w[0-9a-f]{8}$/, dir);
    modules.set(dir, module);
    for (const { name } of imports) assert.match(name, /^[a-zA-Z]{1,2}$/, `${dir}: ${name}`);
    // The API's exports keep their names; the glue's own are short.
    const exports = exportsOf(path.join(dir, "engine_bg.wasm"));
    for (const name of ["memory", "search", "filter", "getDocument", "load", "size", "wanted", "start"]) assert.ok(exports.includes(name), `${dir}: ${name}`);
    for (const name of exports) assert.doesNotMatch(name, /^__/, dir);
    // No hashed wasm-bindgen name is left in the glue.
    const glue = fs.readFileSync(path.join(dir, "engine.js"), "utf8");
    assert.doesNotMatch(glue, /__wbg_\w+_[0-9a-f]{16}|__wbindgen_\w+\s*:|\.__wbindgen_/, dir);
    // And the module instantiates with it (as the package step checked).
    const { initSync, search } = await import(`${pathToFileURL(path.join(dir, "engine.js")).href}?${path.basename(path.dirname(dir))}`);
    initSync({ module: fs.readFileSync(path.join(dir, "engine_bg.wasm")) });
    assert.ok(["object", "undefined"].includes(typeof search("otan", {})), dir);
  }
  // The module name hashes the interface with the glue: an embedded
  // index's module (whose size and load take JS values) and a split one's
  // differ, so neither links with the other's glue.
  const [embedded, split] = PACKAGES.slice(0, 2).map((dir) => modules.get(dir));
  assert.notEqual(embedded, split);
});

test("an embedded index's API leaves out the code that fetches index files; a split one's keeps it", () => {
  const api = (dir) => fs.readFileSync(path.join(dir, "recherche.js"), "utf8");
  // What only fetching uses: Range requests and the stored text's inflater.
  const fetching = [/Range:/, /DecompressionStream/, /deflate-raw/];
  for (const [dir, split] of [[PACKAGES[0], false], [PACKAGES[1], true], [PACKAGES[2], false], [PACKAGES[3], false]]) {
    assert.equal(fs.existsSync(path.join(dir, "index")), split, dir);
    for (const re of fetching) assert.equal(re.test(api(dir)), split, `${dir}: ${re}`);
    // Both keep the module's loading, retries and errors.
    assert.match(api(dir), /the search engine failed/, dir);
  }
  assert.ok(api(PACKAGES[0]).length * 3 < api(PACKAGES[1]).length * 2, "the embedded API is a third smaller at least");
});

test("the script renames in both files (imports, and exports only the glue reads), drops what the module does not import, and refuses a glue missing a name, holding it twice or not linking, writing nothing", () => {
  // A tiny module and glue of wasm-bindgen's shape: two imports from
  // "./engine_bg.js", and an initSync that instantiates with them.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "short-imports-"));
  try {
    const str = (s) => [s.length, ...Buffer.from(s)];
    const names = ["__wbg_log_0123456789abcdef", "__wbg_add_fedcba9876543210"];
    const imports = names.flatMap((n) => [...str("./engine_bg.js"), ...str(n), 0x00, 0x00]);
    // Two exports only the glue reads, one name a prefix of the other.
    const exportNames = ["__wbindgen_malloc", "__wbindgen_malloc_1"];
    const exported = exportNames.flatMap((n, i) => [...str(n), 0x03, i]);
    const wasm = Buffer.from([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      // type section: one type, () -> ()
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
      // import section
      0x02, imports.length + 1, 0x02, ...imports,
      // global section: two immutable i32 globals, 7 and 8
      0x06, 0x0b, 0x02, 0x7f, 0x00, 0x41, 0x07, 0x0b, 0x7f, 0x00, 0x41, 0x08, 0x0b,
      // export section: the globals
      0x07, exported.length + 1, 0x02, ...exported,
      // a custom section, which must be kept as it is
      0x00, 0x05, 0x04, ...Buffer.from("note"),
    ]);
    // wasm-bindgen's layout: the import object's keys at 8 spaces.
    const glueText = (keys, links = true) =>
      [
        "let wasm;",
        "function imports() {",
        "    const import0 = {",
        "        __proto__: null,",
        ...keys.flatMap((k) => [`        ${k}: function() {`, "            return 1;", "        },"]),
        "    };",
        // (Not linking: the module's functions are named, but not passed.)
        `    return { __proto__: null, "./engine_bg.js": ${links ? "import0" : "{}"} };`,
        "}",
        "export function initSync({ module }) { wasm = new WebAssembly.Instance(new WebAssembly.Module(module), imports()).exports; }",
        "export const values = () => [wasm.__wbindgen_malloc.value, wasm.__wbindgen_malloc_1.value];",
        "",
      ].join("\n");
    const run = (keys, bytes = wasm, links = true) => {
      fs.writeFileSync(path.join(tmp, "engine_bg.wasm"), bytes);
      fs.writeFileSync(path.join(tmp, "engine.js"), glueText(keys, links));
      return spawnSync(process.execPath, [SCRIPT, path.join(tmp, "engine_bg.wasm"), path.join(tmp, "engine.js")], { encoding: "utf8" });
    };

    // Both names provided, and one the module does not import: renamed in
    // both files, the unused one dropped, the custom section kept.
    // (Two unused at the end: each dropped up to the object's end only.)
    const ok = run([...names, "__wbg_unused_00000000000000ff", "__wbg_unused_00000000000000fe"]);
    assert.equal(ok.status, 0, ok.stderr);
    const renamed = importsOf(path.join(tmp, "engine_bg.wasm"));
    assert.deepEqual(renamed.map((i) => i.name), ["a", "b"]);
    assert.match(renamed[0].module, /^w[0-9a-f]{8}$/);
    assert.ok(fs.readFileSync(path.join(tmp, "engine_bg.wasm")).includes(Buffer.from("note")));
    const glueOut = fs.readFileSync(path.join(tmp, "engine.js"), "utf8");
    assert.ok(glueOut.includes(`"${renamed[0].module}": import0`) && glueOut.includes("        a: function") && glueOut.includes("        b: function"), glueOut);
    assert.ok(!glueOut.includes("__wbg_"), glueOut);
    assert.ok(glueOut.includes('    };\n    return { __proto__: null, "w'), glueOut);
    // The exports only the glue reads: short in both files, each to its own.
    assert.deepEqual(exportsOf(path.join(tmp, "engine_bg.wasm")), ["_a", "_b"]);
    assert.ok(glueOut.includes("[wasm._a.value, wasm._b.value]") && !glueOut.includes("__wbindgen"), glueOut);

    // Another import set: another module name.
    const other = ["__wbg_log_0123456789abcdef", "__wbg_mul_0000000000000001"];
    const wasm2 = Buffer.from(wasm.toString("latin1").replace(names[1], other[1]), "latin1");
    const ok2 = run(other, wasm2);
    assert.equal(ok2.status, 0, ok2.stderr);
    assert.notEqual(importsOf(path.join(tmp, "engine_bg.wasm"))[0].module, renamed[0].module);

    // A glue lacking a name: refused, naming it, and nothing written.
    const missing = run([names[0]]);
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /__wbg_add_fedcba9876543210:.* found 0 times, not once/);
    assert.deepEqual(importsOf(path.join(tmp, "engine_bg.wasm")).map((i) => i.name), names);
    assert.equal(fs.readFileSync(path.join(tmp, "engine.js"), "utf8"), glueText([names[0]]));
    // A glue that names everything but does not link: refused, nothing written.
    const unlinked = run(names, wasm, false);
    assert.notEqual(unlinked.status, 0);
    assert.match(unlinked.stderr, /would not instantiate/);
    assert.deepEqual(importsOf(path.join(tmp, "engine_bg.wasm")).map((i) => i.name), names);
    assert.equal(fs.readFileSync(path.join(tmp, "engine.js"), "utf8"), glueText(names, false));
    // A name twice: refused too.
    const twice = run([...names, `x${names[1]}`]);
    assert.notEqual(twice.status, 0);
    assert.match(twice.stderr, /found 2 times, not once/);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
