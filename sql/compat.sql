\set SHOW_CONTEXT never
\i sql/helpers.psql
-- neon_auth_compat: auth.* for policies written for Neon Authorize (Drizzle's
-- drizzle-orm/neon) and for Supabase, run unchanged under PostgREST-shaped
-- requests (a session cookie, a bearer JWT, nothing).

-- It refuses an auth schema another role owns, or one that has objects.
-- (The installer is an ordinary role: a superuser is a member of every role,
-- so of the schema's owner too.)
CREATE ROLE compat_other NOLOGIN;
CREATE ROLE compat_installer NOLOGIN;
SELECT format('GRANT CREATE ON DATABASE %I TO compat_installer', current_database()) \gexec
CREATE SCHEMA auth AUTHORIZATION compat_other;
SET ROLE compat_installer;
SELECT pg_temp.try_hint('CREATE EXTENSION neon_auth_compat') AS foreign_schema;
RESET ROLE;
DROP SCHEMA auth;
CREATE SCHEMA auth;
CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql RETURN NULL::uuid;
SELECT pg_temp.try_hint('CREATE EXTENSION neon_auth_compat') AS schema_with_objects;
DROP SCHEMA auth CASCADE;
DROP ROLE compat_other;
SELECT format('REVOKE CREATE ON DATABASE %I FROM compat_installer', current_database()) \gexec
DROP ROLE compat_installer;
CREATE EXTENSION neon_auth_compat;
SELECT p.oid::regprocedure AS function, pg_get_function_result(p.oid) AS returns, p.provolatile AS volatility, p.proparallel AS parallel
  FROM pg_proc p WHERE p.pronamespace = 'auth'::regnamespace ORDER BY 1::text;

-- Drizzle's crudPolicy with authUid, as drizzle-kit writes the migration.
CREATE TABLE "todos" ("id" bigserial PRIMARY KEY, "task" text NOT NULL);
ALTER TABLE "todos" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "todos" ADD COLUMN "user_id" text DEFAULT (auth.user_id()) NOT NULL;
CREATE POLICY "crud-authenticated-policy-select" ON "todos" AS PERMISSIVE FOR SELECT TO "authenticated" USING ((select auth.user_id() = "todos"."user_id"));
CREATE POLICY "crud-authenticated-policy-insert" ON "todos" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ((select auth.user_id() = "todos"."user_id"));
CREATE POLICY "crud-authenticated-policy-update" ON "todos" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ((select auth.user_id() = "todos"."user_id")) WITH CHECK ((select auth.user_id() = "todos"."user_id"));
CREATE POLICY "crud-authenticated-policy-delete" ON "todos" AS PERMISSIVE FOR DELETE TO "authenticated" USING ((select auth.user_id() = "todos"."user_id"));
GRANT SELECT, INSERT, UPDATE, DELETE ON "todos" TO authenticated;
GRANT USAGE ON SEQUENCE todos_id_seq TO authenticated;
GRANT USAGE ON SCHEMA auth TO authenticated, anon;

-- Supabase's documented owner-only policy.
CREATE TABLE profiles (id uuid PRIMARY KEY, bio text);
ALTER TABLE profiles ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Users can view their own profile." ON profiles FOR SELECT TO authenticated USING ( (select auth.uid()) = id );
CREATE POLICY "Users can update their own profile." ON profiles FOR UPDATE TO authenticated USING ( (select auth.uid()) = id );
GRANT SELECT, UPDATE ON profiles TO authenticated;

SELECT neon_auth.sign_up('compat-cat@example.com', 'cat-password-1', 'Cat') AS cat \gset
SELECT neon_auth.sign_up('compat-dan@example.com', 'dan-password-1', 'Dan') AS dan \gset
INSERT INTO profiles VALUES ((:'cat'::jsonb #>> '{user,id}')::uuid, 'cat'), ((:'dan'::jsonb #>> '{user,id}')::uuid, 'dan');
SELECT neon_auth.session_cookie(:'cat'::jsonb ->> 'token') AS cat_cookie \gset

-- A request with Cat's session cookie, as PostgREST sets it.
BEGIN;
SET LOCAL ROLE authenticated;
SELECT set_config('request.cookies', json_build_object('better-auth.session_token', :'cat_cookie')::text, true) IS NOT NULL AS cat_cookie_set;
SELECT auth.user_id() = (:'cat'::jsonb #>> '{user,id}') AS user_id, auth.uid() = (:'cat'::jsonb #>> '{user,id}')::uuid AS uid,
       auth.role() AS role, auth.email() AS email, auth.jwt() ->> 'sub' = auth.user_id() AS jwt_sub,
       auth.session() = auth.jwt() AS session_is_jwt, auth.organization() AS organization;
INSERT INTO "todos" ("task") VALUES ('feed the cat') RETURNING "user_id" = auth.user_id() AS defaulted_to_cat;
SELECT pg_temp.try('INSERT INTO "todos" ("task", "user_id") VALUES (''forged'', ''someone-else'')') AS forged_owner;
SELECT "task" FROM "todos";
SELECT bio FROM profiles;
UPDATE profiles SET bio = 'cat, updated' RETURNING bio;
COMMIT;

-- A request with Dan's JWT from neon_auth.token(), as a bearer header.
SELECT neon_auth.token(:'dan'::jsonb ->> 'token') AS dan_jwt \gset
BEGIN;
SET LOCAL ROLE authenticated;
SELECT set_config('request.headers', json_build_object('authorization', 'Bearer ' || :'dan_jwt')::text, true) IS NOT NULL AS dan_bearer;
SELECT auth.uid() = (:'dan'::jsonb #>> '{user,id}')::uuid AS uid, auth.role() AS role, auth.email() AS email,
       auth.jwt() ->> 'iss' IS NOT NULL AS jwt_is_the_token;
SELECT count(*) AS dans_todos FROM "todos";
SELECT bio FROM profiles;
UPDATE profiles SET bio = 'not mine' WHERE bio LIKE 'cat%' RETURNING bio;
COMMIT;

-- No credential: every function answers NULL, and the policies show nothing.
BEGIN;
SET LOCAL ROLE authenticated;
SELECT auth.user_id() IS NULL AS user_id, auth.uid() IS NULL AS uid, auth.jwt() IS NULL AS jwt, auth.session() IS NULL AS session,
       auth.role() IS NULL AS role, auth.email() IS NULL AS email, auth.organization_id() IS NULL AS organization_id,
       auth.organization() IS NULL AS organization;
SELECT count(*) AS todos, (SELECT count(*) FROM profiles) AS profiles FROM "todos";
-- A forged claims setting is not an identity (PostgREST sets it only after checking a JWT neon_auth trusts).
SELECT set_config('request.jwt.claims', json_build_object('sub', :'cat'::jsonb #>> '{user,id}', 'role', 'authenticated')::text, true) IS NOT NULL AS forged_claims;
SELECT auth.uid() IS NULL AS still_nobody, (SELECT count(*) FROM "todos") AS todos;
COMMIT;

-- The active organization, as pg_session_jwt 0.5's auth.organization().
SELECT neon_auth.create_organization('Compat Co', 'compat-co', session_token => :'cat'::jsonb ->> 'token') ->> 'id' AS org \gset
BEGIN;
SET LOCAL ROLE authenticated;
SELECT set_config('request.cookies', json_build_object('better-auth.session_token', :'cat_cookie')::text, true) IS NOT NULL AS cat_cookie_set;
SELECT auth.organization_id() = :'org' AS organization_id, auth.organization() - 'id' AS organization;
COMMIT;

DROP TABLE "todos", profiles;
DROP EXTENSION neon_auth_compat;
DROP SCHEMA auth;
