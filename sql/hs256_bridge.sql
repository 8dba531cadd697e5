\set SHOW_CONTEXT never
\i sql/helpers.psql
-- PostgREST's HS256 secret (InsForge, self-hosted Supabase): token() signs
-- with it, the identity functions accept HS256 against it and nothing else.
SELECT neon_auth.sign_in('alice@example.com', 'correct horse battery') ->> 'token' AS tok \gset
-- An HS256 token, as a bridge route or GoTrue would mint it with PostgREST's secret.
CREATE FUNCTION pg_temp.hs256(claims jsonb, secret text) RETURNS text LANGUAGE sql AS $$
	SELECT neon_auth._jwt_sign_hs256(claims::text, secret) $$;
SELECT jsonb_build_object('sub', (SELECT id FROM neon_auth."user" WHERE email = 'alice@example.com'), 'role', 'authenticated',
                          'exp', extract(epoch FROM now())::bigint + 600, 'iss', 'http://localhost:3000', 'aud', 'http://localhost:3000') AS claims \gset

-- Without the secret: HS256 is refused as always, and token() cannot use it.
SELECT pg_temp.try(format('SELECT neon_auth.verify_jwt(%L)', pg_temp.hs256(:'claims', 'postgrest-secret-0123456789abcdefghijklmnop'))) AS no_secret;
SELECT pg_temp.try($$SELECT neon_auth.configure('{"jwt_hs256": true}')$$) AS hs256_without_secret;
SELECT pg_temp.try($$SELECT neon_auth.set_postgrest_secret('too-short')$$) AS too_short;

-- Stored encrypted under the server secret.
SELECT neon_auth.set_postgrest_secret('postgrest-secret-0123456789abcdefghijklmnop') IS NOT NULL AS set;
SELECT postgrest_secret <> 'postgrest-secret-0123456789abcdefghijklmnop' AS encrypted,
       neon_auth._symmetric_decrypt(value, postgrest_secret) = 'postgrest-secret-0123456789abcdefghijklmnop' AS decrypts
  FROM neon_auth.secret;

-- HS256 tokens now verify with that secret only.
SELECT neon_auth.verify_jwt(pg_temp.hs256(:'claims', 'postgrest-secret-0123456789abcdefghijklmnop')) ->> 'sub'
       = (SELECT id::text FROM neon_auth."user" WHERE email = 'alice@example.com') AS verifies;
SELECT label AS signed_with, pg_temp.try(format('SELECT neon_auth.verify_jwt(%L)', pg_temp.hs256(:'claims', w))) AS result
  FROM (VALUES ('another secret', 'another-secret-0123456789abcdefghijklmnopq'),
               ('the signing key''s public JWK', (SELECT "publicKey" FROM neon_auth.jwks ORDER BY "createdAt" DESC LIMIT 1)),
               ('the server secret', (SELECT value FROM neon_auth.secret))) x(label, w);
SELECT pg_temp.try(format('SELECT neon_auth.verify_jwt(%L)', pg_temp.hs256(jsonb_set(:'claims', '{aud}', '"elsewhere"'),
                                                                           'postgrest-secret-0123456789abcdefghijklmnop'))) AS other_audience,
       pg_temp.try(format('SELECT neon_auth.verify_jwt(%L)', pg_temp.hs256(jsonb_set(:'claims', '{exp}', '1'),
                                                                           'postgrest-secret-0123456789abcdefghijklmnop'))) AS expired;

-- token() signs HS256 when asked, with the configured audience.
SELECT neon_auth.configure('{"jwt_hs256": true, "jwt_hs256_audience": "insforge"}') -> 'jwt_hs256' AS hs256_on;
SELECT neon_auth.token(:'tok') AS jwt \gset
SELECT pg_temp.part(:'jwt', 1) AS header, pg_temp.part(:'jwt', 2) ->> 'aud' AS aud, pg_temp.part(:'jwt', 2) ->> 'role' AS role,
       pg_temp.part(:'jwt', 2) ->> 'iss' AS iss;
SELECT split_part(:'jwt', '.', 3) = neon_auth._hmac_base64url('postgrest-secret-0123456789abcdefghijklmnop',
                                                              split_part(:'jwt', '.', 1) || '.' || split_part(:'jwt', '.', 2)) AS hmac_of_secret;
SELECT pg_temp.as_bearer(:'jwt') = (SELECT id FROM neon_auth."user" WHERE email = 'alice@example.com') AS rls_identity;
SELECT pg_temp.as_bearer(NULL) IS NULL AS cleared;
-- The server secret can change: PostgREST's comes along.
SELECT neon_auth.set_secret('rotated-server-secret-0123456789abcdefghijkl') IS NOT NULL AS rotated;
SELECT neon_auth.verify_jwt(neon_auth.token(:'tok')) ->> 'aud' AS after_rotation;

-- A copy made its own drops it.
BEGIN;
SELECT neon_auth.fork('rekey', force => true) ->> 'mode' AS forked;
SELECT postgrest_secret IS NULL AS dropped, (SELECT jwt_hs256 FROM neon_auth.config) AS hs256_after_fork FROM neon_auth.secret;
SELECT pg_temp.try(format('SELECT neon_auth.verify_jwt(%L)', :'jwt')) AS original_token_in_copy;
ROLLBACK;

-- Removing it turns HS256 off everywhere.
SELECT neon_auth.set_postgrest_secret(NULL) IS NOT NULL AS removed;
SELECT jwt_hs256 AS hs256_now FROM neon_auth.config;
SELECT pg_temp.try(format('SELECT neon_auth.verify_jwt(%L)', :'jwt')) AS after_removal;
SELECT pg_temp.part(neon_auth.token(:'tok'), 1) ->> 'alg' AS token_alg_again;
SELECT neon_auth.configure('{"jwt_hs256_audience": ""}') -> 'jwt_hs256_audience' AS audience_reset;
