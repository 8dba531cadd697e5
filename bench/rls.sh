#!/usr/bin/env bash
# RLS benchmarks (issue 3), ratios within one run on one throwaway server:
#   a 1M-row table under USING (owner_id = (SELECT neon_auth.requesting_user_id()))
#     vs the same rows in a table without RLS queried with the user id as a
#     literal; both scripts make the same PostgREST-style round trips
#     (BEGIN; SET LOCAL ROLE; set_config(request.headers); query; COMMIT),
#     once with a bearer JWT and once with a bearer session token;
#   requesting_user_id() per call (unwrapped, per row, memoised) vs
#     current_setting() per row over 100k rows;
#   JWT verifications per second, with and without the signature memo.
# Usage: bench/rls.sh [seconds-per-run]   (default 10; needs the extension installed)
. "$(dirname "$0")/lib.sh"
db=neon_auth_rls_bench
bench_db $db
psql -X -q -v ON_ERROR_STOP=1 -d $db <<'SQL' >/dev/null
INSERT INTO neon_auth."user" (name, email) SELECT 'u' || i, 'u' || i || '@example.com' FROM generate_series(1, 999) i;
CREATE TABLE notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, owner_id uuid NOT NULL, body text NOT NULL);
INSERT INTO notes (owner_id, body)
SELECT u.id, 'note ' || g FROM (SELECT id, row_number() OVER () AS n FROM neon_auth."user") u, generate_series(1, 1000) g;
CREATE INDEX ON notes (owner_id);
CREATE TABLE notes_plain AS SELECT * FROM notes;
CREATE INDEX ON notes_plain (owner_id);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON notes TO authenticated USING (owner_id = (SELECT neon_auth.requesting_user_id()));
GRANT SELECT ON notes, notes_plain TO authenticated;
VACUUM ANALYZE;
SQL
tok=$(psql -X -At -d $db -c "SELECT neon_auth.sign_in('bench@example.com', 'bench-password-1') ->> 'token'")
jwt=$(psql -X -At -d $db -c "SELECT neon_auth.token('$tok')")
uid=$(psql -X -At -d $db -c "SELECT id FROM neon_auth.\"user\" WHERE email = 'bench@example.com'")
rows=$(psql -X -At -d $db -c "SELECT count(*) FROM notes_plain WHERE owner_id = '$uid'")

request() { # request FILE CREDENTIAL QUERY
	cat >"$1" <<SQL
BEGIN;
SET LOCAL ROLE authenticated;
SELECT set_config('request.headers', '{"authorization": "Bearer $2"}', true);
$3
COMMIT;
SQL
}
request "$out/rls_jwt.sql" "$jwt" "SELECT count(*) FROM notes;"
request "$out/rls_session.sql" "$tok" "SELECT count(*) FROM notes;"
request "$out/literal.sql" "$jwt" "SELECT count(*) FROM notes_plain WHERE owner_id = '$uid';"

echo "RLS vs literal: 5 alternating rounds of ${secs}s, 1 client, $rows rows per user in 1M"
for r in 1 2 3 4 5; do
	l=$(tps "$out/literal.sql" "$secs"); j=$(tps "$out/rls_jwt.sql" "$secs"); s=$(tps "$out/rls_session.sql" "$secs")
	awk -v l="$l" -v j="$j" 'BEGIN { print l / j }' >>"$out/jwt.ratio"
	awk -v l="$l" -v s="$s" 'BEGIN { print l / s }' >>"$out/session.ratio"
	echo "$l" >>"$out/literal.tps"
done

# Per-call cost over 100k rows: the function unwrapped (evaluated per row,
# memoised per statement) vs current_setting() per row vs a constant.
ms() { # ms EXPR: milliseconds for 100k rows evaluating EXPR per row, after a warm-up run
	psql -X -q -d $db <<SQL | awk '/^Time:/ { t = $2 } END { print t }'
SET ROLE authenticated;
SELECT set_config('request.headers', '{"authorization": "Bearer $jwt"}', false) \\g /dev/null
SELECT count(*) FROM generate_series(1, 100000) g WHERE $1 IS NOT NULL \\g /dev/null
\\timing on
SELECT count(*) FROM generate_series(1, 100000) g WHERE $1 IS NOT NULL \\g /dev/null
SQL
}
per_fn=$(for i in 1 2 3; do ms "neon_auth.requesting_user_id()"; done | median)
per_guc=$(for i in 1 2 3; do ms "current_setting('request.headers', true)"; done | median)
per_const=$(for i in 1 2 3; do ms "g"; done | median)

# JWT verification rate: 2000 distinct tokens (each one's signature is
# checked), then one token 2000 times (its claims come from the backend's
# identity cache until it expires or the auth tables change).
verify_rate() { # verify_rate DISTINCT(true/false)
	psql -X -q -At -v ON_ERROR_STOP=1 -d $db <<SQL
CREATE TEMP TABLE toks AS
SELECT CASE WHEN $1 THEN neon_auth._jwt_sign(k.id::text, (neon_auth.verify_jwt('$jwt') || jsonb_build_object('jti', i::text))::text,
                                             neon_auth._private_jwk(k))
            ELSE '$jwt' END AS t
  FROM generate_series(1, 2000) i, neon_auth._signing_key() k;
CREATE TEMP TABLE t AS SELECT clock_timestamp() AS t0;
DO \$\$ DECLARE x text; BEGIN FOR x IN SELECT t FROM toks LOOP PERFORM neon_auth.verify_jwt(x); END LOOP; END \$\$;
SELECT round(2000 / extract(epoch FROM clock_timestamp() - t0)) FROM t;
SQL
}
verifies=$(verify_rate true)
verifies_memo=$(verify_rate false)

echo
printf 'literal query tps (median):                          %s\n' "$(median <"$out/literal.tps")"
printf 'RLS policy, bearer JWT / literal (time ratio):       %.2fx  (target <= 1.10)\n' "$(median <"$out/jwt.ratio")"
printf 'RLS policy, bearer session token / literal:          %.2fx\n' "$(median <"$out/session.ratio")"
printf '100k rows: requesting_user_id() per row:             %s ms\n' "$per_fn"
printf '100k rows: current_setting() per row:                %s ms\n' "$per_guc"
printf '100k rows: no call (floor):                          %s ms\n' "$per_const"
printf 'verify_jwt, distinct tokens (signature checked):     %s verifications/s\n' "$verifies"
printf 'verify_jwt, one token (identity cache):              %s verifications/s\n' "$verifies_memo"
