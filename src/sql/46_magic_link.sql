---------------------------------------------------------------------------
-- Magic links, Better Auth's magicLink plugin (1.7): a sign-in link sent
-- by email, stored as Better Auth stores it (storeToken "plain"): a
-- verification row "magic-link:<token>" holding {"type":"magic-link",
-- "email", "name"} for 5 minutes, used once. Verifying signs the user in,
-- or signs them up (email verified) when the address has no account yet.
-- See docs/magic-link.md.
---------------------------------------------------------------------------

-- A JSON object, or NULL for anything else (a row another plugin wrote).
CREATE FUNCTION neon_auth._json_object_or_null(value text) RETURNS jsonb
	LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	RETURN CASE WHEN jsonb_typeof(value::jsonb) = 'object' THEN value::jsonb END;
EXCEPTION WHEN invalid_text_representation THEN
	RETURN NULL;
END
$$;

-- The link Better Auth's plugin sends: its verify endpoint with the token
-- and the callback URLs as query parameters (URLSearchParams' encoding).
CREATE FUNCTION neon_auth._magic_link_url(base_url text, token text, callback_url text,
                                          new_user_callback_url text, error_callback_url text) RETURNS text
	LANGUAGE sql IMMUTABLE
	RETURN rtrim(base_url, '/') || '/api/auth/magic-link/verify?token=' || token
		|| '&callbackURL=' || replace(neon_auth._uri_component(callback_url), '%20', '+')
		|| CASE WHEN new_user_callback_url IS NOT NULL
		        THEN '&newUserCallbackURL=' || replace(neon_auth._uri_component(new_user_callback_url), '%20', '+') ELSE '' END
		|| CASE WHEN error_callback_url IS NOT NULL
		        THEN '&errorCallbackURL=' || replace(neon_auth._uri_component(error_callback_url), '%20', '+') ELSE '' END;

-- Better Auth POST /sign-in/magic-link: the link goes to the outbox (kind
-- 'magic-link'); {status: true} whether or not the address has an account.
CREATE FUNCTION neon_auth.sign_in_magic_link(email text, name text DEFAULT NULL, callback_url text DEFAULT '/',
                                             new_user_callback_url text DEFAULT NULL, error_callback_url text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	cfg neon_auth.config;
	v_email text := neon_auth._normalize_email(email);
	token text := neon_auth._random_string(32, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ');
	expires timestamptz := neon_auth._now() + interval '5 minutes';
	throttled jsonb;
	u neon_auth."user";
BEGIN
	PERFORM neon_auth._writable();
	PERFORM neon_auth._check_login_origin();
	SELECT * INTO cfg FROM neon_auth.config;
	PERFORM neon_auth._callback(callback_url);
	PERFORM neon_auth._callback(new_user_callback_url);
	PERFORM neon_auth._callback(error_callback_url);
	throttled := neon_auth._throttle('/sign-in/magic-link', v_email);
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	INSERT INTO neon_auth."verification" ("identifier", "value", "expiresAt", "createdAt", "updatedAt")
	VALUES ('magic-link:' || token,
	        '{"type":"magic-link","email":' || to_json(v_email)::text
	        || CASE WHEN name IS NOT NULL THEN ',"name":' || to_json(name)::text ELSE '' END || '}',
	        expires, neon_auth._now(), neon_auth._now());
	SELECT * INTO u FROM neon_auth."user" WHERE "email" = v_email;
	PERFORM neon_auth._enqueue('magic-link', v_email, u."id", jsonb_build_object(
		'name', coalesce(u."name", name), 'token', token, 'expires_at', neon_auth._iso(expires),
		'url', neon_auth._magic_link_url(cfg.base_url, token, coalesce(nullif(callback_url, ''), '/'),
		                                 new_user_callback_url, error_callback_url)));
	PERFORM neon_auth._audit('magic_link_sent', u."id", 'success', v_email);
	RETURN jsonb_build_object('status', true);
END
$$;
COMMENT ON FUNCTION neon_auth.sign_in_magic_link(text, text, text, text, text) IS
	'Better Auth POST /sign-in/magic-link: email a 5-minute sign-in link (outbox); returns {status: true}';

-- Better Auth GET /magic-link/verify: the link's token, once, for a session
-- ({token, user, session}, and isNewUser for an HTTP layer's redirect). A
-- new address becomes a user with a verified email; an existing user whose
-- email was not verified loses the accounts and sessions nobody proved
-- (Better Auth's revokeUnprovenAccountAccess: someone may have registered
-- the address first). A two-factor user gets the challenge, not a session.
CREATE FUNCTION neon_auth.magic_link_verify(token text, callback_url text DEFAULT NULL,
                                            error_callback_url text DEFAULT NULL, new_user_callback_url text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	cfg neon_auth.config;
	found_row neon_auth."verification";
	record jsonb;
	u neon_auth."user";
	s neon_auth."session";
	is_new boolean := false;
	throttled jsonb;
BEGIN
	PERFORM neon_auth._writable();
	SELECT * INTO cfg FROM neon_auth.config;
	PERFORM neon_auth._callback(callback_url);
	PERFORM neon_auth._callback(error_callback_url);
	PERFORM neon_auth._callback(new_user_callback_url);
	throttled := neon_auth._throttle('/magic-link/verify', NULL);
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	IF token IS NULL OR token = '' OR octet_length(token) > 255 THEN
		RETURN neon_auth._fail('INVALID_TOKEN');
	END IF;
	-- Used up here whatever follows, as Better Auth consumes it.
	DELETE FROM neon_auth."verification" v WHERE v."identifier" = 'magic-link:' || magic_link_verify.token
	RETURNING * INTO found_row;
	IF found_row."identifier" IS NULL OR found_row."expiresAt" <= now() THEN
		RETURN neon_auth._fail('INVALID_TOKEN');
	END IF;
	record := neon_auth._json_object_or_null(found_row."value");
	IF record IS NULL OR record ->> 'type' IS DISTINCT FROM 'magic-link' OR jsonb_typeof(record -> 'email') <> 'string' THEN
		RETURN neon_auth._fail('INVALID_TOKEN');
	END IF;
	SELECT * INTO u FROM neon_auth."user" WHERE "email" = lower(record ->> 'email') FOR UPDATE;
	IF u."id" IS NULL THEN
		INSERT INTO neon_auth."user" ("name", "email", "emailVerified", "createdAt", "updatedAt", "role", "banned",
		                              "twoFactorEnabled", "isAnonymous")
		VALUES (coalesce(record ->> 'name', ''), lower(record ->> 'email'), true, neon_auth._now(), neon_auth._now(),
		        'user', false, false, false)
		ON CONFLICT ("email") DO NOTHING
		RETURNING * INTO u;
		IF u."id" IS NULL THEN   -- made by a concurrent call meanwhile
			SELECT * INTO u FROM neon_auth."user" WHERE "email" = lower(record ->> 'email') FOR UPDATE;
		ELSE
			is_new := true;
		END IF;
	ELSIF NOT u."emailVerified" THEN
		DELETE FROM neon_auth."account" WHERE "userId" = u."id";
		DELETE FROM neon_auth."session" WHERE "userId" = u."id";
		UPDATE neon_auth."user" SET "emailVerified" = true, "updatedAt" = neon_auth._now() WHERE "id" = u."id" RETURNING * INTO u;
	END IF;
	IF u."banned" IS TRUE AND (u."banExpires" IS NULL OR u."banExpires" >= now()) THEN
		PERFORM neon_auth._audit('sign_in', u."id", 'BANNED_USER', u."email", '{"method": "magic-link"}');
		RETURN neon_auth._fail('BANNED_USER');
	END IF;
	IF u."twoFactorEnabled" THEN
		PERFORM neon_auth._audit('sign_in', u."id", 'TWO_FACTOR_REQUIRED', u."email", '{"method": "magic-link"}');
		RETURN neon_auth._two_factor_challenge(u."id");
	END IF;
	s := neon_auth._create_session(u."id", true, cfg);
	PERFORM neon_auth._link_anonymous(u."id");
	PERFORM neon_auth._audit(CASE WHEN is_new THEN 'sign_up' ELSE 'sign_in' END, u."id", 'success', u."email",
	                         '{"method": "magic-link"}');
	RETURN jsonb_build_object('token', s."token", 'user', neon_auth._user_json(u), 'session', neon_auth._session_json(s),
	                          'isNewUser', is_new);
END
$$;
COMMENT ON FUNCTION neon_auth.magic_link_verify(text, text, text, text) IS
	'Better Auth GET /magic-link/verify: a magic link''s token, once, for a session; returns {token, user, session, isNewUser}';
