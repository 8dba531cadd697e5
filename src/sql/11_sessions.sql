---------------------------------------------------------------------------
-- Sessions: checking one (verify_session, get_session with Better Auth's
-- sliding refresh, session_cookie), the signed-in caller of account
-- functions (_caller), and the caller's session list and revocations.
-- Callers: everyone.
---------------------------------------------------------------------------

-- C (src/pg/session_fns.cpp): the check behind every request, as two index
-- probes (the session by token, its user's ban state) with no SQL to run.
-- A bare token, or a signed cookie value checked with the server secret.
CREATE FUNCTION neon_auth.verify_session(token text) RETURNS uuid
	AS 'MODULE_PATHNAME', 'neon_auth_verify_session' LANGUAGE C STABLE;
COMMENT ON FUNCTION neon_auth.verify_session(text) IS
	'the user id of a live session (bare token or signed cookie value), else NULL; read-only';

CREATE FUNCTION neon_auth.get_session(token text, dont_remember boolean DEFAULT false) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	cfg neon_auth.config;
	t text;
	s neon_auth."session";
	u neon_auth."user";
	found_row record;
	result jsonb;
	read_only boolean := current_setting('transaction_read_only')::boolean;
BEGIN
	PERFORM neon_auth._warn_if_copy();
	-- A bare token is used as is, without a nested call (as verify_session).
	IF strpos(token, '.') = 0 AND strpos(token, '%') = 0 AND octet_length(token) BETWEEN 1 AND 1024 THEN
		t := token;
	ELSE
		t := neon_auth._session_token(token);
	END IF;
	IF t IS NULL THEN
		RETURN 'null'::jsonb;
	END IF;
	-- One query for the session, its user and the settings: this runs on
	-- every request that asks who is signed in.
	SELECT ses AS s, usr AS u, conf AS c INTO found_row
	  FROM neon_auth."session" ses
	  JOIN neon_auth."user" usr ON usr."id" = ses."userId"
	 CROSS JOIN neon_auth.config conf
	 WHERE ses."token" = t;
	IF NOT FOUND THEN
		RETURN 'null'::jsonb;
	END IF;
	s := found_row.s;
	u := found_row.u;
	cfg := found_row.c;
	IF s."expiresAt" < now() THEN
		-- Better Auth deletes an expired session when it sees it.
		IF NOT read_only THEN
			DELETE FROM neon_auth."session" WHERE "id" = s."id";
		END IF;
		RETURN 'null'::jsonb;
	END IF;
	IF u."banned" IS TRUE AND (u."banExpires" IS NULL OR u."banExpires" >= now()) THEN
		RETURN 'null'::jsonb;
	END IF;
	-- Sliding refresh: once no more than expiresIn - updateAge remains, push
	-- the expiry to now + expiresIn. Never for rememberMe = false sessions:
	-- Better Auth knows them by its dont_remember cookie (the argument, or the
	-- signed cookie in PostgREST's request.cookies); SQL callers often have no
	-- cookie, so a session whose lifetime is the one-day rememberMe = false
	-- lifetime (such sessions are never refreshed, so it stays that) counts too.
	-- The cookie is looked at last, and only when a refresh is due: reading
	-- it costs more than the rest of this function.
	IF NOT read_only AND NOT coalesce(dont_remember, false)
	   AND s."expiresAt" - s."createdAt" > make_interval(secs => cfg.dont_remember_expires_in) + interval '1 minute'
	   AND s."expiresAt" - make_interval(secs => cfg.session_expires_in)
	                     + make_interval(secs => cfg.session_update_age) <= now()
	   AND NOT neon_auth._dont_remember_cookie() THEN
		UPDATE neon_auth."session"
		   SET "expiresAt" = neon_auth._now() + make_interval(secs => cfg.session_expires_in),
		       "updatedAt" = neon_auth._now()
		 WHERE "id" = s."id"
		RETURNING * INTO s;
		-- Signed out (or revoked) by a concurrent transaction meanwhile.
		IF NOT FOUND THEN
			RETURN 'null'::jsonb;
		END IF;
	END IF;
	result := jsonb_build_object('session', neon_auth._session_json(s), 'user', neon_auth._user_json(u));
	-- Better Auth's cookie cache on: what the HTTP layer does with the
	-- session_data cookie, for this transaction (the handler reads it in the
	-- same statement). Nothing when it is off.
	IF cfg.cookie_cache_max_age > 0 THEN
		PERFORM set_config('response.session_data', coalesce(neon_auth._session_data_refresh(result)::text, ''), true);
	END IF;
	RETURN result;
END
$$;
COMMENT ON FUNCTION neon_auth.get_session(text, boolean) IS
	'Better Auth GET /get-session: {session, user} for a live session or JSON null; refreshes the expiry unless read-only';

CREATE FUNCTION neon_auth.session_cookie(token text) RETURNS text
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	t text := neon_auth._session_token(token);
BEGIN
	-- Sign only tokens that verify_session accepts (live, user not banned):
	-- the function must not be an oracle that signs arbitrary strings with
	-- the server secret.
	IF t IS NULL OR neon_auth.verify_session(t) IS NULL THEN
		RETURN NULL;
	END IF;
	RETURN neon_auth._cookie_sign(t, (SELECT value FROM neon_auth.secret));
END
$$;
COMMENT ON FUNCTION neon_auth.session_cookie(text) IS
	'the signed value of better-auth.session_token for a live session (token.signature, not URI-encoded), else NULL';

-- Better Auth's cookie cache (session.cookieCache, compact strategy): the
-- session_data value for `body` ({session, user}, as get_session answers),
-- signed with the server secret, that a Better Auth server trusts without a
-- database read until it expires: config.cookie_cache_max_age seconds, or 60
-- for a session that is not remembered, as Better Auth. NULL when the value
-- would not fit one cookie (Better Auth would split it; neon_auth does not
-- send it). neon_auth itself never reads identity from it.
CREATE FUNCTION neon_auth._session_data_cookie(body jsonb, dont_remember boolean) RETURNS text
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	now_ms bigint := floor(extract(epoch FROM now()) * 1000)::bigint;
	max_age integer := CASE WHEN dont_remember THEN 60 ELSE (SELECT cookie_cache_max_age FROM neon_auth.config) END;
	value text;
BEGIN
	value := neon_auth._cookie_cache_encode(
		jsonb_build_object('session', body -> 'session', 'user', body -> 'user', 'updatedAt', now_ms, 'version', '1')::text,
		now_ms + max_age * 1000::bigint, (SELECT s.value FROM neon_auth.secret s));
	RETURN CASE WHEN length(value) <= 3800 THEN value END;
END
$$;

-- get-session with the cookie cache on: what Better Auth does with the
-- request's session_data cookie. A valid one (this session, not expired) is
-- left alone, where Better Auth answers from it; an invalid one is expired,
-- and a fresh one is set unless the session is not remembered. NULL: nothing
-- to do (the cache is off, or no session).
CREATE FUNCTION neon_auth._session_data_refresh(body jsonb) RETURNS jsonb
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	max_age integer := (SELECT cookie_cache_max_age FROM neon_auth.config);
	present text;
	cached jsonb;
	dont_remember boolean;
BEGIN
	IF max_age = 0 OR body IS NULL OR jsonb_typeof(body) <> 'object' OR body #>> '{session,token}' IS NULL THEN
		RETURN NULL;
	END IF;
	present := neon_auth._request_cookie('session_data');
	IF present IS NOT NULL THEN
		-- base64url: nothing to percent-decode. Signed by the secret, so its
		-- dates are Better Auth's (or neon_auth's) ISO strings.
		cached := neon_auth._cookie_cache_decode(present, (SELECT s.value FROM neon_auth.secret s))::jsonb;
		IF cached #>> '{session,token}' = body #>> '{session,token}'
		   AND (cached ->> 'expiresAt')::numeric >= floor(extract(epoch FROM now()) * 1000)
		   AND (cached #>> '{session,expiresAt}')::timestamptz >= now()
		   AND coalesce(cached ->> 'version', '1') = '1' THEN
			RETURN NULL;
		END IF;
	END IF;
	dont_remember := neon_auth._dont_remember_cookie();
	RETURN jsonb_build_object('expire', present IS NOT NULL, 'maxAge', max_age,
	                          'set', CASE WHEN NOT dont_remember THEN neon_auth._session_data_cookie(body, false) END);
END
$$;

-- Everything an HTTP layer needs to set Better Auth's cookies for a live
-- session, so that it needs no secret: the signed session cookie value, its
-- Max-Age (config.session_expires_in) and, for a rememberMe = false session,
-- the signed value of the dont_remember cookie ("true", the only value it
-- ever signs besides session tokens). NULL unless session_cookie would sign
-- the token. With config.multi_session on, also "multi": the multi-session
-- cookie to set and those to expire (_device_session_cookie), so the HTTP
-- layer calls this once per session cookie it sets, as Better Auth's hook.
CREATE FUNCTION neon_auth.session_cookies(token text, dont_remember boolean DEFAULT false) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	signed text := neon_auth.session_cookie(token);
BEGIN
	IF signed IS NULL THEN
		RETURN NULL;
	END IF;
	RETURN jsonb_build_object(
		'value', signed,
		'maxAge', (SELECT session_expires_in FROM neon_auth.config),
		'dontRemember', CASE WHEN dont_remember THEN neon_auth._cookie_sign('true', (SELECT value FROM neon_auth.secret)) END,
		'multi', (SELECT neon_auth._device_session_cookie(neon_auth._session_token(session_cookies.token), c.multi_session_maximum)
		            FROM neon_auth.config c WHERE c.multi_session),
		-- config.cookie_cache_max_age: Better Auth's session_data cookie.
		'sessionData', (SELECT neon_auth._session_data_cookie(
		                         jsonb_build_object('session', neon_auth._session_json(s), 'user', neon_auth._user_json(u)), dont_remember)
		                  FROM neon_auth."session" s JOIN neon_auth."user" u ON u."id" = s."userId", neon_auth.config c
		                 WHERE s."token" = neon_auth._session_token(session_cookies.token) AND c.cookie_cache_max_age > 0),
		'sessionDataMaxAge', (SELECT cookie_cache_max_age FROM neon_auth.config));
END
$$;
COMMENT ON FUNCTION neon_auth.session_cookies(text, boolean) IS
	'for an HTTP layer: {value, maxAge, dontRemember, multi, sessionData, sessionDataMaxAge} to set Better Auth''s session, dont_remember, multi-session and session_data cookies for a live session, else NULL';

-- Better Auth's admin_session cookie, which impersonate-user sets to keep the
-- admin's own session aside: the signed "<token>:<'true' when the session is
-- not remembered>". Only for a live session (not a signing oracle), so a
-- caller can only ever get it for a session it already holds.
CREATE FUNCTION neon_auth.admin_session_cookie(token text, dont_remember boolean DEFAULT false) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	t text := neon_auth._session_token(token);
BEGIN
	IF t IS NULL OR neon_auth.verify_session(t) IS NULL THEN
		RETURN NULL;
	END IF;
	RETURN jsonb_build_object(
		'value', neon_auth._cookie_sign(t || ':' || CASE WHEN dont_remember THEN 'true' ELSE '' END, (SELECT value FROM neon_auth.secret)),
		'maxAge', (SELECT session_expires_in FROM neon_auth.config));
END
$$;
COMMENT ON FUNCTION neon_auth.admin_session_cookie(text, boolean) IS
	'for an HTTP layer: {value, maxAge} of Better Auth''s admin_session cookie (signed "<token>:<flag>") for a live session, else NULL';

-- The signed-in caller: the user and session of `session_token` when given,
-- else of the request's identity (authenticate(), PostgREST's bearer session
-- token or cookie). Account management needs a session, as Better Auth's
-- sessionMiddleware does: a JWT (a short-lived token for data access) or
-- trusted claims identify nobody here. user_id is NULL for nobody.
CREATE FUNCTION neon_auth._caller(session_token text, OUT user_id uuid, OUT s neon_auth."session")
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	identity jsonb;
BEGIN
	IF session_token IS NOT NULL THEN
		user_id := neon_auth.verify_session(session_token);
		IF user_id IS NOT NULL THEN
			SELECT * INTO s FROM neon_auth."session" WHERE "token" = neon_auth._session_token(session_token);
		END IF;
		RETURN;
	END IF;
	identity := neon_auth._identity();
	IF identity ->> 'via' = 'session' THEN
		-- A cookie-identified call from another site is refused (CSRF).
		PERFORM neon_auth._check_origin();
		SELECT * INTO s FROM neon_auth."session"
		 WHERE "id" = (identity #>> '{session,session,id}')::uuid AND "expiresAt" >= now();
		user_id := s."userId";
	END IF;
END
$$;

-- Better Auth's freshSessionMiddleware: a session created at most
-- session_fresh_age seconds ago (0 turns the check off).
CREATE FUNCTION neon_auth._fresh(s neon_auth."session") RETURNS boolean
	LANGUAGE sql STABLE
	RETURN (SELECT c.session_fresh_age = 0 OR (s."id" IS NOT NULL AND now() - s."createdAt" < make_interval(secs => c.session_fresh_age))
	          FROM neon_auth.config c);

-- Better Auth GET /list-sessions: the caller's live sessions, newest first,
-- shaped as Better Auth returns them (with their tokens, which
-- revoke_session() takes).
CREATE FUNCTION neon_auth.list_sessions(session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
BEGIN
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	-- An admin's impersonation session is not the user's to see or revoke
	-- (Better Auth's admin plugin leaves it out too).
	RETURN coalesce((SELECT jsonb_agg(neon_auth._session_json(s) ORDER BY s."createdAt", s."id")
	                   FROM neon_auth."session" s
	                  WHERE s."userId" = caller.user_id AND s."expiresAt" >= now()
	                    AND (s."impersonatedBy" IS NULL OR s."id" = (caller.s)."id")), '[]');
END
$$;
COMMENT ON FUNCTION neon_auth.list_sessions(text) IS 'Better Auth GET /list-sessions: the caller''s live sessions';

-- Better Auth POST /revoke-session, /revoke-other-sessions, /revoke-sessions.
CREATE FUNCTION neon_auth.revoke_session(token text, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	caller record := neon_auth._caller(session_token);
	n integer;
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	-- Only the caller's own sessions: another user's token revokes nothing.
	DELETE FROM neon_auth."session" WHERE "token" = neon_auth._session_token(revoke_session.token) AND "userId" = caller.user_id;
	GET DIAGNOSTICS n = ROW_COUNT;
	PERFORM neon_auth._audit('session_revoked', caller.user_id, 'success', NULL, jsonb_build_object('revoked', n));
	RETURN jsonb_build_object('status', true);
END
$$;

CREATE FUNCTION neon_auth.revoke_other_sessions(session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	n integer;
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL OR (caller.s)."id" IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	DELETE FROM neon_auth."session" WHERE "userId" = caller.user_id AND "id" <> (caller.s)."id";
	GET DIAGNOSTICS n = ROW_COUNT;
	PERFORM neon_auth._audit('sessions_revoked', caller.user_id, 'success', NULL, jsonb_build_object('revoked', n, 'kept_current', true));
	RETURN jsonb_build_object('status', true);
END
$$;

CREATE FUNCTION neon_auth.revoke_sessions(session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	n integer;
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	DELETE FROM neon_auth."session" WHERE "userId" = caller.user_id;
	GET DIAGNOSTICS n = ROW_COUNT;
	PERFORM neon_auth._audit('sessions_revoked', caller.user_id, 'success', NULL, jsonb_build_object('revoked', n, 'kept_current', false));
	RETURN jsonb_build_object('status', true);
END
$$;
COMMENT ON FUNCTION neon_auth.revoke_session(text, text) IS 'Better Auth POST /revoke-session: end one of the caller''s sessions';
COMMENT ON FUNCTION neon_auth.revoke_other_sessions(text) IS 'Better Auth POST /revoke-other-sessions: end all but the current session';
COMMENT ON FUNCTION neon_auth.revoke_sessions(text) IS 'Better Auth POST /revoke-sessions: end all the caller''s sessions';

-- Better Auth POST /update-session: changes the session's additional fields.
-- neon_auth's sessions have none (activeOrganizationId and the like change
-- through their own functions, as in Better Auth), so any object is
-- NO_FIELDS_TO_UPDATE, as Better Auth answers without additionalFields.
CREATE FUNCTION neon_auth.update_session(data jsonb DEFAULT '{}', session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
BEGIN
	IF (neon_auth._caller(session_token)).user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	IF data IS NULL OR jsonb_typeof(data) <> 'object' THEN
		PERFORM neon_auth._raise('BODY_MUST_BE_AN_OBJECT');
	END IF;
	PERFORM neon_auth._raise('NO_FIELDS_TO_UPDATE');
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION neon_auth.update_session(jsonb, text) IS 'Better Auth POST /update-session: sessions have no additional fields (NO_FIELDS_TO_UPDATE)';
