# Shared by the RLS benchmarks (sourced). Re-runs the calling script inside a
# throwaway server (pg_virtualenv), then gives it: $secs (seconds per run,
# the first argument, default 10), $out (a scratch folder), and
# bench_db NAME, which makes a UTF8 database with neon_auth (rate limits off:
# benchmarks sign in in a loop) and the authenticated role. A script that
# sets NEON_AUTH_BENCH_PRELOAD=1 before sourcing this gets a server with
# neon_auth in shared_preload_libraries, as docs/operations.md recommends.
set -euo pipefail
if [ -z "${NEON_AUTH_BENCH_INSIDE:-}" ]; then
	export NEON_AUTH_BENCH_INSIDE=1 LANG=C.UTF-8 LC_ALL=C.UTF-8
	preload=()
	[ -n "${NEON_AUTH_BENCH_PRELOAD:-}" ] && preload=(-o 'shared_preload_libraries=neon_auth')
	exec pg_virtualenv -o 'shared_buffers=512MB' "${preload[@]}" "$0" "$@"
fi
secs=${1:-10}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
bench_db() {
	psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $1 ENCODING 'UTF8' TEMPLATE template0"
	psql -X -q -v ON_ERROR_STOP=1 -d "$1" >/dev/null <<'SQL'
CREATE EXTENSION neon_auth;
SELECT neon_auth.configure('{"rate_limit_enabled": false}');
DO $$ BEGIN CREATE ROLE authenticated NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
SELECT neon_auth.sign_up('bench@example.com', 'bench-password-1', 'Bench');
SQL
}
# tps SCRIPT SECONDS: one client, prepared statements, against $db.
tps() { pgbench -n -M prepared -c 1 -j 1 -T "$2" -f "$1" "$db" 2>/dev/null | awk '/^tps = / { print $3 }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
