// The shipped TypeScript declarations (pkg/recherche.d.ts) against what
// the API really returns. Real answers, taken in Chromium from the four
// packages `make test-page` builds (the seeds embedded and split, the
// fixture site with sections, the hostile corpus with missing fields),
// are written out as object literals typed with the declared types, and
// TypeScript (strict) compiles them: a field the declarations lack (an
// excess property), a required one the answer lacks, or a value of
// another type (`null` where a string is declared) fails. A control
// shows that such a mismatch is caught.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { serve, launch, newPage, ROOT } from "./helpers.mjs";

const TSC = path.join(ROOT, "node_modules/typescript/bin/tsc");

/** Each package: where its page is served from, where its pkg/ is, and
 *  the calls whose answers are checked. */
const PACKAGES = [
  {
    name: "seeds",
    root: path.join(ROOT, "www"),
    pkg: "/pkg/recherche.js",
    queries: [
      ["search", "otan"],
      ["search", "otan défense", { limit: 2, offset: 1, sort: "date", filters: { year: [2016, 2024], source: "OTAN" } }],
      ["search", "le la les"],
      ["search", "zzzzqx"],
      ["filter", {}],
    ],
    documents: [["first", null], ["first", "otan"], ["nope", null]],
  },
  {
    name: "split",
    root: path.join(ROOT, "target/split-www"),
    pkg: "/pkg/recherche.js",
    queries: [["search", "défense"], ["filter", { filters: { person: "Jens Stoltenberg" } }]],
    documents: [["first", "défense"]],
  },
  {
    name: "site",
    root: path.join(ROOT, "target/site-www"),
    pkg: "/recherche/pkg/recherche.js",
    queries: [["search", "déchèterie"], ["search", "programme fête"]],
    documents: [["first", null], ["first", "programme"]],
  },
  {
    name: "hostile",
    root: path.join(ROOT, "target/hostile-www"),
    pkg: "/pkg/recherche.js",
    queries: [["search", "alerte"], ["search", "données"]],
    documents: [["x3", null], ["x3", "données"], ["x2", "lien"]],
  },
];

let browser, dir;
before(async () => {
  for (const p of PACKAGES) assert.ok(fs.existsSync(path.join(p.root, p.pkg)), `make test-page builds ${p.root} first`);
  assert.ok(fs.existsSync(TSC), "npm ci installs typescript");
  browser = await launch();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "recherche-types-"));
});
after(async () => {
  await browser?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** The answers of one package's calls, as JSON-safe values. */
async function answers(p) {
  const server = await serve(p.root);
  const { page, problems } = await newPage(browser.context);
  try {
    // A blank page of the package's origin, so that nothing else loads the engine.
    await page.route(`${server.url}/__types.html`, (r) => r.fulfill({ contentType: "text/html", body: "<!doctype html><title>types</title>" }));
    await page.goto(`${server.url}/__types.html`);
    const out = await page.evaluate(async ({ pkg, queries, documents }) => {
      const api = await import(pkg);
      const results = [];
      for (const [fn, ...args] of queries) results.push(await api[fn](...args));
      const first = results.find((r) => r.hits.length)?.hits[0].id;
      const docs = [];
      for (const [id, q] of documents) docs.push(await api.getDocument(id === "first" ? first : id, q));
      let error = null;
      try {
        await api.search("otan", { limit: -1 });
      } catch (e) {
        error = { isError: e instanceof Error, name: e.name, message: e.message, field: e.field };
      }
      return { results, docs, error };
    }, p);
    assert.deepEqual(problems, []);
    return out;
  } finally {
    await page.close();
    await server.close();
  }
}

/** A TypeScript module typing `a` with the declarations of `p`'s package. */
function module(p, a, alter = (x) => x) {
  const dts = path.join(p.root, p.pkg);
  let spec = path.relative(dir, dts).split(path.sep).join("/");
  if (!spec.startsWith(".")) spec = "./" + spec;
  const lines = [`import type { SearchResult, RechercheDocument, RechercheError } from ${JSON.stringify(spec)};`];
  a.results.forEach((r, i) => lines.push(`export const r${i}: SearchResult = ${JSON.stringify(alter(r))};`));
  a.docs.forEach((d, i) => lines.push(`export const d${i}: RechercheDocument | null = ${JSON.stringify(d)};`));
  const { name, message, field } = a.error;
  lines.push(`export const e: RechercheError = ${JSON.stringify({ name, message, field })};`);
  return lines.join("\n") + "\n";
}

/** Runs tsc (strict) on `files`; its output, or "" when they compile. */
function tsc(files) {
  try {
    execFileSync(process.execPath, [TSC, "--strict", "--noEmit", "--target", "es2022", "--module", "esnext", "--moduleResolution", "bundler", "--lib", "es2022,dom", ...files], { encoding: "utf8" });
    return "";
  } catch (e) {
    return (e.stdout || "") + (e.stderr || "") || String(e);
  }
}

test("the declarations type every answer of search, filter and getDocument, and the errors", async () => {
  const files = [];
  const all = {};
  for (const p of PACKAGES) {
    const a = await answers(p);
    all[p.name] = a;
    assert.ok(a.results.some((r) => r.hits.length > 0), `${p.name}: some query has hits`);
    assert.ok(a.docs.some((d) => d !== null), `${p.name}: some document is found`);
    assert.equal(a.error.isError, true, "an invalid option rejects with an Error");
    assert.equal(a.error.field, "options.limit");
    const file = path.join(dir, `${p.name}.ts`);
    fs.writeFileSync(file, module(p, a));
    files.push(file);
  }
  // What the answers cover, so that the check means something.
  assert.ok(all.seeds.docs.includes(null), "getDocument of an unknown id is null");
  assert.ok(all.seeds.docs.some((d) => d && d.bodyHtml), "getDocument with a query has bodyHtml");
  assert.ok(all.site.results.some((r) => r.hits.some((h) => h.section && h.sections.length)), "the site has hits with sections");
  assert.ok(all.site.docs.some((d) => d && d.sections && d.sections.length), "the site has documents with sections");
  assert.ok(all.hostile.results.some((r) => r.hits.some((h) => h.url === null && h.date === null)), "the hostile corpus has hits without url or date");
  assert.ok(all.seeds.results.some((r) => r.ignored.length), "some query ignored words");
  assert.equal(tsc(files), "");
});

test("a control: an answer that differs from the declarations does not compile", async () => {
  const p = PACKAGES[0];
  const a = await answers(p);
  const bad = [
    // An undeclared field on a hit.
    (r) => ({ ...r, hits: r.hits.map((h) => ({ ...h, extra: 1 })) }),
    // null where the declarations say a number.
    (r) => ({ ...r, total: null }),
    // A required field missing.
    (r) => { const { relaxed, ...rest } = r; return rest; },
  ];
  for (const [k, alter] of bad.entries()) {
    const file = path.join(dir, `bad${k}.ts`);
    fs.writeFileSync(file, module(p, { ...a, results: [a.results.find((r) => r.hits.length)] }, alter));
    assert.match(tsc([file]), /error TS\d+/, `control ${k} compiles, but must not`);
  }
});
