-- Two-factor sign-in as PostgREST (or the HTTP handler) drives it: each
-- request's settings set transaction-locally, the caller found from the
-- session cookie, the challenge from the two_factor cookie, wrong codes
-- answered with Better Auth's status.
BEGIN;
SELECT plan(11);

-- One request: the settings PostgREST sets, as the anonymous role.
CREATE FUNCTION pg_temp.request(cookies jsonb) RETURNS void LANGUAGE sql AS $$
	SELECT set_config('role', 'anon', true), set_config('request.method', 'POST', true),
	       set_config('request.headers', '{"x-forwarded-for": "198.51.100.9", "origin": "http://localhost:3000"}', true),
	       set_config('request.cookies', cookies::text, true), set_config('response.status', '', true) $$;
CREATE FUNCTION pg_temp.code_now(user_id uuid) RETURNS text LANGUAGE sql SECURITY DEFINER AS $$
	SELECT neon_auth._totp_code(neon_auth._symmetric_decrypt((SELECT value FROM neon_auth.secret), secret),
	                            extract(epoch FROM now())::bigint)
	  FROM neon_auth."twoFactor" WHERE "userId" = user_id $$;

SELECT neon_auth.sign_up('tfa-rest@example.com', 'rest-password-1', 'Rest') AS signed_up \gset
SELECT (:'signed_up'::jsonb #>> '{user,id}')::uuid AS uid, neon_auth.session_cookie(:'signed_up'::jsonb ->> 'token') AS cookie \gset

SELECT pg_temp.request(jsonb_build_object('better-auth.session_token', :'cookie'));
SELECT is(neon_auth.enable_two_factor('rest-password-1') ->> 'method', 'totp', 'enable_two_factor for the cookie''s session');
SELECT is(neon_auth.verify_totp('000000') ->> 'code', 'INVALID_CODE', 'a wrong enrolment code is answered');
SELECT is(current_setting('response.status'), '401', '... with Better Auth''s status');
RESET ROLE;
SELECT pg_temp.request(jsonb_build_object('better-auth.session_token', :'cookie'));
SELECT is(neon_auth.verify_totp(pg_temp.code_now(:'uid')) #>> '{user,twoFactorEnabled}', 'true', 'the first code turns it on');
RESET ROLE;

SELECT pg_temp.request('{}');
SELECT neon_auth.sign_in('tfa-rest@example.com', 'rest-password-1') AS challenge \gset
SELECT ok(:'challenge'::jsonb ? 'twoFactorCookie' AND NOT :'challenge'::jsonb ? 'token', 'sign_in answers the challenge');
RESET ROLE;

-- The next request carries the two_factor cookie (URI-encoded, as browsers send it).
SELECT pg_temp.request(jsonb_build_object('better-auth.two_factor',
	replace(replace(replace(:'challenge'::jsonb ->> 'twoFactorCookie', '+', '%2B'), '/', '%2F'), '=', '%3D')));
SELECT is(neon_auth.verify_totp('111111') ->> 'code', 'INVALID_CODE', 'a wrong code against the challenge is answered');
SELECT is(neon_auth.verify_totp(pg_temp.code_now(:'uid'), true) #>> '{user,email}', 'tfa-rest@example.com',
          'the right code finishes the sign-in from the cookie');
RESET ROLE;
SELECT is((SELECT value FROM neon_auth.verification WHERE identifier LIKE '2fa-attempts-%'
            AND identifier = '2fa-attempts-' || split_part(:'challenge'::jsonb ->> 'twoFactorCookie', '.', 1)), NULL,
          'the challenge and its counter are used up');
SELECT is((SELECT outcome FROM neon_auth.audit_log WHERE user_id = :'uid' AND event = 'two_factor_verify' ORDER BY id DESC LIMIT 1),
          'INVALID_CODE', 'the wrong code left its audit row');
SELECT is((SELECT ip FROM neon_auth.audit_log WHERE user_id = :'uid' AND event = 'sign_in' ORDER BY id DESC LIMIT 1),
          '198.51.100.9', 'the sign-in records the client address');

SELECT pg_temp.request('{"better-auth.two_factor": "2fa-forged.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D"}');
SELECT throws_ok($$SELECT neon_auth.verify_totp('123456')$$, '28000', 'invalid two-factor challenge',
                 'a forged challenge cookie is refused');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
