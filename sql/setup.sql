\set SHOW_CONTEXT never
-- Install the extension and the roles a PostgREST deployment has.
SHOW search_path;
CREATE EXTENSION neon_auth;
SELECT extname, extversion FROM pg_extension WHERE extname = 'neon_auth';
-- The flow tests sign in many times a second; sql/lifecycle.sql tests the
-- rate limits themselves.
SELECT neon_auth.configure('{"rate_limit_enabled": false}') ->> 'rate_limit_enabled' AS rate_limits_on;
-- The install script pins its own search_path without changing the caller's.
SHOW search_path;
DO $$
BEGIN
	CREATE ROLE anon NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
DO $$
BEGIN
	CREATE ROLE authenticated NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
-- The install script refuses a database that is not UTF8 (NFKC needs it).
CREATE DATABASE neon_auth_sql_ascii ENCODING 'SQL_ASCII' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C';
\c neon_auth_sql_ascii
CREATE EXTENSION neon_auth;
SELECT count(*) AS leftover_schemas FROM pg_namespace WHERE nspname = 'neon_auth';
\c contrib_regression
DROP DATABASE neon_auth_sql_ascii;

-- Install-time hardening, in a database prepared by a hostile owner:
-- a planted public.make_interval(integer) (an exact match that would beat
-- pg_catalog's and be bound into SQL-standard bodies), and default
-- privileges that would hand every new table to another role.
CREATE ROLE neon_auth_snoop NOLOGIN;
CREATE DATABASE neon_auth_hostile ENCODING 'UTF8' TEMPLATE template0;
\c neon_auth_hostile
CREATE FUNCTION public.make_interval(secs integer) RETURNS interval LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'captured by public.make_interval';
END $$;
ALTER DEFAULT PRIVILEGES GRANT ALL ON TABLES TO neon_auth_snoop;
ALTER DEFAULT PRIVILEGES GRANT ALL ON FUNCTIONS TO neon_auth_snoop;
ALTER DEFAULT PRIVILEGES GRANT ALL ON SCHEMAS TO neon_auth_snoop;
CREATE EXTENSION neon_auth;
SELECT (neon_auth.sign_up('hostile@example.com', 'hostile-password', 'H') ->> 'token') IS NOT NULL AS not_captured;
SELECT count(*) FILTER (WHERE has_table_privilege('neon_auth_snoop', c.oid, 'SELECT,INSERT,UPDATE,DELETE')) AS snoop_tables,
       (SELECT count(*) FROM pg_proc p, aclexplode(p.proacl) a WHERE p.pronamespace = 'neon_auth'::regnamespace
           AND a.grantee = 'neon_auth_snoop'::regrole) AS snoop_function_grants,
       has_schema_privilege('neon_auth_snoop', 'neon_auth', 'CREATE') AS snoop_can_create
  FROM pg_class c WHERE c.relnamespace = 'neon_auth'::regnamespace AND c.relkind = 'r';
\c contrib_regression
DROP DATABASE neon_auth_hostile;
DROP ROLE neon_auth_snoop;
