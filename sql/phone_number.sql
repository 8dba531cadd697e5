\set SHOW_CONTEXT never
\i sql/helpers.psql
-- Phone numbers (src/sql/48_phone_number.sql): Better Auth's phoneNumber plugin.
CREATE FUNCTION pg_temp.last_sms(phone text) RETURNS jsonb LANGUAGE sql AS $$
	SELECT data FROM neon_auth.outbox WHERE kind = 'sms' AND recipient = phone ORDER BY id DESC LIMIT 1 $$;
SELECT neon_auth.sign_up('pn-pia@example.com', 'pia-password-1', 'Pia') ->> 'token' AS pia \gset

-- Only a signed-in user can take a number, by proving it with a code. Asked
-- anonymously for a number nobody has, nothing is sent (a decoy).
SELECT neon_auth.send_phone_number_otp('+15550001111') AS sent_anonymously;
SELECT pg_temp.last_sms('+15550001111') AS nothing_sent, (SELECT kind FROM neon_auth.outbox ORDER BY id DESC LIMIT 1) AS kind;
SELECT neon_auth.send_phone_number_otp('+15550001111', :'pia') AS sent;
SELECT pg_temp.last_sms('+15550001111') - 'code' - 'expires_at' AS message, pg_temp.last_sms('+15550001111') ->> 'code' ~ '^[0-9]{6}$' AS code_shape,
       (SELECT value = (pg_temp.last_sms('+15550001111') ->> 'code') || ':0' FROM neon_auth.verification
         WHERE identifier = 'phone-number-otp-+15550001111' ORDER BY "createdAt" DESC LIMIT 1) AS stored;
SELECT neon_auth.verify_phone_number('+15550001111', pg_temp.last_sms('+15550001111') ->> 'code', false, true, :'pia') #>> '{user,phoneNumber}' AS taken;
SELECT "phoneNumber", "phoneNumberVerified" FROM neon_auth."user" WHERE email = 'pn-pia@example.com';

-- Sign-in by number and password; a wrong password and an unknown number alike.
SELECT neon_auth.sign_in_phone_number('+15550001111', 'pia-password-1') AS r \gset
SELECT (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(:'r'::jsonb) k) AS keys, :'r'::jsonb #>> '{user,email}' AS email;
SELECT pg_temp.try('SELECT neon_auth.sign_in_phone_number(''+15550001111'', ''wrong-password-1'')') AS wrong_password,
       pg_temp.try('SELECT neon_auth.sign_in_phone_number(''+15559999999'', ''pia-password-1'')') AS unknown_number;
SELECT p AS number, pg_temp.try(format('SELECT neon_auth.sign_in_phone_number(%L, %L)', p, 'pia-password-1')) AS result
  FROM unnest(ARRAY['5550001111', '+0550001111', '+1 555 000 1111', '+1555', '']) p;

-- Verifying by code signs in; three wrong tries, then even the right code fails; no code at all.
SELECT neon_auth.send_phone_number_otp('+15550001111') ->> 'message' AS sent;
SELECT n, neon_auth.verify_phone_number('+15550001111', '000000') ->> 'code' AS answer FROM generate_series(1, 3) n;
SELECT neon_auth.verify_phone_number('+15550001111', pg_temp.last_sms('+15550001111') ->> 'code') ->> 'code' AS fourth;
SELECT neon_auth.verify_phone_number('+15550001111', pg_temp.last_sms('+15550001111') ->> 'code') ->> 'code' AS none_left;
SELECT neon_auth.send_phone_number_otp('+15550001111') ->> 'message' AS sent;
SELECT neon_auth.verify_phone_number('+15550001111', pg_temp.last_sms('+15550001111') ->> 'code') AS v \gset
SELECT :'v'::jsonb ->> 'status' AS status, neon_auth.verify_session(:'v'::jsonb ->> 'token') IS NOT NULL AS signed_in;
-- A number nobody has (to sign in with); a number another user has (to take).
SELECT neon_auth.sign_up('pn-quin@example.com', 'quin-password-1', 'Quin') ->> 'token' AS quin \gset
SELECT neon_auth.send_phone_number_otp('+15550002222', :'quin') ->> 'message' AS sent;
SELECT pg_temp.try(format('SELECT neon_auth.verify_phone_number(%L, %L)', '+15550002222', pg_temp.last_sms('+15550002222') ->> 'code')) AS nobodys;
SELECT pg_temp.try(format('SELECT neon_auth.verify_phone_number(%L, %L, false, true)', '+15550002222',
                          pg_temp.last_sms('+15550002222') ->> 'code')) AS not_signed_in;
SELECT neon_auth.send_phone_number_otp('+15550001111') ->> 'message' AS sent;
SELECT pg_temp.try(format('SELECT neon_auth.verify_phone_number(%L, %L, false, true, %L)', '+15550001111',
                          pg_temp.last_sms('+15550001111') ->> 'code', :'quin')) AS someone_elses;

-- Password reset by SMS; an unknown number gets the same answer and a decoy.
SELECT neon_auth.request_password_reset_phone_number('+15550001111') AS requested;
SELECT pg_temp.last_sms('+15550001111') ->> 'purpose' AS purpose;
SELECT neon_auth.reset_password_phone_number('+15550001111', pg_temp.last_sms('+15550001111') ->> 'code', 'pia-password-2') AS reset;
SELECT neon_auth.sign_in_phone_number('+15550001111', 'pia-password-2') ? 'token' AS new_password_works;
SELECT neon_auth.request_password_reset_phone_number('+15550003333') AS unknown;
SELECT kind FROM neon_auth.outbox ORDER BY id DESC LIMIT 1;
SELECT pg_temp.try('SELECT neon_auth.reset_password_phone_number(''+15550001111'', ''123456'', ''short'')') AS short_password;
-- NULLs and an expired code.
SELECT pg_temp.try('SELECT neon_auth.send_phone_number_otp(NULL)') AS null_number,
       neon_auth.verify_phone_number('+15550001111', NULL) ->> 'code' AS null_code;
SELECT neon_auth.send_phone_number_otp('+15550001111') ->> 'message' AS sent;
UPDATE neon_auth.verification SET "expiresAt" = now() - interval '1 second' WHERE identifier = 'phone-number-otp-+15550001111';
SELECT neon_auth.verify_phone_number('+15550001111', pg_temp.last_sms('+15550001111') ->> 'code') ->> 'code' AS expired;
-- No code in the audit trail.
SELECT event, outcome, email FROM neon_auth.audit_log WHERE email LIKE 'phone:%' ORDER BY id;
SELECT count(*) AS codes_in_audit FROM neon_auth.audit_log a, neon_auth.outbox o
 WHERE o.kind = 'sms' AND a::text LIKE '%' || (o.data ->> 'code') || '%';
-- A number takes at most 10 wrong codes an hour, however many codes are sent.
SELECT value AS failures_so_far FROM neon_auth.verification WHERE identifier = 'phone-number-failures-+15550001111';
SELECT n, neon_auth.send_phone_number_otp('+15550001111') ->> 'message' AS sent,
       neon_auth.verify_phone_number('+15550001111', '000000') ->> 'code' AS answer
  FROM generate_series(1, 6) n;
SELECT neon_auth.send_phone_number_otp('+15550001111') ->> 'message' AS sent;
SELECT neon_auth.verify_phone_number('+15550001111', pg_temp.last_sms('+15550001111') ->> 'code') ->> 'code' AS right_code_locked_out;
UPDATE neon_auth.verification SET "expiresAt" = now() - interval '1 second' WHERE identifier = 'phone-number-failures-+15550001111';
-- A code nobody was sent cannot be guessed: what is stored matches no code.
SELECT neon_auth.send_phone_number_otp('+15550009999') ->> 'message' AS sent_to_nobody;
SELECT value ~ '^unsent-[A-Za-z0-9]{16}:0$' AS unmatchable FROM neon_auth.verification WHERE identifier = 'phone-number-otp-+15550009999';
-- Taking a number needs a fresh session.
UPDATE neon_auth.session SET "createdAt" = now() - interval '2 days' WHERE token = :'quin';
SELECT neon_auth.send_phone_number_otp('+15550004444', :'quin') ->> 'message' AS sent;
SELECT pg_temp.try(format('SELECT neon_auth.verify_phone_number(%L, %L, false, true, %L)', '+15550004444',
                          pg_temp.last_sms('+15550004444') ->> 'code', :'quin')) AS stale_session;
-- In HTTP mode the sign-in failure is answered.
SET neon_auth.json_errors = on;
SELECT neon_auth.sign_in_phone_number('+15550001111', 'wrong-password-1') AS answered, current_setting('response.status') AS status;
RESET neon_auth.json_errors;
