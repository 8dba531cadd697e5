\set SHOW_CONTEXT never
\i sql/helpers.psql
-- Better Auth's cookie cache (session.cookieCache, compact): the session_data
-- value neon_auth makes for a Better Auth server, and what get_session says to
-- do with the request's one. Identity never comes from it.
SELECT neon_auth.sign_in('alice@example.com', 'correct horse battery') ->> 'token' AS tok \gset
-- Off by default: no value, nothing to do.
SELECT neon_auth.session_cookies(:'tok') -> 'sessionData' AS off_value;
SELECT neon_auth.get_session(:'tok') IS NOT NULL AS got, current_setting('response.session_data', true) AS off_action;

SELECT neon_auth.configure('{"cookie_cache_max_age": 300}') -> 'cookie_cache_max_age' AS max_age;
SELECT neon_auth.session_cookies(:'tok') ->> 'sessionData' AS cache \gset
-- The value: {session: {session, user, updatedAt, version}, expiresAt, signature}.
SELECT (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(d) k) AS signed_keys,
       d #>> '{session,token}' = :'tok' AS this_session, d #>> '{user,email}' AS email, d ->> 'version' AS version,
       ((d ->> 'expiresAt')::bigint - (d ->> 'updatedAt')::bigint) / 1000 AS lifetime_seconds
  FROM (SELECT neon_auth._cookie_cache_decode(:'cache', value)::jsonb AS d FROM neon_auth.secret) x;
SELECT neon_auth._cookie_cache_decode(:'cache', 'another-secret-0123456789abcdefghijklmn') IS NULL AS other_secret_refused;
-- Not remembered: 60 seconds, as Better Auth.
SELECT ((d ->> 'expiresAt')::bigint - (d ->> 'updatedAt')::bigint) / 1000 AS not_remembered_seconds
  FROM (SELECT neon_auth._cookie_cache_decode(neon_auth.session_cookies(:'tok', true) ->> 'sessionData', value)::jsonb AS d
          FROM neon_auth.secret) x;

-- get_session: a valid cache is left alone; none, a forged one, another
-- session's or an expired one is replaced (expired first when present).
CREATE FUNCTION pg_temp.action(cookie text) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config('request.cookies', CASE WHEN cookie IS NULL THEN '{}' ELSE json_build_object('better-auth.session_data', cookie)::text END, true);
	PERFORM set_config('response.session_data', 'unset', true);
	PERFORM neon_auth.get_session(current_setting('test.tok'));
	RETURN CASE current_setting('response.session_data') WHEN '' THEN '"left alone"' ELSE
	       current_setting('response.session_data')::jsonb - 'set' || jsonb_build_object('set', current_setting('response.session_data')::jsonb ? 'set'
	                                                                                         AND current_setting('response.session_data')::jsonb ->> 'set' IS NOT NULL) END;
END $$;
SELECT set_config('test.tok', :'tok', false) IS NOT NULL AS ready;
SELECT neon_auth.sign_up('cache-bob@example.com', 'cache-bob-password-1', 'Bob') ->> 'token' AS bob \gset
SELECT label, pg_temp.action(cookie) AS action
  FROM (VALUES ('valid', :'cache'),
               ('none', NULL),
               ('forged', 'eyJmb3JnZWQiOnRydWV9'),
               ('another session''s', neon_auth.session_cookies(:'bob') ->> 'sessionData'),
               ('expired', (SELECT neon_auth._cookie_cache_encode(jsonb_build_object('session', jsonb_build_object('token', :'tok', 'expiresAt', '2100-01-01T00:00:00.000Z'), 'user', '{}'::jsonb, 'updatedAt', 1, 'version', '1')::text, 1000, value) FROM neon_auth.secret))) v(label, cookie);
-- Not remembered (the dont_remember cookie): an invalid cache is expired, none set.
SELECT set_config('request.cookies', json_build_object('better-auth.session_data', 'eyJmb3JnZWQiOnRydWV9',
                  'better-auth.dont_remember', neon_auth._cookie_sign('true', (SELECT value FROM neon_auth.secret)))::text, false) IS NOT NULL AS ready;
SELECT neon_auth.get_session(:'tok') IS NOT NULL AS got, current_setting('response.session_data')::jsonb - 'maxAge' AS not_remembered_action;
SELECT set_config('request.cookies', '', false) IS NOT NULL AS cleared;
-- An app role cannot make or read one except through session_cookies, for a live session.
SET ROLE authenticated;
SELECT pg_temp.try($$SELECT neon_auth._cookie_cache_encode('{}', 1, 'x')$$) AS encode_refused;
SELECT neon_auth.session_cookies('not-a-session') AS no_session;
RESET ROLE;
SELECT neon_auth.configure('{"cookie_cache_max_age": 0}') -> 'cookie_cache_max_age' AS off_again;
