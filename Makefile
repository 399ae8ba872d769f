# recherche — the two commands a new user needs:
#   make serve   build the wasm package and serve www/ on http://127.0.0.1:$(PORT)
#   make test    every test: native, wasm in headless Chromium, and the page
#
# Every target installs what it needs if it is missing (idempotently, with
# pinned versions) on a fresh Debian 12 machine as root.

SHELL := /bin/bash
# --norc: bash may read /etc/bash.bashrc and ~/.bashrc even without a
# terminal, when it thinks ssh started it (its input a socket, as node's
# pipes are, or SSH_CLIENT set), and Debian's bashrc trips over -u
# (`PS1: unbound variable`: seen under `make bench`).
.SHELLFLAGS := --norc -eu -o pipefail -c
.DEFAULT_GOAL := help

PORT ?= 8080
# Pinned tool versions. WASM_BINDGEN_VERSION must equal the `wasm-bindgen`
# pin in Cargo.toml: the CLI and the crate must match exactly.
WASM_BINDGEN_VERSION := 0.2.130
WASM_PACK_VERSION := 0.15.1
TWIGGY_VERSION := 0.8.0
CARGO_FUZZ_VERSION := 0.13.2
FUZZ_TARGETS := query_parser analyzer index_decoder
# Seconds per fuzz target: a smoke run in `make test`, longer with `make fuzz`.
FUZZ_SMOKE_SECONDS ?= 15
FUZZ_SECONDS ?= 600

CARGO_BIN := $(HOME)/.cargo/bin
export PATH := $(CURDIR)/node_modules/.bin:$(CARGO_BIN):$(PATH)

PKG := www/pkg
# Cargo features of the package (the page tests build one with trap-test).
FEATURES ?=

.PHONY: help build package serve test test-native test-lint test-wasm test-page test-fuzz bench bench-relevance bench-site bench-serve bench-hostile fuzz size clean \
        tools tool-rust tool-wasm-pack tool-wasm-bindgen tool-node tool-chromium tool-cargo-fuzz

help:
	@echo "make serve   build, then serve www/ on http://127.0.0.1:$(PORT) (PORT=… to change)"
	@echo "make test    all tests: native cargo tests, wasm-pack browser tests, page tests"
	@echo "make build   release wasm package into $(PKG)"
	@echo "make bench   sizes and speeds for seeds, medium and large corpora (bench/results.json)"
	@echo "make bench-relevance   known-item relevance on medium and large (bench/relevance.json)"
	@echo "make bench-site   index LibreOffice's French help pages, a real site (bench/site.json)"
	@echo "make fuzz    longer fuzzing run (FUZZ_SECONDS per target)"
	@echo "RECHERCHE_CORPUS=path/to/folder-or.jsonl make build   index your own corpus"
	@echo "RECHERCHE_CORPUS=path/to/site make serve   serve a built site at / with its search page at /recherche/"

# ---------------------------------------------------------------- tools --

tool-rust:
	@command -v cargo >/dev/null || { echo "cargo not found: install Rust with rustup first" >&2; exit 1; }
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@# The standard library's source: release packages rebuild it (see
	@# SMALL_STD). Without it they build all the same, 11.5 KB larger.
	@rustup component list --installed | grep -q '^rust-src' || rustup component add rust-src \
	  || echo "warning: rustup could not add rust-src: packages keep panic messages and are about 11.5 KB larger gzipped" >&2

tool-wasm-pack: tool-rust
	@if ! wasm-pack --version 2>/dev/null | grep -qx "wasm-pack $(WASM_PACK_VERSION)"; then \
	  echo "installing wasm-pack $(WASM_PACK_VERSION)"; \
	  cargo install wasm-pack --version $(WASM_PACK_VERSION) --locked; fi

# Not --locked: wasm-bindgen-cli's lock file pins a crate the registry lacks.
tool-wasm-bindgen: tool-rust
	@if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $(WASM_BINDGEN_VERSION)"; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION)"; \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force; fi

# wasm-opt comes from npm's binaryen (never Debian's binaryen 108, which
# writes broken modules); playwright-core and axe-core drive the page tests;
# typescript checks the shipped declarations against real answers.
tool-node:
	@command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }
	@if [ ! -x node_modules/.bin/wasm-opt ] || ! node_modules/.bin/wasm-opt --version | grep -q "version 132" \
	    || [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ] || [ ! -x node_modules/.bin/terser ] \
	    || [ ! -x node_modules/.bin/tsc ]; then \
	  npm ci --no-audit --no-fund; fi

tool-chromium:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; fi

# cargo-fuzz drives libFuzzer with AddressSanitizer. Its -Z flags need a
# nightly compiler; RUSTC_BOOTSTRAP=1 lets the machine's stable rustc (which
# ships the sanitizer runtimes) accept them.
tool-cargo-fuzz: tool-rust
	@if ! cargo fuzz --version 2>/dev/null | grep -q "$(CARGO_FUZZ_VERSION)"; then \
	  echo "installing cargo-fuzz $(CARGO_FUZZ_VERSION)"; \
	  cargo install cargo-fuzz --version $(CARGO_FUZZ_VERSION) --locked; fi

tools: tool-rust tool-wasm-pack tool-wasm-bindgen tool-node tool-chromium tool-cargo-fuzz

# ---------------------------------------------------------------- build --

# Release packages abort on a panic without formatting any message: the
# standard library is rebuilt for the module (cargo's `-Zbuild-std`, from
# the rust-src component) with rustc's `-Cpanic=immediate-abort`, which
# leaves out the panic machinery and its messages (and the panic hook,
# see `start` in src/lib.rs), and `-Zlocation-detail=none`, which leaves
# out the source locations `#[track_caller]` functions still carry: the
# module is 11.5 KB smaller gzipped (95.8 → 84.3 KB, of 1,024 bytes, on
# the seeds). A panic is a bug, never an answer to input; either way it
# traps the instance, and recherche.js runs the next call on a fresh one. Both flags
# are unstable: RUSTC_BOOTSTRAP=1 lets the stable compiler take them, as
# for cargo-fuzz. PANIC_MESSAGES=1 builds with the prebuilt standard
# library instead, so that console_error_panic_hook logs a panic's message
# and location (to debug a trap); so does a compiler without the flag, or
# a RUSTFLAGS set in the environment (it would replace the package's
# flags), with a warning. Tests (wasm-pack test) always keep the messages.
PANIC_MESSAGES ?=
# Whether rustc takes the flag and rust-src is there: asked once, when a
# recipe first needs it (after tool-rust installed rust-src), with this
# Makefile's PATH (make 4.3, Debian 12's, does not export it to $(shell)).
IMMEDIATE_ABORT = $(eval IMMEDIATE_ABORT := $(shell PATH='$(PATH)'; RUSTC_BOOTSTRAP=1 rustc -Zunstable-options -Cpanic=immediate-abort --print cfg --target wasm32-unknown-unknown 2>/dev/null | grep -q 'panic="immediate-abort"' \
  && [ -d "$$(rustc --print sysroot)/lib/rustlib/src/rust/library/std" ] && echo yes))$(IMMEDIATE_ABORT)
SMALL_STD_ENV := RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none"
SMALL_STD = $(if $(filter 1,$(PANIC_MESSAGES))$(RUSTFLAGS),,$(if $(IMMEDIATE_ABORT),$(SMALL_STD_ENV)))
# Packages build in a target folder of their own: with -Zbuild-std cargo
# hashes even the build script's and proc macros' artifacts apart, so
# sharing target/ with native builds (tests, examples, criterion) would
# rebuild them at every switch. bench/run.mjs and bench/site.mjs read the
# build script's output under target/package*.
PACKAGE_TARGET = $(CURDIR)/target/package$(if $(SMALL_STD),,-panic-messages)

# The package in $(PKG): the wasm-bindgen glue (engine.js, engine_bg.wasm)
# and the public API that wraps it (recherche.js, from src/pkg/, with its
# TypeScript declarations), all minified.
package: tool-rust tool-wasm-pack tool-wasm-bindgen tool-node
	@$(if $(filter 1,$(PANIC_MESSAGES))$(RUSTFLAGS)$(IMMEDIATE_ABORT),,echo "warning: $$(rustc --version) cannot rebuild the standard library with -Cpanic=immediate-abort (the flag or rust-src is missing): the module keeps panic messages and is about 11.5 KB larger gzipped" >&2)
	@$(if $(filter 1,$(PANIC_MESSAGES)),,$(if $(RUSTFLAGS),echo "warning: RUSTFLAGS is set and replaces -Cpanic=immediate-abort: the module keeps panic messages and is about 11.5 KB larger gzipped" >&2))
	CARGO_TARGET_DIR=$(PACKAGE_TARGET) $(SMALL_STD) wasm-pack build --release --target web --out-dir $(abspath $(PKG)) --out-name engine --no-typescript --no-pack \
	  $(if $(FEATURES),-- --features $(FEATURES))
	@# A split index's files (RECHERCHE_LAYOUT) are in the build script's
	@# OUT_DIR/index/: cargo names that folder in its JSON messages, even
	@# for a build that is already fresh (as this one is, after wasm-pack's).
	rm -rf $(PKG)/index
	out=$$(CARGO_TARGET_DIR=$(PACKAGE_TARGET) $(SMALL_STD) cargo build --lib --release --target wasm32-unknown-unknown $(if $(FEATURES),--features $(FEATURES)) --message-format=json 2>/dev/null \
	  | grep '"reason":"build-script-executed"' | grep '[#/]recherche[@#]' | sed 's/.*"out_dir":"\([^"]*\)".*/\1/' | tail -1); \
	test -n "$$out" -a -f "$$out/index.bin" || { echo "cannot find the build script's output folder" >&2; exit 1; }; \
	if ls "$$out"/index/*.bin >/dev/null 2>&1; then mkdir -p $(PKG)/index && cp "$$out"/index/*.bin $(PKG)/index/; \
	  echo "split index: $$(ls $(PKG)/index | wc -l) files, $$(cat $(PKG)/index/*.bin | wc -c) bytes in $(PKG)/index/"; fi
	@# After a trap, recherche.js runs a fresh instance through the same
	@# glue: __reset forgets the dead one. It names the glue's variables
	@# (wasm-bindgen $(WASM_BINDGEN_VERSION)); a version that renames them
	@# fails here rather than at the first trap.
	for v in 'let wasmModule, wasmInstance, wasm;' 'let __wbg_init_promise;' 'let cachedDataViewMemory0 = null;' 'let cachedUint8ArrayMemory0 = null;'; do \
	  grep -qxF "$$v" $(PKG)/engine.js || { echo "$(PKG)/engine.js: wasm-bindgen's glue no longer declares what __reset clears ($$v)" >&2; exit 1; }; done
	printf '\nexport function __reset() { wasm = wasmInstance = __wbg_init_promise = undefined; cachedDataViewMemory0 = cachedUint8ArrayMemory0 = null; }\n' >> $(PKG)/engine.js
	@# The imports' hashed names and the glue's own exports, shortened in
	@# the wasm and the glue alike (1.1 KB gzipped); the script
	@# instantiates the result to check it.
	node src/pkg/short-imports.mjs $(PKG)/engine_bg.wasm $(PKG)/engine.js
	terser $(PKG)/engine.js --module --compress passes=3 --mangle --toplevel -o $(PKG)/engine.min.js
	mv $(PKG)/engine.min.js $(PKG)/engine.js
	@# An embedded index's API leaves out the code that fetches files.
	terser src/pkg/recherche.js --module --compress passes=3 --mangle --toplevel \
	  --define RECHERCHE_SPLIT=$$(if [ -d $(PKG)/index ]; then echo true; else echo false; fi) -o $(PKG)/recherche.js
	cp src/pkg/recherche.d.ts $(PKG)/recherche.d.ts
	@printf 'wasm %s bytes (%s gzipped), JS %s bytes (%s gzipped)\n' \
	  $$(stat -c %s $(PKG)/engine_bg.wasm) $$(gzip -9c $(PKG)/engine_bg.wasm | wc -c) \
	  $$(cat $(PKG)/engine.js $(PKG)/recherche.js | wc -c) $$(cat $(PKG)/engine.js $(PKG)/recherche.js | gzip -9c | wc -c)

build: package

# With RECHERCHE_CORPUS naming a folder (a built site), that folder is
# served at / and the search page at /recherche/, as the site would deploy
# it: relative result URLs (a page's path in the site) resolve against the
# folder above the search page's. target/serve holds links to both.
SERVE_DIR := target/serve

serve: build
	@if [ -d "$${RECHERCHE_CORPUS:-}" ]; then \
	  site=$$(realpath "$$RECHERCHE_CORPUS"); \
	  if [ -e "$$site/recherche" ]; then echo "$$RECHERCHE_CORPUS already has a recherche/: copy www/ into your site yourself" >&2; exit 1; fi; \
	  rm -rf $(SERVE_DIR) && mkdir -p $(SERVE_DIR); \
	  for f in "$$site"/*; do ln -s "$$f" $(SERVE_DIR)/; done; \
	  ln -s $(abspath www) $(SERVE_DIR)/recherche; \
	  SERVE_MESSAGE="recherche: serving $$RECHERCHE_CORPUS at http://127.0.0.1:$(PORT)/, its search page at http://127.0.0.1:$(PORT)/recherche/  (gzip on the wire; Ctrl-C to stop)" \
	    PORT=$(PORT) exec node bench/serve.mjs $(SERVE_DIR); \
	fi; \
	SERVE_MESSAGE="recherche: serving www/ at http://127.0.0.1:$(PORT)/  (gzip on the wire; Ctrl-C to stop)" PORT=$(PORT) exec node bench/serve.mjs www

# ----------------------------------------------------------------- test --

test: test-lint test-native test-fuzz test-wasm test-page

# Formatting and lints are part of the contract: CI fails on either.
test-lint: tool-rust
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings

test-native: tool-rust
	cargo test --all-targets

test-wasm: tool-wasm-pack tool-wasm-bindgen tool-node tool-chromium
	wasm-pack test --headless --chrome

# The page tests also need a module built from a hostile corpus
# (tests/fixtures/hostile.jsonl), served from target/hostile-www, and one
# built from the fixture site (tests/fixtures/site), served as `make serve`
# serves a site: its pages at the root of target/site-www, the search page
# in recherche/. The seeds are also built in the split layout
# (RECHERCHE_LAYOUT=split: a root in the module, shard files in
# pkg/index/), served from target/split-www, with the defaults: postings,
# positions and stored text read by byte range.
HOSTILE_WWW := target/hostile-www
SITE_WWW := target/site-www
SPLIT_WWW := target/split-www

# The hostile one is built with the trap-test feature, whose deliberate
# trap checks that a fault in the module never leaves the engine dead.
test-page: build tool-chromium
	RECHERCHE_CORPUS=tests/fixtures/hostile.jsonl $(MAKE) --no-print-directory package PKG=$(HOSTILE_WWW)/pkg FEATURES=trap-test
	cp www/*.html www/*.js www/*.css www/*.svg $(HOSTILE_WWW)/
	rm -rf $(SITE_WWW) && mkdir -p $(SITE_WWW)/recherche
	RECHERCHE_CORPUS=tests/fixtures/site $(MAKE) --no-print-directory package PKG=$(SITE_WWW)/recherche/pkg
	cp -R tests/fixtures/site/. $(SITE_WWW)/
	cp www/*.html www/*.js www/*.css www/*.svg $(SITE_WWW)/recherche/
	rm -rf $(SPLIT_WWW)
	RECHERCHE_LAYOUT=split $(MAKE) --no-print-directory package PKG=$(SPLIT_WWW)/pkg
	cp www/*.html www/*.js www/*.css www/*.svg $(SPLIT_WWW)/
	node --test --test-concurrency=1 tests/page/

test-fuzz: tool-cargo-fuzz
	@mkdir -p target
	@for t in $(FUZZ_TARGETS); do \
	  echo "fuzzing $$t for $(FUZZ_SMOKE_SECONDS)s"; \
	  if ! RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir fuzz $$t -- -max_total_time=$(FUZZ_SMOKE_SECONDS) -max_len=4096 -print_final_stats=1 > target/fuzz-$$t.log 2>&1; then \
	    tail -60 target/fuzz-$$t.log; echo "fuzzing $$t failed (full output: target/fuzz-$$t.log)"; exit 1; fi; \
	  tail -4 target/fuzz-$$t.log; \
	done

# A longer run (FUZZ_SECONDS per target). A crash leaves its input in
# fuzz/artifacts/<target>/; turn it into a regression test.
fuzz: tool-cargo-fuzz
	@for t in $(FUZZ_TARGETS); do \
	  RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir fuzz $$t -- -max_total_time=$(FUZZ_SECONDS) -max_len=65536 || exit 1; \
	done

# ---------------------------------------------------------------- other --

# Sizes, build cost, the first answer over an emulated 4G-class link (9 Mbit/s,
# 60 ms, served gzipped by bench/serve.mjs: time, bytes, requests), bytes
# fetched by later queries, readiness and query latency, for seeds, medium
# and large. BENCH_ONLY=seeds,medium to choose corpora; BENCH_LAYOUTS=
# embedded,split to choose layouts (each built with RECHERCHE_LAYOUT=…);
# BENCH_REUSE=1 to reuse the builds in target/bench/. Writes bench/results.json.
bench: tools bench-relevance
	node bench/run.mjs

# Serves a built bench directory the way the bench does (gzip level 6,
# loopback, a free port unless PORT is set) and prints each request with its
# bytes: make bench-serve BENCH_DIR=target/bench/large
BENCH_DIR ?= target/bench/seeds
bench-serve: tool-node
	PORT=$(if $(filter command line,$(origin PORT)),$(PORT),0) node bench/serve.mjs $(BENCH_DIR)

# The hostile inputs of the reliability issue, timed in Chromium on the
# large corpus that `make bench` builds (each within 1 s, memory +64 MB).
bench-hostile: tool-node tool-chromium
	node bench/hostile.mjs target/bench/large

# Known-item relevance (MRR@10, success@1/@10) of the native engine on the
# medium and large corpora, two query sets (seeds). Each corpus is embedded
# by its own release build. Writes bench/relevance.json; rules in
# examples/relevance.rs. RELEVANCE_ARGS=--show-misses 5 to see failures.
RELEVANCE_SEEDS ?= --seed 1 --seed 2
RELEVANCE_ARGS ?=
bench-relevance: tool-rust
	@for c in medium large; do \
	  RECHERCHE_CORPUS=../shared/corpora/$$c.jsonl cargo run --release --example relevance -- \
	    --corpus ../shared/corpora/$$c.jsonl $(RELEVANCE_SEEDS) $(RELEVANCE_ARGS) || exit 1; \
	done

# A real site nobody here wrote: LibreOffice's French help (Debian's
# libreoffice-help-fr, downloaded once into target/lo-help, never
# installed). Build time and memory, sizes, warnings, a few queries in
# Chromium (bench/site.json), then the same queries natively.
LO_HELP := target/lo-help/root/usr/share/libreoffice/help/fr
SITE_QUERIES := "tableau croisé dynamique" "raccourcis clavier" RECHERCHEV "tablaeu croisé"
bench-site: tool-rust tool-wasm-pack tool-wasm-bindgen tool-node tool-chromium
	node bench/site.mjs
	RECHERCHE_CORPUS=$(LO_HELP) cargo run --release --example query -- $(SITE_QUERIES)

size: build
	@if ! twiggy --version 2>/dev/null | grep -q "$(TWIGGY_VERSION)"; then cargo install twiggy --version $(TWIGGY_VERSION) --locked; fi
	twiggy top -n 30 $(PKG)/engine_bg.wasm

clean:
	cargo clean
	rm -rf $(PKG)
