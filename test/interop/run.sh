#!/usr/bin/env bash
# Installs the pinned npm packages (package-lock.json) and runs the Better
# Auth interop tests against a fresh database with neon_auth, on the server in
# PGHOST/PGPORT (scripts/test.sh runs this inside pg_virtualenv).
set -euo pipefail
cd "$(dirname "$0")"
npm ci --silent --no-audit --no-fund >/dev/null
db=neon_auth_interop
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" \
	-c "CREATE DATABASE $db ENCODING 'UTF8' TEMPLATE template0"
psql -X -q -v ON_ERROR_STOP=1 -d $db -c "CREATE EXTENSION neon_auth" -c "SELECT neon_auth.configure('{\"rate_limit_enabled\": false, \"two_factor_otp\": true}')"
# One file after the other: both use the one database and its signing keys.
INTEROP_DB=$db node --test --test-concurrency=1 --test-reporter=spec better_auth.test.mjs plugins.test.mjs parity.test.mjs
