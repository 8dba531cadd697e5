\set SHOW_CONTEXT never
-- Install the extension and the roles a PostgREST deployment has.
CREATE EXTENSION neon_auth;
SELECT extname, extversion FROM pg_extension WHERE extname = 'neon_auth';
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
