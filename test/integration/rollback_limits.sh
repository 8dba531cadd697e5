#!/usr/bin/env bash
# A failed sign-in counts whatever the caller does with its transaction.
# With neon_auth in shared_preload_libraries (a cluster of the test's own),
# wrong passwords guessed each in a transaction that rolls back still use up
# the limit: then the right password is refused with TOO_MANY_REQUESTS, also
# inside a transaction that rolls back, so the guesser never learns it. On
# the shared test server, without preloading, the same guesses go uncounted
# (the documented limitation) and each backend warns once.
. "$(dirname "$0")/lib.sh"
own_cluster preloaded $((PGPORT + 121)) "shared_preload_libraries = 'neon_auth'"
pre="$cluster_conn dbname=neon_auth_limits"
psql -X -q -v ON_ERROR_STOP=1 -d "$cluster_conn dbname=postgres" -c "CREATE DATABASE neon_auth_limits ENCODING 'UTF8' TEMPLATE template0"
plain=neon_auth_limits_plain
fresh_db $plain
rules='{"rate_limit_enabled": true, "rate_limits": {"/sign-in/email": {"window": 600, "max": 5}}}'
for db in "$pre" $plain; do
	q "$db" "CREATE EXTENSION IF NOT EXISTS neon_auth" >/dev/null
	q "$db" "SELECT neon_auth.configure('{\"rate_limit_enabled\": false}')" >/dev/null
	q "$db" "SELECT neon_auth.sign_up('alice@example.com', 'alice-password-1', 'Alice')" >/dev/null
	q "$db" "SELECT neon_auth.configure('$rules')" >/dev/null
done
check "the preloaded server has the shared counters" "t|f" \
	"$(q "$pre" "SELECT neon_auth._shared_limits()")|$(q $plain "SELECT neon_auth._shared_limits()")"

# guess DB PASSWORD: one sign-in in a transaction that is rolled back, as a
# plain SQL caller (or PostgREST with Prefer: tx=rollback) can; prints
# "signed in", or the error's SQLSTATE and code.
guess() {
	psql -X -q -At -d "$1" -v VERBOSITY=verbose 2>&1 <<-SQL | sed -n -e 's/^ERROR: *\([0-9A-Z]\{5\}\):.*/\1/p' -e 's/^DETAIL: *//p' -e 's/^t$/signed in/p' | paste -sd' '
		BEGIN;
		SELECT neon_auth.sign_in('alice@example.com', '$2') ? 'token';
		ROLLBACK;
	SQL
}
for i in 1 2 3 4 5; do
	check "preloaded: rolled-back wrong guess $i is refused as a wrong password" "28P01 INVALID_EMAIL_OR_PASSWORD" \
		"$(guess "$pre" "wrong-guess-$i")"
done
check "preloaded: the rollbacks took the table's count with them" 0 \
	"$(q "$pre" "SELECT count(*) FROM neon_auth.\"rateLimit\"")"
check "preloaded: then even the right password is refused, inside a rolled-back transaction" "PT429 TOO_MANY_REQUESTS" \
	"$(guess "$pre" alice-password-1)"
check "preloaded: a wrong one gets the same answer, so the guess is not revealed" "PT429 TOO_MANY_REQUESTS" \
	"$(guess "$pre" wrong-guess-6)"
psql -X -q -v ON_ERROR_STOP=1 -d "$cluster_conn dbname=postgres" -c "CREATE DATABASE neon_auth_limits_other ENCODING 'UTF8' TEMPLATE template0"
other="$cluster_conn dbname=neon_auth_limits_other"
q "$other" "CREATE EXTENSION neon_auth" >/dev/null
q "$other" "SELECT neon_auth.sign_up('alice@example.com', 'alice-password-1', 'Alice')" >/dev/null
q "$other" "SELECT neon_auth.configure('$rules')" >/dev/null
check "preloaded: each database counts its own (alice of another database signs in)" "signed in" \
	"$(guess "$other" alice-password-1)"
check "preloaded: no rollback WARNING" 0 \
	"$(psql -X -q -d "$pre" -c "SELECT neon_auth.sign_in('alice@example.com', 'wrong-guess-7')" 2>&1 | grep -c 'undone by a rollback' || true)"
check "preloaded: the window over, the right password signs in" "signed in" \
	"$(q "$pre" "SELECT neon_auth.configure('{\"rate_limits\": {\"/sign-in/email\": {\"window\": 1, \"max\": 5}}}') IS NULL, pg_sleep(1.1) IS NULL" >/dev/null; guess "$pre" alice-password-1)"

for i in 1 2 3 4 5 6; do guess $plain "wrong-guess-$i" >/dev/null; done
check "not preloaded: the rolled-back guesses went uncounted (documented)" "signed in" "$(guess $plain alice-password-1)"
check "not preloaded: the first raised failure of a backend warns, once" 1 \
	"$(psql -X -q -d $plain -c "SELECT neon_auth.sign_in('alice@example.com', 'wrong-guess-8')" \
		-c "SELECT neon_auth.sign_in('alice@example.com', 'wrong-guess-9')" 2>&1 | grep -c 'WARNING:  neon_auth rate limits are undone by a rollback here' || true)"
finish
