-- neon_auth_compat 1.0: pg_session_jwt's and Supabase's auth.* functions,
-- answered from neon_auth's verified identity (a session token or cookie, a
-- JWT, or authenticate()), so that policies written for Neon Authorize,
-- Drizzle's drizzle-orm/neon helpers or Supabase run unchanged. See
-- docs/compat.md.
\echo Use "CREATE EXTENSION neon_auth_compat" to load this file. \quit

-- The schema is this extension's alone: an auth schema that another role
-- owns, or that already holds objects (pg_session_jwt's, Supabase's), is
-- refused rather than mixed with.
DO $$
BEGIN
	-- A member of the owner (a superuser restoring a dump, say) is the owner.
	IF NOT pg_catalog.pg_has_role(current_user, (SELECT n.nspowner FROM pg_catalog.pg_namespace n WHERE n.nspname = 'auth'), 'MEMBER') THEN
		RAISE EXCEPTION 'schema "auth" is owned by another role'
			USING ERRCODE = 'insufficient_privilege',
			      HINT = 'neon_auth_compat installs into a schema auth of its own; drop or rename the existing one, or install as its owner.';
	END IF;
	IF EXISTS (SELECT 1 FROM pg_catalog.pg_proc p WHERE p.pronamespace = 'auth'::regnamespace)
	   OR EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.relnamespace = 'auth'::regnamespace)
	   OR EXISTS (SELECT 1 FROM pg_catalog.pg_type t WHERE t.typnamespace = 'auth'::regnamespace) THEN
		RAISE EXCEPTION 'schema "auth" already has objects'
			USING ERRCODE = 'duplicate_object',
			      HINT = 'Another extension (pg_session_jwt, Supabase''s auth) owns auth.*: remove it first, or keep using it instead of neon_auth_compat.';
	END IF;
END
$$;

-- Every function is a plain SQL expression over neon_auth's identity
-- functions, STABLE and PARALLEL SAFE, so that the planner inlines it and
-- (select auth.uid()) in a policy is computed once per statement.

-- pg_session_jwt: the user id (the JWT's sub) as text; NULL without a caller.
CREATE FUNCTION auth.user_id() RETURNS text
	LANGUAGE sql STABLE PARALLEL SAFE
	RETURN neon_auth.requesting_user_id()::text;

-- pg_session_jwt 0.4 and Supabase: the user id as uuid; NULL without a caller.
CREATE FUNCTION auth.uid() RETURNS uuid
	LANGUAGE sql STABLE PARALLEL SAFE
	RETURN neon_auth.requesting_user_id();

-- The caller's claims: the verified JWT's payload, or, for a caller
-- identified by a session token or cookie, the claims neon_auth.token() would
-- put in its JWT (sub, email, role "authenticated", the session's id). NULL
-- without a caller.
CREATE FUNCTION auth.jwt() RETURNS jsonb
	LANGUAGE sql STABLE PARALLEL SAFE
	RETURN coalesce(nullif(neon_auth.jwt(), 'null'::jsonb),
		(SELECT jsonb_build_object('sub', s #>> '{user,id}', 'email', s #>> '{user,email}',
		                           'email_verified', (s #>> '{user,emailVerified}')::boolean,
		                           'name', s #>> '{user,name}', 'role', 'authenticated',
		                           'session_id', s #>> '{session,id}',
		                           'exp', extract(epoch FROM (s #>> '{session,expiresAt}')::timestamptz)::bigint,
		                           'is_anonymous', coalesce((s #>> '{user,isAnonymous}')::boolean, false))
		   FROM neon_auth.session() s WHERE s IS NOT NULL));

-- pg_session_jwt's name for the same.
CREATE FUNCTION auth.session() RETURNS jsonb
	LANGUAGE sql STABLE PARALLEL SAFE
	RETURN auth.jwt();

-- Supabase: the role and email claims; NULL without a caller.
CREATE FUNCTION auth.role() RETURNS text
	LANGUAGE sql STABLE PARALLEL SAFE
	RETURN auth.jwt() ->> 'role';

CREATE FUNCTION auth.email() RETURNS text
	LANGUAGE sql STABLE PARALLEL SAFE
	RETURN auth.jwt() ->> 'email';

-- pg_session_jwt 0.5: the active organization: its id, and {id, slug, role}
-- with the caller's role in it. NULL without one.
CREATE FUNCTION auth.organization_id() RETURNS uuid
	LANGUAGE sql STABLE PARALLEL SAFE
	RETURN neon_auth.active_organization_id();

CREATE FUNCTION auth.organization() RETURNS jsonb
	LANGUAGE sql STABLE PARALLEL SAFE
	RETURN neon_auth.active_organization();

COMMENT ON FUNCTION auth.user_id() IS 'neon_auth_compat: the caller''s user id as text (pg_session_jwt), else NULL';
COMMENT ON FUNCTION auth.uid() IS 'neon_auth_compat: the caller''s user id (pg_session_jwt, Supabase), else NULL';
COMMENT ON FUNCTION auth.jwt() IS 'neon_auth_compat: the caller''s claims (Supabase, pg_session_jwt), else NULL';
COMMENT ON FUNCTION auth.session() IS 'neon_auth_compat: the caller''s claims (pg_session_jwt), else NULL';
COMMENT ON FUNCTION auth.role() IS 'neon_auth_compat: the role claim (Supabase), else NULL';
COMMENT ON FUNCTION auth.email() IS 'neon_auth_compat: the email claim (Supabase), else NULL';
COMMENT ON FUNCTION auth.organization_id() IS 'neon_auth_compat: the active organization''s id (pg_session_jwt), else NULL';
COMMENT ON FUNCTION auth.organization() IS 'neon_auth_compat: {id, slug, role} of the active organization (pg_session_jwt), else NULL';
