\set SHOW_CONTEXT never
\i sql/helpers.psql
-- The RLS identity (src/sql/30_identity.sql): where requesting_user_id(),
-- jwt() and session() find the caller, in docs/rls.md's order, and the one
-- rule decided in src/pg/identity_fns.cpp: a credential that is present
-- identifies its user or nobody, and never falls through to trusted claims.
SELECT neon_auth.sign_up('ida@example.com', 'ida-password-1', 'Ida') ->> 'token' AS ida \gset
SELECT neon_auth.sign_up('ivo@example.com', 'ivo-password-1', 'Ivo') ->> 'token' AS ivo \gset
SELECT id AS ida_id FROM neon_auth."user" WHERE email = 'ida@example.com' \gset
SELECT id AS ivo_id FROM neon_auth."user" WHERE email = 'ivo@example.com' \gset
SELECT neon_auth.session_cookie(:'ida') AS ida_cookie \gset
SELECT neon_auth.token(:'ivo') AS ivo_jwt \gset

-- Nothing set: nobody.
SELECT neon_auth.requesting_user_id() IS NULL AS nobody, neon_auth.jwt() IS NULL AS no_claims,
       neon_auth.session() IS NULL AS no_session;

-- 1. authenticate(): a session token, a signed cookie value, a JWT.
BEGIN;
SELECT neon_auth.authenticate(:'ida') = :'ida_id' AS token_identifies;
SELECT neon_auth.requesting_user_id() = :'ida_id' AS ida, neon_auth.session() #>> '{user,email}' AS session_user_email,
       neon_auth.session() #> '{session}' ? 'token' AS session_shows_token, neon_auth.jwt() AS claims;
SELECT neon_auth.authenticate(:'ida_cookie') = :'ida_id' AS cookie_identifies;
SELECT neon_auth.authenticate(:'ivo_jwt') = :'ivo_id' AS jwt_identifies;
SELECT neon_auth.jwt() ->> 'email' AS claims_email, neon_auth.session() IS NULL AS no_session_for_jwt;
COMMIT;
SELECT neon_auth.requesting_user_id() IS NULL AS transaction_local;

-- 2. PostgREST's bearer header, 3. its session cookie; authenticate() first.
BEGIN;
SELECT set_config('request.headers', json_build_object('authorization', 'Bearer ' || :'ivo_jwt')::text, true) IS NOT NULL AS bearer_set;
SELECT neon_auth.requesting_user_id() = :'ivo_id' AS bearer_identifies;
SELECT set_config('request.cookies', json_build_object('better-auth.session_token', :'ida_cookie')::text, true) IS NOT NULL AS cookie_set;
SELECT neon_auth.requesting_user_id() = :'ivo_id' AS bearer_before_cookie;
SELECT set_config('request.headers', '{}', true) IS NOT NULL AS bearer_gone;
SELECT neon_auth.requesting_user_id() = :'ida_id' AS cookie_identifies;
SELECT neon_auth.authenticate(:'ivo') = :'ivo_id' AS authenticate_first;
ROLLBACK;

-- A present credential that does not verify identifies nobody, in every
-- source, and never falls through to a later one.
BEGIN;
SELECT set_config('request.cookies', json_build_object('better-auth.session_token', :'ida_cookie')::text, true) IS NOT NULL AS cookie_set;
SELECT set_config('request.headers', '{"authorization": "Bearer not-a-live-token"}', true) IS NOT NULL AS bad_bearer;
SELECT neon_auth.requesting_user_id() IS NULL AS bad_bearer_hides_cookie;
SELECT neon_auth.authenticate(:'ida' || 'x') IS NULL AS bad_token_is_nobody;
ROLLBACK;

-- 4. Trusted claims: only with neon_auth.trust_jwt_claims (superuser), only
-- when no credential is present, and only for a live user.
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'ida_id', 'role', 'authenticated')::text, true) IS NOT NULL AS claims_set;
SELECT neon_auth.requesting_user_id() IS NULL AS untrusted_by_default;
SET LOCAL neon_auth.trust_jwt_claims = on;
SELECT neon_auth.requesting_user_id() = :'ida_id' AS trusted, neon_auth.jwt() ->> 'role' AS claims_role;
SELECT set_config('request.headers', '{"authorization": "Bearer not-a-live-token"}', true) IS NOT NULL AS bad_bearer;
SELECT neon_auth.requesting_user_id() IS NULL AS credential_beats_claims;
SELECT set_config('request.headers', '{}', true) IS NOT NULL AS bearer_gone;
SELECT set_config('request.jwt.claims', json_build_object('sub', gen_random_uuid())::text, true) IS NOT NULL AS unknown_sub;
SELECT neon_auth.requesting_user_id() IS NULL AS unknown_user_is_nobody;
ROLLBACK;
SET ROLE authenticated;
SELECT pg_temp.try('SET neon_auth.trust_jwt_claims = on') AS app_role_cannot_trust_claims;
RESET ROLE;

-- The resolver takes what the C code chose: a credential or claims, never
-- both (the decision is not made twice).
SELECT pg_temp.try(format('SELECT neon_auth._resolve_identity(%L, %L)', :'ida', '{"sub": "x"}')) AS both_refused;
SELECT (neon_auth._resolve_identity(:'ida', NULL)).identity ->> 'via' AS via_credential,
       (neon_auth._resolve_identity(NULL, json_build_object('sub', :'ivo_id')::text)).identity ->> 'via' AS via_claims;

-- A validly signed JWT whose claims hold a NUL ("\u0000") identifies nobody
-- (PostgreSQL text cannot hold the claims): NULL, not an error quoting them.
SELECT neon_auth._jwt_sign(k.id::text,
         format('{"sub":"%s","name":"a\u0000b","exp":%s,"iss":"%s","aud":"%s"}', :'ivo_id',
                extract(epoch FROM now())::bigint + 600, neon_auth._origin(c.base_url), neon_auth._origin(c.base_url)),
         neon_auth._private_jwk(k)) AS nul_jwt
  FROM neon_auth._signing_key() k, neon_auth.config c \gset
BEGIN;
SELECT neon_auth.authenticate(:'nul_jwt') IS NULL AS nul_jwt_is_nobody;
SELECT set_config('request.headers', json_build_object('authorization', 'Bearer ' || :'nul_jwt')::text, true) IS NOT NULL AS bearer_set;
SELECT neon_auth.requesting_user_id() IS NULL AS nul_bearer_is_nobody;
ROLLBACK;
SELECT pg_temp.try(format('SELECT neon_auth.verify_jwt(%L)', :'nul_jwt')) AS verify_jwt;
BEGIN;
SET LOCAL neon_auth.trust_jwt_claims = on;
SELECT set_config('request.jwt.claims', format('{"sub":"%s","name":"a\u0000b"}', :'ivo_id'), true) IS NOT NULL AS claims_set;
SELECT neon_auth.requesting_user_id() IS NULL AS nul_claims_are_nobody;
SELECT set_config('request.jwt.claims', format('{"sub":"%s","name":"a\\u0000b"}', :'ivo_id'), true) IS NOT NULL AS escaped_backslash;
SELECT neon_auth.requesting_user_id() = :'ivo_id' AS escaped_backslash_is_no_nul;
ROLLBACK;

-- The per-backend cache holds thousands of credentials (docs/rls.md): 300
-- sessions resolved once each, then all of them again from the cache.
INSERT INTO neon_auth.session (token, "userId", "expiresAt")
SELECT 'cache' || lpad(i::text, 27, '0'), :'ivo_id', now() + interval '1 day' FROM generate_series(1, 300) i;
SET track_functions = 'all';
CREATE FUNCTION pg_temp.resolver_calls() RETURNS bigint LANGUAGE sql AS $$
	SELECT coalesce((SELECT calls FROM pg_stat_xact_user_functions WHERE funcname = '_resolve_identity'), 0) $$;
BEGIN;
SELECT pg_temp.resolver_calls() AS calls_before \gset
SELECT count(*) FILTER (WHERE neon_auth.authenticate('cache' || lpad(i::text, 27, '0')) = :'ivo_id') AS first_pass
  FROM generate_series(1, 300) i;
SELECT pg_temp.resolver_calls() - :calls_before AS resolved_first;
SELECT count(*) FILTER (WHERE neon_auth.authenticate('cache' || lpad(i::text, 27, '0')) = :'ivo_id') AS second_pass
  FROM generate_series(1, 300) i;
SELECT pg_temp.resolver_calls() - :calls_before AS resolved_in_all;
COMMIT;
-- A sign-out still ends a cached identity at once.
DELETE FROM neon_auth.session WHERE token = 'cache' || lpad('7', 27, '0');
BEGIN;
SELECT neon_auth.authenticate('cache' || lpad('7', 27, '0')) IS NULL AS signed_out_seen,
       neon_auth.authenticate('cache' || lpad('8', 27, '0')) = :'ivo_id' AS others_still_cached;
COMMIT;
RESET track_functions;
DELETE FROM neon_auth.session WHERE token LIKE 'cache%';

-- config.cookie_prefix (Better Auth's advanced.cookiePrefix): the session
-- cookie of a PostgREST request is "<prefix>.session_token", and only that.
SELECT neon_auth.sign_up('prefix-pia@example.com', 'pia-password-1', 'Pia') ->> 'token' AS ptok \gset
SELECT neon_auth.session_cookie(:'ptok') AS pcookie \gset
SELECT neon_auth.configure('{"cookie_prefix": "myapp"}') ->> 'cookie_prefix' AS prefix;
BEGIN;
SELECT set_config('request.cookies', json_build_object('myapp.session_token', :'pcookie')::text, true) IS NOT NULL AS cookie_set;
SELECT (SELECT email FROM neon_auth."user" WHERE id = neon_auth.requesting_user_id()) AS by_myapp_cookie;
SELECT set_config('request.cookies', json_build_object('better-auth.session_token', :'pcookie')::text, true) IS NOT NULL AS cookie_set;
SELECT neon_auth.requesting_user_id() IS NULL AS default_name_is_nobody;
SELECT set_config('request.cookies', json_build_object('myapp.session_token', 'forged', '__Secure-myapp.session_token', :'pcookie')::text, true) IS NOT NULL AS cookie_set;
SELECT (SELECT email FROM neon_auth."user" WHERE id = neon_auth.requesting_user_id()) AS secure_first;
COMMIT;
SELECT pg_temp.try($$SELECT neon_auth.configure('{"cookie_prefix": "my app"}')$$) AS bad_prefix;
SELECT neon_auth.configure('{"cookie_prefix": "better-auth"}') ->> 'cookie_prefix' AS prefix;
