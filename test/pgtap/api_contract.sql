-- The error contract: SQLSTATE and message per failure, the Better Auth code
-- in DETAIL, nothing written on failure, and constant work for unknown emails.
-- Function call counting must be on before the first call in this backend:
-- PL/pgSQL caches its compiled expressions, tracking flag included.
SET track_functions = 'all';
BEGIN;
SELECT plan(20);

CREATE FUNCTION pg_temp.detail_of(statement text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE d text;
BEGIN
	EXECUTE statement;
	RETURN NULL;
EXCEPTION WHEN others THEN
	GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
	RETURN d;
END $$;

SELECT lives_ok($$SELECT neon_auth.sign_up('contract@example.com', 'contract-pass-1', 'Contract')$$, 'sign_up');

SELECT throws_ok($$SELECT neon_auth.sign_up('contract@example.com', 'contract-pass-1', 'Again')$$,
                 '23505', 'user already exists', 'duplicate email: 23505');
SELECT is(pg_temp.detail_of($$SELECT neon_auth.sign_up('CONTRACT@example.com', 'contract-pass-1', 'Again')$$),
          'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL', 'duplicate email code');
SELECT throws_ok($$SELECT neon_auth.sign_in('contract@example.com', 'contract-pass-2')$$,
                 '28P01', 'invalid email or password', 'wrong password: 28P01');
SELECT throws_ok($$SELECT neon_auth.sign_in('missing@example.com', 'contract-pass-1')$$,
                 '28P01', 'invalid email or password', 'unknown email: the same error as a wrong password');
SELECT is(pg_temp.detail_of($$SELECT neon_auth.sign_in('missing@example.com', 'contract-pass-1')$$),
          'INVALID_EMAIL_OR_PASSWORD', 'unknown email code');
SELECT throws_ok($$SELECT neon_auth.sign_up('bad-email', 'contract-pass-1', 'X')$$, '22023', 'invalid email', 'invalid email: 22023');
SELECT throws_ok($$SELECT neon_auth.sign_up('short@example.com', 'short', 'X')$$, '22023', 'password too short', 'short password');
SELECT throws_ok($$SELECT neon_auth.sign_up('long@example.com', repeat('x', 129), 'X')$$, '22023', 'password too long', 'long password');
SELECT throws_ok($$SELECT neon_auth.sign_up(NULL, 'contract-pass-1', 'X')$$, '22004', 'email must not be null', 'null email');

UPDATE neon_auth."user" SET banned = true WHERE email = 'contract@example.com';
SELECT throws_ok($$SELECT neon_auth.sign_in('contract@example.com', 'contract-pass-1')$$, '28000', 'user is banned', 'banned');
SELECT is(pg_temp.detail_of($$SELECT neon_auth.sign_in('contract@example.com', 'contract-pass-1')$$), 'BANNED_USER', 'banned code');
UPDATE neon_auth."user" SET banned = false WHERE email = 'contract@example.com';

-- Failures leave nothing behind.
SELECT is((SELECT count(*) FROM neon_auth."user" WHERE email IN ('short@example.com', 'long@example.com')), 0::bigint,
          'rejected sign-ups wrote no user');
SELECT is((SELECT count(*) FROM neon_auth.session s JOIN neon_auth."user" u ON u.id = s."userId"
            WHERE u.email = 'contract@example.com'), 1::bigint, 'failed sign-ins wrote no session');

-- Timing: an unknown email costs exactly one scrypt, like a wrong password.
CREATE FUNCTION pg_temp.kdf_calls(statement text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	before bigint;
BEGIN
	SELECT coalesce(sum(calls), 0) INTO before FROM pg_stat_xact_user_functions
	 WHERE schemaname = 'neon_auth' AND funcname = '_password_verify';
	BEGIN
		EXECUTE statement;
	EXCEPTION WHEN others THEN NULL;
	END;
	RETURN (SELECT coalesce(sum(calls), 0) FROM pg_stat_xact_user_functions
	         WHERE schemaname = 'neon_auth' AND funcname = '_password_verify') - before;
END $$;
SELECT is(pg_temp.kdf_calls($$SELECT neon_auth.sign_in('contract@example.com', 'contract-pass-x')$$), 1::bigint,
          'wrong password runs one KDF');
SELECT is(pg_temp.kdf_calls($$SELECT neon_auth.sign_in('nobody-at-all@example.com', 'contract-pass-x')$$), 1::bigint,
          'unknown email runs one KDF too');
INSERT INTO neon_auth."user" (name, email) VALUES ('Social', 'social-only@example.com');
SELECT is(pg_temp.kdf_calls($$SELECT neon_auth.sign_in('social-only@example.com', 'contract-pass-x')$$), 1::bigint,
          'a user without a password runs one KDF too');
SELECT is(pg_temp.kdf_calls($$SELECT neon_auth.sign_in('contract@example.com', 'contract-pass-1')$$), 1::bigint,
          'a successful sign-in runs one KDF');

-- Results carry no secret: no password hash anywhere in the JSON.
SELECT ok(NOT (neon_auth.sign_in('contract@example.com', 'contract-pass-1')::text ~ '[0-9a-f]{32}:[0-9a-f]{128}'),
          'sign_in output has no password hash');
SELECT ok(NOT (neon_auth.get_session(neon_auth.sign_in('contract@example.com', 'contract-pass-1') ->> 'token')::text
               ~* 'password'), 'get_session output has no password field');

SELECT * FROM finish();
ROLLBACK;
