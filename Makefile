# Dealdesk — the two commands are `make run` and `make test`.
# Everything else here serves them.

CARGO      ?= cargo
DB_FILE    ?= dealdesk.db
PG_URL     ?= postgres://postgres@127.0.0.1/postgres

.PHONY: run test test-web test-pg bench bench-scans bench-outbox bench-funnel schema schema-check web build deps-rust clean

## Build the server and web app, then serve a demo org on ./dealdesk.db at http://127.0.0.1:8080
run: deps-rust web build
	DEALDESK_DEMO=1 DATABASE_URL="$${DATABASE_URL:-sqlite://$(DB_FILE)?mode=rwc}" \
	  DEALDESK_BIND="$${DEALDESK_BIND:-127.0.0.1:8080}" ./target/debug/dealdesk serve

## Every test: the Rust suites on SQLite (unit, property, migration, end-to-end,
## schema check), then the web app's unit and browser tests.
test: deps-rust
	$(CARGO) test --workspace --locked
	$(MAKE) test-web

## The database-backed suites again on PostgreSQL (what .ci/run adds).
test-pg: deps-rust
	DATABASE_URL="$(PG_URL)" $(CARGO) test --locked -p dealdesk-e2e -p dealdesk-migration -p dealdesk-persistence -p dealdesk-server -p dealdesk-seed

## Regenerate schema.graphql from the code.
schema: build
	./target/debug/dealdesk schema > schema.graphql

## Build the server (dev profile: a cold release build takes ~14 min on 2 cores).
build: deps-rust
	$(CARGO) build --locked -p dealdesk-server

## Build the web app into web-ui/dist: locked npm install, a check that the
## committed GraphQL types match schema.graphql, type check, vite build, and the
## first-screen size report (fails over its 250 KB gzip budget).
web:
	cd web-ui && npm ci --no-audit --no-fund
	cd web-ui && npm run codegen:check
	cd web-ui && npx tsc --noEmit -p tsconfig.json
	cd web-ui && npx vite build
	cd web-ui && node scripts/bundle-report.mjs

## The web app's unit tests (Vitest) and browser tests (Chromium against a real
## `dealdesk serve` on a temporary database). Installs chromium and the CJK fonts
## with apt-get when they are missing.
test-web: web build
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@fc-list | grep -qi 'Noto Sans CJK' || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; }
	cd web-ui && npx vitest run
	cd web-ui && node e2e/run.mjs

## Benchmarks (crates/bench): generate an org (BENCH_SIZE=small|medium|large,
## default large) on a fresh PostgreSQL database, measure the API beside pgbench
## and PostGraphile, analytics, jobs, outbox, footprint and two servers on one
## database; print the table and write BENCHMARKS.md. Installs wrk when missing.
bench: deps-rust
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	@command -v pgbench >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client >/dev/null; }
	$(CARGO) build --release --locked -p dealdesk-server -p dealdesk-bench
	./target/release/dealdesk-bench --size $${BENCH_SIZE:-large} --seconds $${BENCH_SECONDS:-10} --rounds $${BENCH_ROUNDS:-3} --pg-url "$${BENCH_PG_URL:-$(PG_URL)}" --out BENCHMARKS.md

## The cost of the alert scans over a large org on PostgreSQL (N open deals, default 1 M),
## then of the tier recompute over N / 200 customers with an overdue instalment.
bench-scans: deps-rust
	$(CARGO) run --release --locked -p dealdesk-server --example scan_bench -- $${DEALS:-1000000}

## Outbox dispatch throughput on PostgreSQL: N webhook deliveries (default 20 000)
## to a loopback receiver, drained by P dispatcher processes (default 1).
bench-outbox: deps-rust
	$(CARGO) run --release --locked -p dealdesk-server --example outbox_bench -- $${MESSAGES:-20000} $${PROCESSES:-1}

## Funnel, heatmap and funnel health over a large org on PostgreSQL against
## hand-written SQL (N deals, default 1 M; RUNS runs each, default 7).
bench-funnel: deps-rust
	$(CARGO) run --release --locked -p dealdesk-bench --example funnel_bench -- $${DEALS:-1000000} --runs $${RUNS:-7}

## Rust is the one toolchain the project needs; say so plainly if it is missing.
deps-rust:
	@command -v $(CARGO) >/dev/null 2>&1 || { echo "cargo not found: install Rust from https://rustup.rs (1.89 or newer)"; exit 1; }

clean:
	$(CARGO) clean
	rm -rf web-ui/dist
