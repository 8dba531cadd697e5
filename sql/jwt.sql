\set SHOW_CONTEXT never
\i sql/helpers.psql
-- Signing keys, token(), jwks(), verify_jwt(), rotation and revocation.

-- The key made at install time is stored as Better Auth stores it.
SELECT count(*) AS keys, bool_and(alg = 'EdDSA' AND crv = 'Ed25519') AS ed25519,
       bool_and(json_typeof("privateKey"::json) = 'string' AND ("privateKey"::json #>> '{}') ~ '^[0-9a-f]+$') AS json_quoted_hex,
       bool_and(neon_auth._jwk_public(neon_auth._private_jwk(jwks)) = "publicKey") AS private_matches_public,
       bool_and("publicKey"::jsonb ?& ARRAY['crv', 'x', 'kty'] AND NOT "publicKey"::jsonb ? 'd') AS public_only
  FROM neon_auth.jwks;

-- token(): Better Auth's header and Neon Auth's claims.
SELECT neon_auth.sign_in('alice@example.com', 'correct horse battery') ->> 'token' AS tok \gset
SET ROLE authenticated;
SELECT neon_auth.token(:'tok') AS jwt \gset
SELECT neon_auth.token('not-a-session') AS no_session, neon_auth.token(NULL) AS null_session;
RESET ROLE;
SELECT pg_temp.part(:'jwt', 1) - 'kid' AS header, pg_temp.part(:'jwt', 1) ->> 'kid' = (SELECT id::text FROM neon_auth.jwks) AS kid_is_key_id;
SELECT k AS claim, CASE WHEN k IN ('id', 'sub', 'iat', 'exp', 'createdAt', 'updatedAt') THEN NULL ELSE pg_temp.part(:'jwt', 2) -> k END AS value
  FROM jsonb_object_keys(pg_temp.part(:'jwt', 2)) k ORDER BY 1;
SELECT (c ->> 'sub') = (SELECT id::text FROM neon_auth."user" WHERE email = 'alice@example.com') AS sub_is_user,
       (c ->> 'exp')::bigint - (c ->> 'iat')::bigint AS lifetime,
       abs((c ->> 'iat')::bigint - floor(extract(epoch FROM now()))) < 5 AS iat_now
  FROM pg_temp.part(:'jwt', 2) c;

-- jwks(): public keys only, in Better Auth's /jwks shape.
SET ROLE anon;
SELECT jsonb_object_keys(k) AS jwk_member FROM jsonb_array_elements(neon_auth.jwks() -> 'keys') k ORDER BY 1;
-- verify_jwt(): the claims of a good token.
SELECT neon_auth.verify_jwt(:'jwt') = pg_temp.part(:'jwt', 2) AS verified_claims;
RESET ROLE;

-- Everything else is refused with a stable SQLSTATE and code.
SELECT t.label, pg_temp.try(format('SELECT neon_auth.verify_jwt(%L)', t.token)) AS error FROM (VALUES
	('garbage', 'not.a.jwt'),
	('two parts', split_part(:'jwt', '.', 1) || '.' || split_part(:'jwt', '.', 2)),
	('bad signature', split_part(:'jwt', '.', 1) || '.' || split_part(:'jwt', '.', 2) || '.' || repeat('A', 86)),
	('payload swapped', split_part(:'jwt', '.', 1) || '.' || translate(encode(convert_to('{"sub":"x","exp":9999999999}', 'UTF8'), 'base64'), '+/=', '-_') || '.' || split_part(:'jwt', '.', 3)),
	('alg none', translate(encode(convert_to('{"alg":"none"}', 'UTF8'), 'base64'), '+/=', '-_') || '.' || split_part(:'jwt', '.', 2) || '.'),
	('huge', repeat('a', 9000))
) AS t(label, token);
SELECT pg_temp.try('SELECT neon_auth.verify_jwt(NULL)') AS null_token;
-- Expiry, issuer and audience are checked against the configuration.
UPDATE neon_auth.config SET base_url = 'https://app.example.com/api/auth';
SELECT pg_temp.try(format('SELECT neon_auth.verify_jwt(%L)', :'jwt')) AS other_issuer;
SELECT pg_temp.part(neon_auth.token(:'tok'), 2) ->> 'iss' AS new_issuer;
UPDATE neon_auth.config SET base_url = 'http://localhost:3000';
BEGIN;
UPDATE neon_auth.config SET jwt_expires_in = 1, jwt_leeway = 0;
SELECT neon_auth.token(:'tok') AS short_jwt \gset
COMMIT;
UPDATE neon_auth.config SET jwt_expires_in = 900, jwt_leeway = 30;
SELECT pg_sleep(1.2);
SELECT pg_temp.try(format('SELECT neon_auth.verify_jwt(%L)', :'short_jwt')) AS within_leeway;
UPDATE neon_auth.config SET jwt_leeway = 0;
SELECT pg_temp.try(format('SELECT neon_auth.verify_jwt(%L)', :'short_jwt')) AS expired;
UPDATE neon_auth.config SET jwt_leeway = 30;

-- The active organization becomes the "o" claim.
INSERT INTO neon_auth.organization (id, name, slug) VALUES ('00000000-0000-0000-0000-0000000000a1', 'Acme', 'acme');
INSERT INTO neon_auth.member ("organizationId", "userId", role)
SELECT '00000000-0000-0000-0000-0000000000a1', id, 'admin' FROM neon_auth."user" WHERE email = 'alice@example.com';
UPDATE neon_auth.session SET "activeOrganizationId" = '00000000-0000-0000-0000-0000000000a1' WHERE token = :'tok';
SELECT pg_temp.part(neon_auth.token(:'tok'), 2) -> 'o' AS o_claim;

-- Rotation: the old key stops signing but its tokens verify during the grace period.
SELECT neon_auth.rotate_signing_key() ? 'kid' AS rotated;
SELECT neon_auth.token(:'tok') AS jwt2 \gset
SELECT pg_temp.part(:'jwt2', 1) ->> 'kid' <> pg_temp.part(:'jwt', 1) ->> 'kid' AS new_kid,
       neon_auth.verify_jwt(:'jwt') ->> 'sub' IS NOT NULL AS old_token_still_verifies,
       jsonb_array_length(neon_auth.jwks() -> 'keys') AS published_keys;
-- After the grace period the old key is no longer published or trusted.
UPDATE neon_auth.config SET jwks_grace_period = 0;
SELECT pg_temp.try(format('SELECT neon_auth.verify_jwt(%L)', :'jwt')) AS after_grace,
       jsonb_array_length(neon_auth.jwks() -> 'keys') AS published_keys;
UPDATE neon_auth.config SET jwks_grace_period = 2592000;
-- Revocation: tokens of a deleted key fail at once.
SELECT neon_auth.revoke_signing_key((pg_temp.part(:'jwt2', 1) ->> 'kid')::uuid) AS revoked;
SELECT pg_temp.try(format('SELECT neon_auth.verify_jwt(%L)', :'jwt2')) AS revoked_token;
SELECT pg_temp.part(neon_auth.token(:'tok'), 1) ->> 'kid' <> pg_temp.part(:'jwt2', 1) ->> 'kid' AS fresh_key_made;
SET ROLE authenticated;
SELECT pg_temp.try('SELECT neon_auth.rotate_signing_key()') AS app_rotate;
SELECT pg_temp.try('SELECT neon_auth.revoke_signing_key(gen_random_uuid())') AS app_revoke;
SELECT pg_temp.try('SELECT "privateKey" FROM neon_auth.jwks') AS app_read_keys;
RESET ROLE;

-- A new secret re-encrypts the private keys, so signing goes on.
SELECT neon_auth.set_secret('test-secret-0123456789-abcdefghijklmnop');
SELECT neon_auth.verify_jwt(neon_auth.token(:'tok')) ->> 'role' AS after_new_secret;
-- A key encrypted under some other secret cannot sign: a clear error.
INSERT INTO neon_auth.jwks ("publicKey", "privateKey", "createdAt", alg, crv)
SELECT "publicKey", to_json(neon_auth._symmetric_encrypt('another-secret', neon_auth._private_jwk(jwks)))::text,
       now() + interval '1 second', 'EdDSA', 'Ed25519' FROM neon_auth.jwks ORDER BY "createdAt" DESC LIMIT 1;
SELECT pg_temp.try(format('SELECT neon_auth.token(%L)', :'tok')) AS unreadable_key;
SELECT neon_auth.rotate_signing_key() ? 'kid' AS rotated;
SELECT neon_auth.token(:'tok') IS NOT NULL AS signs_again;

-- ES256 and RS256 keys, for verifiers without EdDSA: rotating to one makes
-- it the configured algorithm; its tokens carry its alg, verify, identify,
-- and are published without private members; the previous key's tokens keep
-- verifying through the grace period.
SELECT neon_auth.token(:'tok') AS ed_jwt \gset
SELECT k ->> 'kty' AS kty, k ->> 'crv' AS crv, k ?| ARRAY['d', 'p', 'q'] AS has_private
  FROM neon_auth.rotate_signing_key('ES256') k;
SELECT neon_auth.token(:'tok') AS es_jwt \gset
SELECT pg_temp.part(:'es_jwt', 1) ->> 'alg' AS es_alg, length(split_part(:'es_jwt', '.', 3)) AS es_sig_chars,
       neon_auth.verify_jwt(:'es_jwt') ->> 'email' AS es_verifies,
       neon_auth.verify_jwt(:'ed_jwt') ->> 'email' AS ed_still_verifies,
       (SELECT jwt_alg FROM neon_auth.config) AS configured;
SELECT k ->> 'kty' AS kty, length(k ->> 'n') AS n_chars, k ->> 'e' AS e, k ?| ARRAY['d', 'p', 'q'] AS has_private
  FROM neon_auth.rotate_signing_key('RS256') k;
SELECT neon_auth.token(:'tok') AS rs_jwt \gset
SELECT pg_temp.part(:'rs_jwt', 1) ->> 'alg' AS rs_alg, neon_auth.verify_jwt(:'rs_jwt') ->> 'email' AS rs_verifies,
       neon_auth.verify_jwt(:'es_jwt') ->> 'email' AS es_still_verifies,
       neon_auth.authenticate(:'rs_jwt') = (SELECT id FROM neon_auth."user" WHERE email = 'alice@example.com') AS rs_identifies;
SELECT neon_auth.authenticate(NULL) AS cleared;
SELECT alg, crv, json_typeof("privateKey"::json) AS stored_private,
       neon_auth._jwk_public(neon_auth._private_jwk(jwks)) = "publicKey" AS private_matches_public
  FROM neon_auth.jwks WHERE alg IN ('ES256', 'RS256') ORDER BY alg;
SELECT string_agg(DISTINCT k ->> 'alg', ',' ORDER BY k ->> 'alg') AS published_algs,
       bool_or(k ?| ARRAY['d', 'p', 'q', 'dp', 'dq', 'qi']) AS any_private_published
  FROM jsonb_array_elements(neon_auth.jwks() -> 'keys') k;
-- A token whose header names another algorithm than its key's is refused.
SELECT pg_temp.try(format('SELECT neon_auth.verify_jwt(%L)',
	rtrim(translate(encode(convert_to(json_build_object('alg', 'ES256', 'kid', pg_temp.part(:'rs_jwt', 1) ->> 'kid')::text, 'UTF8'), 'base64'), E'+/\n', '-_'), '=')
	|| '.' || split_part(:'rs_jwt', '.', 2) || '.' || split_part(:'rs_jwt', '.', 3))) AS alg_swapped;
SELECT pg_temp.try('SELECT neon_auth.rotate_signing_key(''HS256'')') AS hmac_refused;
SELECT neon_auth.rotate_signing_key('EdDSA') ->> 'crv' AS back_to_eddsa;

-- Better Auth's own vectors (better-auth-formats.md 4.2, 4.3): its encrypted
-- jwks row decrypts under its secret, re-signing its payload gives its JWT
-- byte for byte, and its JWT verifies (at its issue time).
SELECT neon_auth._symmetric_decrypt('test-secret-0123456789-abcdefghijklmnop',
	'"f4dfefe6f0eb1af8dddc7f6e2acf7abfc8b714ca525620e20726f95c2e3f60a17484d13910a4941a9595bbd30db8eb19d263e16e5b05ed0a4037e132d1d6d27535ddaf3a0c0d3edb61b04cca9343671fbcb677f971747a92758ede4d478366a07c873d0b6963c383c2368b41c72dd5cea43bedba889b7039393fa0c1c0db68316a127b6d02af355614093b08e9f953973a652634b962a63163eebf5021666ddb11bed3301d5a158d40"'::json #>> '{}') AS better_auth_private_jwk \gset
SELECT :'better_auth_private_jwk';
SELECT neon_auth._jwk_public(:'better_auth_private_jwk') AS better_auth_public_jwk;
SELECT neon_auth._jwt_sign('LUrgyaHDwTKNNF7LXmmNaC0zraRUFJ0t',
	'{"iat":1700000000,"name":"Alice","email":"alice@example.com","emailVerified":false,"image":null,"createdAt":"2023-11-14T22:13:20.000Z","updatedAt":"2023-11-14T22:13:20.000Z","id":"user_123","sub":"user_123","exp":1700000900,"iss":"http://localhost:3000","aud":"http://localhost:3000"}',
	:'better_auth_private_jwk') =
	'eyJhbGciOiJFZERTQSIsImtpZCI6IkxVcmd5YUhEd1RLTk5GN0xYbW1OYUMwenJhUlVGSjB0In0.eyJpYXQiOjE3MDAwMDAwMDAsIm5hbWUiOiJBbGljZSIsImVtYWlsIjoiYWxpY2VAZXhhbXBsZS5jb20iLCJlbWFpbFZlcmlmaWVkIjpmYWxzZSwiaW1hZ2UiOm51bGwsImNyZWF0ZWRBdCI6IjIwMjMtMTEtMTRUMjI6MTM6MjAuMDAwWiIsInVwZGF0ZWRBdCI6IjIwMjMtMTEtMTRUMjI6MTM6MjAuMDAwWiIsImlkIjoidXNlcl8xMjMiLCJzdWIiOiJ1c2VyXzEyMyIsImV4cCI6MTcwMDAwMDkwMCwiaXNzIjoiaHR0cDovL2xvY2FsaG9zdDozMDAwIiwiYXVkIjoiaHR0cDovL2xvY2FsaG9zdDozMDAwIn0.ojc70YaeZAFYCkFkTNSA0Y71-KCwtHs8cj8B-xj5Qfc6FDXHo8opGdY9ipep_R55SFjVYv6ScfWDagzl64z0Aw'
	AS better_auth_jwt_byte_for_byte;
SELECT error, kid, claims::jsonb ->> 'sub' AS sub FROM neon_auth._jwt_verify(
	'eyJhbGciOiJFZERTQSIsImtpZCI6IkxVcmd5YUhEd1RLTk5GN0xYbW1OYUMwenJhUlVGSjB0In0.eyJpYXQiOjE3MDAwMDAwMDAsIm5hbWUiOiJBbGljZSIsImVtYWlsIjoiYWxpY2VAZXhhbXBsZS5jb20iLCJlbWFpbFZlcmlmaWVkIjpmYWxzZSwiaW1hZ2UiOm51bGwsImNyZWF0ZWRBdCI6IjIwMjMtMTEtMTRUMjI6MTM6MjAuMDAwWiIsInVwZGF0ZWRBdCI6IjIwMjMtMTEtMTRUMjI6MTM6MjAuMDAwWiIsImlkIjoidXNlcl8xMjMiLCJzdWIiOiJ1c2VyXzEyMyIsImV4cCI6MTcwMDAwMDkwMCwiaXNzIjoiaHR0cDovL2xvY2FsaG9zdDozMDAwIiwiYXVkIjoiaHR0cDovL2xvY2FsaG9zdDozMDAwIn0.ojc70YaeZAFYCkFkTNSA0Y71-KCwtHs8cj8B-xj5Qfc6FDXHo8opGdY9ipep_R55SFjVYv6ScfWDagzl64z0Aw',
	ARRAY['LUrgyaHDwTKNNF7LXmmNaC0zraRUFJ0t'], ARRAY['EdDSA'],
	ARRAY['{"crv":"Ed25519","x":"Ryvjkr7hp_SejcDbZVz_tSPWIeHtQMSfNL_9XDHlpdM","kty":"OKP"}'],
	1700000100, 30, 'http://localhost:3000', 'http://localhost:3000');

-- A correctly signed JWT identifies someone only if "sub" is a uuid of an
-- existing, unbanned user; anything else is NULL, never an error.
SELECT x.label, neon_auth.authenticate(neon_auth._jwt_sign(k.id::text,
	json_build_object('sub', x.sub, 'exp', 9999999999, 'iss', 'http://localhost:3000', 'aud', 'http://localhost:3000')::text,
	neon_auth._private_jwk(k))) IS NOT NULL AS identified
  FROM neon_auth._signing_key() k,
       (VALUES ('not a uuid', 'not-a-uuid'), ('unknown user', gen_random_uuid()::text),
               ('alice', (SELECT id::text FROM neon_auth."user" WHERE email = 'alice@example.com'))) AS x(label, sub)
 ORDER BY 1;

-- Parallel plans: identity resolution starts no subtransaction, so it runs
-- under a forced parallel plan (in a worker) and gives the same answer.
SELECT neon_auth.sign_in('alice@example.com', 'correct horse battery') ->> 'token' AS ptok \gset
SELECT set_config('request.headers', json_build_object('authorization', 'Bearer ' || neon_auth.token(:'ptok'))::text, false) IS NOT NULL AS headers_set;
SET force_parallel_mode = on;
SELECT neon_auth.requesting_user_id() = (SELECT id FROM neon_auth."user" WHERE email = 'alice@example.com') AS parallel_ok;
RESET force_parallel_mode;
SELECT set_config('request.headers', '', false) IS NOT NULL AS headers_cleared;

-- The memo ends with the statement, even when several statements share one
-- client message, or a procedure commits between them.
SELECT set_config('request.headers', json_build_object('authorization', 'Bearer ' || :'ptok')::text, false) IS NOT NULL AS headers_set;
SELECT neon_auth.requesting_user_id() IS NOT NULL AS before_sign_out \; SELECT neon_auth.sign_out(:'ptok') ->> 'success' AS signed_out \; SELECT neon_auth.requesting_user_id() IS NULL AS after_sign_out_same_message;
SELECT set_config('request.headers', '', false) IS NOT NULL AS headers_cleared;
SELECT neon_auth.sign_in('alice@example.com', 'correct horse battery') ->> 'token' AS ptok2 \gset
CREATE PROCEDURE pg_temp.sign_out_and_commit(credential text, INOUT before boolean DEFAULT NULL, INOUT after boolean DEFAULT NULL)
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_temp.as_bearer(credential);
	before := neon_auth.requesting_user_id() IS NOT NULL;
	PERFORM neon_auth.sign_out(credential);
	COMMIT;
	after := neon_auth.requesting_user_id() IS NOT NULL;
END $$;
CALL pg_temp.sign_out_and_commit(:'ptok2');
SELECT pg_temp.as_bearer(NULL) AS cleared;

-- session() carries no token.
SELECT neon_auth.sign_in('alice@example.com', 'correct horse battery') ->> 'token' AS ptok3 \gset
BEGIN;
SELECT neon_auth.authenticate(:'ptok3') IS NOT NULL AS authenticated;
SELECT neon_auth.session() -> 'session' ? 'token' AS session_has_token, neon_auth.session() #>> '{user,email}' AS email;
COMMIT;

-- The per-backend cache: a credential verified once is reused by later
-- statements and transactions (one resolution, then two hits, for three
-- statements), and every change that can end an identity is seen by the
-- next statement.
SELECT neon_auth.token(:'ptok3') AS cjwt \gset
SELECT neon_auth._identity_cache() AS cache_before \gset
BEGIN;
SELECT neon_auth.authenticate(:'cjwt') IS NOT NULL AS jwt_identifies;
SELECT neon_auth.requesting_user_id() IS NOT NULL AS second_statement;
SELECT neon_auth.jwt() ->> 'email' AS third_statement;
COMMIT;
-- (A change to a watched table meanwhile, even autovacuum's statistics, ends
-- the generation and may add a resolution; then the exact counts are moot.)
SELECT (c ->> 'misses')::int - (:'cache_before'::jsonb ->> 'misses')::int = 1
       AND (c ->> 'hits')::int - (:'cache_before'::jsonb ->> 'hits')::int = 2
       OR (c ->> 'generation') <> (:'cache_before'::jsonb ->> 'generation') AS resolved_once_then_hits,
       (c ->> 'entries')::int > 0 AS kept, (c ->> 'bytes')::int <= (c ->> 'byte_budget')::int AS within_budget
  FROM neon_auth._identity_cache() c;
-- verify_jwt shares the cache: the second check of a token is a hit.
SELECT neon_auth._identity_cache() AS cache_before \gset
SELECT neon_auth.verify_jwt(:'cjwt') ->> 'email' AS first_check;
SELECT neon_auth.verify_jwt(:'cjwt') ->> 'email' AS second_check;
SELECT (c ->> 'misses')::int - (:'cache_before'::jsonb ->> 'misses')::int = 1
       AND (c ->> 'hits')::int - (:'cache_before'::jsonb ->> 'hits')::int = 1
       OR (c ->> 'generation') <> (:'cache_before'::jsonb ->> 'generation') AS second_check_is_a_hit
  FROM neon_auth._identity_cache() c;
SELECT pg_temp.as_bearer(:'cjwt') IS NOT NULL AS cached_across_transactions;
UPDATE neon_auth."user" SET banned = true WHERE email = 'alice@example.com';
SELECT neon_auth.requesting_user_id() IS NULL AS ban_seen;
UPDATE neon_auth."user" SET banned = false WHERE email = 'alice@example.com';
SELECT neon_auth.requesting_user_id() IS NOT NULL AS unban_seen;
SELECT pg_temp.as_bearer(:'ptok3') IS NOT NULL AS session_identifies;
SELECT neon_auth.session() #>> '{user,name}' AS name_before;
UPDATE neon_auth."user" SET name = 'Alice Renamed' WHERE email = 'alice@example.com';
SELECT neon_auth.session() #>> '{user,name}' AS name_after;
UPDATE neon_auth.session SET "expiresAt" = now() - interval '1 second' WHERE token = :'ptok3';
SELECT neon_auth.requesting_user_id() IS NULL AS expired_session_seen;
-- A revoked signing key.
SELECT pg_temp.as_bearer(:'cjwt') IS NOT NULL AS jwt_again;
SELECT neon_auth.revoke_signing_key((convert_from(decode(rpad(translate(split_part(:'cjwt', '.', 1), '-_', '+/'),
	4 * ceil(length(split_part(:'cjwt', '.', 1)) / 4.0)::int, '='), 'base64'), 'UTF8')::jsonb ->> 'kid')::uuid) AS revoked;
SELECT neon_auth.requesting_user_id() IS NULL AS key_revocation_seen;
-- A session made in a transaction that rolls back identifies nobody after.
BEGIN;
SELECT neon_auth.sign_in('alice@example.com', 'correct horse battery') ->> 'token' AS rtok \gset
SELECT neon_auth.authenticate(:'rtok') IS NOT NULL AS identified_inside;
ROLLBACK;
SELECT pg_temp.as_bearer(:'rtok') IS NULL AS gone_after_rollback;
-- Expiry alone (no table change) ends a cached identity: a 1 s JWT, no leeway.
UPDATE neon_auth.config SET jwt_leeway = 0, jwt_expires_in = 1;
SELECT neon_auth.sign_in('alice@example.com', 'correct horse battery') ->> 'token' AS etok \gset
SELECT neon_auth.token(:'etok') AS ejwt \gset
SELECT pg_temp.as_bearer(:'ejwt') IS NOT NULL AS short_jwt_identifies;
SELECT pg_sleep(2.1);
SELECT neon_auth.requesting_user_id() IS NULL AS jwt_expiry_seen;
UPDATE neon_auth.config SET jwt_leeway = 30, jwt_expires_in = 900;
SELECT pg_temp.as_bearer(NULL) AS cleared;

-- A retired key stops verifying when its grace period ends, even in a backend
-- that read the keys while it was still trusted.
SELECT neon_auth.configure('{"jwks_grace_period": 1}') IS NOT NULL AS short_grace;
SELECT neon_auth.sign_in('alice@example.com', 'correct horse battery') ->> 'token' AS gtok \gset
SELECT neon_auth.token(:'gtok') AS graced_jwt \gset
SELECT neon_auth.rotate_signing_key() ->> 'kid' IS NOT NULL AS rotated;
SELECT neon_auth.verify_jwt(:'graced_jwt') ->> 'email' AS within_grace;
SELECT pg_sleep(1.5);
SELECT pg_temp.try(format('SELECT neon_auth.verify_jwt(%L)', :'graced_jwt')) AS after_grace;
SELECT neon_auth.configure('{"jwks_grace_period": 2592000}') IS NOT NULL AS grace_restored;
