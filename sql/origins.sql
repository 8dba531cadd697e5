\set SHOW_CONTEXT never
\i sql/helpers.psql
-- Trusted origins (src/sql/07_origins.sql): Better Auth's patterns, the
-- origin check (CSRF) of cookie-identified calls through PostgREST, and
-- configure()'s refusal of base URLs and origins that are not plain http(s).
SELECT neon_auth.configure('{"base_url": "https://app.example.com", "trusted_origins": ["https://admin.example.com", "*.preview.example.com", "https://*.example.org", "http://10.0.*.*:3000"]}') ->> 'base_url' AS base_url;

-- Better Auth's matchesOriginPattern.
SELECT o AS origin, p AS pattern, neon_auth._origin_matches(o, p) AS matches FROM (VALUES
	('https://admin.example.com', 'https://admin.example.com'),
	('https://ADMIN.example.com', 'https://admin.example.com'),
	('https://admin.example.com:8443', 'https://admin.example.com'),
	('https://pr-7.preview.example.com', '*.preview.example.com'),
	('http://pr-7.preview.example.com', '*.preview.example.com'),
	('https://preview.example.com', '*.preview.example.com'),
	('https://a.b.example.org', 'https://*.example.org'),
	('https://example.org', 'https://*.example.org'),
	('http://a.example.org', 'https://*.example.org'),
	('http://10.0.1.2:3000', 'http://10.0.*.*:3000'),
	('http://10.0.evil.com:3000', 'http://10.0.*.*:3000'),
	('https://app.example.co', 'https://app.example.co?'),
	('https://evil.test:1.preview.example.com', '*.preview.example.com')) AS t(o, p);
SELECT u AS url, neon_auth._trusted_origin(u) AS trusted FROM (VALUES
	('https://app.example.com/settings'), ('https://app.example.com.evil.example/'),
	('https://app.example.com@evil.example/'), ('https://x.preview.example.com/cb'), ('javascript:alert(1)')) AS t(u);

SELECT neon_auth.sign_up('orla@example.com', 'orla-password-1', 'Orla') ->> 'token' AS orla \gset
SELECT neon_auth.session_cookie(:'orla') AS orla_cookie \gset
-- A PostgREST request: method, headers and cookies, all transaction-local.
CREATE FUNCTION pg_temp.request(method text, headers jsonb, cookies jsonb) RETURNS void LANGUAGE sql AS $$
	SELECT set_config('request.method', method, true), set_config('request.headers', headers::text, true),
	       set_config('request.cookies', cookies::text, true);
$$;
-- update_user() as the cookie's user, from a request with these headers.
CREATE FUNCTION pg_temp.rename(method text, headers jsonb, cookie text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_temp.request(method, headers, jsonb_build_object('better-auth.session_token', cookie));
	RETURN pg_temp.try('SELECT neon_auth.update_user(''Orla ' || md5(random()::text) || ''')');
END $$;
SELECT t.label, pg_temp.rename(t.method, t.headers, :'orla_cookie') AS result FROM (VALUES
	('no origin',                'POST', '{}'::jsonb),
	('origin null',              'POST', '{"origin": "null"}'),
	('origin null, same-origin', 'POST', '{"origin": "null", "sec-fetch-site": "same-origin"}'),
	('evil origin',              'POST', '{"origin": "https://evil.example"}'),
	('look-alike origin',        'POST', '{"origin": "https://app.example.com.evil.example"}'),
	('base_url origin',          'POST', '{"origin": "https://app.example.com"}'),
	('trusted origin',           'POST', '{"origin": "https://admin.example.com"}'),
	('trusted pattern',          'POST', '{"origin": "https://pr-9.preview.example.com"}'),
	('evil origin, good referer','POST', '{"origin": "https://evil.example", "referer": "https://app.example.com/"}'),
	('referer only',             'POST', '{"referer": "https://app.example.com/settings"}'),
	('evil referer only',        'POST', '{"referer": "https://evil.example/page"}'),
	('GET from another origin',  'GET',  '{"origin": "https://evil.example"}'),
	('GET from a trusted origin','GET',  '{"origin": "https://admin.example.com"}'),
	('GET without Origin',       'GET',  '{"sec-fetch-site": "same-origin"}'),
	('plain SQL is not checked', '',     '{"origin": "https://evil.example"}')) AS t(label, method, headers);
-- Sign-in and sign-up over HTTP: Better Auth's login CSRF check. Without
-- cookies only a browser's own headers trigger it; a cross-site form post is
-- refused outright.
CREATE FUNCTION pg_temp.login(headers jsonb, cookies jsonb) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_temp.request('POST', headers, cookies);
	RETURN coalesce(pg_temp.try('SELECT neon_auth.sign_in(''orla@example.com'', ''orla-password-1'') ->> ''code'''), 'signed in');
END $$;
SELECT t.label, pg_temp.login(t.headers, t.cookies) AS result FROM (VALUES
	('server to server',            '{}'::jsonb, '{}'::jsonb),
	('cross-site form post',        '{"sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate", "origin": "https://app.example.com"}', '{}'),
	('cross-site fetch',            '{"sec-fetch-site": "cross-site", "sec-fetch-mode": "cors", "origin": "https://evil.example"}', '{}'),
	('fetch without origin',        '{"sec-fetch-mode": "cors"}', '{}'),
	('same-site fetch',             '{"sec-fetch-site": "same-origin", "sec-fetch-mode": "cors", "origin": "https://app.example.com"}', '{}'),
	('evil origin, no fetch meta',  '{"origin": "https://evil.example"}', '{}'),
	('cookie without origin',       '{}', '{"theme": "dark"}'),
	('cookie, trusted origin',      '{"origin": "https://admin.example.com"}', '{"theme": "dark"}')) AS t(label, headers, cookies);
-- sign_out: only a request with cookies is checked.
CREATE FUNCTION pg_temp.sign_out(headers jsonb, cookies jsonb) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_temp.request('POST', headers, cookies);
	RETURN pg_temp.try('SELECT neon_auth.sign_out(''no-such-token'')');
END $$;
SELECT t.label, pg_temp.sign_out(t.headers, t.cookies) AS result FROM (VALUES
	('no cookies, evil origin', '{"origin": "https://evil.example"}'::jsonb, '{}'::jsonb),
	('cookie, evil origin',     '{"origin": "https://evil.example"}', '{"better-auth.session_token": "x"}'),
	('cookie, no origin',       '{}', '{"better-auth.session_token": "x"}'),
	('cookie, base_url origin', '{"origin": "https://app.example.com"}', '{"better-auth.session_token": "x"}')) AS t(label, headers, cookies);
-- Bearer tokens and authenticate() are not checked: no browser sends them by itself.
BEGIN;
SELECT pg_temp.request('POST', jsonb_build_object('origin', 'https://evil.example', 'authorization', 'Bearer ' || :'orla'), '{}');
SELECT neon_auth.update_user('Orla by bearer') ->> 'status' AS bearer_not_checked;
ROLLBACK;
BEGIN;
SELECT pg_temp.request('POST', '{"origin": "https://evil.example"}', jsonb_build_object('better-auth.session_token', :'orla_cookie'));
SELECT neon_auth.authenticate(:'orla') IS NOT NULL AS authenticated;
SELECT neon_auth.update_user('Orla by authenticate') ->> 'status' AS authenticate_not_checked;
ROLLBACK;

-- configure() refuses base URLs and origins with user-info, a fragment, a
-- query or another scheme.
SELECT t.setting, pg_temp.try(format('SELECT neon_auth.configure(%L)', t.setting)) AS result FROM (VALUES
	('{"base_url": "http://a@evil.example"}'),
	('{"base_url": "https://app.example.com/#x"}'),
	('{"base_url": "https://app.example.com/?a=1"}'),
	('{"base_url": "javascript://app.example.com"}'),
	('{"trusted_origins": ["https://user@admin.example.com"]}'),
	('{"trusted_origins": ["https://admin.example.com/path"]}'),
	('{"trusted_origins": ["https://admin.example.com#x"]}'),
	('{"trusted_origins": ["ftp://files.example.com"]}'),
	('{"trusted_origins": ["*"]}'),
	('{"trusted_origins": ["https://*"]}'),
	('{"trusted_origins": ["?*"]}'),
	('{"trusted_origins": ["https://*.com"]}'),
	('{"trusted_origins": ["*.example.com", "https://*.example.net", "http://192.168.*.*:8080"]}')) AS t(setting);
SELECT neon_auth.configure('{"base_url": "http://localhost:3000", "trusted_origins": []}') ->> 'base_url' AS restored;
