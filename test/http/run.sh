#!/usr/bin/env bash
# The HTTP suites of handler/, on the server in PGHOST/PGPORT (scripts/test.sh
# runs this inside pg_virtualenv): Better Auth's client SDK against a real
# Better Auth 1.7.25 and against handler/ on one database, the handler's
# bad-input, error and failure answers, and the Hono and Mastra mounts.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --silent --no-audit --no-fund >/dev/null
db=neon_auth_http
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" \
	-c "CREATE DATABASE $db ENCODING 'UTF8' TEMPLATE template0"
psql -X -q -v ON_ERROR_STOP=1 -d $db -c "CREATE EXTENSION neon_auth"
[ $# -gt 0 ] || set -- *.test.mjs
# The conformance transcripts of both servers are kept in output/.
HTTP_OUT=${HTTP_OUT:-$PWD/output} HTTP_DB=$db node --test --test-concurrency=1 --test-reporter=spec "$@"
