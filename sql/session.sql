\set SHOW_CONTEXT never
-- Sessions: verify_session, get_session, session_cookie, sign_out.
SELECT neon_auth.sign_in('alice@example.com', 'correct horse battery') ->> 'token' AS tok \gset
SELECT id AS alice FROM neon_auth."user" WHERE email = 'alice@example.com' \gset

-- verify_session: bare token, signed value (plain and URI-encoded), garbage.
SET ROLE authenticated;
SELECT neon_auth.session_cookie(:'tok') AS cookie \gset
SELECT neon_auth.verify_session(:'tok') = :'alice' AS bare,
       neon_auth.verify_session(:'cookie') = :'alice' AS signed,
       neon_auth.verify_session(replace(replace(replace(:'cookie', '+', '%2B'), '/', '%2F'), '=', '%3D')) = :'alice' AS uri_encoded;
SELECT neon_auth.verify_session(NULL) AS null_token, neon_auth.verify_session('') AS empty,
       neon_auth.verify_session('no-such-token-000000000000000000') AS unknown,
       neon_auth.verify_session(:'tok' || '.' || repeat('A', 43) || '=') AS forged_signature,
       neon_auth.verify_session(:'tok' || '.') AS empty_signature,
       neon_auth.verify_session(:'tok' || '%ZZ') AS bad_escape,
       neon_auth.verify_session(repeat('x', 100000)) AS huge;
RESET ROLE;
-- The cookie is exactly Better Auth's: token.base64(HMAC-SHA256(secret, token)).
SELECT :'cookie' = neon_auth._cookie_sign(:'tok', (SELECT value FROM neon_auth.secret)) AS matches_better_auth,
       length(split_part(:'cookie', '.', 2)) AS signature_length;
-- No signing oracle: unknown tokens get no cookie.
SELECT neon_auth.session_cookie('not-a-session-token') AS no_cookie;

-- verify_session is read-only: it works in a read-only transaction.
BEGIN TRANSACTION READ ONLY;
SELECT neon_auth.verify_session(:'tok') = :'alice' AS read_only_ok;
SELECT (neon_auth.get_session(:'tok') #>> '{user,email}') AS read_only_get_session;
COMMIT;

-- get_session: the Better Auth response shape.
SELECT jsonb_object_keys(neon_auth.get_session(:'tok')) AS keys ORDER BY 1;
SELECT jsonb_object_keys(neon_auth.get_session(:'tok') -> 'session') AS session_keys ORDER BY 1;
SELECT neon_auth.get_session('unknown-token') AS unknown, neon_auth.get_session(NULL) AS null_token;

-- Sliding refresh: a session with 5 days left is pushed to now + 7 days...
UPDATE neon_auth.session SET "expiresAt" = now() + interval '5 days' WHERE token = :'tok';
SELECT (neon_auth.get_session(:'tok') IS NOT NULL) AS live;
SELECT "expiresAt" > now() + interval '6 days 23 hours' AS refreshed FROM neon_auth.session WHERE token = :'tok';
-- ...one with more than 6 days left is left alone...
UPDATE neon_auth.session SET "expiresAt" = now() + interval '6 days 12 hours' WHERE token = :'tok';
SELECT (neon_auth.get_session(:'tok') IS NOT NULL) AS live;
SELECT "expiresAt" < now() + interval '6 days 13 hours' AS not_refreshed FROM neon_auth.session WHERE token = :'tok';
-- ...and so is a rememberMe = false session (explicit flag, or the signed cookie PostgREST passes).
UPDATE neon_auth.session SET "expiresAt" = now() + interval '5 days' WHERE token = :'tok';
SELECT (neon_auth.get_session(:'tok', dont_remember => true) IS NOT NULL) AS live;
SELECT "expiresAt" < now() + interval '5 days 1 minute' AS not_refreshed FROM neon_auth.session WHERE token = :'tok';
SELECT set_config('request.cookies', json_build_object('better-auth.dont_remember',
       neon_auth._cookie_sign('true', (SELECT value FROM neon_auth.secret)))::text, false) IS NOT NULL AS cookie_set;
SELECT (neon_auth.get_session(:'tok') IS NOT NULL) AS live;
SELECT "expiresAt" < now() + interval '5 days 1 minute' AS not_refreshed FROM neon_auth.session WHERE token = :'tok';
-- A forged dont_remember cookie is ignored.
SELECT set_config('request.cookies', '{"better-auth.dont_remember": "true.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}', false) IS NOT NULL AS cookie_set;
SELECT (neon_auth.get_session(:'tok') IS NOT NULL) AS live;
SELECT "expiresAt" > now() + interval '6 days 23 hours' AS refreshed FROM neon_auth.session WHERE token = :'tok';
SELECT set_config('request.cookies', '', false) IS NOT NULL AS cookie_cleared;
-- SQL callers often have no cookie: a rememberMe = false session (one-day
-- lifetime) is still never refreshed.
SELECT neon_auth.sign_in('alice@example.com', 'correct horse battery', remember_me => false) ->> 'token' AS short_tok \gset
SELECT "expiresAt" AS short_expiry FROM neon_auth.session WHERE token = :'short_tok' \gset
SELECT (neon_auth.get_session(:'short_tok') IS NOT NULL) AS live;
SELECT "expiresAt" = :'short_expiry' AS short_not_refreshed FROM neon_auth.session WHERE token = :'short_tok';
-- Expiry is Better Auth's: a session is valid up to and including expiresAt
-- (now() is fixed inside a transaction, so the instant can be hit exactly).
BEGIN;
UPDATE neon_auth.session SET "expiresAt" = now() WHERE token = :'short_tok';
SELECT neon_auth.verify_session(:'short_tok') IS NOT NULL AS valid_at_expiry_instant,
       neon_auth.get_session(:'short_tok', dont_remember => true) <> 'null'::jsonb AS get_session_too;
ROLLBACK;
-- In a read-only transaction nothing is written.
UPDATE neon_auth.session SET "expiresAt" = now() + interval '5 days' WHERE token = :'tok';
BEGIN TRANSACTION READ ONLY;
SELECT (neon_auth.get_session(:'tok') IS NOT NULL) AS live;
COMMIT;
SELECT "expiresAt" < now() + interval '5 days 1 minute' AS not_refreshed FROM neon_auth.session WHERE token = :'tok';

-- Expired sessions: verify_session says NULL, get_session says null and deletes the row.
UPDATE neon_auth.session SET "expiresAt" = now() - interval '1 second' WHERE token = :'tok';
SELECT neon_auth.verify_session(:'tok') AS expired, neon_auth.session_cookie(:'tok') AS expired_cookie;
SELECT neon_auth.get_session(:'tok') AS expired_get;
SELECT count(*) AS rows_left FROM neon_auth.session WHERE token = :'tok';

-- A banned user's live session stops verifying; a lifted ban restores it.
SELECT neon_auth.sign_in('alice@example.com', 'correct horse battery') ->> 'token' AS tok2 \gset
UPDATE neon_auth."user" SET banned = true WHERE email = 'alice@example.com';
SELECT neon_auth.verify_session(:'tok2') AS banned_verify, neon_auth.get_session(:'tok2') AS banned_get,
       neon_auth.session_cookie(:'tok2') AS banned_cookie;
UPDATE neon_auth."user" SET "banExpires" = now() - interval '1 second' WHERE email = 'alice@example.com';
SELECT neon_auth.verify_session(:'tok2') = :'alice' AS expired_ban_verifies;
UPDATE neon_auth."user" SET banned = false, "banExpires" = NULL WHERE email = 'alice@example.com';

-- sign_out with the signed cookie value deletes the session.
SELECT neon_auth.session_cookie(:'tok2') AS cookie2 \gset
SET ROLE anon;
SELECT neon_auth.sign_out(:'cookie2');
SELECT neon_auth.verify_session(:'tok2') AS after_sign_out;
-- Signing out twice, or with garbage, still answers success.
SELECT neon_auth.sign_out(:'tok2') AS again, neon_auth.sign_out('garbage.value') AS garbage, neon_auth.sign_out(NULL) AS null_token;
RESET ROLE;

-- Deleting a user cascades to sessions and accounts.
SELECT neon_auth.sign_in('carol@example.com', 'carol-password') ->> 'token' AS carol_tok \gset
DELETE FROM neon_auth."user" WHERE email = 'carol@example.com';
SELECT neon_auth.verify_session(:'carol_tok') AS deleted_user,
       (SELECT count(*) FROM neon_auth.account a WHERE NOT EXISTS (SELECT 1 FROM neon_auth."user" u WHERE u.id = a."userId")) AS orphan_accounts;

-- A new secret invalidates signed cookie values but not bare tokens.
SELECT neon_auth.sign_in('alice@example.com', 'correct horse battery') ->> 'token' AS tok3 \gset
SELECT neon_auth.session_cookie(:'tok3') AS cookie3 \gset
SELECT neon_auth.set_secret('better-auth-test-secret-0123456789abcdef');
SELECT neon_auth.verify_session(:'cookie3') AS old_cookie, neon_auth.verify_session(:'tok3') = :'alice' AS bare_still_ok;
SELECT neon_auth.session_cookie(:'tok3') = neon_auth._cookie_sign(:'tok3', 'better-auth-test-secret-0123456789abcdef') AS new_cookie_is_better_auths;
SELECT count(*) AS secret_rows FROM neon_auth.secret;
SELECT neon_auth.set_secret('short');
SELECT neon_auth.set_secret('');
SET ROLE authenticated;
SELECT neon_auth.set_secret('an-attacker-chosen-secret-0123456789abcdef');
RESET ROLE;
SELECT value = 'short' AS short_secret_kept FROM neon_auth.secret;

-- session_cookies: what an HTTP layer needs for Better Auth's cookies, signed
-- by the database; only for a live session, and dont_remember only signs
-- "true" (the value Better Auth's dont_remember cookie holds).
SET ROLE authenticated;
SELECT c ->> 'value' = neon_auth.session_cookie(:'tok3') AS value_is_session_cookie, c ->> 'maxAge' AS max_age,
       c -> 'dontRemember' AS no_dont_remember
  FROM neon_auth.session_cookies(:'tok3') c;
SELECT neon_auth.session_cookies(:'tok3', true) ->> 'dontRemember' AS dont_remember \gset
SELECT neon_auth.session_cookies('not-a-session-token', true) AS unknown_token,
       neon_auth.session_cookies(NULL) AS null_token;
RESET ROLE;
SELECT :'dont_remember' = neon_auth._cookie_sign('true', (SELECT value FROM neon_auth.secret)) AS dont_remember_is_signed_true;

-- verify_password and update_session (Better Auth's /verify-password and
-- /update-session; issue 17).
\i sql/helpers.psql
SELECT neon_auth.sign_in('alice@example.com', 'correct horse battery') ->> 'token' AS tok \gset
SELECT neon_auth.verify_password('correct horse battery', :'tok') AS right_password;
SELECT length(p) AS password_length, pg_temp.try(format('SELECT neon_auth.verify_password(%L, %L)', p, :'tok')) AS result
  FROM unnest(ARRAY['wrong horse battery', 'short', repeat('x', 1000)]) p;
SELECT pg_temp.try('SELECT neon_auth.verify_password(NULL, ' || quote_literal(:'tok') || ')') AS null_password,
       pg_temp.try($$SELECT neon_auth.verify_password('correct horse battery', 'not-a-session')$$) AS no_session;
SET neon_auth.json_errors = on;
SELECT neon_auth.verify_password('wrong horse battery', :'tok') AS answered, current_setting('response.status') AS status;
RESET neon_auth.json_errors;
SELECT pg_temp.try(format($$SELECT neon_auth.update_session('{"activeOrganizationId": null}', %L)$$, :'tok')) AS update_session,
       pg_temp.try(format($$SELECT neon_auth.update_session('[1]', %L)$$, :'tok')) AS not_an_object;
