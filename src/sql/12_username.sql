---------------------------------------------------------------------------
-- Usernames, Better Auth's username plugin (1.7): sign-in by username, the
-- availability check, and the rules sign_up and update_user apply. A
-- username is stored lowercased in "user".username; displayUsername keeps
-- it as typed. See docs/username.md.
---------------------------------------------------------------------------

-- Better Auth's default validation of a username as given (before it is
-- lowercased): its length in UTF-16 units as JavaScript counts it, within
-- config.username_min_length and username_max_length, then its characters
-- (letters, digits, "_" and "."). The error code, or NULL when it is valid.
CREATE FUNCTION neon_auth._username_error(username text, cfg neon_auth.config) RETURNS text
	LANGUAGE sql STABLE
	RETURN CASE
		WHEN coalesce(neon_auth._utf16_length(username), 0) < cfg.username_min_length THEN 'USERNAME_TOO_SHORT'
		WHEN neon_auth._utf16_length(username) > cfg.username_max_length THEN 'USERNAME_TOO_LONG'
		WHEN username !~ '^[a-zA-Z0-9_.]+$' THEN 'INVALID_USERNAME'
	END;

-- The username and displayUsername a sign-up or update stores, as Better
-- Auth's hooks make them: a valid displayUsername given alone is the
-- username too; a username given alone is its own displayUsername, as
-- typed; the username is checked and must be free (for update_user, free
-- of other users). Both NULL when neither is given.
CREATE FUNCTION neon_auth._username_fields(username text, display_username text, user_id uuid, for_sign_up boolean,
                                           OUT stored_username text, OUT stored_display text)
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	cfg neon_auth.config;
	code text;
BEGIN
	SELECT * INTO cfg FROM neon_auth.config;
	IF for_sign_up AND username IS NULL AND display_username IS NOT NULL
	   AND neon_auth._username_error(display_username, cfg) IS NULL THEN
		username := display_username;
	END IF;
	stored_display := display_username;
	IF username IS NULL THEN
		RETURN;
	END IF;
	code := neon_auth._username_error(username, cfg);
	IF code IS NOT NULL THEN
		PERFORM neon_auth._raise(code);
	END IF;
	stored_username := lower(username);
	IF EXISTS (SELECT 1 FROM neon_auth."user" u WHERE u."username" = stored_username AND u."id" IS DISTINCT FROM user_id) THEN
		PERFORM neon_auth._raise('USERNAME_IS_ALREADY_TAKEN');
	END IF;
	IF for_sign_up AND stored_display IS NULL THEN
		stored_display := username;
	END IF;
END
$$;

-- Better Auth POST /sign-in/username: as sign_in, by username. An unknown
-- username takes the wrong password's path (the same hash, the same answer).
CREATE FUNCTION neon_auth.sign_in_username(username text, password text, remember_me boolean DEFAULT true,
                                           callback_url text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	cfg neon_auth.config;
	v_username text;
	v_password text;
	u neon_auth."user";
	code text;
	throttled jsonb;
BEGIN
	PERFORM neon_auth._writable();
	PERFORM neon_auth._warn_if_copy();
	PERFORM neon_auth._check_login_origin();
	SELECT * INTO cfg FROM neon_auth.config;
	IF coalesce(username, '') = '' OR coalesce(password, '') = '' THEN
		RETURN neon_auth._fail('INVALID_USERNAME_OR_PASSWORD');
	END IF;
	code := neon_auth._username_error(username, cfg);
	IF code IS NOT NULL THEN
		PERFORM neon_auth._raise(code);
	END IF;
	v_username := lower(username);
	v_password := neon_auth._normalize_password(password, cfg);
	PERFORM neon_auth._callback(callback_url);
	-- Counted per username (under the rate limiter's per-account key) and
	-- per IP, before the slow hash.
	throttled := neon_auth._throttle('/sign-in/username', 'username:' || v_username);
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	SELECT * INTO u FROM neon_auth."user" WHERE "username" = v_username;
	RETURN neon_auth._sign_in_with_password(u, 'username:' || v_username, v_password, remember_me, callback_url, cfg,
	                                        'INVALID_USERNAME_OR_PASSWORD');
END
$$;
COMMENT ON FUNCTION neon_auth.sign_in_username(text, text, boolean, text) IS
	'Better Auth POST /sign-in/username: check the password of the user with this username; returns {redirect, token, user}';

-- Better Auth POST /is-username-available: {available}, after the same
-- checks as a sign-up.
CREATE FUNCTION neon_auth.is_username_available(username text) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	code text;
BEGIN
	IF coalesce(username, '') = '' THEN
		PERFORM neon_auth._raise('INVALID_USERNAME');
	END IF;
	code := neon_auth._username_error(username, (SELECT c FROM neon_auth.config c));
	IF code IS NOT NULL THEN
		PERFORM neon_auth._raise(code);
	END IF;
	RETURN jsonb_build_object('available',
		NOT EXISTS (SELECT 1 FROM neon_auth."user" u WHERE u."username" = lower(is_username_available.username)));
END
$$;
COMMENT ON FUNCTION neon_auth.is_username_available(text) IS
	'Better Auth POST /is-username-available: {available} for a valid username';
