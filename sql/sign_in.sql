\set SHOW_CONTEXT never
-- neon_auth.sign_in: Better Auth's POST /sign-in/email.
SET ROLE authenticated;
SELECT neon_auth.sign_in('ALICE@example.com', 'correct horse battery') AS r \gset
RESET ROLE;
SELECT jsonb_object_keys(:'r'::jsonb) AS response_keys ORDER BY 1;
SELECT :'r'::jsonb -> 'redirect' AS redirect, :'r'::jsonb #>> '{user,email}' AS email,
       (:'r'::jsonb ->> 'token') ~ '^[A-Za-z0-9]{32}$' AS token_shape;
SELECT neon_auth.verify_session(:'r'::jsonb ->> 'token') = (SELECT id FROM neon_auth."user" WHERE email = 'alice@example.com') AS session_is_alices;
-- A new session per sign-in.
SELECT count(*) AS alice_sessions FROM neon_auth.session s JOIN neon_auth."user" u ON u.id = s."userId" WHERE u.email = 'alice@example.com';

-- Wrong password and unknown email: the same error.
SELECT neon_auth.sign_in('alice@example.com', 'correct horse batterY');
SELECT neon_auth.sign_in('nobody@example.com', 'correct horse battery');
-- A user with no credential account (e.g. social sign-in only) cannot use a password.
INSERT INTO neon_auth."user" (name, email) VALUES ('Social', 'social@example.com');
SELECT neon_auth.sign_in('social@example.com', 'correct horse battery');
-- Failed sign-ins write nothing.
SELECT count(*) AS alice_sessions FROM neon_auth.session s JOIN neon_auth."user" u ON u.id = s."userId" WHERE u.email = 'alice@example.com';

-- Banned users are refused after the password check; an expired ban is lifted.
UPDATE neon_auth."user" SET banned = true, "banReason" = 'spam', "banExpires" = NULL WHERE email = 'bob@example.com';
SELECT neon_auth.sign_in('bob@example.com', 'bob-password-1');
SELECT neon_auth.sign_in('bob@example.com', 'wrong-password-1');
UPDATE neon_auth."user" SET "banExpires" = now() + interval '1 hour' WHERE email = 'bob@example.com';
SELECT neon_auth.sign_in('bob@example.com', 'bob-password-1');
UPDATE neon_auth."user" SET "banExpires" = now() - interval '1 second' WHERE email = 'bob@example.com';
SELECT (neon_auth.sign_in('bob@example.com', 'bob-password-1') ->> 'token') IS NOT NULL AS signed_in;
SELECT banned, "banReason", "banExpires" FROM neon_auth."user" WHERE email = 'bob@example.com';

-- With email verification required, unverified users are refused.
UPDATE neon_auth.config SET require_email_verification = true;
SELECT neon_auth.sign_in('frank@example.com', 'frank-password');
UPDATE neon_auth."user" SET "emailVerified" = true WHERE email = 'frank@example.com';
SELECT (neon_auth.sign_in('frank@example.com', 'frank-password') ->> 'token') IS NOT NULL AS verified_signs_in;
UPDATE neon_auth.config SET require_email_verification = false;

-- A password hash written by Better Auth signs in (vector 1 of the spec).
INSERT INTO neon_auth."user" (name, email) VALUES ('Vector', 'vector@example.com');
INSERT INTO neon_auth.account ("accountId", "providerId", "userId", password)
SELECT id::text, 'credential', id, '000102030405060708090a0b0c0d0e0f:3e0919938b5e2b36382eb5a81c23ab15482d02c6a9e295451ff69530660a61b2ca15c113ee385e40a1a76b9345e7d3d519fe53b60d2786758802d888ceb009d1'
  FROM neon_auth."user" WHERE email = 'vector@example.com';
SELECT (neon_auth.sign_in('vector@example.com', 'password') ->> 'token') IS NOT NULL AS better_auth_hash_signs_in;

-- remember_me = false gives a one-day session.
SELECT neon_auth.sign_in('alice@example.com', 'correct horse battery', false) ->> 'token' AS short_token \gset
SELECT "expiresAt" - "createdAt" AS lifetime FROM neon_auth.session WHERE token = :'short_token';

\i sql/helpers.psql
-- Two-factor users get Better Auth's challenge, not a session: two
-- verification rows (10 minutes) and the signed better-auth.two_factor value.
UPDATE neon_auth."user" SET "twoFactorEnabled" = true WHERE email = 'alice@example.com';
SELECT count(*) AS sessions_before FROM neon_auth.session s JOIN neon_auth."user" u ON u.id = s."userId" WHERE u.email = 'alice@example.com' \gset
SELECT neon_auth.sign_in('alice@example.com', 'correct horse battery') AS challenge \gset
SELECT :'challenge'::jsonb - 'twoFactorCookie' AS challenge_without_cookie,
       (SELECT count(*) FROM neon_auth.session s JOIN neon_auth."user" u ON u.id = s."userId" WHERE u.email = 'alice@example.com') = :sessions_before AS no_new_session;
SELECT v.value = u.id::text AS challenge_names_the_user,
       round(extract(epoch FROM v."expiresAt" - v."createdAt")) AS lifetime_s,
       (SELECT value FROM neon_auth.verification WHERE identifier = '2fa-attempts-' || v.identifier) AS attempts
  FROM neon_auth.verification v, neon_auth."user" u
 WHERE u.email = 'alice@example.com'
   AND v.identifier = neon_auth._cookie_verify(:'challenge'::jsonb ->> 'twoFactorCookie', (SELECT value FROM neon_auth.secret));
-- With a verified TOTP secret the method is offered; the wrong password is still refused first.
INSERT INTO neon_auth."twoFactor" (secret, "backupCodes", "userId") SELECT 'x', 'y', id FROM neon_auth."user" WHERE email = 'alice@example.com';
SELECT neon_auth.sign_in('alice@example.com', 'correct horse battery') -> 'twoFactorMethods' AS methods;
SELECT pg_temp.try($$SELECT neon_auth.sign_in('alice@example.com', 'wrong-password-1')$$);
SELECT outcome, count(*) FROM neon_auth.audit_log WHERE event = 'sign_in' AND email = 'alice@example.com' AND outcome = 'TWO_FACTOR_REQUIRED' GROUP BY outcome;
DELETE FROM neon_auth."twoFactor";
UPDATE neon_auth."user" SET "twoFactorEnabled" = false WHERE email = 'alice@example.com';

-- Writers in a read-only transaction: one clear error naming the function.
BEGIN READ ONLY;
SELECT pg_temp.try_hint($$SELECT neon_auth.sign_in('alice@example.com', 'correct horse battery')$$);
SELECT pg_temp.try($$SELECT neon_auth.sign_out('anything')$$);
SELECT pg_temp.try($$SELECT neon_auth.outbox_claim()$$);
ROLLBACK;
