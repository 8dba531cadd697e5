#!/usr/bin/env bash
# Runs the pgTAP suites with pg_prove against the server in PGHOST/PGPORT
# (scripts/test.sh runs this inside pg_virtualenv). Each suite runs in its own
# transaction and rolls back; this script only prepares a fresh database.
set -euo pipefail
cd "$(dirname "$0")"
db=neon_auth_pgtap
psql -X -q -v ON_ERROR_STOP=1 -d postgres <<SQL
DROP DATABASE IF EXISTS $db;
CREATE DATABASE $db ENCODING 'UTF8' TEMPLATE template0;
SQL
psql -X -q -v ON_ERROR_STOP=1 -d "$db" <<'SQL'
CREATE EXTENSION pgtap;
CREATE EXTENSION neon_auth;
SELECT neon_auth.configure('{"rate_limit_enabled": false}');
DO $$ BEGIN CREATE ROLE anon NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE authenticated NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
SQL
pg_prove ${PG_PROVE_FLAGS:-} -d "$db" --ext .sql ./*.sql
