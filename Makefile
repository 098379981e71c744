# Dealdesk — the two commands are `make run` and `make test`.
# Everything else here serves them.

CARGO      ?= cargo
DB_FILE    ?= dealdesk.db
PG_URL     ?= postgres://postgres@127.0.0.1/postgres

.PHONY: run test test-pg schema schema-check web build deps-rust clean

## Build the server and web app, then serve a demo org on ./dealdesk.db at http://127.0.0.1:8080
run: deps-rust web build
	DEALDESK_DEMO=1 DATABASE_URL="$${DATABASE_URL:-sqlite://$(DB_FILE)?mode=rwc}" \
	  DEALDESK_BIND="$${DEALDESK_BIND:-127.0.0.1:8080}" ./target/debug/dealdesk serve

## Every test, on SQLite (unit, property, migration and end-to-end tests, schema check).
test: deps-rust
	$(CARGO) test --workspace --locked

## The database-backed suites again on PostgreSQL (what .ci/run adds).
test-pg: deps-rust
	DATABASE_URL="$(PG_URL)" $(CARGO) test --locked -p dealdesk-e2e -p dealdesk-migration -p dealdesk-persistence

## Regenerate schema.graphql from the code.
schema: build
	./target/debug/dealdesk schema > schema.graphql

## Build the server (dev profile: a cold release build takes ~14 min on 2 cores).
build: deps-rust
	$(CARGO) build --locked -p dealdesk-server

## Build the web app into web-ui/dist (a placeholder page until the SPA lands).
web:
	mkdir -p web-ui/dist
	cp web-ui/index.html web-ui/dist/index.html

## Rust is the one toolchain the project needs; say so plainly if it is missing.
deps-rust:
	@command -v $(CARGO) >/dev/null 2>&1 || { echo "cargo not found: install Rust from https://rustup.rs (1.85 or newer)"; exit 1; }

clean:
	$(CARGO) clean
	rm -rf web-ui/dist
