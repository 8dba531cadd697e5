\set SHOW_CONTEXT never
\i sql/helpers.psql
-- Magic links (src/sql/46_magic_link.sql): Better Auth's magicLink plugin.
CREATE FUNCTION pg_temp.last_link(email text) RETURNS jsonb LANGUAGE sql AS $$
	SELECT data FROM neon_auth.outbox WHERE kind = 'magic-link' AND recipient = email ORDER BY id DESC LIMIT 1 $$;

-- A link for an address without an account: the outbox has it, stored as Better Auth stores it.
SELECT neon_auth.sign_in_magic_link('ML-New@example.com', 'Nina', '/welcome', '/onboarding') AS sent;
SELECT pg_temp.last_link('ml-new@example.com') ->> 'token' AS tok \gset
SELECT :'tok' ~ '^[A-Za-z]{32}$' AS token_shape,
       replace(pg_temp.last_link('ml-new@example.com') ->> 'url', :'tok', '<token>') AS url,
       (SELECT value FROM neon_auth.verification WHERE identifier = 'magic-link:' || :'tok') AS stored,
       (SELECT "expiresAt" - "createdAt" FROM neon_auth.verification WHERE identifier = 'magic-link:' || :'tok') AS lifetime;
-- Verifying signs the new user up, with a verified address, once.
SELECT neon_auth.magic_link_verify(:'tok') AS r \gset
SELECT :'r'::jsonb #>> '{user,email}' AS email, :'r'::jsonb #>> '{user,name}' AS name,
       :'r'::jsonb #>> '{user,emailVerified}' AS verified, :'r'::jsonb ->> 'isNewUser' AS is_new,
       :'r'::jsonb #>> '{session,token}' = :'r'::jsonb ->> 'token' AS session_is_token,
       neon_auth.verify_session(:'r'::jsonb ->> 'token') IS NOT NULL AS session_live;
SELECT pg_temp.try(format('SELECT neon_auth.magic_link_verify(%L)', :'tok')) AS reused;

-- An existing user who never proved the address loses what nobody proved: its password and sessions.
SELECT neon_auth.sign_up('ml-squat@example.com', 'squatter-password-1', 'Squatter') ->> 'token' AS squat \gset
SELECT neon_auth.sign_in_magic_link('ml-squat@example.com') ->> 'status' AS sent;
SELECT neon_auth.magic_link_verify(pg_temp.last_link('ml-squat@example.com') ->> 'token') ->> 'isNewUser' AS is_new;
SELECT u."emailVerified" AS verified, (SELECT count(*) FROM neon_auth.account a WHERE a."userId" = u.id) AS accounts,
       neon_auth.verify_session(:'squat') IS NULL AS old_session_gone
  FROM neon_auth."user" u WHERE u.email = 'ml-squat@example.com';

-- Expired, unknown, another plugin's row: INVALID_TOKEN; an untrusted callback: INVALID_CALLBACK_URL.
SELECT neon_auth.sign_in_magic_link('ml-new@example.com') ->> 'status' AS sent;
SELECT pg_temp.last_link('ml-new@example.com') ->> 'token' AS tok2 \gset
UPDATE neon_auth.verification SET "expiresAt" = now() - interval '1 second' WHERE identifier = 'magic-link:' || :'tok2';
SELECT pg_temp.try(format('SELECT neon_auth.magic_link_verify(%L)', t)) AS result
  FROM unnest(ARRAY[:'tok2', 'nope', '']) t;
INSERT INTO neon_auth.verification (identifier, value, "expiresAt") VALUES ('magic-link:forged', 'not json', now() + interval '1 minute');
SELECT pg_temp.try('SELECT neon_auth.magic_link_verify(''forged'')') AS not_a_link;
SELECT pg_temp.try('SELECT neon_auth.sign_in_magic_link(''ml-new@example.com'', NULL, ''https://evil.example/'')') AS evil_callback;
SELECT pg_temp.try('SELECT neon_auth.sign_in_magic_link(''not-an-email'')') AS bad_email;

-- A two-factor user gets the challenge, not a session.
SELECT neon_auth.sign_up('ml-tfa@example.com', 'tfa-password-1', 'T') IS NOT NULL AS made;
UPDATE neon_auth."user" SET "twoFactorEnabled" = true, "emailVerified" = true WHERE email = 'ml-tfa@example.com';
SELECT neon_auth.sign_in_magic_link('ml-tfa@example.com') ->> 'status' AS sent;
SELECT neon_auth.magic_link_verify(pg_temp.last_link('ml-tfa@example.com') ->> 'token') ? 'twoFactorRedirect' AS challenged;
-- In HTTP mode failures are answered.
SET neon_auth.json_errors = on;
SELECT neon_auth.magic_link_verify('nope') AS answered, current_setting('response.status') AS status;
RESET neon_auth.json_errors;
