-- The notes example's table, role and policy. Idempotent: run it again at will.
-- Needs the neon_auth extension in this database, and a user that may create roles.
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f setup.sql
SET client_min_messages = warning;
BEGIN;

-- The role the server switches to for every data request. It owns nothing and
-- bypasses nothing, so row-level security applies to it (the login role that
-- created the table owns it and would bypass RLS).
DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'notes_user') THEN
		CREATE ROLE notes_user NOLOGIN;
	END IF;
END
$$;
-- SET ROLE needs membership: the server connects as this (setup) user.
GRANT notes_user TO CURRENT_USER;

-- owner_id is filled in by the database from the verified caller, never by the app.
CREATE TABLE IF NOT EXISTS public.notes (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	owner_id uuid NOT NULL DEFAULT neon_auth.requesting_user_id()
		REFERENCES neon_auth."user" (id) ON DELETE CASCADE,
	body text NOT NULL CHECK (length(body) BETWEEN 1 AND 1000)
);
CREATE INDEX IF NOT EXISTS notes_owner_id_idx ON public.notes (owner_id);   -- the policy's equality
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;

-- (SELECT ...) makes the planner evaluate the caller once per statement (docs/rls.md).
DROP POLICY IF EXISTS notes_own_rows ON public.notes;
CREATE POLICY notes_own_rows ON public.notes FOR ALL TO notes_user
	USING (owner_id = (SELECT neon_auth.requesting_user_id()))
	WITH CHECK (owner_id = (SELECT neon_auth.requesting_user_id()));

GRANT USAGE ON SCHEMA public TO notes_user;
GRANT SELECT, INSERT ON public.notes TO notes_user;   -- what the server does, no more

COMMIT;
