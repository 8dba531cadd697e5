-- The privilege model, role by role: app roles reach neon_auth only through
-- the API functions; no table, secret, hash or token is readable.
BEGIN;
SELECT plan(60);

-- Each Better Auth and neon_auth table: no privilege at all for the app roles.
SELECT is(has_table_privilege(r, 'neon_auth.' || quote_ident(t), p), false,
          format('%s has no %s on neon_auth.%s', r, p, t))
  FROM unnest(ARRAY['anon', 'authenticated']) r,
       unnest(ARRAY['user', 'session', 'account', 'verification', 'jwks', 'secret', 'config']) t,
       unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) p
 WHERE p = 'SELECT' OR t IN ('user', 'session', 'account', 'secret');

-- And really: a SELECT as authenticated fails with 42501.
SET ROLE authenticated;
SELECT throws_ok('SELECT * FROM neon_auth.account', '42501', 'permission denied for table account',
                 'authenticated cannot select neon_auth.account');
SELECT throws_ok('SELECT value FROM neon_auth.secret', '42501', NULL, 'authenticated cannot read the secret');
SELECT throws_ok('SELECT token FROM neon_auth.session', '42501', NULL, 'authenticated cannot read session tokens');
SELECT throws_ok($$UPDATE neon_auth."user" SET role = 'admin'$$, '42501', NULL, 'authenticated cannot change roles');
SELECT throws_ok($$SELECT neon_auth._password_verify('x', 'y')$$, '42501', NULL, 'internal functions are not executable');
SELECT throws_ok($$SELECT neon_auth._cookie_sign('token', 'secret')$$, '42501', NULL, 'no signing primitive for app roles');
SELECT throws_ok($$SELECT neon_auth.set_secret('0123456789abcdef0123456789abcdef-attacker')$$, '42501', NULL,
                 'only the owner can replace the secret');
RESET ROLE;

-- The API is callable by both roles, and works through SECURITY DEFINER.
SELECT ok(has_function_privilege(r, f, 'EXECUTE'), format('%s may call %s', r, f))
  FROM unnest(ARRAY['anon', 'authenticated']) r,
       unnest(ARRAY['neon_auth.sign_up(text,text,text,text,boolean)', 'neon_auth.sign_in(text,text,boolean)',
                    'neon_auth.sign_out(text)', 'neon_auth.verify_session(text)',
                    'neon_auth.get_session(text,boolean)', 'neon_auth.session_cookie(text)']) f;

SET ROLE anon;
SELECT ok((neon_auth.sign_up('tap-priv@example.com', 'tap-password-1', 'Tap') ->> 'token') IS NOT NULL,
          'anon can sign up');
-- Two statements: a STABLE function sees the snapshot its statement started with.
SELECT neon_auth.sign_in('tap-priv@example.com', 'tap-password-1') ->> 'token' AS tok \gset
SELECT ok(neon_auth.verify_session(:'tok') IS NOT NULL, 'anon can sign in and verify the session');
RESET ROLE;

-- A role's search_path cannot capture anything the API uses.
CREATE SCHEMA evil;
CREATE FUNCTION evil.lower(text) RETURNS text LANGUAGE sql AS $$ SELECT 'hijacked@example.com' $$;
CREATE FUNCTION evil.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT 'infinity'::timestamptz $$;
SET search_path = evil, public;
SELECT is(neon_auth.sign_up('Capture@Example.com', 'tap-password-2', 'C') #>> '{user,email}', 'capture@example.com',
          'a hostile search_path does not change what sign_up calls');
RESET search_path;

SELECT * FROM finish();
ROLLBACK;
