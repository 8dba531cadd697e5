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
		PERFORM neon_auth._raise('EMAIL_CAN_NOT_BE_UPDATED');
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
-- session. Sessions and accounts go with the user (ON DELETE CASCADE).
CREATE FUNCTION neon_auth.delete_user(password text DEFAULT NULL, session_token text DEFAULT NULL) RETURNS jsonb
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
	ELSIF NOT neon_auth._fresh(caller.s) OR (caller.s)."id" IS NULL THEN
		RETURN neon_auth._fail('SESSION_NOT_FRESH');
	END IF;
	DELETE FROM neon_auth."user" WHERE "id" = caller.user_id;
	PERFORM neon_auth._audit('user_deleted', caller.user_id, 'success');
	RETURN jsonb_build_object('success', true, 'message', 'User deleted');
END
$$;
COMMENT ON FUNCTION neon_auth.delete_user(text, text) IS
	'Better Auth POST /delete-user: delete the caller (password, or a fresh session); returns {success, message}';

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
