---------------------------------------------------------------------------
-- Passwords: reset by emailed link, change, and a first password for an
-- account without one. Callers: everyone.
---------------------------------------------------------------------------

-- The credential account's password hash of a user, if any.
CREATE FUNCTION neon_auth._password_of(user_id uuid) RETURNS text
	LANGUAGE sql STABLE
	RETURN (SELECT a."password" FROM neon_auth."account" a
	         WHERE a."userId" = user_id AND a."providerId" = 'credential' AND a."password" IS NOT NULL
	         ORDER BY a."createdAt" LIMIT 1);

-- Better Auth POST /request-password-reset: a single-use row
-- reset-password:<24-char token> -> user id, and the link in the outbox.
-- The same answer, and the same work, whether or not the email exists.
CREATE FUNCTION neon_auth.request_password_reset(email text, redirect_to text DEFAULT '/') RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	cfg neon_auth.config;
	v_email text := neon_auth._normalize_email(email);
	throttled jsonb;
	u neon_auth."user";
	token text := neon_auth._generate_id(24);
BEGIN
	-- A bad redirect URL is refused before the attempt is counted.
	PERFORM neon_auth._callback(redirect_to);
	throttled := neon_auth._throttle('/request-password-reset', v_email);
	PERFORM neon_auth._writable();
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	SELECT * INTO cfg FROM neon_auth.config;
	SELECT * INTO u FROM neon_auth."user" WHERE "email" = v_email;
	-- One path whether or not the address has an account: the same reads,
	-- writes, function calls and notification; for no account, a
	-- verification row no link names (expired, for prune()) and a decoy
	-- message (docs/security.md, account enumeration).
	INSERT INTO neon_auth."verification" ("identifier", "value", "expiresAt", "createdAt", "updatedAt")
	VALUES (CASE WHEN u."id" IS NOT NULL THEN 'reset-password:' ELSE 'decoy:' END || token, coalesce(u."id"::text, ''),
	        neon_auth._now() + CASE WHEN u."id" IS NOT NULL THEN make_interval(secs => cfg.reset_password_expires_in)
	                                ELSE interval '0' END,
	        neon_auth._now(), neon_auth._now());
	PERFORM neon_auth._enqueue(CASE WHEN u."id" IS NOT NULL THEN 'reset-password' ELSE 'decoy' END, u."email", u."id",
		jsonb_build_object('name', u."name", 'email', u."email", 'token', token,
		                   'url', neon_auth._link(cfg.reset_password_url, cfg.base_url, token, neon_auth._callback(redirect_to)),
		                   'expires_at', neon_auth._iso(neon_auth._now() + make_interval(secs => cfg.reset_password_expires_in))));
	PERFORM neon_auth._audit('password_reset_requested', u."id", 'success', v_email);
	RETURN jsonb_build_object('status', true,
		'message', 'If this email exists in our system, check your email for the reset link');
END
$$;
COMMENT ON FUNCTION neon_auth.request_password_reset(text, text) IS
	'Better Auth POST /request-password-reset: queue a one-hour, single-use reset link; the same answer for unknown emails';

-- Sets a user's credential password (creating the credential account if
-- there is none).
CREATE FUNCTION neon_auth._set_password_hash(user_id uuid, hash text) RETURNS void
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	UPDATE neon_auth."account" SET "password" = hash, "updatedAt" = neon_auth._now()
	 WHERE "userId" = user_id AND "providerId" = 'credential';
	IF NOT FOUND THEN
		INSERT INTO neon_auth."account" ("accountId", "providerId", "userId", "password", "createdAt", "updatedAt")
		VALUES (user_id::text, 'credential', user_id, hash, neon_auth._now(), neon_auth._now());
	END IF;
END
$$;

-- Better Auth POST /reset-password: the token works once (the row is
-- deleted under a lock, so of two concurrent resets one wins).
CREATE FUNCTION neon_auth.reset_password(new_password text, token text) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	cfg neon_auth.config;
	v_password text;
	uid uuid;
BEGIN
	PERFORM neon_auth._writable();
	SELECT * INTO cfg FROM neon_auth.config;
	IF token IS NULL THEN
		PERFORM neon_auth._raise('VALIDATION_ERROR', 'token');
	END IF;
	v_password := neon_auth._normalize_password(new_password, cfg);
	DELETE FROM neon_auth."verification"
	 WHERE "id" = (SELECT v."id" FROM neon_auth."verification" v
	                WHERE v."identifier" = 'reset-password:' || token AND v."expiresAt" > now()
	                ORDER BY v."createdAt" DESC LIMIT 1 FOR UPDATE)
	RETURNING "value"::uuid INTO uid;
	IF uid IS NULL OR NOT EXISTS (SELECT 1 FROM neon_auth."user" WHERE "id" = uid) THEN
		PERFORM neon_auth._audit('password_reset', NULL, 'INVALID_TOKEN');
		RETURN neon_auth._fail('INVALID_TOKEN');
	END IF;
	PERFORM neon_auth._set_password_hash(uid, neon_auth._password_hash(v_password));
	-- Any other reset link of this user dies with this one.
	DELETE FROM neon_auth."verification" WHERE "identifier" LIKE 'reset-password:%' AND "value" = uid::text;
	IF cfg.revoke_sessions_on_password_reset THEN
		DELETE FROM neon_auth."session" WHERE "userId" = uid;
	END IF;
	PERFORM neon_auth._audit('password_reset', uid, 'success');
	RETURN jsonb_build_object('status', true);
END
$$;
COMMENT ON FUNCTION neon_auth.reset_password(text, text) IS
	'Better Auth POST /reset-password: set a new password with a single-use reset token; returns {status: true}';

-- Better Auth POST /change-password. With revoke_other_sessions every
-- session of the user ends and a new one is returned, as Better Auth does.
CREATE FUNCTION neon_auth.change_password(current_password text, new_password text,
                                          revoke_other_sessions boolean DEFAULT false, session_token text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	cfg neon_auth.config;
	caller record := neon_auth._caller(session_token);
	u neon_auth."user";
	stored text;
	throttled jsonb;
	s neon_auth."session";
BEGIN
	PERFORM neon_auth._writable();
	SELECT * INTO cfg FROM neon_auth.config;
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	SELECT * INTO u FROM neon_auth."user" WHERE "id" = caller.user_id;
	throttled := neon_auth._throttle('/change-password', u."email", u."id");
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	stored := neon_auth._password_of(u."id");
	IF stored IS NULL THEN
		PERFORM neon_auth._raise('CREDENTIAL_ACCOUNT_NOT_FOUND');
	END IF;
	IF NOT neon_auth._password_verify(neon_auth._normalize_password(current_password, cfg), stored) THEN
		PERFORM neon_auth._audit('password_changed', u."id", 'INVALID_PASSWORD', u."email");
		RETURN neon_auth._fail('INVALID_PASSWORD');
	END IF;
	PERFORM neon_auth._set_password_hash(u."id", neon_auth._password_hash(neon_auth._normalize_password(new_password, cfg)));
	DELETE FROM neon_auth."verification" WHERE "identifier" LIKE 'reset-password:%' AND "value" = u."id"::text;
	IF revoke_other_sessions THEN
		DELETE FROM neon_auth."session" WHERE "userId" = u."id";
		s := neon_auth._create_session(u."id", true, cfg);
	END IF;
	PERFORM neon_auth._audit('password_changed', u."id", 'success', u."email",
		jsonb_build_object('revoked_other_sessions', coalesce(revoke_other_sessions, false)));
	RETURN jsonb_build_object('token', s."token", 'user', neon_auth._user_json(u));
END
$$;
COMMENT ON FUNCTION neon_auth.change_password(text, text, boolean, text) IS
	'Better Auth POST /change-password: check the current password, set the new one; returns {token, user}';

-- Better Auth's setPassword: a first password for a user without one
-- (signed up another way). Needs a fresh session.
CREATE FUNCTION neon_auth.set_password(new_password text, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	cfg neon_auth.config;
	caller record := neon_auth._caller(session_token);
BEGIN
	PERFORM neon_auth._writable();
	SELECT * INTO cfg FROM neon_auth.config;
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	IF NOT neon_auth._fresh(caller.s) THEN
		RETURN neon_auth._fail('SESSION_NOT_FRESH');
	END IF;
	IF neon_auth._password_of(caller.user_id) IS NOT NULL THEN
		PERFORM neon_auth._raise('PASSWORD_ALREADY_SET');
	END IF;
	PERFORM neon_auth._set_password_hash(caller.user_id, neon_auth._password_hash(neon_auth._normalize_password(new_password, cfg)));
	PERFORM neon_auth._audit('password_set', caller.user_id, 'success');
	RETURN jsonb_build_object('status', true);
END
$$;
COMMENT ON FUNCTION neon_auth.set_password(text, text) IS
	'Better Auth setPassword: give a user without a password one (fresh session required); returns {status: true}';

-- Better Auth GET /reset-password/:token, the link of the reset email: where
-- to send the browser, {redirect: true, url}: the callback URL (made absolute
-- against base_url) with ?token=<token> while the token is live, else with
-- ?error=INVALID_TOKEN. An untrusted callback URL is INVALID_CALLBACK_URL.
-- Nothing is used up: reset_password checks the token again.
CREATE FUNCTION neon_auth.request_password_reset_callback(token text, callback_url text) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	target text;
	live boolean;
BEGIN
	IF callback_url IS NULL OR callback_url = '' THEN
		PERFORM neon_auth._raise('VALIDATION_ERROR', 'callback_url');
	END IF;
	target := neon_auth._callback(callback_url);
	IF target LIKE '/%' THEN
		target := neon_auth._origin((SELECT c.base_url FROM neon_auth.config c)) || target;
	END IF;
	live := EXISTS (SELECT 1 FROM neon_auth."verification" v
	                 WHERE v."identifier" = 'reset-password:' || coalesce(token, '') AND v."expiresAt" >= now());
	RETURN jsonb_build_object('redirect', true, 'url',
		target || CASE WHEN strpos(target, '?') > 0 THEN '&' ELSE '?' END
		       || CASE WHEN live THEN 'token=' || neon_auth._uri_component(token) ELSE 'error=INVALID_TOKEN' END);
END
$$;
COMMENT ON FUNCTION neon_auth.request_password_reset_callback(text, text) IS
	'Better Auth GET /reset-password/:token: {redirect, url}, the callback with the token, or with error=INVALID_TOKEN';
