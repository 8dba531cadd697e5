-- requesting_user_id(), jwt(), session() and authenticate() against a table
-- with real RLS policies, driven the way PostgREST drives a request: one
-- statement of transaction-local set_config calls, then queries as the role.
SET track_functions = 'none';
BEGIN;
SELECT plan(37);

-- Users, their credentials, and a table only owners may see and write.
SELECT neon_auth.sign_up('alice-id@example.com', 'alice-password', 'Alice') ->> 'token' AS alice_tok \gset
SELECT neon_auth.sign_up('bob-id@example.com', 'bob-password-1', 'Bob') ->> 'token' AS bob_tok \gset
SELECT id AS alice FROM neon_auth."user" WHERE email = 'alice-id@example.com' \gset
SELECT id AS bob FROM neon_auth."user" WHERE email = 'bob-id@example.com' \gset
SELECT neon_auth.token(:'alice_tok') AS alice_jwt \gset
SELECT neon_auth.session_cookie(:'bob_tok') AS bob_cookie \gset
CREATE TABLE public.notes (id serial PRIMARY KEY, owner_id uuid NOT NULL, body text NOT NULL);
CREATE INDEX ON public.notes (owner_id);
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON public.notes TO authenticated
	USING (owner_id = (SELECT neon_auth.requesting_user_id()))
	WITH CHECK (owner_id = (SELECT neon_auth.requesting_user_id()));
GRANT SELECT, INSERT ON public.notes TO authenticated, anon;
GRANT USAGE ON SEQUENCE public.notes_id_seq TO authenticated, anon;
INSERT INTO public.notes (owner_id, body) VALUES (:'alice', 'alice 1'), (:'alice', 'alice 2'), (:'bob', 'bob 1');

-- PostgREST's statement, for a request with the given role, claims, headers and cookies.
CREATE FUNCTION pg_temp.request(role text, claims text, headers text, cookies text DEFAULT '{}') RETURNS void
LANGUAGE sql AS $$
	SELECT set_config('search_path', '"public"', true), set_config('role', role, true),
	       set_config('request.jwt.claims', claims, true), set_config('request.method', 'GET', true),
	       set_config('request.path', '/notes', true), set_config('request.headers', headers, true),
	       set_config('request.cookies', cookies, true);
$$;
-- Back to a clean request between scenarios (pgTAP's results must not be
-- rolled back, so no savepoints).
CREATE FUNCTION pg_temp.reset() RETURNS void LANGUAGE sql AS $$
	SELECT set_config('role', 'none', true), set_config('request.jwt.claims', '', true),
	       set_config('request.headers', '', true), set_config('request.cookies', '', true),
	       set_config('neon_auth.credential', '', true);
$$;
CREATE FUNCTION pg_temp.bearer(credential text) RETURNS text LANGUAGE sql AS $$
	SELECT json_build_object('authorization', 'Bearer ' || credential, 'accept', 'application/json')::text $$;

-- A bearer JWT: Alice sees her two rows.
SELECT pg_temp.request('authenticated', '{"role":"authenticated"}', pg_temp.bearer(:'alice_jwt'));
SELECT is(neon_auth.requesting_user_id(), :'alice'::uuid, 'bearer JWT identifies Alice');
SELECT results_eq('SELECT body FROM public.notes ORDER BY body', ARRAY['alice 1', 'alice 2'], 'Alice sees only her rows');
SELECT is(neon_auth.jwt() ->> 'email', 'alice-id@example.com', 'jwt() has the verified claims');
SELECT is(neon_auth.session(), NULL, 'no session() for a JWT');
SELECT lives_ok($$INSERT INTO public.notes (owner_id, body) SELECT requesting_user_id, 'alice 3' FROM neon_auth.requesting_user_id()$$,
                'Alice inserts her own row');
SELECT throws_ok(format($$INSERT INTO public.notes (owner_id, body) VALUES (%L, 'forged')$$, :'bob'), '42501', NULL,
                 'Alice cannot write a row as Bob');
RESET ROLE;
SELECT pg_temp.reset();
DELETE FROM public.notes WHERE body = 'alice 3';

-- A bearer session token, a bearer signed cookie, and the session cookie itself.
SELECT pg_temp.request('authenticated', '{"role":"authenticated"}', pg_temp.bearer(:'bob_tok'));
SELECT is(neon_auth.requesting_user_id(), :'bob'::uuid, 'bearer session token identifies Bob');
SELECT is(neon_auth.session() #>> '{user,email}', 'bob-id@example.com', 'session() has Bob''s session');
SELECT results_eq('SELECT body FROM public.notes', ARRAY['bob 1'], 'Bob sees only his row');
RESET ROLE;
SELECT pg_temp.reset();
SELECT pg_temp.request('authenticated', '{"role":"authenticated"}', pg_temp.bearer(:'bob_cookie'));
SELECT is(neon_auth.requesting_user_id(), :'bob'::uuid, 'bearer signed cookie value identifies Bob');
RESET ROLE;
SELECT pg_temp.reset();
SELECT pg_temp.request('authenticated', '{"role":"authenticated"}', '{}',
                       json_build_object('__Secure-better-auth.session_token', :'bob_cookie')::text);
SELECT is(neon_auth.requesting_user_id(), :'bob'::uuid, 'the __Secure- session cookie identifies Bob');
RESET ROLE;
SELECT pg_temp.reset();

-- Spoofing: claims anyone can set identify nobody.
SELECT pg_temp.request('authenticated', json_build_object('sub', :'alice', 'role', 'authenticated')::text, '{}');
SELECT is(neon_auth.requesting_user_id(), NULL, 'forged request.jwt.claims identify nobody');
SELECT is_empty('SELECT * FROM public.notes', 'forged claims see no rows');
RESET ROLE;
SELECT pg_temp.reset();
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'alice')::text, true);
SELECT is(neon_auth.requesting_user_id(), NULL, 'SET request.jwt.claims by an ordinary role identifies nobody');
SELECT throws_ok('SET neon_auth.trust_jwt_claims = on', '42501', NULL, 'only a superuser may trust request.jwt.claims');
RESET ROLE;
SELECT pg_temp.reset();
-- ...unless a superuser says a proxy verified them.
SET LOCAL neon_auth.trust_jwt_claims = on;
SELECT pg_temp.request('authenticated', json_build_object('sub', :'alice', 'role', 'authenticated')::text, '{}');
SELECT is(neon_auth.requesting_user_id(), :'alice'::uuid, 'trusted claims identify Alice when a superuser allows it');
SELECT is(neon_auth.jwt() ->> 'sub', :'alice', 'jwt() returns the trusted claims');
RESET ROLE;
SELECT pg_temp.reset();
RESET neon_auth.trust_jwt_claims;

-- Fail closed: bad, foreign, expired, revoked and banned credentials.
SELECT pg_temp.request('authenticated', '{}', pg_temp.bearer('garbage'));
SELECT is(neon_auth.requesting_user_id(), NULL, 'garbage bearer');
RESET ROLE;
SELECT pg_temp.reset();
SELECT pg_temp.request('authenticated', '{}', pg_temp.bearer(neon_auth._jwt_sign(gen_random_uuid()::text,
	json_build_object('sub', :'alice', 'exp', 9999999999, 'iss', 'http://localhost:3000', 'aud', 'http://localhost:3000')::text,
	neon_auth._jwk_generate('EdDSA'))));
SELECT is(neon_auth.requesting_user_id(), NULL, 'a JWT signed by another database''s key');
RESET ROLE;
SELECT pg_temp.reset();
SELECT pg_temp.request('authenticated', '{}', pg_temp.bearer(split_part(:'alice_jwt', '.', 1) || '.' ||
	translate(encode(convert_to(json_build_object('sub', :'bob', 'exp', 9999999999)::text, 'UTF8'), 'base64'), '+/=', '-_')
	|| '.' || split_part(:'alice_jwt', '.', 3)));
SELECT is(neon_auth.requesting_user_id(), NULL, 'a JWT with a swapped payload');
RESET ROLE;
SELECT pg_temp.reset();
SELECT pg_temp.request('authenticated', '{}', pg_temp.bearer(:'alice_jwt'),
                       json_build_object('better-auth.session_token', :'bob_cookie')::text);
SELECT is(neon_auth.requesting_user_id(), :'alice'::uuid, 'the bearer header wins over the cookie');
RESET ROLE;
SELECT pg_temp.reset();
SELECT pg_temp.request('authenticated', '{}', pg_temp.bearer('invalid-token-000000000000000000'),
                       json_build_object('better-auth.session_token', :'bob_cookie')::text);
SELECT is(neon_auth.requesting_user_id(), NULL, 'an invalid bearer does not fall through to the cookie');
RESET ROLE;
SELECT pg_temp.reset();
UPDATE neon_auth.session SET "expiresAt" = now() - interval '1 second' WHERE token = :'bob_tok';
SELECT pg_temp.request('authenticated', '{}', pg_temp.bearer(:'bob_tok'));
SELECT is(neon_auth.requesting_user_id(), NULL, 'an expired session');
RESET ROLE;
SELECT pg_temp.reset();
UPDATE neon_auth.session SET "expiresAt" = now() + interval '7 days' WHERE token = :'bob_tok';
UPDATE neon_auth."user" SET banned = true WHERE id = :'alice';
SELECT pg_temp.request('authenticated', '{}', pg_temp.bearer(:'alice_jwt'));
SELECT is(neon_auth.requesting_user_id(), NULL, 'a banned user''s still-valid JWT');
RESET ROLE;
SELECT pg_temp.reset();
UPDATE neon_auth."user" SET banned = false WHERE id = :'alice';

-- Revocation is seen by the next statement of the same transaction.
SELECT pg_temp.request('authenticated', '{}', pg_temp.bearer(:'bob_tok'));
SELECT is(neon_auth.requesting_user_id(), :'bob'::uuid, 'Bob before sign-out');
RESET ROLE;
SELECT neon_auth.sign_out(:'bob_tok');
SET LOCAL ROLE authenticated;
SELECT is(neon_auth.requesting_user_id(), NULL, 'Bob after sign-out, next statement');
RESET ROLE;
SELECT pg_temp.reset();
SELECT pg_temp.request('authenticated', '{}', pg_temp.bearer(:'alice_jwt'));
SELECT is(neon_auth.requesting_user_id(), :'alice'::uuid, 'Alice before her key is revoked');
RESET ROLE;
SELECT neon_auth.revoke_signing_key((SELECT id FROM neon_auth.jwks ORDER BY "createdAt" DESC LIMIT 1));
SET LOCAL ROLE authenticated;
SELECT is(neon_auth.requesting_user_id(), NULL, 'Alice after her key is revoked, next statement');
RESET ROLE;
SELECT pg_temp.reset();
SELECT neon_auth.token(:'alice_tok') AS alice_jwt \gset

-- authenticate(): for code that talks to the database directly.
SET LOCAL ROLE authenticated;
SELECT is(neon_auth.authenticate(:'alice_tok'), :'alice'::uuid, 'authenticate() returns the user id');
SELECT is(neon_auth.requesting_user_id(), :'alice'::uuid, 'and requesting_user_id() follows');
SELECT results_eq('SELECT count(*)::int FROM public.notes', ARRAY[2], 'RLS sees Alice''s rows');
SELECT is(neon_auth.authenticate('forged'), NULL, 'authenticate() with a bad credential gives NULL');
SELECT is(neon_auth.requesting_user_id(), NULL, 'and identifies nobody afterwards');
SELECT is(neon_auth.authenticate(NULL), NULL, 'authenticate(NULL) clears it');
RESET ROLE;
SELECT pg_temp.reset();

-- Anonymous requests (PostgREST's anon role, no credential).
SELECT pg_temp.request('anon', '{"role":"anon"}', '{}');
SELECT is(neon_auth.requesting_user_id(), NULL, 'anonymous: NULL');
SELECT is_empty('SELECT * FROM public.notes', 'anonymous sees nothing (no policy for anon)');
RESET ROLE;
SELECT pg_temp.reset();

-- A per-row call costs no more verifications than the statement needs: one
-- look into the backend's cache (a hit or a miss), not one per row.
SELECT neon_auth._identity_cache() AS cache_before \gset
SELECT pg_temp.request('authenticated', '{}', pg_temp.bearer(:'alice_jwt'));
SELECT count(*) FROM public.notes WHERE owner_id = neon_auth.requesting_user_id();
RESET ROLE;
SELECT is((SELECT (c ->> 'hits')::int + (c ->> 'misses')::int
                  - (:'cache_before'::jsonb ->> 'hits')::int - (:'cache_before'::jsonb ->> 'misses')::int
             FROM neon_auth._identity_cache() c), 1,
          'an unwrapped per-row requesting_user_id() resolves once per statement');
RESET ROLE;
SELECT pg_temp.reset();

SELECT * FROM finish();
ROLLBACK;
