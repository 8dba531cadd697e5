\set SHOW_CONTEXT never
-- neon_auth.sign_up: Better Auth's POST /sign-up/email.
-- Runs as an app role: the function is SECURITY DEFINER.
SET ROLE anon;
-- PostgREST's per-request settings: the session records IP and user agent.
SELECT set_config('request.headers', '{"x-forwarded-for": "203.0.113.5, 10.0.0.1", "user-agent": "regress-agent/1.0"}', false) IS NOT NULL AS headers_set;
SELECT neon_auth.sign_up('Alice@Example.COM', 'correct horse battery', 'Alice') AS r \gset
RESET ROLE;
SELECT jsonb_object_keys(:'r'::jsonb) AS response_keys ORDER BY 1;
SELECT (:'r'::jsonb ->> 'token') ~ '^[A-Za-z0-9]{32}$' AS token_shape;
SELECT k AS user_keys, jsonb_typeof((:'r'::jsonb -> 'user') -> k) AS type, CASE WHEN k IN ('id', 'createdAt', 'updatedAt') THEN NULL ELSE (:'r'::jsonb -> 'user') -> k END AS value
  FROM jsonb_object_keys(:'r'::jsonb -> 'user') AS k ORDER BY 1;
SELECT (:'r'::jsonb #>> '{user,createdAt}') ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$' AS iso_millis;

-- The rows Better Auth would have written.
SELECT u.email, u.name, u."emailVerified", u.role, u.banned, u."twoFactorEnabled", u."isAnonymous",
       u."createdAt" = date_trunc('milliseconds', u."createdAt") AS millisecond_precision,
       u.id::text = :'r'::jsonb #>> '{user,id}' AS id_matches
  FROM neon_auth."user" u;
SELECT a."providerId", a."accountId" = a."userId"::text AS account_id_is_user_id,
       a.password ~ '^[0-9a-f]{32}:[0-9a-f]{128}$' AS better_auth_hash,
       neon_auth._password_verify('correct horse battery', a.password) AS verifies
  FROM neon_auth.account a;
SELECT s.token = :'r'::jsonb ->> 'token' AS token_matches, s."ipAddress", s."userAgent",
       s."expiresAt" - s."createdAt" AS lifetime, s."updatedAt" = s."createdAt" AS fresh
  FROM neon_auth.session s;

-- remember_me = false: a one-day session. No request headers: '' as Better Auth writes.
SELECT set_config('request.headers', '', false) IS NOT NULL AS headers_cleared;
SELECT neon_auth.sign_up('bob@example.com', 'bob-password-1', 'Bob', 'https://example.com/bob.png', false) ->> 'token' AS bob_token \gset
SELECT s."expiresAt" - s."createdAt" AS lifetime, s."ipAddress" = '' AS no_ip, s."userAgent" = '' AS no_agent
  FROM neon_auth.session s WHERE s.token = :'bob_token';
SELECT image FROM neon_auth."user" WHERE email = 'bob@example.com';

-- A malformed request.headers value does not break sign-up.
SELECT set_config('request.headers', '{not json', false) IS NOT NULL AS bad_headers_set;
SELECT (neon_auth.sign_up('carol@example.com', 'carol-password', 'Carol') ->> 'token') IS NOT NULL AS signed_up;
SELECT "ipAddress" = '' AS no_ip FROM neon_auth.session s JOIN neon_auth."user" u ON u.id = s."userId" WHERE u.email = 'carol@example.com';
SELECT set_config('request.headers', '{"x-forwarded-for": "not-an-ip"}', false) IS NOT NULL AS bad_ip_set;
SELECT (neon_auth.sign_up('dave@example.com', 'dave-password', 'Dave') ->> 'token') IS NOT NULL AS signed_up;
SELECT "ipAddress" = '' AS no_ip FROM neon_auth.session s JOIN neon_auth."user" u ON u.id = s."userId" WHERE u.email = 'dave@example.com';
SELECT set_config('request.headers', '', false) IS NOT NULL AS headers_cleared;

-- A password that is not in NFKC form is stored normalized: the composed
-- spelling signs in.
SELECT (neon_auth.sign_up('eve@example.com', U&'Cafe\0301 \FF30\FF41\FF53\FF53 \2460', 'Eve') ->> 'token') IS NOT NULL AS signed_up;
SELECT (neon_auth.sign_in('eve@example.com', 'Café Pass 1') ->> 'token') IS NOT NULL AS composed_form_signs_in;

-- When the configuration requires email verification, no session is made.
UPDATE neon_auth.config SET require_email_verification = true;
SELECT neon_auth.sign_up('frank@example.com', 'frank-password', 'Frank') -> 'token' AS token;
SELECT count(*) AS frank_sessions FROM neon_auth.session s JOIN neon_auth."user" u ON u.id = s."userId" WHERE u.email = 'frank@example.com';
-- ...and an existing email gets the same kind of answer as a new one (as
-- Better Auth does), so sign-up does not reveal who has an account; nothing is written.
SELECT count(*) AS users_before FROM neon_auth."user" \gset
SELECT neon_auth.sign_up('ALICE@example.com', 'another password', 'Not Alice') AS fake \gset
SELECT :'fake'::jsonb -> 'token' AS token, :'fake'::jsonb #>> '{user,email}' AS email, :'fake'::jsonb #>> '{user,name}' AS name,
       (:'fake'::jsonb #>> '{user,id}')::uuid <> (SELECT id FROM neon_auth."user" WHERE email = 'alice@example.com') AS not_alices_id,
       (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(:'fake'::jsonb -> 'user') k) =
       (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(:'r'::jsonb -> 'user') k) AS same_fields_as_a_real_user;
SELECT count(*) - :users_before AS users_added, (SELECT name FROM neon_auth."user" WHERE email = 'alice@example.com') AS alice_name FROM neon_auth."user";
UPDATE neon_auth.config SET require_email_verification = false;
-- config.updated_at follows updates.
BEGIN;
UPDATE neon_auth.config SET session_update_age = session_update_age;
SELECT updated_at = now() AS updated_at_touched FROM neon_auth.config;
COMMIT;

-- The same email again, in any case, is refused and writes nothing.
SELECT count(*) AS users_before FROM neon_auth."user";
SELECT neon_auth.sign_up('ALICE@example.com', 'another password', 'Alice 2');
SELECT count(*) AS users_after FROM neon_auth."user";
