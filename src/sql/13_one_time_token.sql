---------------------------------------------------------------------------
-- One-time tokens, Better Auth's oneTimeToken plugin (1.7): a short-lived,
-- single-use token a signed-in client hands to another (a second app, a
-- native app, a server-to-server redirect) that exchanges it for the
-- session. Stored as Better Auth stores it by default (storeToken "plain"):
-- a verification row "one-time-token:<token>" holding the session token,
-- for 3 minutes. See docs/one-time-token.md.
---------------------------------------------------------------------------

-- Better Auth GET /one-time-token/generate: {token} for the caller's session.
CREATE FUNCTION neon_auth.generate_one_time_token(session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	one_time text := neon_auth._generate_id(32);
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	INSERT INTO neon_auth."verification" ("identifier", "value", "expiresAt", "createdAt", "updatedAt")
	VALUES ('one-time-token:' || one_time, (caller.s)."token", neon_auth._now() + interval '3 minutes',
	        neon_auth._now(), neon_auth._now());
	PERFORM neon_auth._audit('one_time_token_generated', caller.user_id, 'success');
	RETURN jsonb_build_object('token', one_time);
END
$$;
COMMENT ON FUNCTION neon_auth.generate_one_time_token(text) IS
	'Better Auth GET /one-time-token/generate: a 3-minute, single-use token for the caller''s session; returns {token}';

-- Better Auth POST /one-time-token/verify: the token's session as
-- get_session answers it, {session, user}. The token is used up whatever
-- the outcome (an expired one too); any failure is INVALID_TOKEN.
CREATE FUNCTION neon_auth.verify_one_time_token(token text) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	found_row neon_auth."verification";
	s neon_auth."session";
	u neon_auth."user";
BEGIN
	PERFORM neon_auth._writable();
	IF token IS NULL OR token = '' OR octet_length(token) > 255 THEN
		RETURN neon_auth._fail('INVALID_TOKEN');
	END IF;
	SELECT * INTO found_row FROM neon_auth."verification" v
	 WHERE v."identifier" = 'one-time-token:' || verify_one_time_token.token
	 ORDER BY v."createdAt" DESC LIMIT 1 FOR UPDATE;
	DELETE FROM neon_auth."verification" v WHERE v."identifier" = 'one-time-token:' || verify_one_time_token.token;
	IF found_row."identifier" IS NULL OR found_row."expiresAt" <= now() THEN
		RETURN neon_auth._fail('INVALID_TOKEN');
	END IF;
	SELECT * INTO s FROM neon_auth."session" x WHERE x."token" = found_row."value";
	SELECT * INTO u FROM neon_auth."user" y WHERE y."id" = s."userId";
	IF s."id" IS NULL OR s."expiresAt" < now()
	   OR (u."banned" IS TRUE AND (u."banExpires" IS NULL OR u."banExpires" >= now())) THEN
		RETURN neon_auth._fail('INVALID_TOKEN');
	END IF;
	PERFORM neon_auth._audit('one_time_token_verified', u."id", 'success');
	RETURN jsonb_build_object('session', neon_auth._session_json(s), 'user', neon_auth._user_json(u));
END
$$;
COMMENT ON FUNCTION neon_auth.verify_one_time_token(text) IS
	'Better Auth POST /one-time-token/verify: the session of a one-time token, {session, user}; the token works once';
