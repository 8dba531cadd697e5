\set SHOW_CONTEXT never
-- The schema a Better Auth 1.7 server (generateId "uuid") expects, and the
-- privilege model: PUBLIC reaches neon_auth only through the API functions.
SELECT table_name, string_agg(format('%s %s%s', column_name, data_type,
                                     CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END),
                              ', ' ORDER BY ordinal_position) AS columns
  FROM information_schema.columns
 WHERE table_schema = 'neon_auth'
 GROUP BY table_name ORDER BY table_name;

-- Unique constraints and indexes Better Auth's migrator creates.
SELECT tablename, indexname FROM pg_indexes WHERE schemaname = 'neon_auth' ORDER BY 1, 2;

-- Every foreign key cascades on delete.
SELECT conrelid::regclass AS tbl, confrelid::regclass AS refs, confdeltype
  FROM pg_constraint WHERE contype = 'f' AND connamespace = 'neon_auth'::regnamespace ORDER BY 1, 2;

-- pg_dump carries every table's rows, except the error catalogue's, which
-- belong to the extension's version and are written by its scripts.
SELECT count(*) AS config_dump_tables, bool_and(c IS NOT NULL) AS all_registered
  FROM pg_class t LEFT JOIN LATERAL unnest((SELECT extconfig FROM pg_extension WHERE extname = 'neon_auth')) c ON c = t.oid
 WHERE t.relnamespace = 'neon_auth'::regnamespace AND t.relkind = 'r' AND t.relname <> 'error_code';

-- No table is readable or writable by the app roles or PUBLIC.
SELECT r.rolname, count(*) FILTER (WHERE has_table_privilege(r.oid, c.oid, 'SELECT,INSERT,UPDATE,DELETE,TRUNCATE,REFERENCES,TRIGGER')) AS reachable_tables
  FROM pg_class c, pg_roles r
 WHERE c.relnamespace = 'neon_auth'::regnamespace AND c.relkind = 'r' AND r.rolname IN ('anon', 'authenticated')
 GROUP BY r.rolname ORDER BY 1;

-- Functions: which ones PUBLIC may run, which are SECURITY DEFINER, and that
-- every one pins search_path.
SELECT p.proname, pg_get_function_identity_arguments(p.oid) AS args,
       has_function_privilege('authenticated', p.oid, 'EXECUTE') AS app_can_execute,
       p.prosecdef AS security_definer,
       coalesce(array_to_string(p.proconfig, ', '), '') AS settings
  FROM pg_proc p WHERE p.pronamespace = 'neon_auth'::regnamespace ORDER BY 1, 2;

-- Functions the app roles may call that are not SECURITY DEFINER with a
-- pinned search_path. Reviewed list: the identity accessors, which must stay
-- inlinable and only return the caller's own identity (resolved in C, or by
-- the SECURITY DEFINER neon_auth._resolve_identity), and the C checks
-- verify_jwt and verify_session, which run no SQL under the caller's
-- search_path. Anything new here is a diff.
SELECT p.proname AS app_callable_invoker_functions FROM pg_proc p
 WHERE p.pronamespace = 'neon_auth'::regnamespace
   AND has_function_privilege('anon', p.oid, 'EXECUTE')
   AND NOT (p.prosecdef AND 'search_path=pg_catalog, pg_temp' = ANY (p.proconfig))
 ORDER BY 1;

-- The server secret exists, is random, and only the owner reads it.
SELECT length(value) AS secret_length, value ~ '^[A-Za-z0-9]{64}$' AS secret_alphanumeric FROM neon_auth.secret;
SET ROLE authenticated;
SELECT value FROM neon_auth.secret;
SELECT password FROM neon_auth.account;
SELECT token FROM neon_auth.session;
SELECT neon_auth._password_hash('password');
SELECT neon_auth._cookie_sign('token', 'secret');
RESET ROLE;

-- The configuration row and its defaults (Better Auth's).
SELECT base_url, session_expires_in, session_update_age, session_fresh_age, dont_remember_expires_in,
       min_password_length, max_password_length, require_email_verification FROM neon_auth.config;

-- Every function is immune to the caller's search_path: C, or a pinned
-- search_path, or an SQL-standard body (bound when CREATE EXTENSION ran).
SELECT p.proname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
 WHERE p.pronamespace = 'neon_auth'::regnamespace
   AND NOT (l.lanname = 'c'
            OR 'search_path=pg_catalog, pg_temp' = ANY (p.proconfig)
            OR (l.lanname = 'sql' AND p.prosqlbody IS NOT NULL));
