#!/usr/bin/env bash
# No password or token reaches the server log, even when a call fails and the
# secret was written as a literal in the statement. A control statement shows
# that this test reads the right log.
. "$(dirname "$0")/lib.sh"
db=neon_auth_logs
fresh_db $db
log=$(pg_lsclusters -h | awk -v port="$PGPORT" '$3 == port { print $7 }')
check "server log found" yes "$([ -f "$log" ] && echo yes || echo no)"
q $db "SELECT neon_auth.sign_up('leak@example.com', 'Leak-Canary-Password-1', 'Leak')" >/dev/null
tok=$(q $db "SELECT neon_auth.sign_in('leak@example.com', 'Leak-Canary-Password-1') ->> 'token'")
run_failing() { psql -X -q -d $db -c "$1" >/dev/null 2>&1 || true; }
run_failing "SELECT neon_auth.sign_in('leak@example.com', 'Leak-Canary-Password-2')"
run_failing "SELECT neon_auth.sign_in('unknown-leak@example.com', 'Leak-Canary-Password-3')"
run_failing "SELECT neon_auth.sign_up('leak@example.com', 'Leak-Canary-Password-4', 'Leak')"
run_failing "SELECT neon_auth.sign_up('leak@example.com', repeat('Leak-Canary-Password-5', 9), 'Leak')"
run_failing "SELECT neon_auth.sign_up('not-an-email-Leak-Canary-6', 'Leak-Canary-Password-6', 'Leak')"
run_failing "SELECT neon_auth.sign_up('leak7@example.com', 'Leak-Canary-7', NULL)"
run_failing "SELECT neon_auth.set_secret('')"
run_failing "SELECT neon_auth.set_postgrest_secret('Leak-Canary-PGRST-17')"
run_failing "SELECT neon_auth.verify_jwt('eyJhbGciOiJIUzI1NiJ9.Leak-Canary-Token-18.x')"
# The other ways in (issue 16): passwords, codes and tokens in failing calls.
q $db "UPDATE neon_auth.\"user\" SET username = 'leaky', \"phoneNumber\" = '+15550007777'" >/dev/null
run_failing "SELECT neon_auth.sign_in_username('leaky', 'Leak-Canary-Password-8')"
run_failing "SELECT neon_auth.sign_in_username('Leak-Canary-Username-9!', 'Leak-Canary-Password-9')"
run_failing "SELECT neon_auth.sign_in_phone_number('+15550007777', 'Leak-Canary-Password-10')"
run_failing "SELECT neon_auth.reset_password_phone_number('+15550007777', 'Leak-Canary-Code-11', 'Leak-Canary-11')"
run_failing "SELECT neon_auth.verify_phone_number('+15550007777', 'Leak-Canary-Code-12', false, true)"
run_failing "SELECT neon_auth.reset_password_email_otp('leak@example.com', 'Leak-Canary-Code-13', 'Leak-Canary-13')"
run_failing "SELECT neon_auth.sign_in_email_otp('leak@example.com', 'Leak-Canary-Code-14')"
run_failing "SELECT neon_auth.magic_link_verify('Leak-Canary-Token-15')"
run_failing "SELECT neon_auth.verify_one_time_token('Leak-Canary-Token-16')"
# Token-taking functions do not raise; they leave no trace either.
q $db "SELECT neon_auth.verify_session('$tok'), neon_auth.get_session('$tok'), neon_auth.session_cookie('$tok')" >/dev/null
q $db "SELECT neon_auth.sign_out('$tok')" >/dev/null
run_failing "SELECT 1/0 AS \"control-canary-visible\""
sleep 1
check "the control statement is in the log" 1 "$(grep -c 'control-canary-visible' "$log" || true)"
check "no password in the log" 0 "$(grep -c 'Leak-Canary' "$log" || true)"
check "no session token in the log" 0 "$(grep -c "$tok" "$log" || true)"
finish
