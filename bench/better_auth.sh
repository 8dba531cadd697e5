#!/usr/bin/env bash
# neon_auth vs Better Auth 1.7 side by side, in one run on one throwaway
# server and one database (same rows, same secret, same machine):
#   session checks: Better Auth getSession (in-process, through its handler,
#     over HTTP) vs neon_auth.get_session / verify_session through pg.Pool;
#   email sign-in: Better Auth signInEmail vs neon_auth.sign_in (same scrypt).
# The measuring is in better_auth/bench.mjs (pinned npm packages).
# Usage: bench/better_auth.sh [seconds-per-run]   (default 10; needs the extension installed, node and npm)
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/better_auth"
npm ci --silent --no-audit --no-fund >/dev/null
db=neon_auth_ba_bench
bench_db $db
# 1000 users with one live session each, so requests spread over many rows as
# real traffic does. The sessions are made by the same internal function
# sign_in ends with: 1000 real sign-ins would spend minutes in scrypt.
psql -X -q -v ON_ERROR_STOP=1 -d $db <<'SQL' >/dev/null
INSERT INTO neon_auth."user" (name, email) SELECT 'u' || i, 'u' || i || '@example.com' FROM generate_series(1, 1000) i;
SELECT count(neon_auth._create_session(u.id, true, c)) FROM neon_auth."user" u, neon_auth.config c WHERE u.email LIKE 'u%@example.com';
VACUUM ANALYZE;
SQL
BENCH_DB=$db node bench.mjs "$secs"
