#!/usr/bin/env bash
# 12 clients guess one account's password at once, answered as PostgREST
# answers (so failures count): the sign-in rule (3 per 10 s) lets exactly 3
# reach the password check, even though the email had no rate-limit row yet.
. "$(dirname "$0")/lib.sh"
db=neon_auth_rate_race
fresh_db $db
q $db "SELECT neon_auth.configure('{\"rate_limit_enabled\": true}')" >/dev/null
q $db "SELECT neon_auth.sign_up('target@example.com', 'target-password-1', 'Target')" >/dev/null
q $db "DELETE FROM neon_auth.\"rateLimit\"" >/dev/null
for i in $(seq 1 12); do
	PGOPTIONS="-c neon_auth.json_errors=on" psql -X -q -At -d $db \
		-c "SELECT neon_auth.sign_in('target@example.com', 'guess-$i-wrong') ->> 'code'" >"$work/out.$i" 2>&1 &
done
wait
check "3 guesses reach the password check" 3 "$(cat "$work"/out.* | grep -c '^INVALID_EMAIL_OR_PASSWORD$')"
check "9 are refused with TOO_MANY_REQUESTS" 9 "$(cat "$work"/out.* | grep -c '^TOO_MANY_REQUESTS$')"
check "the count is 3" 3 "$(q $db "SELECT count FROM neon_auth.\"rateLimit\" WHERE key = 'email:target@example.com|/sign-in/email'")"
check "every attempt is in the audit trail" "3 9" \
	"$(q $db "SELECT count(*) FILTER (WHERE event = 'sign_in') || ' ' || count(*) FILTER (WHERE event = 'rate_limited')
	            FROM neon_auth.audit_log WHERE email = 'target@example.com' AND outcome <> 'success'")"
finish
