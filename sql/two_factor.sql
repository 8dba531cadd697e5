\set SHOW_CONTEXT never
\i sql/helpers.psql
-- Two-factor authentication (src/sql/45_two_factor.sql): TOTP, email OTP,
-- backup codes and trusted devices, in Better Auth's formats.

-- The primitives against RFC 6238 and Better Auth's own output.
SELECT neon_auth._totp_code('abcdefghijklmnopqrstuvwxyz012345', 1234567890) AS better_auth_code,
       neon_auth._totp_verify('abcdefghijklmnopqrstuvwxyz012345', '867330', 1234567890) AS previous_step,
       neon_auth._totp_verify('abcdefghijklmnopqrstuvwxyz012345', '468829', 1234567890) AS next_step,
       neon_auth._totp_verify('abcdefghijklmnopqrstuvwxyz012345', '861315', 1234567890) AS two_steps_back,
       neon_auth._totp_verify('abcdefghijklmnopqrstuvwxyz012345', '06397x', 1234567890) AS not_digits;
SELECT neon_auth._tf_totp_uri('abcdefghijklmnopqrstuvwxyz012345', 'Better Auth', 'user@example.com') AS uri;
SELECT neon_auth._tf_totp_uri('abcdefghijklmnopqrstuvwxyz012345', 'My App', 'a+b@example.com') AS uri;
SELECT neon_auth._hmac_base64url('interop-secret-0123456789abcdefghijklmnop',
       '3f2a9c1e-0000-4000-8000-000000000001!trust-device-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA') AS trust_token;

-- The current code of a user's stored secret, as an authenticator app shows it.
CREATE FUNCTION pg_temp.code_of(email text, step_offset integer DEFAULT 0) RETURNS text LANGUAGE sql AS $$
	SELECT neon_auth._totp_code(neon_auth._symmetric_decrypt((SELECT value FROM neon_auth.secret), t.secret),
	                            extract(epoch FROM now())::bigint + 30 * step_offset)
	  FROM neon_auth."twoFactor" t JOIN neon_auth."user" u ON u.id = t."userId" WHERE u.email = code_of.email $$;
CREATE FUNCTION pg_temp.codes_of(email text) RETURNS jsonb LANGUAGE sql AS $$
	SELECT neon_auth.view_backup_codes(u.id) -> 'backupCodes' FROM neon_auth."user" u WHERE u.email = codes_of.email $$;

SELECT neon_auth.sign_up('tf-ann@example.com', 'ann-password-1', 'Ann') ->> 'token' AS ann \gset
SELECT id AS ann_id FROM neon_auth."user" WHERE email = 'tf-ann@example.com' \gset

-- Enabling: the password first; then a secret and ten backup codes, with
-- two-factor still off until the first code.
SET ROLE authenticated;
SELECT pg_temp.try(format('SELECT neon_auth.enable_two_factor(%L, NULL, %L)', 'wrong-password-1', :'ann')) AS wrong_password;
SELECT neon_auth.enable_two_factor('ann-password-1', 'Acme & Co', :'ann') AS enabled \gset
RESET ROLE;
SELECT :'enabled'::jsonb ->> 'method' AS method,
       :'enabled'::jsonb ->> 'totpURI' ~ '^otpauth://totp/Acme%20%26%20Co:tf-ann%40example\.com\?secret=[A-Z2-7]{52}&issuer=Acme\+%26\+Co&digits=6&period=30$' AS uri_shape,
       jsonb_array_length(:'enabled'::jsonb -> 'backupCodes') AS backup_codes,
       (SELECT bool_and(c ~ '^[A-Za-z0-9]{5}-[A-Za-z0-9]{5}$') FROM jsonb_array_elements_text(:'enabled'::jsonb -> 'backupCodes') c) AS code_shape;
SELECT u."twoFactorEnabled" AS enabled_yet, t.verified, t.secret ~ '^[0-9a-f]+$' AS secret_encrypted,
       t."backupCodes" !~ '-' AS codes_encrypted
  FROM neon_auth."user" u JOIN neon_auth."twoFactor" t ON t."userId" = u.id WHERE u.email = 'tf-ann@example.com';
-- The URI's secret is the stored one.
SELECT substring(neon_auth.get_totp_uri('ann-password-1', :'ann') ->> 'totpURI' FROM 'secret=([A-Z2-7]+)')
       = substring(:'enabled'::jsonb ->> 'totpURI' FROM 'secret=([A-Z2-7]+)') AS same_secret;
-- Confirming: bad codes, then the right one turns two-factor on.
SELECT left(c, 10) AS code, neon_auth.verify_totp(c, false, NULL, :'ann') ->> 'code' AS answer
  FROM unnest(ARRAY['000000', 'abcdef', '1234567', '', repeat('9', 5000)]) c;
SELECT (neon_auth.verify_totp(pg_temp.code_of('tf-ann@example.com'), false, NULL, :'ann') #>> '{user,twoFactorEnabled}') AS now_enabled;
SELECT pg_temp.try(format('SELECT neon_auth.enable_two_factor(%L, NULL, %L)', 'ann-password-1', :'ann')) AS enable_twice;

-- Signing in now gives the challenge, not a session.
SELECT neon_auth.sign_in('tf-ann@example.com', 'ann-password-1') AS challenge \gset
SELECT :'challenge'::jsonb ->> 'twoFactorRedirect' AS redirect, :'challenge'::jsonb -> 'twoFactorMethods' AS methods,
       :'challenge'::jsonb ? 'token' AS has_token, :'challenge'::jsonb ? 'dontRememberCookie' AS dont_remember,
       :'challenge'::jsonb ->> 'twoFactorCookie' ~ '^2fa-[A-Za-z0-9]{20}\.[A-Za-z0-9+/]{43}=$' AS cookie_shape;
SELECT :'challenge'::jsonb ->> 'twoFactorCookie' AS ch \gset
-- A forged challenge, a wrong code (plain SQL: raised), then the right one.
SELECT pg_temp.try(format('SELECT neon_auth.verify_totp(%L, false, %L)', pg_temp.code_of('tf-ann@example.com'),
                          'not-a-challenge.' || repeat('A', 43) || '=')) AS forged;
SELECT neon_auth.verify_totp('000000', false, :'ch') ->> 'code' AS wrong_code;
SELECT neon_auth.verify_totp(pg_temp.code_of('tf-ann@example.com'), true, :'ch') AS done \gset
SELECT :'done'::jsonb #>> '{user,email}' AS email, neon_auth.verify_session(:'done'::jsonb ->> 'token') IS NOT NULL AS session_live,
       :'done'::jsonb ->> 'trustDeviceCookie' ~ '^[A-Za-z0-9_-]{43}!trust-device-[A-Za-z0-9]{32}\.[A-Za-z0-9+/]{43}=$' AS trust_cookie_shape;
SELECT pg_temp.try(format('SELECT neon_auth.verify_totp(%L, false, %L)', pg_temp.code_of('tf-ann@example.com'), :'ch')) AS challenge_reused;

-- A trusted device skips the challenge once and gets a new cookie; the old
-- cookie is spent.
BEGIN;
SELECT set_config('request.cookies', jsonb_build_object('better-auth.trust_device', :'done'::jsonb ->> 'trustDeviceCookie')::text, true) IS NOT NULL AS cookie_sent;
SELECT neon_auth.sign_in('tf-ann@example.com', 'ann-password-1') AS trusted \gset
COMMIT;
SELECT :'trusted'::jsonb ? 'token' AS session_without_challenge,
       :'trusted'::jsonb ->> 'trustDeviceCookie' <> :'done'::jsonb ->> 'trustDeviceCookie' AS cookie_rotated;
BEGIN;
SELECT set_config('request.cookies', jsonb_build_object('better-auth.trust_device', :'done'::jsonb ->> 'trustDeviceCookie')::text, true) IS NOT NULL AS old_cookie_sent;
SELECT neon_auth.sign_in('tf-ann@example.com', 'ann-password-1') ? 'twoFactorRedirect' AS old_cookie_challenged;
COMMIT;

-- In HTTP mode wrong codes are answered, and count even so: five per
-- challenge, then the challenge is gone.
SET neon_auth.json_errors = on;
SELECT neon_auth.sign_in('tf-ann@example.com', 'ann-password-1') ->> 'twoFactorCookie' AS ch2 \gset
SELECT n, neon_auth.verify_totp('000000', false, :'ch2') AS answer FROM generate_series(1, 6) n;
SELECT pg_temp.try(format('SELECT neon_auth.verify_totp(%L, false, %L)', pg_temp.code_of('tf-ann@example.com'), :'ch2')) AS after_too_many;
-- Ten wrong codes in a row lock the account for 15 minutes.
SELECT "failedVerificationCount" AS failures FROM neon_auth."twoFactor" t JOIN neon_auth."user" u ON u.id = t."userId" WHERE u.email = 'tf-ann@example.com';
UPDATE neon_auth."twoFactor" SET "failedVerificationCount" = 9 WHERE "userId" = (SELECT id FROM neon_auth."user" WHERE email = 'tf-ann@example.com');
SELECT neon_auth.sign_in('tf-ann@example.com', 'ann-password-1') ->> 'twoFactorCookie' AS ch3 \gset
SELECT neon_auth.verify_totp('000000', false, :'ch3') AS tenth_wrong;
SELECT neon_auth.verify_totp(pg_temp.code_of('tf-ann@example.com'), false, :'ch3') AS locked,
       current_setting('response.status', true) AS status;
UPDATE neon_auth."twoFactor" SET "lockedUntil" = now() - interval '1 second' WHERE "userId" = (SELECT id FROM neon_auth."user" WHERE email = 'tf-ann@example.com');
SELECT neon_auth.verify_totp(pg_temp.code_of('tf-ann@example.com'), false, :'ch3') ? 'token' AS after_lock;
SELECT "failedVerificationCount" AS failures_reset, "lockedUntil" AS lock_cleared FROM neon_auth."twoFactor" t JOIN neon_auth."user" u ON u.id = t."userId" WHERE u.email = 'tf-ann@example.com';

-- Backup codes: each works once, in a sign-in or with a session.
SELECT pg_temp.codes_of('tf-ann@example.com') ->> 0 AS code1, pg_temp.codes_of('tf-ann@example.com') ->> 1 AS code2 \gset
SELECT neon_auth.sign_in('tf-ann@example.com', 'ann-password-1') ->> 'twoFactorCookie' AS ch4 \gset
SELECT neon_auth.verify_backup_code(:'code1', false, false, :'ch4') ? 'token' AS backup_signed_in,
       jsonb_array_length(pg_temp.codes_of('tf-ann@example.com')) AS codes_left;
SELECT neon_auth.sign_in('tf-ann@example.com', 'ann-password-1') ->> 'twoFactorCookie' AS ch5 \gset
SELECT neon_auth.verify_backup_code(:'code1', false, false, :'ch5') AS reused;
SELECT neon_auth.verify_backup_code(:'code2', true, false, NULL, :'ann') ->> 'token' = :'ann' AS with_session;
SELECT neon_auth.generate_backup_codes('ann-password-1', :'ann') -> 'backupCodes' AS fresh \gset
SELECT jsonb_array_length(:'fresh'::jsonb) AS fresh_codes, pg_temp.codes_of('tf-ann@example.com') = :'fresh'::jsonb AS stored;

-- Email OTP: off unless configured (the mailbox would be a second factor);
-- then a code through the outbox, for 3 minutes, five tries.
SELECT neon_auth.sign_in('tf-ann@example.com', 'ann-password-1') -> 'twoFactorMethods' AS methods_without_otp;
SELECT pg_temp.try(format('SELECT neon_auth.send_two_factor_otp(false, %L, %L)', NULL, :'ann')) AS otp_off;
SELECT neon_auth.configure('{"two_factor_otp": true}') -> 'two_factor_otp' AS otp_on;
SELECT neon_auth.sign_in('tf-ann@example.com', 'ann-password-1') ->> 'twoFactorCookie' AS ch6 \gset
SELECT neon_auth.send_two_factor_otp(false, :'ch6') AS sent;
SELECT kind, recipient, data ->> 'otp' ~ '^[0-9]{6}$' AS otp_in_message FROM neon_auth.outbox ORDER BY id DESC LIMIT 1;
SELECT split_part(value, ':', 1) AS otp, "identifier" LIKE '2fa-otp-2fa-%' AS keyed_by_challenge, split_part(value, ':', 2) AS tries
  FROM neon_auth.verification WHERE "identifier" LIKE '2fa-otp-%' ORDER BY "createdAt" DESC LIMIT 1 \gset
SELECT :'keyed_by_challenge' AS keyed_by_challenge, :'tries' AS tries;
SELECT neon_auth.verify_two_factor_otp('000000', false, :'ch6') AS wrong_otp;
SELECT split_part(value, ':', 2) AS tries_after FROM neon_auth.verification WHERE "identifier" LIKE '2fa-otp-%' ORDER BY "createdAt" DESC LIMIT 1;
SELECT neon_auth.verify_two_factor_otp(:'otp', false, :'ch6') ? 'token' AS otp_signed_in;
SELECT pg_temp.try(format('SELECT neon_auth.verify_two_factor_otp(%L, false, %L)', :'otp', :'ch6')) AS otp_reused;
SELECT neon_auth.sign_in('tf-ann@example.com', 'ann-password-1') ->> 'twoFactorCookie' AS ch7 \gset
SELECT neon_auth.send_two_factor_otp(false, :'ch7') ->> 'status' AS sent_again;
UPDATE neon_auth.verification SET "expiresAt" = now() - interval '1 second' WHERE "identifier" LIKE '2fa-otp-%';
SELECT neon_auth.verify_two_factor_otp('123456', false, :'ch7') AS expired;

-- rememberMe = false survives the challenge (Better Auth's dont_remember
-- cookie): the session lasts a day.
SELECT neon_auth.sign_in('tf-ann@example.com', 'ann-password-1', false) AS ch8_result \gset
SELECT :'ch8_result'::jsonb ->> 'twoFactorCookie' AS ch8, :'ch8_result'::jsonb ->> 'dontRememberCookie' AS dont_remember \gset
SELECT :'dont_remember' = neon_auth._cookie_sign('true', (SELECT value FROM neon_auth.secret)) AS dont_remember_signed_true;
BEGIN;
SELECT set_config('request.cookies', jsonb_build_object('better-auth.dont_remember', :'dont_remember')::text, true) IS NOT NULL AS sent;
SELECT neon_auth.verify_totp(pg_temp.code_of('tf-ann@example.com'), false, :'ch8') ->> 'token' AS short \gset
COMMIT;
SELECT "expiresAt" - "createdAt" AS lifetime FROM neon_auth.session WHERE token = :'short';
RESET neon_auth.json_errors;
SELECT neon_auth.configure('{"two_factor_otp": false}') -> 'two_factor_otp' AS otp_off_again;

-- Wrong codes are answered even outside HTTP mode, so that their counts
-- commit; and a secret the app secret cannot decrypt verifies no code.
SELECT neon_auth.sign_in('tf-ann@example.com', 'ann-password-1') ->> 'twoFactorCookie' AS ch9 \gset
SELECT neon_auth.verify_totp('000000', false, :'ch9') AS answered_in_plain_sql;
SELECT value AS attempts_kept FROM neon_auth.verification WHERE identifier = '2fa-attempts-' || split_part(:'ch9', '.', 1);
UPDATE neon_auth."twoFactor" SET secret = '00' || substr(secret, 3) WHERE "userId" = :'ann_id'::uuid;
SELECT neon_auth.verify_totp(c, false, :'ch9') AS corrupt_secret
  FROM (SELECT neon_auth._totp_code('anything', extract(epoch FROM now())::bigint) AS c) x;
-- set_secret re-encrypts the two-factor rows, so codes keep working.
SELECT neon_auth.disable_two_factor('ann-password-1', :'ann') ->> 'status' AS reset;
SELECT neon_auth.enable_two_factor('ann-password-1', NULL, :'ann') ->> 'method' AS re_enabled;
SELECT neon_auth.verify_totp(pg_temp.code_of('tf-ann@example.com'), false, NULL, :'ann') #>> '{user,twoFactorEnabled}' AS confirmed;
SELECT value AS old_secret FROM neon_auth.secret \gset
SELECT neon_auth.set_secret('a-new-app-secret-0123456789abcdefghijklmnop');
SELECT neon_auth.sign_in('tf-ann@example.com', 'ann-password-1') ->> 'twoFactorCookie' AS ch10 \gset
SELECT neon_auth.verify_totp(pg_temp.code_of('tf-ann@example.com'), false, :'ch10') ? 'token' AS code_after_new_secret;
SELECT neon_auth.set_secret(:'old_secret');

-- No code, secret or backup code in the audit trail.
SELECT event, outcome, count(*) AS n FROM neon_auth.audit_log
 WHERE user_id = (SELECT id FROM neon_auth."user" WHERE email = 'tf-ann@example.com') AND event LIKE 'two_factor%'
 GROUP BY 1, 2 ORDER BY 1, 2;
SELECT count(*) AS audit_rows_with_codes FROM neon_auth.audit_log
 WHERE user_id = (SELECT id FROM neon_auth."user" WHERE email = 'tf-ann@example.com')
   AND (coalesce(detail::text, '') ~ '[0-9]{6}' OR coalesce(detail::text, '') LIKE '%' || :'code2' || '%');

-- viewBackupCodes is the extension owner's.
SET ROLE authenticated;
SELECT pg_temp.try(format('SELECT neon_auth.view_backup_codes(%L)', :'ann_id')) AS as_app_role;
RESET ROLE;

-- Disabling: the password, then everything goes; a second time is an error.
SELECT pg_temp.try(format('SELECT neon_auth.disable_two_factor(%L, %L)', 'wrong-password-1', :'ann')) AS wrong_password;
SELECT neon_auth.disable_two_factor('ann-password-1', :'ann') AS disabled;
SELECT u."twoFactorEnabled", (SELECT count(*) FROM neon_auth."twoFactor" t WHERE t."userId" = u.id) AS rows,
       (SELECT count(*) FROM neon_auth.verification v WHERE v."identifier" LIKE 'trust-device-%' AND v.value = u.id::text) AS trusted_devices
  FROM neon_auth."user" u WHERE u.email = 'tf-ann@example.com';
SELECT pg_temp.try(format('SELECT neon_auth.disable_two_factor(%L, %L)', 'ann-password-1', :'ann')) AS disable_twice;
SELECT pg_temp.try(format('SELECT neon_auth.get_totp_uri(%L, %L)', 'ann-password-1', :'ann')) AS no_totp;
SELECT pg_temp.try(format('SELECT neon_auth.generate_backup_codes(%L, %L)', 'ann-password-1', :'ann')) AS no_codes;
SELECT pg_temp.try(format('SELECT neon_auth.verify_backup_code(%L, false, false, NULL, %L)', 'aaaaa-bbbbb', :'ann')) AS no_backup;
SELECT pg_temp.try(format('SELECT neon_auth.verify_totp(%L, false, NULL, NULL)', '123456')) AS nobody;
SELECT (neon_auth.sign_in('tf-ann@example.com', 'ann-password-1') ->> 'token') IS NOT NULL AS plain_sign_in_again;
