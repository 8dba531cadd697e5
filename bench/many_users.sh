#!/usr/bin/env bash
# The identity of a PostgREST-shaped request with many users (issue 13),
# ratios within one run on one throwaway server: pgbench, 2 clients,
# prepared, each transaction
#   BEGIN; set_config('request.headers', <a user's Bearer JWT>, true);
#   SELECT neon_auth.requesting_user_id(); COMMIT;
# with 10,000 users' JWTs picked at random, and with one user's JWT again and
# again, each against the same request that reads a literal uuid instead.
# Each pgbench run starts new backends, whose caches start empty: a longer
# run shows more of the warm cache.
# Usage: bench/many_users.sh [seconds-per-run]   (default 10)
. "$(dirname "$0")/lib.sh"
db=neon_auth_many_users
bench_db $db
psql -X -q -v ON_ERROR_STOP=1 -d $db >/dev/null <<'SQL'
INSERT INTO neon_auth."user" (name, email) SELECT 'u' || i, 'u' || i || '@example.com' FROM generate_series(1, 10000) i;
INSERT INTO neon_auth.session (token, "userId", "expiresAt")
SELECT 'many' || lpad(row_number() OVER ()::text, 28, '0'), id, now() + interval '1 day' FROM neon_auth."user";
-- One Bearer header per user (the JWTs last an hour: long enough for the run).
SELECT neon_auth.configure('{"jwt_expires_in": 3600}');
CREATE TABLE headers AS
SELECT substr(token, 5)::int AS i, json_build_object('authorization', 'Bearer ' || neon_auth.token(token))::text AS h
  FROM neon_auth.session WHERE token LIKE 'many%';
CREATE UNIQUE INDEX ON headers (i);
VACUUM ANALYZE;
SQL

script() { # script FILE PICK QUERY
	cat >"$1" <<SQL
$2
BEGIN;
SELECT set_config('request.headers', h, true) FROM headers WHERE i = :i;
$3
COMMIT;
SQL
}
script "$out/many.sql" '\set i random(1, 10000)' 'SELECT neon_auth.requesting_user_id();'
script "$out/many_literal.sql" '\set i random(1, 10000)' "SELECT '00000000-0000-0000-0000-000000000001'::uuid;"
script "$out/one.sql" '\set i 1' 'SELECT neon_auth.requesting_user_id();'
script "$out/one_literal.sql" '\set i 1' "SELECT '00000000-0000-0000-0000-000000000001'::uuid;"
check=$(psql -X -q -At -d $db -c "BEGIN" -c "SELECT set_config('request.headers', h, true) FROM headers WHERE i = 7" \
	-c "SELECT neon_auth.requesting_user_id() = (SELECT \"userId\" FROM neon_auth.session WHERE token = 'many' || lpad('7', 28, '0'))" -c "COMMIT" | tail -1)
[ "$check" = t ] || { echo "the benchmark request does not identify its user" >&2; exit 1; }

tps2() { pgbench -n -M prepared -c 2 -j 2 -T "$2" -f "$1" "$db" 2>/dev/null | awk '/^tps = / { print $3 }'; }
echo "requesting_user_id() in a PostgREST-shaped request: 3 alternating rounds of ${secs}s, 2 clients"
for r in 1 2 3; do
	ml=$(tps2 "$out/many_literal.sql" "$secs"); m=$(tps2 "$out/many.sql" "$secs")
	ol=$(tps2 "$out/one_literal.sql" "$secs"); o=$(tps2 "$out/one.sql" "$secs")
	awk -v a="$m" -v b="$ml" 'BEGIN { print a / b }' >>"$out/many.ratio"
	awk -v a="$o" -v b="$ol" 'BEGIN { print a / b }' >>"$out/one.ratio"
	echo "round $r: 10k users $m tps vs literal $ml; one user $o tps vs literal $ol"
done
printf '10,000 users at random / literal (throughput):  %.2fx  (goal >= 0.6)\n' "$(median <"$out/many.ratio")"
printf 'one user again and again / literal:           %.2fx  (goal >= 0.95)\n' "$(median <"$out/one.ratio")"
