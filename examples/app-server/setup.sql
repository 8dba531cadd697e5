-- The roles, table and policy of docs/app-server.md. Run it once, as a
-- superuser, in a database that has the neon_auth extension:
--   psql -d app -v ON_ERROR_STOP=1 -f setup.sql
BEGIN;

-- authenticated: the role the policy names and the server switches to (SET
-- LOCAL ROLE) for each request. PostgREST setups already have it
-- (docs/install.md). app_server: the role the server logs in as. NOINHERIT,
-- so it gets authenticated's rights only after SET ROLE: a query that forgot
-- to switch fails with "permission denied" instead of reading any rows.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticated') THEN
        CREATE ROLE authenticated NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_server') THEN
        CREATE ROLE app_server LOGIN NOINHERIT PASSWORD 'change-me';   -- change it: \password app_server
    END IF;
END
$$;
-- SET ROLE authenticated needs this membership.
GRANT authenticated TO app_server;

-- owner_id defaults to the verified caller, so an insert needs no user id from the app.
CREATE TABLE public.notes (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id uuid NOT NULL DEFAULT neon_auth.requesting_user_id()
        REFERENCES neon_auth."user" (id) ON DELETE CASCADE,
    body text NOT NULL
);
CREATE INDEX ON public.notes (owner_id);   -- the policy is an equality on owner_id
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;

-- (SELECT ...) evaluates the caller once per statement (docs/rls.md).
CREATE POLICY notes_owner ON public.notes FOR ALL TO authenticated
    USING (owner_id = (SELECT neon_auth.requesting_user_id()))
    WITH CHECK (owner_id = (SELECT neon_auth.requesting_user_id()));
GRANT SELECT, INSERT, UPDATE, DELETE ON public.notes TO authenticated;

COMMIT;
