#!/usr/bin/env bash
# GET /api/auth/get-session over HTTP, in one run on one throwaway server and
# one database (same 1,000 users and sessions, same secret): handler/ against
# Better Auth 1.7.25's own node:http server, and against two limits, a bare
# node:http server answering a constant and a node:http server that calls
# neon_auth.get_session through pg.Pool with no routing or cookie handling.
# Each server is one Node process (as one app server); wrk drives it with
# keep-alive connections, each request carrying a random user's signed
# session cookie. The servers take turns (three rounds) and the medians are
# compared, so the machine's noise hits all of them alike.
# Usage: bench/http.sh [seconds-per-run]   (default 10; needs the extension installed)
NEON_AUTH_BENCH_PRELOAD=1
. "$(dirname "$0")/lib.sh"
command -v wrk >/dev/null || {
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends wrk >/dev/null
}
cd "$(dirname "$0")/http"
npm ci --silent --no-audit --no-fund >/dev/null
db=neon_auth_http_bench
secret=bench-http-secret-0123456789abcdefghijklmnop
bench_db $db
psql -X -q -v ON_ERROR_STOP=1 -d $db -v secret=$secret <<'SQL' >/dev/null
SELECT neon_auth.set_secret(:'secret');
INSERT INTO neon_auth."user" (name, email) SELECT 'u' || i, 'u' || i || '@example.com' FROM generate_series(1, 1000) i;
SELECT count(neon_auth._create_session(u.id, true, c)) FROM neon_auth."user" u, neon_auth.config c WHERE u.email LIKE 'u%@example.com';
VACUUM ANALYZE;
SQL
# The cookies as a browser sends them: URI-encoded signed values.
psql -X -At -d $db -c "SELECT replace(replace(replace(neon_auth.session_cookie(token), '+', '%2B'), '/', '%2F'), '=', '%3D')
                       FROM neon_auth.session s JOIN neon_auth.\"user\" u ON u.id = s.\"userId\" WHERE u.email LIKE 'u%'" >"$out/cookies.txt"
export BENCH_DB=$db BENCH_SECRET=$secret COOKIES="$out/cookies.txt"

# rps KIND: starts the server, checks that it answers a session for a cookie,
# runs wrk for $secs seconds with 8 connections on one thread, prints req/s.
rps() {
	node server.mjs "$1" >"$out/port" 2>"$out/$1.log" &
	local pid=$! port=""
	for _ in $(seq 50); do port=$(head -1 "$out/port" 2>/dev/null); [ -n "$port" ] && break; sleep 0.1; done
	local sample
	sample=$(curl -s -H "Cookie: better-auth.session_token=$(head -1 "$COOKIES")" "http://127.0.0.1:$port/api/auth/get-session")
	if [ "$1" != bare ] && ! grep -q '"session"' <<<"$sample"; then
		echo "$1 did not answer a session: $sample" >&2
		kill $pid
		exit 1
	fi
	wrk -t1 -c8 -d"${secs}s" -s get_session.lua "http://127.0.0.1:$port" >"$out/$1.wrk"
	kill $pid
	wait $pid 2>/dev/null || true
	grep -q "Non-2xx" "$out/$1.wrk" && { cat "$out/$1.wrk" >&2; exit 1; }
	awk '/^Requests\/sec:/ { print $2 }' "$out/$1.wrk"
}

kinds=(bare direct handler better-auth)
for round in 1 2 3; do
	for k in "${kinds[@]}"; do rps "$k" >>"$out/$k.rps"; done
done
for k in "${kinds[@]}"; do eval "r_${k//-/_}=$(median <"$out/$k.rps")"; done
echo
echo "GET /api/auth/get-session, one Node process per server, wrk 8 connections, ${secs} s x 3 rounds (medians):"
printf '  %-46s %9.0f req/s\n' "bare node:http (a constant: the HTTP limit)" "$r_bare" \
	"node:http + pg, get_session only (the floor)" "$r_direct" \
	"handler/ (neonAuth + toNodeHandler)" "$r_handler" \
	"Better Auth 1.7.25 (better-auth/node)" "$r_better_auth"
awk -v h="$r_handler" -v b="$r_better_auth" -v d="$r_direct" -v n="$r_bare" 'BEGIN {
	printf "  handler / Better Auth = %.1fx;  handler / floor = %.2f;  handler / bare HTTP = %.2f\n", h / b, h / d, h / n }'
