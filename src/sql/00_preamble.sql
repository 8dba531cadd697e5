-- neon_auth: Better Auth-compatible authentication inside PostgreSQL.
--
-- The install script of the current version is the concatenation of the
-- numbered files in src/sql/, in the order of their numbers, which is the
-- order of definition: preamble, C primitives, tables, the error catalogue,
-- shared helpers, then one file per topic, the initial rows and the
-- privileges (docs/architecture.md). Every name is schema-qualified and
-- every function pins search_path, so nothing a caller puts on its
-- search_path can capture an object or operator used here.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION neon_auth" to load this file. \quit

DO $$
BEGIN
	IF pg_catalog.getdatabaseencoding() OPERATOR(pg_catalog.<>) 'UTF8' THEN
		RAISE EXCEPTION 'neon_auth requires a UTF8 database'
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      DETAIL = 'Passwords are NFKC-normalized with normalize(), which works only when the server encoding is UTF8.',
			      HINT = 'Create the database with ENCODING ''UTF8'' (and TEMPLATE template0), then run CREATE EXTENSION again.';
	END IF;
END
$$;

-- The extension owns its schema (no IF NOT EXISTS): CREATE EXTENSION fails if
-- somebody pre-created it, so no other role can have planted objects in it.
CREATE SCHEMA neon_auth;
REVOKE ALL ON SCHEMA neon_auth FROM PUBLIC;
GRANT USAGE ON SCHEMA neon_auth TO PUBLIC;
COMMENT ON SCHEMA neon_auth IS 'Better Auth-compatible users, credentials, sessions and keys (neon_auth extension)';

-- CREATE EXTENSION runs this script with search_path set to the installer's
-- first schema (usually public, which its owner controls). SQL-standard
-- function bodies below bind their function and operator names now, so an
-- object planted there (say public.make_interval(integer), an exact match
-- that beats pg_catalog's) would be captured for good. Resolve against
-- pg_catalog only. LOCAL matters: a plain SET here would outlive the script
-- and leave the caller's session with this search_path.
SET LOCAL search_path = pg_catalog, pg_temp;
