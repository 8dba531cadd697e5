#!/usr/bin/env bash
# The identity checks and the list functions as the tables grow, in one run
# on one throwaway server: 1M users, then 10k, 1M and 10M sessions.
#   At each size: verify_session(token) and the bare indexed lookup, and
#   requesting_user_id() in a PostgREST-shaped request with a JWT, as mean
#   latency (pgbench, prepared, 1 client, random tokens), and the ratio of
#   each to its value at 10k sessions (goal: <= 1.2x at 10M).
#   With 1M users: admin list_users() first page and a far page, and
#   list_members() of an organization with 1M members, first and far page.
# Takes several minutes (10M sessions are written and indexed).
# Usage: bench/scale.sh [seconds-per-run] [max-sessions]   (defaults 10, 10000000)
. "$(dirname "$0")/lib.sh"
max=${2:-10000000}
db=neon_auth_scale
bench_db $db
psql -X -q -v ON_ERROR_STOP=1 -d $db >/dev/null <<'SQL'
SELECT neon_auth.configure('{"jwt_expires_in": 3600}');
INSERT INTO neon_auth."user" (name, email, "createdAt")
SELECT 'u' || i, 'u' || i || '@example.com', now() - i * interval '1 second' FROM generate_series(1, 1000000) i;
CREATE TABLE users AS SELECT row_number() OVER (ORDER BY id) AS i, id FROM neon_auth."user" WHERE email LIKE 'u%';
CREATE UNIQUE INDEX ON users (i);
VACUUM ANALYZE;
SQL

have=0
grow() { # grow N: sessions up to N, token 'scale' || i, spread over the users
	psql -X -q -v ON_ERROR_STOP=1 -d $db >/dev/null <<SQL
INSERT INTO neon_auth.session (token, "userId", "expiresAt")
SELECT 'scale' || lpad(s.i::text, 27, '0'), u.id, now() + interval '1 day'
  FROM generate_series($((have + 1)), $1) s(i) JOIN users u ON u.i = 1 + (s.i - 1) % 1000000;
VACUUM ANALYZE neon_auth.session;
CHECKPOINT;
SQL
	have=$1
}
latency() { pgbench -n -M prepared -c 1 -j 1 -T "$secs" -f "$1" "$db" 2>/dev/null | awk '/^latency average = / { print $4 }'; }

for n in 10000 1000000 "$max"; do
	[ "$n" -le "$have" ] && continue
	grow "$n"
	# JWTs for 1,000 of the sessions, made once at the first size.
	if [ "$n" = 10000 ]; then
		psql -X -q -v ON_ERROR_STOP=1 -d $db >/dev/null <<'SQL'
CREATE TABLE headers AS SELECT i, json_build_object('authorization', 'Bearer ' || neon_auth.token('scale' || lpad(i::text, 27, '0')))::text AS h
  FROM generate_series(1, 1000) i;
CREATE UNIQUE INDEX ON headers (i);
SQL
	fi
	printf '%s\n' "\\set i random(1, $n)" \
		"SELECT \"userId\" FROM neon_auth.session WHERE token = 'scale' || lpad(:i::text, 27, '0') AND \"expiresAt\" > now();" >"$out/bare.sql"
	printf '%s\n' "\\set i random(1, $n)" "SELECT neon_auth.verify_session('scale' || lpad(:i::text, 27, '0'));" >"$out/verify.sql"
	printf '%s\n' '\set i random(1, 1000)' 'BEGIN;' "SELECT set_config('request.headers', h, true) FROM headers WHERE i = :i;" \
		'SELECT neon_auth.requesting_user_id();' 'COMMIT;' >"$out/jwt.sql"
	latency "$out/jwt.sql" >/dev/null # a first run warms shared buffers and the OS cache
	b=$(latency "$out/bare.sql"); v=$(latency "$out/verify.sql"); j=$(latency "$out/jwt.sql")
	echo "$n $b $v $j" >>"$out/sizes"
	echo "$n sessions: bare lookup $b ms, verify_session $v ms, requesting_user_id (JWT request) $j ms"
done

# An organization with every user as a member, owned by the first user.
psql -X -q -v ON_ERROR_STOP=1 -d $db >/dev/null <<'SQL'
INSERT INTO neon_auth.organization (name, slug) VALUES ('Big', 'big');
INSERT INTO neon_auth.member ("organizationId", "userId", role, "createdAt")
SELECT (SELECT id FROM neon_auth.organization WHERE slug = 'big'), u.id, CASE WHEN u.i = 1 THEN 'owner' ELSE 'member' END,
       now() - u.i * interval '1 second'
  FROM users u;
VACUUM ANALYZE neon_auth.member;
SQL
owner_token='scale'$(printf '%027d' 1)
psql -X -q -At -d $db >"$out/lists" <<SQL
\\timing on
SELECT neon_auth.list_users() ->> 'total';
SELECT neon_auth.list_users() ->> 'total';
SELECT neon_auth.list_users() ->> 'total';
SELECT neon_auth.list_users("offset" => 900000) ->> 'total';
SELECT neon_auth.list_users("offset" => 900000) ->> 'total';
SELECT neon_auth.list_users("offset" => 900000) ->> 'total';
SELECT neon_auth.list_members((SELECT id FROM neon_auth.organization WHERE slug = 'big'), session_token => '$owner_token') ->> 'total';
SELECT neon_auth.list_members((SELECT id FROM neon_auth.organization WHERE slug = 'big'), session_token => '$owner_token') ->> 'total';
SELECT neon_auth.list_members((SELECT id FROM neon_auth.organization WHERE slug = 'big'), session_token => '$owner_token') ->> 'total';
SELECT neon_auth.list_members((SELECT id FROM neon_auth.organization WHERE slug = 'big'), "offset" => 900000, session_token => '$owner_token') ->> 'total';
SELECT neon_auth.list_members((SELECT id FROM neon_auth.organization WHERE slug = 'big'), "offset" => 900000, session_token => '$owner_token') ->> 'total';
SELECT neon_auth.list_members((SELECT id FROM neon_auth.organization WHERE slug = 'big'), "offset" => 900000, session_token => '$owner_token') ->> 'total';
SQL
# 1,000,001 users (bench_db signs one up), 1,000,000 members.
[ "$(grep -cE '^100000[01]$' "$out/lists")" = 12 ] || { echo "a list function did not count 1M rows:" >&2; cat "$out/lists" >&2; exit 1; }
grep -o '^Time: [0-9.]*' "$out/lists" | awk '{ print $2 }' >"$out/list.times"
t() { sed -n "$1"p "$out/list.times" | median; }

echo
read -r n0 b0 v0 j0 < <(head -1 "$out/sizes")
read -r n1 b1 v1 j1 < <(tail -1 "$out/sizes")
printf 'from %s to %s sessions (goal <= 1.2x):\n' "$n0" "$n1"
printf '  bare lookup          %.3f -> %.3f ms  %.2fx\n' "$b0" "$b1" "$(awk -v a="$b1" -v b="$b0" 'BEGIN { print a / b }')"
printf '  verify_session       %.3f -> %.3f ms  %.2fx\n' "$v0" "$v1" "$(awk -v a="$v1" -v b="$v0" 'BEGIN { print a / b }')"
printf '  requesting_user_id   %.3f -> %.3f ms  %.2fx\n' "$j0" "$j1" "$(awk -v a="$j1" -v b="$j0" 'BEGIN { print a / b }')"
echo "with 1M users (median of 3 calls):"
printf '  list_users first page             %6.0f ms (goal <= 50)\n' "$(t 1,3)"
printf '  list_users offset 900000          %6.0f ms (goal <= 10x the first page)\n' "$(t 4,6)"
printf '  list_members first page, 1M       %6.0f ms\n' "$(t 7,9)"
printf '  list_members offset 900000, 1M    %6.0f ms\n' "$(t 10,12)"
