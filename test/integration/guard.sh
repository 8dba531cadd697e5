#!/usr/bin/env bash
# A C++ exception inside an entry point becomes an ordinary ERROR with a
# SQLSTATE; the backend and the cluster stay up. (An escaped exception would
# abort the backend and restart every session.) The reachable throw: a result
# over PostgreSQL's 1 GB value limit, raised in C++ and caught by the guard.
. "$(dirname "$0")/lib.sh"
db=neon_auth_guard
fresh_db $db
started=$(q $db "SELECT pg_postmaster_start_time()")
out=$(psql -X -q -At -d $db \
	-c "\\set VERBOSITY sqlstate" \
	-c "SELECT length(neon_auth._symmetric_encrypt('k', repeat('x', 540 * 1024 * 1024)))" \
	-c "SELECT 'same backend alive'" 2>&1 || true)
check "oversized result is error 54000" yes "$(echo "$out" | grep -q '^ERROR: *54000' && echo yes || echo no)"
check "the same connection keeps working" yes "$(echo "$out" | grep -q '^same backend alive$' && echo yes || echo no)"
check "the postmaster did not restart" "$started" "$(q $db "SELECT pg_postmaster_start_time()")"
finish
