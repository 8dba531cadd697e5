-- neon_auth in five minutes: sign up, sign in, check and inspect a session,
-- guard a table with RLS, sign out. Run by scripts/demo.sh.
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
RESET ROLE;

\echo '== RLS: each user sees only their notes; the session token is verified, not trusted'
CREATE TABLE public.notes (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	owner_id uuid NOT NULL DEFAULT neon_auth.verify_session(current_setting('app.session_token', true)),
	body text NOT NULL
);
CREATE INDEX ON public.notes (owner_id);
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_owner ON public.notes TO authenticated
	USING (owner_id = (SELECT neon_auth.verify_session(current_setting('app.session_token', true))))
	WITH CHECK (owner_id = (SELECT neon_auth.verify_session(current_setting('app.session_token', true))));
GRANT SELECT, INSERT ON public.notes TO authenticated;
SET ROLE authenticated;
SELECT set_config('app.session_token', :'alice_token', false) IS NOT NULL AS as_alice;
INSERT INTO public.notes (body) VALUES ('alice''s first note'), ('alice''s second note');
SELECT set_config('app.session_token', :'bob_token', false) IS NOT NULL AS as_bob;
INSERT INTO public.notes (body) VALUES ('bob''s note');
SELECT body FROM public.notes ORDER BY id;
SELECT set_config('app.session_token', :'alice_cookie', false) IS NOT NULL AS as_alice_cookie;
SELECT body FROM public.notes ORDER BY id;
SELECT set_config('app.session_token', 'made-up-token', false) IS NOT NULL AS as_nobody;
SELECT count(*) AS notes_visible_to_a_made_up_token FROM public.notes;

\echo '== sign_out: the token stops working'
SELECT neon_auth.sign_out(:'alice_token');
SELECT set_config('app.session_token', :'alice_token', false) IS NOT NULL AS as_signed_out_alice;
SELECT count(*) AS notes_visible_after_sign_out FROM public.notes;
RESET ROLE;
\echo '== done'
