---------------------------------------------------------------------------
-- The signed-in user's account: name and image, email change, deletion.
-- Callers: everyone (a session is required; a JWT does not manage accounts).
---------------------------------------------------------------------------

-- Better Auth POST /update-user: name and image (NULL leaves a field as is).
CREATE FUNCTION neon_auth.update_user(name text DEFAULT NULL, image text DEFAULT NULL, username text DEFAULT NULL,
                                      display_username text DEFAULT NULL, session_token text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	caller record := neon_auth._caller(session_token);
	names record;
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	-- A new username leaves displayUsername as it is unless that is given too
	-- (Better Auth's update hook).
	names := neon_auth._username_fields(update_user.username, update_user.display_username, caller.user_id, false);
	UPDATE neon_auth."user" SET "name" = coalesce(update_user.name, "name"), "image" = coalesce(update_user.image, "image"),
	       "username" = coalesce(names.stored_username, "username"),
	       "displayUsername" = coalesce(names.stored_display, "displayUsername"),
	       "updatedAt" = neon_auth._now()
	 WHERE "id" = caller.user_id;
	PERFORM neon_auth._audit('user_updated', caller.user_id, 'success', NULL,
		jsonb_strip_nulls(jsonb_build_object('name', update_user.name IS NOT NULL, 'image', update_user.image IS NOT NULL,
		                                     'username', update_user.username IS NOT NULL)));
	RETURN jsonb_build_object('status', true);
END
$$;
COMMENT ON FUNCTION neon_auth.update_user(text, text, text, text, text) IS
	'Better Auth POST /update-user: change the caller''s name, image, username and/or displayUsername; returns {status: true}';

-- Better Auth POST /change-email: a verification link to the new address
-- (updateTo); the change happens when verify_email() gets it.
CREATE FUNCTION neon_auth.change_email(new_email text, callback_url text DEFAULT '/', session_token text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	caller record := neon_auth._caller(session_token);
	v_email text := neon_auth._normalize_email(new_email);
	u neon_auth."user";
	throttled jsonb;
BEGIN
	PERFORM neon_auth._callback(callback_url);
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	SELECT * INTO u FROM neon_auth."user" WHERE "id" = caller.user_id;
	throttled := neon_auth._throttle('/change-email', u."email", u."id");
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	IF v_email = u."email" THEN
		PERFORM neon_auth._raise('EMAIL_IS_THE_SAME');
	END IF;
	-- An address someone else has gets the same answer and no link, so this
	-- cannot be used to find out who has an account.
	IF EXISTS (SELECT 1 FROM neon_auth."user" WHERE "email" = v_email) THEN
		PERFORM neon_auth._audit('email_change_requested', u."id", 'EMAIL_CAN_NOT_BE_UPDATED', u."email", jsonb_build_object('to', v_email));
		RETURN jsonb_build_object('status', true);
	END IF;
	PERFORM neon_auth._send_verification(u, callback_url, v_email);
	PERFORM neon_auth._audit('email_change_requested', u."id", 'success', u."email", jsonb_build_object('to', v_email));
	RETURN jsonb_build_object('status', true);
END
$$;
COMMENT ON FUNCTION neon_auth.change_email(text, text, text) IS
	'Better Auth POST /change-email: send a verification link to the new address; verify_email() applies it';

-- Better Auth POST /delete-user: with the password, or from a fresh
-- session; or, with config.delete_user_verification, only through the link
-- emailed here (outbox kind delete-account), whose token comes back as
-- `token` or to delete_user_callback. Sessions and accounts go with the user
-- (ON DELETE CASCADE). session_token stays second, where 1.0 had it.
CREATE FUNCTION neon_auth.delete_user(password text DEFAULT NULL, session_token text DEFAULT NULL,
                                      callback_url text DEFAULT NULL, token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	cfg neon_auth.config;
	caller record := neon_auth._caller(session_token);
	stored text;
	throttled jsonb;
BEGIN
	PERFORM neon_auth._writable();
	SELECT * INTO cfg FROM neon_auth.config;
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	IF password IS NOT NULL THEN
		-- A stolen session must not become unlimited password guesses.
		throttled := neon_auth._throttle('/delete-user', (SELECT "email" FROM neon_auth."user" WHERE "id" = caller.user_id), caller.user_id);
		IF throttled IS NOT NULL THEN
			RETURN throttled;
		END IF;
		stored := neon_auth._password_of(caller.user_id);
		IF stored IS NULL OR NOT neon_auth._password_verify(neon_auth._normalize_password(password, cfg), stored) THEN
			PERFORM neon_auth._audit('user_deleted', caller.user_id, 'INVALID_PASSWORD');
			RETURN neon_auth._fail('INVALID_PASSWORD');
		END IF;
	END IF;
	IF token IS NOT NULL THEN
		RETURN neon_auth._delete_user_with_token(caller.user_id, token);
	END IF;
	IF cfg.delete_user_verification THEN
		RETURN neon_auth._send_delete_account(caller.user_id, callback_url, cfg);
	END IF;
	IF password IS NULL AND (NOT neon_auth._fresh(caller.s) OR (caller.s)."id" IS NULL) THEN
		RETURN neon_auth._fail('SESSION_NOT_FRESH');
	END IF;
	DELETE FROM neon_auth."user" WHERE "id" = caller.user_id;
	PERFORM neon_auth._audit('user_deleted', caller.user_id, 'success');
	RETURN jsonb_build_object('success', true, 'message', 'User deleted');
END
$$;
COMMENT ON FUNCTION neon_auth.delete_user(text, text, text, text) IS
	'Better Auth POST /delete-user: delete the caller (password, fresh session, or the emailed link); returns {success, message}';

-- The deletion link: a verification row "delete-account-<token>" holding the
-- user id, as Better Auth stores it, and the message in the outbox.
CREATE FUNCTION neon_auth._send_delete_account(user_id uuid, callback_url text, cfg neon_auth.config) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	token text := neon_auth._random_string(32, '0123456789abcdefghijklmnopqrstuvwxyz');
	expires timestamptz := neon_auth._now() + make_interval(secs => cfg.delete_user_expires_in);
	u neon_auth."user";
BEGIN
	SELECT * INTO u FROM neon_auth."user" x WHERE x."id" = user_id;
	INSERT INTO neon_auth."verification" ("identifier", "value", "expiresAt", "createdAt", "updatedAt")
	VALUES ('delete-account-' || token, user_id::text, expires, neon_auth._now(), neon_auth._now());
	PERFORM neon_auth._enqueue('delete-account', u."email", user_id, jsonb_build_object(
		'name', u."name", 'email', u."email", 'token', token, 'expires_at', neon_auth._iso(expires),
		'url', neon_auth._link(cfg.delete_user_url, cfg.base_url, token, neon_auth._callback(callback_url))));
	PERFORM neon_auth._audit('user_delete_requested', user_id, 'success');
	RETURN jsonb_build_object('success', true, 'message', 'Verification email sent');
END
$$;

-- Uses up a deletion token, which must be the user's, and deletes the user.
CREATE FUNCTION neon_auth._delete_user_with_token(user_id uuid, token text) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	owner_id text;
BEGIN
	-- Only the user's own token is used up: another user's stays valid.
	DELETE FROM neon_auth."verification" v
	 WHERE v."identifier" = 'delete-account-' || token AND v."expiresAt" >= now() AND v."value" = user_id::text
	RETURNING v."value" INTO owner_id;
	IF owner_id IS DISTINCT FROM user_id::text THEN
		PERFORM neon_auth._audit('user_deleted', user_id, 'INVALID_TOKEN');
		RETURN neon_auth._fail('INVALID_TOKEN');
	END IF;
	DELETE FROM neon_auth."user" WHERE "id" = user_id;
	PERFORM neon_auth._audit('user_deleted', user_id, 'success', NULL, '{"method": "link"}');
	RETURN jsonb_build_object('success', true, 'message', 'User deleted');
END
$$;

-- Better Auth GET /delete-user/callback: the emailed link, opened in the
-- browser that is signed in as the user; deletes the user. The handler
-- redirects to callback_url (checked here) when one is given.
CREATE FUNCTION neon_auth.delete_user_callback(token text, callback_url text DEFAULT NULL, session_token text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record;
BEGIN
	PERFORM neon_auth._writable();
	IF callback_url IS NOT NULL THEN
		PERFORM neon_auth._callback(callback_url);
	END IF;
	caller := neon_auth._caller(session_token);
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	RETURN neon_auth._delete_user_with_token(caller.user_id, token);
END
$$;
COMMENT ON FUNCTION neon_auth.delete_user_callback(text, text, text) IS
	'Better Auth GET /delete-user/callback: delete the caller with the emailed token; {success, message}';

-- Better Auth POST /verify-password (server-only there): {status: true} when
-- `password` is the caller's, else INVALID_PASSWORD. Throttled per user, so
-- a stolen session cannot become unlimited password guesses.
CREATE FUNCTION neon_auth.verify_password(password text, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	cfg neon_auth.config;
	caller record := neon_auth._caller(session_token);
	stored text;
	throttled jsonb;
BEGIN
	SELECT * INTO cfg FROM neon_auth.config;
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	throttled := neon_auth._throttle('/verify-password', (SELECT "email" FROM neon_auth."user" WHERE "id" = caller.user_id), caller.user_id);
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	stored := neon_auth._password_of(caller.user_id);
	-- Any length is a wrong password here (Better Auth checks no length);
	-- over-long input is refused before the KDF.
	IF password IS NULL OR stored IS NULL OR length(password) > 4 * cfg.max_password_length
	   OR NOT neon_auth._password_verify(normalize(password, NFKC), stored) THEN
		RETURN neon_auth._fail('INVALID_PASSWORD');
	END IF;
	RETURN jsonb_build_object('status', true);
END
$$;
COMMENT ON FUNCTION neon_auth.verify_password(text, text) IS 'Better Auth POST /verify-password: {status: true}, or INVALID_PASSWORD';

-- Better Auth GET /list-accounts: the caller's accounts (the password
-- account "credential", and social ones), without tokens or hashes, oldest
-- first; scope as a list.
CREATE FUNCTION neon_auth.list_user_accounts(session_token text DEFAULT NULL) RETURNS jsonb
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
	RETURN (SELECT coalesce(jsonb_agg(jsonb_build_object(
	            'id', a."id", 'providerId', a."providerId", 'accountId', a."accountId", 'userId', a."userId",
	            'createdAt', neon_auth._iso(a."createdAt"), 'updatedAt', neon_auth._iso(a."updatedAt"),
	            'scopes', (SELECT coalesce(jsonb_agg(btrim(x)) FILTER (WHERE btrim(x) <> ''), '[]')
	                         FROM unnest(string_to_array(coalesce(a."scope", ''), ',')) x))
	          ORDER BY a."createdAt", a."id"), '[]')
	          FROM neon_auth."account" a WHERE a."userId" = caller.user_id);
END
$$;
COMMENT ON FUNCTION neon_auth.list_user_accounts(text) IS 'Better Auth GET /list-accounts: the caller''s accounts, without secrets';
