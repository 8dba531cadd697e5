#!/usr/bin/env bash
# Every row of issue 13's table as a ratio measured in one run, on one
# throwaway server (the machine is shared and noisy: only ratios within a run
# mean much). Each measure alternates with its reference, and the median of
# the per-round ratios is printed.
#   1. requesting_user_id() in a PostgREST-shaped request, 10,000 users' JWTs
#      at random / the same request reading a literal uuid (2 clients)
#   2. the same with one user's JWT again and again
#   3. verify_jwt on 10,000 distinct EdDSA JWTs in one statement / raw
#      libsodium crypto_sign_verify_detached on a message of the same size
#      (bench/raw_verify.c)
#   4. verify_jwt on a token seen before in the backend (microseconds)
#   5. verify_session(token) / the bare indexed lookup (2 clients, prepared, 100k sessions)
#   6. verify_session(signed cookie) / the bare lookup of the same row
#   7. the first call in a new connection (pgbench -C), in ms: verify_session
#      over SELECT 1, the PostgREST-shaped JWT request over the same request
#      reading a literal
#   8. admin list_users() with 1M users: first page, and offset 900000
# and, when node is there, bench/better_auth.sh (verify_session / get_session
# vs Better Auth's getSession).
# The server preloads neon_auth (shared_preload_libraries), as
# docs/operations.md recommends: without it, each new connection also loads
# the library (about 1 ms here), which row 7 would include.
# Usage: bench/hot_path.sh [seconds-per-run]   (default 10)
export NEON_AUTH_BENCH_PRELOAD=1
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
db=neon_auth_hot_path
bench_db $db
rounds=3
psql -X -q -v ON_ERROR_STOP=1 -d $db >/dev/null <<'SQL'
SELECT neon_auth.configure('{"jwt_expires_in": 3600}');
INSERT INTO neon_auth."user" (name, email) SELECT 'u' || i, 'u' || i || '@example.com' FROM generate_series(1, 10000) i;
-- 100k sessions, ten per user, with tokens pgbench can name; the first 10k
-- (one per user) also get a Bearer header and a signed cookie value.
CREATE TABLE users AS SELECT row_number() OVER (ORDER BY id) AS i, id FROM neon_auth."user" WHERE email LIKE 'u%';
INSERT INTO neon_auth.session (token, "userId", "expiresAt")
SELECT 'hot' || lpad(i::text, 29, '0'), (SELECT id FROM users WHERE users.i = 1 + (s.i - 1) % 10000), now() + interval '1 day'
  FROM generate_series(1, 100000) s(i);
CREATE TABLE creds AS
SELECT i, neon_auth.token('hot' || lpad(i::text, 29, '0')) AS jwt,
       neon_auth._cookie_sign('hot' || lpad(i::text, 29, '0'), (SELECT value FROM neon_auth.secret)) AS cookie
  FROM generate_series(1, 10000) i;
CREATE UNIQUE INDEX ON creds (i);
CREATE TABLE headers AS SELECT i, json_build_object('authorization', 'Bearer ' || jwt)::text AS h FROM creds;
CREATE UNIQUE INDEX ON headers (i);
VACUUM ANALYZE;
SQL
[ "$(psql -X -q -At -d $db -c "SELECT count(*) FROM creds WHERE neon_auth.verify_session(cookie) IS NOT NULL AND neon_auth.verify_jwt(jwt) IS NOT NULL")" = 10000 ] ||
	{ echo "the benchmark credentials do not verify" >&2; exit 1; }

request() { # request FILE PICK QUERY: a PostgREST-shaped transaction
	printf '%s\nBEGIN;\nSELECT set_config(%s, h, true) FROM headers WHERE i = :i;\n%s\nCOMMIT;\n' "$2" "'request.headers'" "$3" >"$1"
}
request "$out/many.sql" '\set i random(1, 10000)' 'SELECT neon_auth.requesting_user_id();'
request "$out/many_literal.sql" '\set i random(1, 10000)' "SELECT '00000000-0000-0000-0000-000000000001'::uuid;"
request "$out/one.sql" '\set i 1' 'SELECT neon_auth.requesting_user_id();'
request "$out/one_literal.sql" '\set i 1' "SELECT '00000000-0000-0000-0000-000000000001'::uuid;"
printf '%s\n' '\set i random(1, 100000)' \
	"SELECT \"userId\" FROM neon_auth.session WHERE token = 'hot' || lpad(:i::text, 29, '0') AND \"expiresAt\" > now();" >"$out/bare.sql"
printf '%s\n' '\set i random(1, 100000)' "SELECT neon_auth.verify_session('hot' || lpad(:i::text, 29, '0'));" >"$out/verify.sql"
printf '%s\n' '\set i random(1, 10000)' \
	"SELECT s.\"userId\" FROM creds c JOIN neon_auth.session s ON s.token = 'hot' || lpad(c.i::text, 29, '0') WHERE c.i = :i AND s.\"expiresAt\" > now();" >"$out/cookie_bare.sql"
printf '%s\n' '\set i random(1, 10000)' "SELECT neon_auth.verify_session(cookie) FROM creds WHERE i = :i;" >"$out/cookie.sql"
echo 'SELECT 1;' >"$out/select1.sql"
printf '%s\n' '\set i random(1, 100000)' "SELECT neon_auth.verify_session('hot' || lpad(:i::text, 29, '0'));" >"$out/cold_session.sql"
request "$out/cold_jwt.sql" '\set i random(1, 10000)' 'SELECT neon_auth.requesting_user_id();'
request "$out/cold_literal.sql" '\set i random(1, 10000)' "SELECT '00000000-0000-0000-0000-000000000001'::uuid;"

tps2() { pgbench -n -M prepared -c 2 -j 2 -T "$2" -f "$1" "$db" 2>/dev/null | awk '/^tps = / { print $3 }'; }
tps_cold() { pgbench -n -C -c 1 -j 1 -T "$2" -f "$1" "$db" 2>/dev/null | awk '/^tps = / { print $3 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { print a / b }'; }

# The physical limit of a JWT check, in C: libsodium's verify alone.
cc -O2 -o "$out/raw_verify" "$here/raw_verify.c" -lsodium

echo "$rounds alternating rounds of ${secs}s runs per measure"
for r in $(seq $rounds); do
	ml=$(tps2 "$out/many_literal.sql" "$secs"); m=$(tps2 "$out/many.sql" "$secs")
	ol=$(tps2 "$out/one_literal.sql" "$secs"); o=$(tps2 "$out/one.sql" "$secs")
	b=$(tps2 "$out/bare.sql" "$secs"); v=$(tps2 "$out/verify.sql" "$secs")
	cb=$(tps2 "$out/cookie_bare.sql" "$secs"); c=$(tps2 "$out/cookie.sql" "$secs")
	s1=$(tps_cold "$out/select1.sql" "$secs"); cs=$(tps_cold "$out/cold_session.sql" "$secs")
	cl=$(tps_cold "$out/cold_literal.sql" "$secs"); cj=$(tps_cold "$out/cold_jwt.sql" "$secs")
	ratio "$m" "$ml" >>"$out/many.r"; ratio "$o" "$ol" >>"$out/one.r"
	ratio "$v" "$b" >>"$out/verify.r"; ratio "$c" "$cb" >>"$out/cookie.r"
	awk -v a="$cs" -v b="$s1" 'BEGIN { print 1000 / a - 1000 / b }' >>"$out/cold_session.ms"
	awk -v a="$cj" -v b="$cl" 'BEGIN { print 1000 / a - 1000 / b }' >>"$out/cold_jwt.ms"
	awk -v a="$s1" 'BEGIN { print 1000 / a }' >>"$out/connection.ms"
	echo "round $r: 10k users $m/$ml tps, one user $o/$ol, verify_session $v/$b, cookie $c/$cb, cold connections/s: SELECT 1 $s1, session $cs, literal request $cl, JWT request $cj"
	# verify_jwt: 10,000 distinct tokens in a new connection (an empty
	# cache), then again (every token seen before), vs raw libsodium.
	psql -X -q -At -d $db >"$out/jwt.ms" <<'SQL'
\timing on
SELECT count(neon_auth.verify_jwt(jwt)) FROM creds;
SELECT count(neon_auth.verify_jwt(jwt)) FROM creds;
SELECT count(jwt) FROM creds;
SQL
	grep -o '^Time: [0-9.]*' "$out/jwt.ms" | awk '{ print $2 }' >"$out/jwt.times"
	first=$(sed -n 1p "$out/jwt.times"); again=$(sed -n 2p "$out/jwt.times"); scan=$(sed -n 3p "$out/jwt.times")
	len=$(psql -X -q -At -d $db -c "SELECT round(avg(length(jwt) - length(split_part(jwt, '.', 3)) - 1)) FROM creds")
	raw=$("$out/raw_verify" "$len" 10000)
	awk -v f="$first" -v s="$scan" -v raw="$raw" 'BEGIN { print raw / ((f - s) * 1000 / 10000) }' >>"$out/jwt.r"
	awk -v f="$first" -v s="$scan" 'BEGIN { print (f - s) * 1000 / 10000 }' >>"$out/jwt.us"
	awk -v a="$again" -v s="$scan" 'BEGIN { print (a - s) * 1000 / 10000 }' >>"$out/jwt_again.us"
	echo "$raw" >>"$out/raw.us"
done

# admin list_users with a million users (the owner calls; the first page
# and a far page), median of three calls each.
psql -X -q -v ON_ERROR_STOP=1 -d $db >/dev/null <<'SQL'
INSERT INTO neon_auth."user" (name, email, "createdAt")
SELECT 'big' || i, 'big' || i || '@example.com', now() - i * interval '1 second' FROM generate_series(1, 990000) i;
VACUUM ANALYZE neon_auth."user";
SQL
psql -X -q -At -d $db >"$out/list.ms" <<'SQL'
\timing on
SELECT neon_auth.list_users() ->> 'total';
SELECT neon_auth.list_users() ->> 'total';
SELECT neon_auth.list_users() ->> 'total';
SELECT neon_auth.list_users("offset" => 900000) ->> 'total';
SELECT neon_auth.list_users("offset" => 900000) ->> 'total';
SELECT neon_auth.list_users("offset" => 900000) ->> 'total';
SQL
grep -o '^Time: [0-9.]*' "$out/list.ms" | awk '{ print $2 }' >"$out/list.times"
first_page=$(sed -n 1,3p "$out/list.times" | median); far_page=$(sed -n 4,6p "$out/list.times" | median)

m() { median <"$out/$1"; }
echo
printf '%-78s %10s %s\n' "measure (median of $rounds rounds)" "now" "goal"
printf '%-78s %9.2fx %s\n' "requesting_user_id, 10,000 users' JWTs at random / literal uuid (2 clients)" "$(m many.r)" ">= 0.6"
printf '%-78s %9.2fx %s\n' "requesting_user_id, one user's JWT / literal uuid (2 clients)" "$(m one.r)" ">= 0.95"
printf '%-78s %9.2fx %s\n' "verify_jwt, 10,000 distinct EdDSA JWTs / raw libsodium verify ($(m jwt.us) vs $(m raw.us) us)" "$(m jwt.r)" ">= 0.7"
printf '%-78s %8.1fus %s\n' "verify_jwt, a token seen before in the backend" "$(m jwt_again.us)" "<= 10 us"
printf '%-78s %9.2fx %s\n' "verify_session(token) / bare indexed lookup (2 clients, 100k sessions)" "$(m verify.r)" ">= 0.85"
printf '%-78s %9.2fx %s\n' "verify_session(signed cookie) / bare lookup of the same row" "$(m cookie.r)" ">= 0.75"
printf '%-78s %7.2fms %s\n' "first call in a new connection: verify_session, over SELECT 1 ($(m connection.ms) ms)" "$(m cold_session.ms)" "<= +1 ms"
printf '%-78s %7.2fms %s\n' "first call in a new connection: the JWT request, over the same request with a literal" "$(m cold_jwt.ms)" "<= +1 ms"
printf '%-78s %7.0fms %s\n' "admin list_users() first page, 1M users" "$first_page" "<= 50 ms"
printf '%-78s %7.0fms %s\n' "admin list_users(offset => 900000), 1M users" "$far_page" "<= 10x the first page"
if command -v node >/dev/null && [ -z "${NEON_AUTH_SKIP_BETTER_AUTH:-}" ]; then
	echo
	echo "verify_session / get_session vs Better Auth getSession (bench/better_auth.sh):"
	"$here/better_auth.sh" "$secs" # on this same server
fi
