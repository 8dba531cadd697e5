#!/usr/bin/env bash
# Whether an email has an account must not show through a side channel, for
# sign_in, sign_up (with email verification required), request_password_reset
# and send_verification_email, and whether a username or phone number has one
# for the functions that take those (issue 16): the answer, the error and its CONTEXT, the
# table statistics of the caller's transaction (rows written, scans), and
# the notifications a LISTENer hears. What cannot be equalised is listed in
# docs/security.md ("Account enumeration").
. "$(dirname "$0")/lib.sh"
db=neon_auth_enumeration
fresh_db $db
q $db "SELECT neon_auth.sign_up('known@example.com', 'known-password-1', 'Known')" >/dev/null
q $db "UPDATE neon_auth.\"user\" SET \"emailVerified\" = false, username = 'known_user', \"phoneNumber\" = '+15550000001'" >/dev/null

# stats_of DB SQL: the call in a transaction that rolls back, then that
# transaction's writes and scans per neon_auth table (the rows a scan
# returned are left out: see docs/security.md).
stats_of() {
	(psql -X -q -At -d "$1" -v ON_ERROR_STOP=1 <<-SQL
		BEGIN;
		SET LOCAL neon_auth.json_errors = on;
		SELECT ($2) IS NULL;
		SELECT string_agg(format('%s ins=%s upd=%s del=%s seq=%s idx=%s', relname, n_tup_ins, n_tup_upd, n_tup_del,
		                         seq_scan, coalesce(idx_scan, 0)), '; ' ORDER BY relname)
		  FROM pg_stat_xact_all_tables
		 WHERE schemaname = 'neon_auth' AND n_tup_ins + n_tup_upd + n_tup_del + seq_scan + coalesce(idx_scan, 0) > 0;
		ROLLBACK;
	SQL
	) | tail -1
}
# heard DB SQL: notifications on neon_auth_outbox after the call commits.
heard() {
	psql -X -q -At -d "$1" -c "LISTEN neon_auth_outbox" -c "SELECT ($2) IS NULL" -c "SELECT 1" 2>&1 |
		sed -n 's/^Asynchronous notification "\([a-z_]*\)" with payload "\(.*\)" received.*/\1 payload=\2/p; s/^Asynchronous notification "\([a-z_]*\)" received.*/\1/p' |
		paste -sd' '
}
# answer DB SQL: the call's answer in HTTP mode, without what differs by
# nature (the fake user's id, timestamps).
answer() {
	q "$1" "SET neon_auth.json_errors = on; SELECT ($2) - 'user'"
}
# context_of DB SQL: the raised error's SQLSTATE, DETAIL and CONTEXT.
context_of() {
	psql -X -q -At -d "$1" -c "\\set VERBOSITY verbose" -c "$2" 2>&1 | grep -v '^LOCATION'
}

compare() { # compare LABEL SQL_WITH_@EMAIL@ [KNOWN UNKNOWN]: @EMAIL@ replaced by a known and an unknown value
	local known=${2//@EMAIL@/${3:-known@example.com}} unknown=${2//@EMAIL@/${4:-nobody@example.com}}
	local k u
	k=$(stats_of $db "$known")
	u=$(stats_of $db "$unknown")
	check "$1: the same writes and scans for a known and an unknown email ($k)" "$k" "$u"
	k=$(heard $db "$known")
	u=$(heard $db "$unknown")
	check "$1: the same notifications (${k:-none})" "$k" "$u"
}

compare "sign_in" "neon_auth.sign_in('@EMAIL@', 'wrong-password-1')"
check "sign_in: the same answer" "$(answer $db "neon_auth.sign_in('known@example.com', 'wrong-password-1')")" \
	"$(answer $db "neon_auth.sign_in('nobody@example.com', 'wrong-password-1')")"
check "sign_in: the same error and CONTEXT (line numbers included)" \
	"$(context_of $db "SELECT neon_auth.sign_in('known@example.com', 'wrong-password-1')")" \
	"$(context_of $db "SELECT neon_auth.sign_in('nobody@example.com', 'wrong-password-1')")"
compare "request_password_reset" "neon_auth.request_password_reset('@EMAIL@')"
check "request_password_reset: the same answer" "$(answer $db "neon_auth.request_password_reset('known@example.com')")" \
	"$(answer $db "neon_auth.request_password_reset('nobody@example.com')")"
compare "send_verification_email" "neon_auth.send_verification_email('@EMAIL@')"
check "send_verification_email: the same answer" "$(answer $db "neon_auth.send_verification_email('known@example.com')")" \
	"$(answer $db "neon_auth.send_verification_email('nobody@example.com')")"

# The same for the other ways in: usernames, phone numbers, codes by email.
same_answer() { # same_answer LABEL SQL_WITH_@EMAIL@ KNOWN UNKNOWN
	check "$1: the same answer" "$(answer $db "${2//@EMAIL@/$3}")" "$(answer $db "${2//@EMAIL@/$4}")"
}
for c in "sign_in_username|neon_auth.sign_in_username('@EMAIL@', 'wrong-password-1')|known_user|nobody_user" \
         "sign_in_phone_number|neon_auth.sign_in_phone_number('@EMAIL@', 'wrong-password-1')|+15550000001|+15550000002" \
         "send_phone_number_otp|neon_auth.send_phone_number_otp('@EMAIL@')|+15550000001|+15550000002" \
         "request_password_reset_phone_number|neon_auth.request_password_reset_phone_number('@EMAIL@')|+15550000001|+15550000002" \
         "send_verification_otp|neon_auth.send_verification_otp('@EMAIL@', 'forget-password')|known@example.com|nobody@example.com" \
         "request_password_reset_email_otp|neon_auth.request_password_reset_email_otp('@EMAIL@')|known@example.com|nobody@example.com"; do
	IFS='|' read -r label sql known unknown <<<"$c"
	compare "$label" "$sql" "$known" "$unknown"
	same_answer "$label" "$sql" "$known" "$unknown"
done
# A request with a session cookie and no Origin: send_phone_number_otp checks
# the caller (and the origin) whatever the number, so both numbers fail alike.
anon=$(q $db "SELECT neon_auth.sign_in_anonymous() ->> 'token'")
cookie=$(q $db "SELECT neon_auth.session_cookie('$anon')")
as_request="SELECT set_config('request.method', 'POST', false), set_config('request.cookies', '{\"better-auth.session_token\": \"$cookie\"}', false)"
check "send_phone_number_otp with a cookie and no Origin: the same error and CONTEXT" \
	"$(context_of $db "$as_request; SELECT neon_auth.send_phone_number_otp('+15550000001')")" \
	"$(context_of $db "$as_request; SELECT neon_auth.send_phone_number_otp('+15550000002')")"
check "sign_in_username: the same error and CONTEXT" \
	"$(context_of $db "SELECT neon_auth.sign_in_username('known_user', 'wrong-password-1')")" \
	"$(context_of $db "SELECT neon_auth.sign_in_username('nobody_user', 'wrong-password-1')")"
check "sign_in_phone_number: the same error and CONTEXT" \
	"$(context_of $db "SELECT neon_auth.sign_in_phone_number('+15550000001', 'wrong-password-1')")" \
	"$(context_of $db "SELECT neon_auth.sign_in_phone_number('+15550000002', 'wrong-password-1')")"

# sign_up with email verification required: the same answer and
# notification; the writes differ (a new user is stored), as documented.
q $db "SELECT neon_auth.configure('{\"require_email_verification\": true}')" >/dev/null
check "sign_up (verification required): the same answer" \
	"$(answer $db "neon_auth.sign_up('known@example.com', 'another-password-1', 'K')")" \
	"$(answer $db "neon_auth.sign_up('nobody@example.com', 'another-password-1', 'K')")"
k=$(heard $db "neon_auth.sign_up('known@example.com', 'another-password-1', 'K')")
u=$(heard $db "neon_auth.sign_up('nobody2@example.com', 'another-password-1', 'K')")
check "sign_up (verification required): the same notifications (${k:-none})" "$k" "$u"
check "decoys are never delivered" 0 "$(q $db "SELECT count(*) FROM neon_auth.outbox_claim(100) WHERE kind = 'decoy'")"
check "prune() removes decoys" 0 \
	"$(q $db "UPDATE neon_auth.outbox SET delivered_at = now() - interval '30 days' WHERE kind = 'decoy'; SELECT neon_auth.prune() IS NULL; SELECT count(*) FROM neon_auth.outbox WHERE kind = 'decoy'" | tail -1)"
finish
