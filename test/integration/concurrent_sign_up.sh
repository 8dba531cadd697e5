#!/usr/bin/env bash
# 16 clients sign up the same email at once: exactly one user, one account and
# one session exist afterwards; the other 15 get USER_ALREADY_EXISTS.
. "$(dirname "$0")/lib.sh"
db=neon_auth_concurrency
fresh_db $db
for i in $(seq 1 16); do
	psql -X -q -At -d $db \
		-c "SELECT neon_auth.sign_up('Race@Example.com', 'race-password-$i', 'Racer $i') ->> 'token'" \
		>"$work/out.$i" 2>"$work/err.$i" &
done
wait
winners=$(cat "$work"/out.* | grep -cE '^[A-Za-z0-9]{32}$' || true)
losers=$(grep -l 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL' "$work"/err.* | wc -l)
other_errors=$(cat "$work"/err.* | grep '^ERROR' | grep -vc 'user already exists' || true)
check "exactly one sign-up wins" 1 "$winners"
check "the other 15 get USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL" 15 "$losers"
check "no other error" 0 "$other_errors"
check "one user row" 1 "$(q $db "SELECT count(*) FROM neon_auth.\"user\" WHERE email = 'race@example.com'")"
check "one credential account" 1 "$(q $db "SELECT count(*) FROM neon_auth.account")"
check "one session" 1 "$(q $db "SELECT count(*) FROM neon_auth.session")"
winner=$(grep -lE '^[A-Za-z0-9]{32}$' "$work"/out.* | sed 's/.*out\.//')
check "the winner's password is the stored one" t \
	"$(q $db "SELECT neon_auth._password_verify('race-password-$winner', password) FROM neon_auth.account")"
finish
