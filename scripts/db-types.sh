#!/usr/bin/env bash
# Regenerates shared/core/src/db/schema.ts from a freshly migrated scratch database.
# With --check it fails when the committed file differs (schema drift).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
base="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
scratch="ownerbot_codegen_$$"
url="${base%/*}/$scratch"
psql "${base%/*}/postgres" -qc "CREATE DATABASE $scratch" >/dev/null
trap 'psql "${base%/*}/postgres" -qc "DROP DATABASE IF EXISTS $scratch WITH (FORCE)" >/dev/null' EXIT
DATABASE_URL="$url" node shared/core/src/db/migrate-cli.ts >/dev/null
out=shared/core/src/db/schema.ts
[ "${1:-}" = "--check" ] && out="$(mktemp --suffix=.ts)"
kysely-codegen --dialect postgres --url "$url" --out-file "$out" --exclude-pattern schema_migrations \
  --numeric-parser number --type-mapping '{"int8":"number"}' --log-level error >/dev/null
if [ "${1:-}" = "--check" ]; then
  if ! diff -q "$out" shared/core/src/db/schema.ts >/dev/null; then
    echo "shared/core/src/db/schema.ts is out of date with db/migrations: run 'make db-types' and commit it" >&2
    diff -u shared/core/src/db/schema.ts "$out" | head -40 >&2
    exit 1
  fi
  echo "db types match the migrations"
fi
