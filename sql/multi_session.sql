\set SHOW_CONTEXT never
\i sql/helpers.psql
-- multiSession (src/sql/15_multi_session.sql): one browser, several accounts.
-- The request's cookies as PostgREST sets them; cookies(): the multi-session
-- cookie of each token given, plus any extra pairs.
CREATE FUNCTION pg_temp.cookies(tokens text[], extra jsonb DEFAULT '{}') RETURNS boolean LANGUAGE sql AS $$
	SELECT set_config('request.cookies', (coalesce((SELECT jsonb_object_agg('better-auth.session_token_multi-' || lower(t), neon_auth.session_cookie(t))
	                                                  FROM unnest(tokens) t), '{}') || extra)::text, false) IS NOT NULL $$;
SELECT neon_auth.sign_up('ms-ann@example.com', 'ann-password-1', 'Ann') ->> 'token' AS ann \gset
SELECT neon_auth.sign_up('ms-ben@example.com', 'ben-password-1', 'Ben') ->> 'token' AS ben \gset

-- Off by default: session_cookies issues no device cookie.
SELECT neon_auth.session_cookies(:'ann') -> 'multi' AS multi;
SELECT neon_auth.configure('{"multi_session": true, "multi_session_maximum": 2}') - 'updated_at' -> 'multi_session' AS on;
SELECT (neon_auth.session_cookies(:'ann') -> 'multi' ->> 'set') = neon_auth.session_cookie(:'ann') AS device_cookie_is_signed_token;

-- Listing: live sessions of verified cookies, one per user; forged, foreign
-- and unknown cookies count for nothing.
SELECT pg_temp.cookies(ARRAY[:'ann', :'ben'], jsonb_build_object(
	'better-auth.session_token_multi-forged', 'abc.forged',
	'better-auth.session_token_multi-unsigned', :'ann',
	'better-auth.session_token_multi-planted', neon_auth.session_cookie(:'ben'),
	'evil.session_token_multi-' || lower(:'ben'), neon_auth.session_cookie(:'ben'),
	'other.session_token', neon_auth.session_cookie(:'ben')));
SELECT jsonb_path_query_array(neon_auth.list_device_sessions(), '$[*].user.email') AS listed,
       jsonb_path_query_array(neon_auth.list_device_sessions(), '$[*].session.token') = jsonb_build_array(:'ann', :'ben') AS tokens;

-- set_active_session: the token's cookie (any case), else INVALID_SESSION_TOKEN.
SELECT neon_auth.set_active_session(upper(:'ben')) #>> '{user,email}' AS active;
SELECT t AS token, pg_temp.try(format('SELECT neon_auth.set_active_session(%L)', t)) AS result
  FROM unnest(ARRAY['forged', 'unsigned', 'nope', '']) t;
UPDATE neon_auth."session" SET "expiresAt" = now() - interval '1 second' WHERE "token" = :'ben';
SELECT pg_temp.try(format('SELECT neon_auth.set_active_session(%L)', :'ben')) AS expired,
       jsonb_array_length(neon_auth.list_device_sessions()) AS live;
UPDATE neon_auth."session" SET "expiresAt" = now() + interval '1 day' WHERE "token" = :'ben';

-- Signing in again as Ann on this device ends her older session there and
-- expires its cookie; a third account is over the maximum of 2, so it gets
-- the session cookie but no device cookie.
SELECT neon_auth.sign_in('ms-ann@example.com', 'ann-password-1') ->> 'token' AS ann2 \gset
SELECT neon_auth.session_cookies(:'ann2') -> 'multi' -> 'expire' = jsonb_build_array('better-auth.session_token_multi-' || lower(:'ann')) AS expires_old;
SELECT (SELECT count(*) FROM neon_auth."session" WHERE "token" = :'ann') AS old_session_left;
SELECT neon_auth.sign_up('ms-cy@example.com', 'cy-password-1', 'Cy') ->> 'token' AS cy \gset
SELECT pg_temp.cookies(ARRAY[:'ann2', :'ben']);
SELECT (neon_auth.session_cookies(:'cy') -> 'multi') - 'name' AS over_maximum;
-- A session whose cookie the device already has changes nothing.
SELECT (neon_auth.session_cookies(:'ben') -> 'multi') - 'name' AS already_there;

-- Revoking needs a signed-in caller and the cookie; it ends that session only.
SELECT pg_temp.try(format('SELECT neon_auth.revoke_device_session(%L)', :'ben')) AS nobody_signed_in;
SELECT pg_temp.cookies(ARRAY[:'ann2', :'ben'], jsonb_build_object('better-auth.session_token', neon_auth.session_cookie(:'ann2')));
SELECT pg_temp.try(format('SELECT neon_auth.revoke_device_session(%L)', 'nope')) AS unknown;
SELECT neon_auth.revoke_device_session(:'ben') AS revoked;
SELECT (SELECT count(*) FROM neon_auth."session" WHERE "token" = :'ben') AS ben_left,
       (SELECT count(*) FROM neon_auth."session" WHERE "token" = :'ann2') AS ann_left;

-- Signing out ends every session of the device's cookies.
SELECT neon_auth.sign_in('ms-ben@example.com', 'ben-password-1') ->> 'token' AS ben2 \gset
SELECT pg_temp.cookies(ARRAY[:'ann2', :'ben2'], jsonb_build_object('better-auth.session_token', neon_auth.session_cookie(:'ann2')));
SELECT neon_auth.sign_out(:'ann2') AS signed_out;
SELECT (SELECT count(*) FROM neon_auth."session" WHERE "token" IN (:'ann2', :'ben2')) AS sessions_left;

-- Through PostgREST, switching accounts is a login: a foreign Origin is refused.
SELECT neon_auth.sign_in('ms-ben@example.com', 'ben-password-1') ->> 'token' AS ben3 \gset
SELECT pg_temp.cookies(ARRAY[:'ben3']);
SELECT set_config('request.method', 'POST', false) IS NOT NULL AS via_postgrest,
       set_config('request.headers', '{"origin": "https://evil.example"}', false) IS NOT NULL AS foreign_origin;
SELECT pg_temp.try(format('SELECT neon_auth.set_active_session(%L)', :'ben3')) AS cross_site;
SELECT set_config('request.method', '', false) IS NOT NULL, set_config('request.headers', '', false) IS NOT NULL,
       set_config('request.cookies', '', false) IS NOT NULL;

-- The app roles call the three endpoints; the helpers are the owner's.
SELECT p AS function, has_function_privilege('authenticated', p, 'EXECUTE') AS authenticated, has_function_privilege('anon', p, 'EXECUTE') AS anon
  FROM unnest(ARRAY['neon_auth.list_device_sessions()', 'neon_auth.set_active_session(text)', 'neon_auth.revoke_device_session(text)',
                    'neon_auth._device_session_cookies()', 'neon_auth._device_session_cookie(text, integer)']) p;
SELECT neon_auth.configure('{"multi_session": false, "multi_session_maximum": 5}') -> 'multi_session' AS off;
