-- Better Auth's multiSession plugin: one browser signed in to several
-- accounts. Next to the active session cookie, the browser keeps one signed
-- cookie per session, "<session cookie name>_multi-<token in lower case>"
-- (the value: the signed token, as the session cookie's). The cookies are
-- the only list: the database keeps no device table, and each cookie is
-- checked against the secret and the live session it names.
--
-- config.multi_session turns on issuing the cookies (session_cookies) and
-- ending their sessions at sign-out, as adding multiSession() to a Better
-- Auth server does; the three endpoints below answer from whatever cookies
-- the request carries. requesting_user_id() only ever reads the active
-- session cookie.

-- The request's multi-session cookies: each name and the session token it
-- carries. Only "[__Secure-]<prefix>.session_token_multi-<token>" cookies
-- count, whose signature verifies and whose name names the token inside: a
-- planted cookie cannot pass one session off under another's name. (Better
-- Auth takes any name containing "_multi-"; its own cookies all qualify.)
CREATE FUNCTION neon_auth._device_session_cookies() RETURNS TABLE (name text, token text)
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT x.key, x.t
	  FROM (SELECT c.key, neon_auth._cookie_verify(c.value, (SELECT s.value FROM neon_auth.secret s)) AS t,
	               (SELECT p.cookie_prefix FROM neon_auth.config p) || '.session_token_multi-' AS stem
	          FROM jsonb_each_text(coalesce(neon_auth._request_json('request.cookies'), '{}')) c
	         WHERE strpos(c.key, '_multi-') > 0) x
	 WHERE x.t IS NOT NULL AND x.key IN (x.stem || lower(x.t), '__Secure-' || x.stem || lower(x.t));
END;

-- The session token of the request's multi-session cookie for `token` (as
-- Better Auth, found by the lower-cased token in its name), signature
-- checked; NULL without one.
CREATE FUNCTION neon_auth._device_session_token(token text) RETURNS text
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	RETURN neon_auth._cookie_verify(neon_auth._request_cookie('session_token_multi-' || lower(token)),
	                                (SELECT s.value FROM neon_auth.secret s));

-- For session_cookies, when config.multi_session is on and the response sets
-- the session cookie of `token`: Better Auth's after-hook. Unless the
-- request already has this session's multi-session cookie, the sessions of
-- the same user in the request's other multi-session cookies end (signing
-- in again replaces a device's session), their cookies are expired, and the
-- new cookie is set unless the request already holds `maximum` of them.
-- {"set": signed value or null, "expire": [cookie names], "name": the
-- cookie's name after the prefix}.
CREATE FUNCTION neon_auth._device_session_cookie(token text, maximum integer) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE
	SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	uid uuid := (SELECT s."userId" FROM neon_auth."session" s WHERE s."token" = _device_session_cookie.token);
	replaced text[];
	held integer;
BEGIN
	IF neon_auth._request_cookie('session_token_multi-' || lower(token)) IS NOT NULL THEN
		RETURN jsonb_build_object('set', NULL, 'expire', '[]'::jsonb, 'name', 'session_token_multi-' || lower(token));
	END IF;
	WITH mine AS (SELECT c.name, c.token FROM neon_auth._device_session_cookies() c
	                JOIN neon_auth."session" s ON s."token" = c.token
	               WHERE s."userId" = uid AND c.token <> _device_session_cookie.token),
	     ended AS (DELETE FROM neon_auth."session" WHERE "token" IN (SELECT mine.token FROM mine))
	SELECT array_agg(mine.name ORDER BY mine.name) INTO replaced FROM mine;
	held := (SELECT count(*)::integer FROM neon_auth._device_session_cookies()) - coalesce(cardinality(replaced), 0);
	RETURN jsonb_build_object(
		'set', CASE WHEN held + 1 <= maximum THEN neon_auth._cookie_sign(token, (SELECT s.value FROM neon_auth.secret s)) END,
		'expire', to_jsonb(coalesce(replaced, '{}')), 'name', 'session_token_multi-' || lower(token));
END
$$;

-- Better Auth GET /multi-session/list-device-sessions: {session, user} of
-- each live session in the request's multi-session cookies, one per user.
-- The answer holds session tokens: through PostgREST, a request that says
-- where it comes from must come from a trusted origin (another site's
-- script, allowed by CORS, must not read them).
CREATE FUNCTION neon_auth.list_device_sessions() RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	headers jsonb := neon_auth._request_json('request.headers');
BEGIN
	IF coalesce(current_setting('request.method', true), '') <> '' AND coalesce(headers ->> 'origin', '') <> '' THEN
		PERFORM neon_auth._require_trusted_origin(headers);
	END IF;
	RETURN (SELECT coalesce(jsonb_agg(jsonb_build_object('session', neon_auth._session_json(d.s), 'user', neon_auth._user_json(u))
	                                  ORDER BY (d.s)."createdAt"), '[]'::jsonb)
	          FROM (SELECT DISTINCT ON (s."userId") s
	                  FROM neon_auth."session" s
	                 WHERE s."token" IN (SELECT c.token FROM neon_auth._device_session_cookies() c)
	                   AND s."expiresAt" > neon_auth._now()
	                 ORDER BY s."userId", s."createdAt") d
	          JOIN neon_auth."user" u ON u."id" = (d.s)."userId");
END
$$;
COMMENT ON FUNCTION neon_auth.list_device_sessions() IS
	'Better Auth GET /multi-session/list-device-sessions: [{session, user}] of the live sessions in the request''s multi-session cookies, one per user';

-- Better Auth POST /multi-session/set-active: the session of one of the
-- request's multi-session cookies, {session, user}; the HTTP layer makes it
-- the active session cookie (session_cookies).
CREATE FUNCTION neon_auth.set_active_session(session_token text) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	t text := neon_auth._device_session_token(session_token);
	s neon_auth."session";
BEGIN
	-- Switching accounts is a login: only from a trusted origin (login CSRF).
	PERFORM neon_auth._check_login_origin(false);
	SELECT * INTO s FROM neon_auth."session" x WHERE x."token" = t AND x."expiresAt" > neon_auth._now();
	IF s."id" IS NULL THEN
		PERFORM neon_auth._raise('INVALID_SESSION_TOKEN');
	END IF;
	RETURN jsonb_build_object('session', neon_auth._session_json(s),
	                          'user', (SELECT neon_auth._user_json(u) FROM neon_auth."user" u WHERE u."id" = s."userId"));
END
$$;
COMMENT ON FUNCTION neon_auth.set_active_session(text) IS
	'Better Auth POST /multi-session/set-active: {session, user} of the session in the request''s multi-session cookie for session_token';

-- Better Auth POST /multi-session/revoke: ends the session of one of the
-- request's multi-session cookies, for a signed-in caller (the request's
-- identity: the argument names the session to end). The HTTP layer expires
-- that cookie and, when it was the active session, makes the next live
-- multi-session the active one (list_device_sessions) or signs out.
CREATE FUNCTION neon_auth.revoke_device_session(session_token text) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	caller record := neon_auth._caller(NULL);
	t text := neon_auth._device_session_token(session_token);
	owner uuid;
BEGIN
	PERFORM neon_auth._writable();
	PERFORM neon_auth._check_login_origin(false);
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	IF t IS NULL THEN
		PERFORM neon_auth._raise('INVALID_SESSION_TOKEN');
	END IF;
	DELETE FROM neon_auth."session" WHERE "token" = t RETURNING "userId" INTO owner;
	-- The audit row names the user whose session ended.
	PERFORM neon_auth._audit('session_revoked', coalesce(owner, caller.user_id), 'success', NULL,
	                         jsonb_build_object('device_session', true, 'by', caller.user_id));
	RETURN jsonb_build_object('status', true);
END
$$;
COMMENT ON FUNCTION neon_auth.revoke_device_session(text) IS
	'Better Auth POST /multi-session/revoke: end the session of the request''s multi-session cookie for session_token; {status: true}';
