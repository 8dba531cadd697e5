-- neon_auth in five minutes: sign up, sign in, check and inspect a session,
-- issue and verify a JWT, guard a table with RLS, sign out. Run by scripts/demo.sh.
\pset footer off
\set QUIET on
\set SHOW_CONTEXT never
\echo '== CREATE EXTENSION neon_auth, and the roles a PostgREST deployment uses'
CREATE EXTENSION neon_auth;
DO $$ BEGIN CREATE ROLE anon NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE authenticated NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

\echo '== sign_up as the anon role (the function is SECURITY DEFINER; anon cannot read any table)'
SET ROLE anon;
SELECT jsonb_pretty(neon_auth.sign_up('Alice@Example.com', 'correct horse battery', 'Alice')) AS sign_up;
SELECT neon_auth.sign_up('bob@example.com', 'bob-password-1', 'Bob') IS NOT NULL AS bob_signed_up;

\echo '== sign_in returns Better Auth''s {redirect, token, user}'
SELECT neon_auth.sign_in('alice@example.com', 'correct horse battery') ->> 'token' AS alice_token \gset
SELECT neon_auth.sign_in('bob@example.com', 'bob-password-1') ->> 'token' AS bob_token \gset
\echo '== a wrong password gets Better Auth''s error code (in DETAIL)'
\set ON_ERROR_STOP off
SELECT neon_auth.sign_in('alice@example.com', 'wrong password');
\set ON_ERROR_STOP on

\echo '== verify_session: the user id behind a token or a signed cookie value'
SELECT neon_auth.session_cookie(:'alice_token') AS alice_cookie \gset
SELECT :'alice_cookie' AS "better-auth.session_token cookie value";
SELECT neon_auth.verify_session(:'alice_token') AS from_token,
       neon_auth.verify_session(:'alice_cookie') AS from_cookie,
       neon_auth.verify_session('forged.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=') AS forged;
\echo '== get_session: Better Auth''s {session, user}'
SELECT jsonb_pretty(neon_auth.get_session(:'alice_token') -> 'session') AS session;

\echo '== token(): a JWT (EdDSA by default; ES256 or RS256 by config) with Neon Auth claims, verifiable with jwks()'
SELECT neon_auth.token(:'alice_token') AS alice_jwt \gset
SELECT neon_auth.verify_jwt(:'alice_jwt') - ARRAY['createdAt', 'updatedAt', 'image', 'banReason', 'banExpires',
       'username', 'displayUsername', 'phoneNumber', 'phoneNumberVerified', 'twoFactorEnabled', 'isAnonymous'] AS claims;
SELECT jsonb_pretty(neon_auth.jwks()) AS jwks;
RESET ROLE;

\echo '== RLS: each user sees only their notes; requesting_user_id() is verified, never trusted'
CREATE TABLE public.notes (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	owner_id uuid NOT NULL DEFAULT neon_auth.requesting_user_id(),
	body text NOT NULL
);
CREATE INDEX ON public.notes (owner_id);
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_owner ON public.notes TO authenticated
	USING (owner_id = (SELECT neon_auth.requesting_user_id()))
	WITH CHECK (owner_id = (SELECT neon_auth.requesting_user_id()));
GRANT SELECT, INSERT ON public.notes TO authenticated;
SET ROLE authenticated;
BEGIN;
SELECT neon_auth.authenticate(:'alice_jwt') AS alice_by_jwt;
INSERT INTO public.notes (body) VALUES ('alice''s first note'), ('alice''s second note');
COMMIT;
\echo '-- Bob, the way PostgREST sends a request: a bearer token in request.headers'
BEGIN;
SELECT set_config('request.headers', json_build_object('authorization', 'Bearer ' || :'bob_token')::text, true) IS NOT NULL AS as_bob;
INSERT INTO public.notes (body) VALUES ('bob''s note');
SELECT body FROM public.notes ORDER BY id;
COMMIT;
BEGIN;
SELECT neon_auth.authenticate(:'alice_cookie') AS alice_by_cookie;
SELECT body FROM public.notes ORDER BY id;
COMMIT;
\echo '-- forged claims and made-up tokens identify nobody'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', neon_auth.verify_session(:'bob_token'))::text, true) IS NOT NULL AS forged_claims;
SELECT neon_auth.requesting_user_id() AS forged_claims_user, count(*) AS notes_visible FROM public.notes;
SELECT neon_auth.authenticate('made-up-token') AS made_up, (SELECT count(*) FROM public.notes) AS notes_visible;
COMMIT;

\echo '== sign_out: the session token stops working'
SELECT neon_auth.sign_out(:'alice_token');
BEGIN;
SELECT neon_auth.authenticate(:'alice_token') AS signed_out_alice, (SELECT count(*) FROM public.notes) AS notes_visible;
COMMIT;
RESET ROLE;

\echo '== password reset: the link goes to the outbox (and NOTIFY neon_auth_outbox) for worker/outbox.mjs to send'
SET ROLE anon;
SELECT neon_auth.request_password_reset('alice@example.com') ->> 'message' AS answer;
RESET ROLE;
SELECT kind, recipient, data ->> 'url' AS link FROM neon_auth.outbox ORDER BY id DESC LIMIT 1;
SELECT data ->> 'token' AS reset_token FROM neon_auth.outbox ORDER BY id DESC LIMIT 1 \gset
SET ROLE anon;
SELECT neon_auth.reset_password('a new horse battery', :'reset_token') AS reset;
SELECT neon_auth.sign_in('alice@example.com', 'a new horse battery') ->> 'token' IS NOT NULL AS signs_in_with_new_password;
RESET ROLE;
\echo '== the audit trail (owner only): every event, never a secret'
SELECT event, outcome, count(*) FROM neon_auth.audit_log GROUP BY 1, 2 ORDER BY 1, 2;
\echo '== done'
