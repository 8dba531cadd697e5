\set SHOW_CONTEXT never
\i sql/helpers.psql
-- Codes by email (src/sql/47_email_otp.sql): Better Auth's emailOTP plugin.
CREATE FUNCTION pg_temp.last_code(email text) RETURNS text LANGUAGE sql AS $$
	SELECT data ->> 'otp' FROM neon_auth.outbox WHERE kind = 'email-otp' AND recipient = email ORDER BY id DESC LIMIT 1 $$;
SELECT neon_auth.sign_up('eo-ed@example.com', 'ed-password-1', 'Ed') ->> 'token' AS ed \gset

-- Sending: a code in the outbox and in verification, as Better Auth stores it.
SELECT neon_auth.send_verification_otp('EO-Ed@example.com', 'email-verification') AS sent;
SELECT pg_temp.last_code('eo-ed@example.com') ~ '^[0-9]{6}$' AS code_shape,
       (SELECT value = pg_temp.last_code('eo-ed@example.com') || ':0' FROM neon_auth.verification
         WHERE identifier = 'email-verification-otp-eo-ed@example.com') AS stored_plain,
       (SELECT "expiresAt" - "createdAt" FROM neon_auth.verification WHERE identifier = 'email-verification-otp-eo-ed@example.com') AS lifetime;
-- An address with no account gets the same answer and a decoy; a code is kept (the same writes), never sent.
SELECT neon_auth.send_verification_otp('eo-nobody@example.com', 'email-verification') AS unknown;
SELECT (SELECT kind FROM neon_auth.outbox ORDER BY id DESC LIMIT 1) AS written,
       (SELECT count(*) FROM neon_auth.verification WHERE identifier LIKE '%-otp-eo-nobody@example.com') AS kept;
SELECT pg_temp.try(format('SELECT neon_auth.send_verification_otp(%L, %L)', 'eo-ed@example.com', t)) AS type_check
  FROM unnest(ARRAY['change-email', 'nonsense']) t;
SELECT pg_temp.try('SELECT neon_auth.send_verification_otp(''not-an-email'', ''sign-in'')') AS bad_email;

-- Checking does not use the code up; verifying the email does, once.
SELECT neon_auth.check_verification_otp('eo-ed@example.com', 'email-verification', pg_temp.last_code('eo-ed@example.com')) AS checked;
SELECT neon_auth.verify_email_otp('eo-ed@example.com', pg_temp.last_code('eo-ed@example.com')) - 'user' AS verified;
SELECT "emailVerified" AS email_verified FROM neon_auth."user" WHERE email = 'eo-ed@example.com';
SELECT neon_auth.verify_email_otp('eo-ed@example.com', pg_temp.last_code('eo-ed@example.com')) AS reused;

-- Three wrong tries are counted (answered, so they commit); the fourth call fails even with the right code.
SELECT neon_auth.send_verification_otp('eo-ed@example.com', 'sign-in') ->> 'success' AS sent;
SELECT n, neon_auth.sign_in_email_otp('eo-ed@example.com', '000000') ->> 'code' AS answer FROM generate_series(1, 3) n;
SELECT split_part(value, ':', 2) AS tries FROM neon_auth.verification WHERE identifier = 'sign-in-otp-eo-ed@example.com';
SELECT neon_auth.sign_in_email_otp('eo-ed@example.com', pg_temp.last_code('eo-ed@example.com')) AS fourth,
       current_setting('response.status') AS status;
SELECT neon_auth.sign_in_email_otp('eo-ed@example.com', pg_temp.last_code('eo-ed@example.com')) ->> 'code' AS after_that;

-- Signing in by code; a new address signs up with its email verified.
SELECT neon_auth.send_verification_otp('eo-ed@example.com', 'sign-in') ->> 'success' AS sent;
SELECT neon_auth.sign_in_email_otp('eo-ed@example.com', pg_temp.last_code('eo-ed@example.com')) #>> '{user,email}' AS signed_in;
SELECT neon_auth.send_verification_otp('eo-new@example.com', 'sign-in') ->> 'success' AS sent_to_new;
SELECT neon_auth.sign_in_email_otp('eo-new@example.com', pg_temp.last_code('eo-new@example.com'), 'Newbie') AS r \gset
SELECT :'r'::jsonb #>> '{user,name}' AS name, :'r'::jsonb #>> '{user,emailVerified}' AS verified,
       neon_auth.verify_session(:'r'::jsonb ->> 'token') IS NOT NULL AS live;
-- An expired code.
SELECT neon_auth.send_verification_otp('eo-ed@example.com', 'sign-in') ->> 'success' AS sent;
UPDATE neon_auth.verification SET "expiresAt" = now() - interval '1 second' WHERE identifier = 'sign-in-otp-eo-ed@example.com';
SELECT neon_auth.sign_in_email_otp('eo-ed@example.com', pg_temp.last_code('eo-ed@example.com')) ->> 'code' AS expired;

-- Password reset by code (also under Better Auth's older name).
SELECT neon_auth.request_password_reset_email_otp('eo-ed@example.com') AS requested;
SELECT pg_temp.try(format('SELECT neon_auth.reset_password_email_otp(%L, %L, %L)', 'eo-ed@example.com', pg_temp.last_code('eo-ed@example.com'), 'short')) AS short_password;
SELECT neon_auth.reset_password_email_otp('eo-ed@example.com', pg_temp.last_code('eo-ed@example.com'), 'ed-password-2') AS reset;
SELECT neon_auth.sign_in('eo-ed@example.com', 'ed-password-2') ? 'token' AS new_password_works;
SELECT neon_auth.forget_password_email_otp('eo-ed@example.com') ->> 'success' AS older_name;

-- Changing the email by code: off by default, then a code to the new address.
SELECT pg_temp.try(format('SELECT neon_auth.request_email_change_email_otp(%L, %L)', 'eo-ed2@example.com', :'ed')) AS off;
SELECT neon_auth.configure('{"email_otp_change_email": true}') ->> 'email_otp_change_email' AS on_now;
SELECT pg_temp.try(format('SELECT neon_auth.request_email_change_email_otp(%L, %L)', 'eo-ed@example.com', :'ed')) AS same;
SELECT neon_auth.request_email_change_email_otp('eo-ed2@example.com', :'ed') AS requested;
SELECT neon_auth.change_email_email_otp('eo-ed2@example.com', pg_temp.last_code('eo-ed2@example.com'), :'ed') AS changed;
SELECT email AS now_email, "emailVerified" AS verified FROM neon_auth."user" WHERE email LIKE 'eo-ed%';
SELECT neon_auth.configure('{"email_otp_change_email": false}') ->> 'email_otp_change_email' AS off_again;

-- Hashed storage, and the owner's helpers.
SELECT neon_auth.configure('{"email_otp_store": "hashed"}') ->> 'email_otp_store' AS store;
SELECT neon_auth.create_verification_otp('eo-new@example.com', 'sign-in') AS owner_code \gset
SELECT (SELECT split_part(value, ':', 1) FROM neon_auth.verification WHERE identifier = 'sign-in-otp-eo-new@example.com')
       = rtrim(translate(encode(sha256(convert_to(:'owner_code', 'UTF8')), 'base64'), '+/', '-_'), '=') AS stored_hashed;
SELECT pg_temp.try('SELECT neon_auth.get_verification_otp(''eo-new@example.com'', ''sign-in'')') AS hashed_unreadable;
SELECT neon_auth.sign_in_email_otp('eo-new@example.com', :'owner_code') ? 'token' AS hashed_code_works;
SELECT neon_auth.configure('{"email_otp_store": "plain"}') ->> 'email_otp_store' AS store;
SELECT neon_auth.create_verification_otp('eo-new@example.com', 'sign-in') AS owner_code2 \gset
SELECT neon_auth.get_verification_otp('eo-new@example.com', 'sign-in') ->> 'otp' = :'owner_code2' AS owner_reads_back;
SET ROLE authenticated;
SELECT pg_temp.try('SELECT neon_auth.create_verification_otp(''eo-new@example.com'', ''sign-in'')') AS app_role;
RESET ROLE;
-- No code in the audit trail.
SELECT count(*) AS audit_rows_with_codes FROM neon_auth.audit_log
 WHERE (email LIKE 'eo-%' OR detail ->> 'method' = 'email-otp') AND coalesce(detail::text, '') ~ '[0-9]{6}';
