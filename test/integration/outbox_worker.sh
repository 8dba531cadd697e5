#!/usr/bin/env bash
# The outbox end to end: flows queue messages and NOTIFY in their
# transaction; the worker in worker/ delivers them over SMTP (to a local SMTP
# server), marks them delivered, retries after a failure, and also writes to
# a file with --once. The link in a delivered email works.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
npm ci --prefix "$root/worker" --silent --no-audit --no-fund >/dev/null 2>&1 || npm ci --prefix "$root/worker" --no-audit --no-fund
db=neon_auth_outbox
fresh_db $db
q $db "SELECT neon_auth.configure('{\"require_email_verification\": true}')" >/dev/null
export PGDATABASE=$db
# The worker runs as its own role with EXECUTE on the three outbox functions
# and nothing else.
psql -X -q -d postgres -c "DROP ROLE IF EXISTS outbox_worker" -c "CREATE ROLE outbox_worker LOGIN PASSWORD 'outbox-worker-pw'"
q $db "GRANT EXECUTE ON FUNCTION neon_auth.outbox_claim(integer), neon_auth.outbox_delivered(bigint), neon_auth.outbox_failed(bigint, text) TO outbox_worker"
as_worker() { env PGUSER=outbox_worker PGPASSWORD=outbox-worker-pw "$@"; }
sink=; worker=
trap 'kill $sink $worker 2>/dev/null || true; rm -rf "$work"' EXIT
check "the worker role cannot read the outbox table itself" 1 \
	"$(as_worker psql -X -q -At -d $db -c "SELECT count(*) FROM neon_auth.outbox" 2>&1 | grep -c 'permission denied')"
port=$((20000 + RANDOM % 20000))
mail="$work/smtp.jsonl"
touch "$mail"
start_sink() { node "$root/worker/test/smtp-sink.mjs" $port "$mail" 2>>"$work/sink.log" & sink=$!; sleep 0.5; }
wait_for() { # wait_for SQL-CONDITION: up to 15 s
	for _ in $(seq 1 75); do
		[ "$(q $db "SELECT ($1)::text")" = true ] && return 0
		sleep 0.2
	done
	return 1
}

# The NOTIFY contract: the row id on channel neon_auth_outbox at commit, and
# nothing for a transaction that rolls back.
notified=$(psql -X -d $db -c "LISTEN neon_auth_outbox" \
	-c "SELECT neon_auth.sign_up('notify@example.com', 'notify-password-1', 'N')" | grep -o 'notification "neon_auth_outbox"[^.]*received' | sed 's/ from server process.*//')
# No payload: any role may LISTEN, and a row id would tell it which flows wrote one (docs/security.md).
check "NOTIFY neon_auth_outbox announces the message, with no payload" 'notification "neon_auth_outbox" received' "$notified"
rolled_back=$(psql -X -d $db -c "LISTEN neon_auth_outbox" -c "BEGIN" \
	-c "SELECT neon_auth.sign_up('rollback@example.com', 'notify-password-1', 'R')" -c "ROLLBACK" -c "SELECT 1" | grep -c 'Asynchronous notification' || true)
check "a rolled-back flow notifies nothing" 0 "$rolled_back"
q $db "UPDATE neon_auth.outbox SET delivered_at = now()" >/dev/null

# The worker delivers over SMTP as flows queue messages.
start_sink
NEON_AUTH_MAIL="smtp://127.0.0.1:$port" NEON_AUTH_MAIL_FROM="auth@example.com" NEON_AUTH_WORKER_POLL_MS=300 \
	env PGUSER=outbox_worker PGPASSWORD=outbox-worker-pw node "$root/worker/outbox.mjs" 2>"$work/worker.log" &
worker=$!
q $db "SELECT neon_auth.sign_up('wendy@example.com', 'wendy-password-1', 'Wendy')" >/dev/null
wait_for "(SELECT delivered_at IS NOT NULL FROM neon_auth.outbox WHERE recipient = 'wendy@example.com')" || true
check "the verification email is marked delivered" t \
	"$(q $db "SELECT delivered_at IS NOT NULL AND attempts = 1 FROM neon_auth.outbox WHERE recipient = 'wendy@example.com'")"
verify_url=$(q $db "SELECT data ->> 'url' FROM neon_auth.outbox WHERE recipient = 'wendy@example.com'")
check "the SMTP server got it, to Wendy, with the link" 1 \
	"$(node -e '
		const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
		const m = lines.filter((l) => l.to[0] === "wendy@example.com" && l.message.includes("Subject: Verify your email address"));
		console.log(m.filter((l) => l.message.replace(/=\r?\n/g, "").replace(/=3D/g, "=").includes(process.argv[2])).length);
	' "$mail" "$verify_url")"
token=$(q $db "SELECT data ->> 'token' FROM neon_auth.outbox WHERE recipient = 'wendy@example.com'")
q $db "SELECT neon_auth.verify_email('$token')" >/dev/null
check "the delivered link verifies the address" t \
	"$(q $db "SELECT \"emailVerified\" FROM neon_auth.\"user\" WHERE email = 'wendy@example.com'")"

# A failed delivery is recorded and retried when due.
kill $sink; wait $sink 2>/dev/null || true
q $db "SELECT neon_auth.request_password_reset('wendy@example.com')" >/dev/null
wait_for "(SELECT last_error IS NOT NULL FROM neon_auth.outbox WHERE kind = 'reset-password')" || true
check "a refused connection is recorded, not delivered, and backs off about a minute" "t|f|1|t" \
	"$(q $db "SELECT last_error IS NOT NULL, delivered_at IS NOT NULL, attempts,
	                 next_attempt_at BETWEEN now() + interval '50 seconds' AND now() + interval '70 seconds'
	            FROM neon_auth.outbox WHERE kind = 'reset-password'")"
grep -q "attempt 1 failed" "$work/worker.log"; check "the worker logs the failure" 0 $?
start_sink
q $db "UPDATE neon_auth.outbox SET next_attempt_at = now() WHERE kind = 'reset-password'" >/dev/null
wait_for "(SELECT delivered_at IS NOT NULL FROM neon_auth.outbox WHERE kind = 'reset-password')" || true
check "the retry delivers it (second attempt)" "t|2" \
	"$(q $db "SELECT delivered_at IS NOT NULL, attempts FROM neon_auth.outbox WHERE kind = 'reset-password'")"
reset_token=$(q $db "SELECT data ->> 'token' FROM neon_auth.outbox WHERE kind = 'reset-password'")
grep -q "reset-password/$reset_token" "$mail"; check "the reset email carries the reset link" 0 $?
q $db "SELECT neon_auth.reset_password('wendy-password-2', '$reset_token')" >/dev/null
check "the emailed reset link sets the new password" t \
	"$(q $db "SELECT neon_auth.sign_in('wendy@example.com', 'wendy-password-2') ->> 'token' IS NOT NULL")"
kill -TERM $worker; status=0; wait $worker || status=$?; worker=
check "the worker stops cleanly on SIGTERM" 0 $status
kill $sink; wait $sink 2>/dev/null || true

# --once with the file transport.
q $db "SELECT neon_auth.request_password_reset('wendy@example.com')" >/dev/null
NEON_AUTH_MAIL="file:$work/mail.jsonl" as_worker node "$root/worker/outbox.mjs" --once
check "--once writes the due message to the file" "wendy@example.com|Reset your password" \
	"$(node -e 'const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8").trim()); console.log(m.to + "|" + m.subject)' "$work/mail.jsonl")"
check "and marks it delivered" 0 "$(q $db "SELECT count(*) FROM neon_auth.outbox WHERE delivered_at IS NULL")"

# Text messages (kind 'sms') go to the SMS webhook, here the local test sink.
sms_port=$((port + 1))
node "$root/worker/test/sms-sink.mjs" $sms_port "$work/sms.jsonl" 2>>"$work/sink.log" & sink=$!
sleep 0.5
q $db "UPDATE neon_auth.\"user\" SET \"phoneNumber\" = '+15550001234' WHERE email = 'wendy@example.com'" >/dev/null
q $db "SELECT neon_auth.send_phone_number_otp('+15550001234')" >/dev/null
NEON_AUTH_SMS="http://127.0.0.1:$sms_port/sms" NEON_AUTH_SMS_TOKEN=sms-test-token NEON_AUTH_MAIL="file:$work/mail2.jsonl" \
	as_worker node "$root/worker/outbox.mjs" --once
sms_code=$(q $db "SELECT data ->> 'code' FROM neon_auth.outbox WHERE kind = 'sms' ORDER BY id DESC LIMIT 1")
check "the SMS sink got the code, to the number, with the webhook's token" "+15550001234|1|Bearer sms-test-token" \
	"$(node -e 'const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").pop());
		console.log(m.to + "|" + (m.text.includes(process.argv[2]) ? 1 : 0) + "|" + m.authorization)' "$work/sms.jsonl" "$sms_code")"
check "the delivered code verifies the number" true \
	"$(q $db "SELECT neon_auth.verify_phone_number('+15550001234', '$sms_code', true) #>> '{user,phoneNumberVerified}'")"
kill $sink; wait $sink 2>/dev/null || true; sink=

# Mail to a real server and no NEON_AUTH_SMS: a text fails, saying why, and
# its code is printed nowhere; a wrong NEON_AUTH_SMS stops the worker first.
q $db "SELECT neon_auth.send_phone_number_otp('+15550001234')" >/dev/null
sms_code=$(q $db "SELECT data ->> 'code' FROM neon_auth.outbox WHERE kind = 'sms' ORDER BY id DESC LIMIT 1")
out=$(NEON_AUTH_MAIL="file:$work/mail3.jsonl" as_worker node "$root/worker/outbox.mjs" --once 2>&1 || true)
check "without NEON_AUTH_SMS the text fails, recorded with the reason" "1|true" \
	"$(q $db "SELECT attempts || '|' || (last_error LIKE 'NEON_AUTH_SMS is not set%') FROM neon_auth.outbox WHERE kind = 'sms' ORDER BY id DESC LIMIT 1")"
check "and the code appears in no output" 0 "$(printf '%s' "$out" | grep -c "$sms_code" || true)"
out=$(NEON_AUTH_SMS="http://sms.example.com/hook" NEON_AUTH_MAIL="file:$work/mail3.jsonl" as_worker node "$root/worker/outbox.mjs" --once 2>&1; echo "rc=$?")
check "a plain-http NEON_AUTH_SMS to another host stops the worker" 1 "$(printf '%s' "$out" | grep -c 'NEON_AUTH_SMS must be')"
finish
