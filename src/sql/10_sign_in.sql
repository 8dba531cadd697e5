---------------------------------------------------------------------------
-- Sign-up, sign-in and sign-out (Better Auth's email-and-password
-- endpoints), with the email and password rules they share and the session
-- row they create. Callers: everyone (granted to PUBLIC in 99_privileges.sql).
---------------------------------------------------------------------------

-- Better Auth's email check (zod's email pattern), then JavaScript-style
-- lowercasing. Returns the address to store.
CREATE FUNCTION neon_auth._normalize_email(email text) RETURNS text
	LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF email IS NULL THEN
		PERFORM neon_auth._raise('VALIDATION_ERROR', 'email');
	END IF;
	IF octet_length(email) > 320
	   OR email !~ '^(?!\.)(?!.*\.\.)([A-Za-z0-9_''+\-\.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$' THEN
		PERFORM neon_auth._raise('INVALID_EMAIL');
	END IF;
	RETURN lower(email);
END
$$;

-- Better Auth's password policy: the length of the password as given, in
-- JavaScript string units, then NFKC. Returns the normalized password.
CREATE FUNCTION neon_auth._normalize_password(password text, cfg neon_auth.config) RETURNS text
	LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	len integer;
BEGIN
	IF password IS NULL THEN
		PERFORM neon_auth._raise('VALIDATION_ERROR', 'password');
	END IF;
	len := neon_auth._utf16_length(password);
	IF len < cfg.min_password_length THEN
		PERFORM neon_auth._raise('PASSWORD_TOO_SHORT');
	ELSIF len > cfg.max_password_length THEN
		PERFORM neon_auth._raise('PASSWORD_TOO_LONG');
	END IF;
	RETURN normalize(password, NFKC);
END
$$;

-- A well-formed scrypt hash nobody's password matches: what an unknown
-- email is verified against, so response time does not tell whether an
-- email exists.
CREATE FUNCTION neon_auth._unmatchable_hash() RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN '00000000000000000000000000000000:' || repeat('00', 64);


-- A new session row for a user, as Better Auth's createSession writes it.
CREATE FUNCTION neon_auth._create_session(user_id uuid, remember_me boolean, cfg neon_auth.config)
	RETURNS neon_auth."session"
	LANGUAGE sql VOLATILE
BEGIN ATOMIC
	INSERT INTO neon_auth."session" ("token", "userId", "expiresAt", "createdAt", "updatedAt", "ipAddress", "userAgent")
	VALUES (neon_auth._generate_id(32), user_id,
	        neon_auth._now() + make_interval(secs => CASE WHEN remember_me IS FALSE
	                                                     THEN cfg.dont_remember_expires_in
	                                                     ELSE cfg.session_expires_in END),
	        neon_auth._now(), neon_auth._now(), neon_auth._client_ip(), neon_auth._user_agent())
	RETURNING *;
END;

CREATE FUNCTION neon_auth.sign_up(email text, password text, name text, image text DEFAULT NULL,
                                  remember_me boolean DEFAULT true, callback_url text DEFAULT '/',
                                  username text DEFAULT NULL, display_username text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	cfg neon_auth.config;
	v_email text;
	v_password text;
	v_hash text;
	u neon_auth."user";
	s neon_auth."session";
	throttled jsonb;
	names record;
BEGIN
	PERFORM neon_auth._writable();
	PERFORM neon_auth._warn_if_copy();
	PERFORM neon_auth._check_login_origin();
	SELECT * INTO cfg FROM neon_auth.config;
	v_email := neon_auth._normalize_email(email);
	v_password := neon_auth._normalize_password(password, cfg);
	IF name IS NULL THEN
		PERFORM neon_auth._raise('VALIDATION_ERROR', 'name');
	END IF;
	-- The username plugin's fields (12_username.sql): checked, and free.
	names := neon_auth._username_fields(username, display_username, NULL, true);
	PERFORM neon_auth._callback(callback_url);
	throttled := neon_auth._throttle('/sign-up/email', v_email);
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	-- An existing email is known without the slow hash when verification is
	-- off (Better Auth answers at once, too). With verification on, every path
	-- does the same scrypt work and gives the same answer (below).
	IF NOT cfg.require_email_verification AND EXISTS (SELECT 1 FROM neon_auth."user" WHERE "email" = v_email) THEN
		PERFORM neon_auth._audit('sign_up', NULL, 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL', v_email);
		RETURN neon_auth._fail('USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL');
	END IF;
	v_hash := neon_auth._password_hash(v_password);
	-- ON CONFLICT waits for a concurrent sign-up of the same email to finish;
	-- if that one commits, this one inserts nothing.
	INSERT INTO neon_auth."user" ("name", "email", "emailVerified", "image", "createdAt", "updatedAt",
	                              "role", "banned", "twoFactorEnabled", "isAnonymous", "username", "displayUsername")
	VALUES (name, v_email, false, image, neon_auth._now(), neon_auth._now(), 'user', false, false, false,
	        names.stored_username, names.stored_display)
	ON CONFLICT ("email") DO NOTHING
	RETURNING * INTO u;
	IF u."id" IS NULL THEN
		PERFORM neon_auth._audit('sign_up', NULL, 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL', v_email);
		IF cfg.require_email_verification THEN
			-- As Better Auth: with verification required, an existing email gets
			-- the answer a new one gets (a user that is never stored), so sign-up
			-- does not reveal who has an account; and a new one's notification.
			PERFORM neon_auth._send_verification(NULL, callback_url);
			RETURN jsonb_build_object('token', NULL, 'user', neon_auth._user_json(ROW(
				gen_random_uuid(), name, v_email, false, image, neon_auth._now(), neon_auth._now(),
				'user', false, NULL, NULL, false, NULL, NULL, false, NULL, NULL)::neon_auth."user"));
		END IF;
		RETURN neon_auth._fail('USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL');
	END IF;
	INSERT INTO neon_auth."account" ("accountId", "providerId", "userId", "password", "createdAt", "updatedAt")
	VALUES (u."id"::text, 'credential', u."id", v_hash, neon_auth._now(), neon_auth._now());
	PERFORM neon_auth._audit('sign_up', u."id", 'success', v_email);
	IF cfg.require_email_verification OR cfg.send_verification_on_sign_up THEN
		PERFORM neon_auth._send_verification(u, callback_url);
	END IF;
	IF cfg.require_email_verification THEN
		RETURN jsonb_build_object('token', NULL, 'user', neon_auth._user_json(u));
	END IF;
	s := neon_auth._create_session(u."id", remember_me, cfg);
	PERFORM neon_auth._link_anonymous(u."id");   -- an anonymous session signing up (14_anonymous.sql)
	RETURN jsonb_build_object('token', s."token", 'user', neon_auth._user_json(u));
END
$$;
COMMENT ON FUNCTION neon_auth.sign_up(text, text, text, text, boolean, text, text, text) IS
	'Better Auth POST /sign-up/email: create a user with a credential password and a session; returns {token, user}';

-- A user with two-factor authentication on gets no session from the
-- password alone: sign_in answers as Better Auth's twoFactor plugin does,
-- {twoFactorRedirect: true, twoFactorMethods}, after writing the same two
-- verification rows (the challenge, and its attempt counter; 10 minutes).
-- twoFactorCookie is the signed value of the better-auth.two_factor cookie
-- that Better Auth's /two-factor/verify-totp (or verify-backup-code) takes
-- to finish the sign-in and create the session.
CREATE FUNCTION neon_auth._two_factor_challenge(user_id uuid) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	challenge text := '2fa-' || neon_auth._generate_id(20);
	expires timestamptz := neon_auth._now() + interval '600 seconds';
BEGIN
	INSERT INTO neon_auth."verification" ("identifier", "value", "expiresAt", "createdAt", "updatedAt")
	VALUES (challenge, user_id::text, expires, neon_auth._now(), neon_auth._now()),
	       ('2fa-attempts-' || challenge, '0', expires, neon_auth._now(), neon_auth._now());
	RETURN jsonb_build_object(
		'twoFactorRedirect', true,
		-- "totp" once the user has a verified TOTP secret; "otp" when codes by
		-- email are on (config.two_factor_otp, as Better Auth's otpOptions).
		'twoFactorMethods', CASE WHEN EXISTS (SELECT 1 FROM neon_auth."twoFactor" t
		                                       WHERE t."userId" = user_id AND t."verified" IS DISTINCT FROM false)
		                         THEN '["totp"]'::jsonb ELSE '[]'::jsonb END
		                    || CASE WHEN (SELECT two_factor_otp FROM neon_auth.config) THEN '["otp"]'::jsonb ELSE '[]'::jsonb END,
		'twoFactorCookie', neon_auth._cookie_sign(challenge, (SELECT value FROM neon_auth.secret)));
END
$$;

-- The password check and everything after it, shared by sign_in and
-- sign_in_username: `u` is the user the identifier names, or a row of NULLs
-- for an unknown one, which takes the same path as a wrong password: the
-- same reads (a credential of a user id nobody has), one scrypt verification
-- (against a hash nobody can match), and the same failure, raised from the
-- same line (an error's CONTEXT names it). Neither time, table statistics
-- nor the error tells whether the identifier has an account. `identifier`
-- goes into the audit rows; `failure` is the method's wrong-credentials code.
CREATE FUNCTION neon_auth._sign_in_with_password(u neon_auth."user", identifier text, password text, remember_me boolean,
                                                 callback_url text, cfg neon_auth.config, failure text)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	stored text;
	s neon_auth."session";
	trusted text;
BEGIN
	SELECT a."password" INTO stored FROM neon_auth."account" a
	 WHERE a."userId" = coalesce(u."id", '00000000-0000-0000-0000-000000000000')
	   AND a."providerId" = 'credential' AND a."password" IS NOT NULL
	 ORDER BY a."createdAt" LIMIT 1;
	IF NOT neon_auth._password_verify(password, coalesce(stored, neon_auth._unmatchable_hash())) OR stored IS NULL THEN
		PERFORM neon_auth._audit('sign_in', u."id", failure, identifier);
		RETURN neon_auth._fail(failure);
	END IF;
	-- Ban checks come after the password, so they reveal nothing to a guesser.
	IF u."banned" THEN
		-- Re-read under a row lock, so a ban set meanwhile is seen, not erased.
		SELECT * INTO u FROM neon_auth."user" WHERE "id" = u."id" FOR UPDATE;
		IF u."banned" AND u."banExpires" IS NOT NULL AND u."banExpires" < now() THEN
			UPDATE neon_auth."user"
			   SET "banned" = false, "banReason" = NULL, "banExpires" = NULL, "updatedAt" = neon_auth._now()
			 WHERE "id" = u."id"
			RETURNING * INTO u;
		ELSIF u."banned" THEN
			PERFORM neon_auth._audit('sign_in', u."id", 'BANNED_USER', identifier);
			RETURN neon_auth._fail('BANNED_USER');
		END IF;
	END IF;
	IF cfg.require_email_verification AND NOT u."emailVerified" THEN
		-- As Better Auth: a fresh link with the refusal (it commits with the
		-- answer in HTTP mode; a raised error takes it back).
		PERFORM neon_auth._send_verification(u, callback_url);
		PERFORM neon_auth._audit('sign_in', u."id", 'EMAIL_NOT_VERIFIED', identifier);
		RETURN neon_auth._fail('EMAIL_NOT_VERIFIED');
	END IF;
	IF u."twoFactorEnabled" THEN
		-- A trusted device (Better Auth's trust_device cookie) skips the
		-- challenge; its cookie is renewed.
		trusted := neon_auth._tf_trusted_device(u."id");
		IF trusted IS NULL THEN
			PERFORM neon_auth._audit('sign_in', u."id", 'TWO_FACTOR_REQUIRED', identifier);
			-- rememberMe = false goes through the challenge as Better Auth
			-- carries it: in the signed dont_remember cookie, set now.
			RETURN neon_auth._two_factor_challenge(u."id")
				|| CASE WHEN remember_me IS FALSE
				        THEN jsonb_build_object('dontRememberCookie', neon_auth._cookie_sign('true', (SELECT value FROM neon_auth.secret)))
				        ELSE '{}' END;
		END IF;
	END IF;
	s := neon_auth._create_session(u."id", remember_me, cfg);
	PERFORM neon_auth._link_anonymous(u."id");   -- an anonymous session signing in (14_anonymous.sql)
	PERFORM neon_auth._audit('sign_in', u."id", 'success', identifier);
	-- Better Auth's answer: redirect says whether a callback URL was given,
	-- url is that URL (the handler also sends it as Location).
	RETURN jsonb_build_object('redirect', callback_url IS NOT NULL, 'token', s."token", 'user', neon_auth._user_json(u))
		|| CASE WHEN callback_url IS NOT NULL THEN jsonb_build_object('url', callback_url) ELSE '{}' END
		|| CASE WHEN trusted IS NOT NULL THEN jsonb_build_object('trustDeviceCookie', trusted) ELSE '{}' END;
END
$$;

CREATE FUNCTION neon_auth.sign_in(email text, password text, remember_me boolean DEFAULT true,
                                  callback_url text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	cfg neon_auth.config;
	v_email text;
	v_password text;
	u neon_auth."user";
	throttled jsonb;
BEGIN
	PERFORM neon_auth._writable();
	PERFORM neon_auth._warn_if_copy();
	PERFORM neon_auth._check_login_origin();
	SELECT * INTO cfg FROM neon_auth.config;
	v_email := neon_auth._normalize_email(email);
	v_password := neon_auth._normalize_password(password, cfg);
	PERFORM neon_auth._callback(callback_url);
	-- Refused before the slow hash: a flood costs the server nothing.
	throttled := neon_auth._throttle('/sign-in/email', v_email);
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	SELECT * INTO u FROM neon_auth."user" WHERE "email" = v_email;
	RETURN neon_auth._sign_in_with_password(u, v_email, v_password, remember_me, callback_url, cfg, 'INVALID_EMAIL_OR_PASSWORD');
END
$$;
COMMENT ON FUNCTION neon_auth.sign_in(text, text, boolean, text) IS
	'Better Auth POST /sign-in/email: check the password and create a session; returns {redirect, token, user}';

CREATE FUNCTION neon_auth.sign_out(token text) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	t text := neon_auth._session_token(token);
	uid uuid;
BEGIN
	PERFORM neon_auth._writable();
	PERFORM neon_auth._check_login_origin(false);   -- a cookie-carrying request from a trusted origin only
	IF t IS NOT NULL THEN
		DELETE FROM neon_auth."session" WHERE "token" = t RETURNING "userId" INTO uid;
	END IF;
	IF uid IS NOT NULL THEN
		PERFORM neon_auth._audit('sign_out', uid, 'success');
	END IF;
	-- multiSession: signing out ends every session of the browser's
	-- multi-session cookies too (the HTTP layer expires the cookies), also
	-- those left from before config.multi_session was turned off.
	DELETE FROM neon_auth."session" WHERE "token" IN (SELECT d.token FROM neon_auth._device_session_cookies() d);
	RETURN jsonb_build_object('success', true);
END
$$;
COMMENT ON FUNCTION neon_auth.sign_out(text) IS
	'Better Auth POST /sign-out: delete the session of a token or signed cookie value; returns {success: true}';
