\set SHOW_CONTEXT never
\i sql/helpers.psql
-- Anonymous users (src/sql/14_anonymous.sql): Better Auth's anonymous plugin.

-- A request with this session cookie, as PostgREST or the handler sends it.
CREATE FUNCTION pg_temp.with_cookie(token text) RETURNS void LANGUAGE sql AS $$
	SELECT set_config('request.cookies', json_build_object('better-auth.session_token', token)::text, true) $$;

SELECT neon_auth.sign_in_anonymous() AS anon \gset
SELECT :'anon'::jsonb #>> '{user,name}' AS name, :'anon'::jsonb #>> '{user,isAnonymous}' AS is_anonymous,
       :'anon'::jsonb #>> '{user,email}' ~ '^[a-z0-9]{32}@anonymous\.placeholder\.invalid$' AS placeholder_email,
       :'anon'::jsonb #>> '{user,emailVerified}' AS email_verified,
       neon_auth.verify_session(:'anon'::jsonb ->> 'token') IS NOT NULL AS session_live;
SELECT :'anon'::jsonb ->> 'token' AS anon_token, :'anon'::jsonb #>> '{user,id}' AS anon_id \gset

-- An anonymous session cannot sign in anonymously again.
BEGIN;
SELECT pg_temp.with_cookie(:'anon_token');
SELECT pg_temp.try('SELECT neon_auth.sign_in_anonymous()') AS again;
ROLLBACK;

-- The application's hook: a trigger on anonymous_link moves its rows.
CREATE TABLE public.carts (owner uuid, item text);
INSERT INTO public.carts VALUES (:'anon_id', 'book'), (:'anon_id', 'lamp');
CREATE FUNCTION public.move_carts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE public.carts SET owner = NEW.user_id WHERE owner = NEW.anonymous_user_id;
	RETURN NEW;
END $$;
CREATE TRIGGER move_carts AFTER INSERT ON neon_auth.anonymous_link FOR EACH ROW EXECUTE FUNCTION public.move_carts();

-- Signing up from the anonymous session links and removes the anonymous user.
BEGIN;
SELECT pg_temp.with_cookie(:'anon_token');
SELECT neon_auth.sign_up('anon-linked@example.com', 'linked-password-1', 'Linked') #>> '{user,id}' AS linked_id \gset
COMMIT;
SELECT count(*) AS anonymous_left FROM neon_auth."user" WHERE id = :'anon_id';
SELECT count(*) AS anonymous_sessions_left FROM neon_auth.session WHERE "userId" = :'anon_id';
SELECT anonymous_user_id = :'anon_id' AS from_anon, user_id = :'linked_id' AS to_new FROM neon_auth.anonymous_link;
SELECT item, owner = :'linked_id' AS moved FROM public.carts ORDER BY item;

-- Signing in works the same way; a non-anonymous session links nothing.
SELECT neon_auth.sign_in_anonymous() ->> 'token' AS anon2 \gset
BEGIN;
SELECT pg_temp.with_cookie(:'anon2');
SELECT neon_auth.sign_in('anon-linked@example.com', 'linked-password-1') ? 'token' AS signed_in;
COMMIT;
SELECT count(*) AS links FROM neon_auth.anonymous_link;
SELECT neon_auth.sign_in('anon-linked@example.com', 'linked-password-1') ->> 'token' AS linked_token \gset
BEGIN;
SELECT pg_temp.with_cookie(:'linked_token');
SELECT neon_auth.sign_in_anonymous() ? 'token' AS anonymous_from_a_real_session;
COMMIT;
SELECT count(*) AS links_still FROM neon_auth.anonymous_link;

-- delete_anonymous_user: only an anonymous caller.
SELECT pg_temp.try(format('SELECT neon_auth.delete_anonymous_user(%L)', :'linked_token')) AS not_anonymous;
SELECT pg_temp.try('SELECT neon_auth.delete_anonymous_user()') AS nobody;
SELECT neon_auth.sign_in_anonymous() AS anon3 \gset
SELECT neon_auth.delete_anonymous_user(:'anon3'::jsonb ->> 'token') AS deleted;
SELECT count(*) AS gone FROM neon_auth."user" WHERE id = (:'anon3'::jsonb #>> '{user,id}')::uuid;

DROP TRIGGER move_carts ON neon_auth.anonymous_link;
DROP FUNCTION public.move_carts();
DROP TABLE public.carts;
