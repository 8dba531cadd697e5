#!/usr/bin/env bash
# Ratio benchmarks for neon_auth, all in one run on one throwaway server
# (the machine is shared and noisy, so only ratios within a run mean much):
#   verify_session throughput vs the bare indexed lookup it wraps (one client)
#     (pgbench, prepared statements, 100k sessions, random token per call);
#   sign_in latency vs the raw scrypt KDF alone (one client).
# Usage: bench/run.sh [seconds-per-run]   (default 10; needs the extension installed)
set -euo pipefail
if [ -z "${NEON_AUTH_BENCH_INSIDE:-}" ]; then
	export NEON_AUTH_BENCH_INSIDE=1 LANG=C.UTF-8 LC_ALL=C.UTF-8
	exec pg_virtualenv -o 'shared_buffers=256MB' "$0" "$@"
fi
secs=${1:-10}
cd "$(dirname "$0")"
out=$(mktemp -d)
db=neon_auth_bench
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $db ENCODING 'UTF8' TEMPLATE template0"
psql -X -q -v ON_ERROR_STOP=1 -d $db <<'SQL'
CREATE EXTENSION neon_auth;
SELECT neon_auth.configure('{"rate_limit_enabled": false}');
SELECT neon_auth.sign_up('bench@example.com', 'bench-password-1', 'Bench') IS NOT NULL;
-- 1000 users and 100k sessions with predictable tokens, so pgbench can pick one at random.
INSERT INTO neon_auth."user" (name, email) SELECT 'u' || i, 'u' || i || '@example.com' FROM generate_series(1, 1000) i;
INSERT INTO neon_auth.session (token, "userId", "expiresAt")
SELECT 'bench' || lpad(i::text, 27, '0'), (SELECT id FROM neon_auth."user" ORDER BY id OFFSET (i % 1000) LIMIT 1),
       now() + interval '7 days'
  FROM generate_series(1, 100000) i;
VACUUM ANALYZE;
SQL
secret=$(psql -X -At -d $db -c "SELECT value FROM neon_auth.secret")

cat >"$out/bare.sql" <<'SQL'
\set i random(1, 100000)
SELECT "userId" FROM neon_auth.session WHERE token = 'bench' || lpad(:i::text, 27, '0');
SQL
cat >"$out/verify.sql" <<'SQL'
\set i random(1, 100000)
SELECT neon_auth.verify_session('bench' || lpad(:i::text, 27, '0'));
SQL
# The signed-cookie path adds one HMAC; the signature is computed in SQL
# inside the measured statement, so subtract nothing and read it as an upper bound.
cat >"$out/verify_cookie.sql" <<SQL
\\set i random(1, 100000)
SELECT neon_auth.verify_session(neon_auth._cookie_sign('bench' || lpad(:i::text, 27, '0'), '$secret'));
SQL
# The hash is read from its one-row table: written inline, its ':' would read as a pgbench variable.
cat >"$out/kdf.sql" <<'SQL'
SELECT neon_auth._password_verify('bench-password-1', password) FROM neon_auth.account;
SQL
cat >"$out/sign_in.sql" <<'SQL'
SELECT neon_auth.sign_in('bench@example.com', 'bench-password-1');
SQL

tps() { # tps SCRIPT SECONDS: one client, so client and server do not fight over the 2 cores
	pgbench -n -M prepared -c 1 -j 1 -T "$2" -f "$1" $db 2>/dev/null | awk '/^tps = / { print $3 }'
}
latency() { # latency SCRIPT SECONDS: average ms, one client
	pgbench -n -M prepared -c 1 -j 1 -T "$2" -f "$1" $db 2>/dev/null | awk '/^latency average = / { print $4 }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# Each measure alternates with its reference in short runs; the ratio of each
# adjacent pair is taken, then the median of those ratios, which cancels most
# of the drift a shared machine adds.
rounds=7
echo "verify_session vs bare lookup: $rounds alternating pairs of ${secs}s runs, 1 client"
for r in $(seq $rounds); do
	b=$(tps "$out/bare.sql" "$secs"); v=$(tps "$out/verify.sql" "$secs"); c=$(tps "$out/verify_cookie.sql" "$secs")
	echo "$b" >>"$out/bare.tps"; echo "$v" >>"$out/verify.tps"; echo "$c" >>"$out/cookie.tps"
	awk -v b="$b" -v v="$v" 'BEGIN { print v / b }' >>"$out/verify.ratio"
	awk -v b="$b" -v c="$c" 'BEGIN { print c / b }' >>"$out/cookie.ratio"
done
echo "sign_in vs raw KDF: 3 alternating pairs of ${secs}s runs, 1 client"
for r in 1 2 3; do
	k=$(latency "$out/kdf.sql" "$secs"); s=$(latency "$out/sign_in.sql" "$secs")
	echo "$k" >>"$out/kdf.ms"; echo "$s" >>"$out/sign_in.ms"
	awk -v k="$k" -v s="$s" 'BEGIN { print s / k }' >>"$out/sign_in.ratio"
done
bare=$(median <"$out/bare.tps"); verify=$(median <"$out/verify.tps"); cookie=$(median <"$out/cookie.tps")
kdf=$(median <"$out/kdf.ms"); signin=$(median <"$out/sign_in.ms")

printf '\n%-48s %12s\n' "measure (median)" "value"
printf '%-48s %12s\n' "bare indexed lookup, tps" "$bare"
printf '%-48s %12s\n' "verify_session(token), tps" "$verify"
printf '%-48s %12s\n' "verify_session(signed cookie), tps" "$cookie"
printf '%-48s %12s\n' "raw scrypt KDF (_password_verify), ms" "$kdf"
printf '%-48s %12s\n' "sign_in, ms" "$signin"
echo
printf 'verify_session / bare lookup throughput:   %.2fx  (target >= 0.80)\n' "$(median <"$out/verify.ratio")"
printf 'verify_session(cookie) / bare throughput:  %.2fx\n' "$(median <"$out/cookie.ratio")"
printf 'sign_in / raw KDF latency:                 %.2fx  (target <= 1.10)\n' "$(median <"$out/sign_in.ratio")"
echo "per-pair verify ratios: $(tr '\n' ' ' <"$out/verify.ratio")"
rm -rf "$out"
