---------------------------------------------------------------------------
-- One-time codes by email, Better Auth's emailOTP plugin (1.7): to verify
-- an address, sign in (or up), reset a password or change the address. A
-- code is a verification row "<type>-otp-<email>" holding "<code>:<tries>"
-- (the code plain, or hashed as config.email_otp_store says, as Better
-- Auth's storeOTP), for config.email_otp_expires_in seconds, with
-- config.email_otp_allowed_attempts wrong tries. The codes go to the outbox
-- (kind 'email-otp'). See docs/email-otp.md.
---------------------------------------------------------------------------

CREATE FUNCTION neon_auth._eotp_identifier(type text, email text) RETURNS text
	LANGUAGE sql IMMUTABLE
	RETURN type || '-otp-' || lower(email);

-- The code as stored: itself, or base64url (no padding) of its SHA-256.
CREATE FUNCTION neon_auth._eotp_stored(otp text, store text) RETURNS text
	LANGUAGE sql IMMUTABLE
	RETURN CASE WHEN store = 'hashed'
	            THEN rtrim(translate(encode(sha256(convert_to(otp, 'UTF8')), 'base64'), '+/', '-_'), '=')
	            ELSE otp END;

-- A new code under `identifier`; returns it.
CREATE FUNCTION neon_auth._eotp_new(identifier text) RETURNS text
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	cfg neon_auth.config;
	otp text := neon_auth._random_digits(6);
BEGIN
	SELECT * INTO cfg FROM neon_auth.config;
	INSERT INTO neon_auth."verification" ("identifier", "value", "expiresAt", "createdAt", "updatedAt")
	VALUES (identifier, neon_auth._eotp_stored(otp, cfg.email_otp_store) || ':0',
	        neon_auth._now() + make_interval(secs => cfg.email_otp_expires_in), neon_auth._now(), neon_auth._now());
	RETURN otp;
END
$$;

-- Better Auth's atomicVerifyOTP: NULL when `otp` is the newest code under
-- `identifier`, else OTP_EXPIRED, INVALID_OTP or TOO_MANY_ATTEMPTS. The code
-- is used up (all rows of the identifier), unless `keep` (a check that does
-- not consume it); a wrong try is written back with one more try counted.
CREATE FUNCTION neon_auth._eotp_verify(identifier text, otp text, keep boolean) RETURNS text
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	cfg neon_auth.config;
	newest neon_auth."verification";
	sent text;
	tries integer;
BEGIN
	SELECT * INTO cfg FROM neon_auth.config;
	SELECT * INTO newest FROM neon_auth."verification" v WHERE v."identifier" = _eotp_verify.identifier
	 ORDER BY v."createdAt" DESC LIMIT 1 FOR UPDATE;
	DELETE FROM neon_auth."verification" v WHERE v."identifier" = _eotp_verify.identifier;
	IF newest."identifier" IS NULL THEN
		RETURN 'INVALID_OTP';
	END IF;
	IF newest."expiresAt" <= now() THEN
		RETURN 'OTP_EXPIRED';
	END IF;
	sent := regexp_replace(newest."value", ':[^:]*$', '');
	tries := coalesce(nullif(substring(newest."value" FROM ':([0-9]+)$'), '')::integer, 0);
	IF tries >= cfg.email_otp_allowed_attempts THEN
		RETURN 'TOO_MANY_ATTEMPTS';
	END IF;
	-- Compared as digests: the time taken says nothing about the code.
	IF otp IS NULL OR sha256(convert_to(neon_auth._eotp_stored(otp, cfg.email_otp_store), 'UTF8'))
	                  <> sha256(convert_to(sent, 'UTF8')) THEN
		INSERT INTO neon_auth."verification" ("identifier", "value", "expiresAt", "createdAt", "updatedAt")
		VALUES (identifier, sent || ':' || (tries + 1), newest."expiresAt", neon_auth._now(), neon_auth._now());
		RETURN 'INVALID_OTP';
	END IF;
	IF keep THEN
		INSERT INTO neon_auth."verification" ("identifier", "value", "expiresAt", "createdAt", "updatedAt")
		VALUES (identifier, newest."value", newest."expiresAt", newest."createdAt", neon_auth._now());
	END IF;
	RETURN NULL;
END
$$;

-- Queue the code for `recipient` (a real message, or a decoy row that looks
-- the same to whoever watches the outbox, for an address with no account).
CREATE FUNCTION neon_auth._eotp_send(u neon_auth."user", recipient text, type text, otp text) RETURNS void
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	PERFORM neon_auth._enqueue(CASE WHEN u."id" IS NULL AND type <> 'sign-in' THEN 'decoy' ELSE 'email-otp' END,
		recipient, u."id", jsonb_build_object('name', u."name", 'otp', otp, 'type', type,
		                                      'expires_at', neon_auth._iso(neon_auth._now() + make_interval(
		                                          secs => (SELECT email_otp_expires_in FROM neon_auth.config)))));
END
$$;

-- A code check's failure: always answered (as two-factor codes), so the try
-- it counted commits.
CREATE FUNCTION neon_auth._eotp_failed(code text, event text, email text) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	PERFORM neon_auth._audit(event, NULL, code, email);
	RETURN neon_auth._tf_answer(code);
END
$$;

-- Better Auth POST /email-otp/send-verification-otp: {success: true}. For an
-- address with no account only "sign-in" sends (it signs up); the others
-- write a decoy, so the answer and the writes are the same either way.
CREATE FUNCTION neon_auth.send_verification_otp(email text, type text) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	v_email text := neon_auth._normalize_email(email);
	u neon_auth."user";
	otp text;
	throttled jsonb;
BEGIN
	PERFORM neon_auth._writable();
	PERFORM neon_auth._check_login_origin();
	IF type IS NULL OR type NOT IN ('email-verification', 'sign-in', 'forget-password') THEN
		PERFORM neon_auth._raise('INVALID_OTP_TYPE');
	END IF;
	throttled := neon_auth._throttle('/email-otp/send-verification-otp', v_email);
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	SELECT * INTO u FROM neon_auth."user" WHERE "email" = v_email;
	-- Stored for an address without an account too, though never sent there:
	-- the same writes either way (test/integration/enumeration.sh); nobody
	-- knows the code, and it expires.
	otp := neon_auth._eotp_new(neon_auth._eotp_identifier(type, v_email));
	PERFORM neon_auth._eotp_send(u, v_email, type, otp);
	PERFORM neon_auth._audit('email_otp_sent', u."id", 'success', v_email, jsonb_build_object('type', type));
	RETURN jsonb_build_object('success', true);
END
$$;

-- Better Auth POST /email-otp/check-verification-otp: the code is checked,
-- not used up (a wrong one still counts).
CREATE FUNCTION neon_auth.check_verification_otp(email text, type text, otp text) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	v_email text := neon_auth._normalize_email(email);
	code text;
	throttled jsonb;
BEGIN
	PERFORM neon_auth._writable();
	throttled := neon_auth._throttle('/email-otp/check-verification-otp', v_email);
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	code := neon_auth._eotp_verify(neon_auth._eotp_identifier(type, v_email), otp, true);
	IF code IS NOT NULL THEN
		RETURN neon_auth._eotp_failed(code, 'email_otp_checked', v_email);
	END IF;
	IF NOT EXISTS (SELECT 1 FROM neon_auth."user" WHERE "email" = v_email) THEN
		PERFORM neon_auth._raise('USER_NOT_FOUND');
	END IF;
	RETURN jsonb_build_object('success', true);
END
$$;

-- Better Auth POST /email-otp/verify-email: {status, token: null, user}.
CREATE FUNCTION neon_auth.verify_email_otp(email text, otp text) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	v_email text := neon_auth._normalize_email(email);
	code text;
	u neon_auth."user";
	throttled jsonb;
BEGIN
	PERFORM neon_auth._writable();
	throttled := neon_auth._throttle('/email-otp/verify-email', v_email);
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	code := neon_auth._eotp_verify(neon_auth._eotp_identifier('email-verification', v_email), otp, false);
	IF code IS NOT NULL THEN
		RETURN neon_auth._eotp_failed(code, 'email_verified', v_email);
	END IF;
	UPDATE neon_auth."user" SET "emailVerified" = true, "updatedAt" = neon_auth._now() WHERE "email" = v_email RETURNING * INTO u;
	IF u."id" IS NULL THEN
		PERFORM neon_auth._raise('USER_NOT_FOUND');
	END IF;
	PERFORM neon_auth._audit('email_verified', u."id", 'success', v_email, '{"method": "email-otp"}');
	RETURN jsonb_build_object('status', true, 'token', NULL, 'user', neon_auth._user_json(u));
END
$$;

-- Better Auth POST /sign-in/email-otp: {token, user}; a new address signs
-- up (email verified). As a magic link: an unverified user loses the
-- accounts and sessions nobody proved; a two-factor user gets the challenge.
CREATE FUNCTION neon_auth.sign_in_email_otp(email text, otp text, name text DEFAULT NULL, image text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	cfg neon_auth.config;
	v_email text := lower(email);
	code text;
	u neon_auth."user";
	s neon_auth."session";
	throttled jsonb;
BEGIN
	PERFORM neon_auth._writable();
	PERFORM neon_auth._check_login_origin();
	SELECT * INTO cfg FROM neon_auth.config;
	throttled := neon_auth._throttle('/sign-in/email-otp', v_email);
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	code := neon_auth._eotp_verify(neon_auth._eotp_identifier('sign-in', v_email), otp, false);
	IF code IS NOT NULL THEN
		RETURN neon_auth._eotp_failed(code, 'sign_in', v_email);
	END IF;
	SELECT * INTO u FROM neon_auth."user" WHERE "email" = v_email FOR UPDATE;
	IF u."id" IS NULL THEN
		INSERT INTO neon_auth."user" ("name", "email", "emailVerified", "image", "createdAt", "updatedAt", "role", "banned",
		                              "twoFactorEnabled", "isAnonymous")
		VALUES (coalesce(name, ''), v_email, true, image, neon_auth._now(), neon_auth._now(), 'user', false, false, false)
		RETURNING * INTO u;
	ELSIF NOT u."emailVerified" THEN
		DELETE FROM neon_auth."account" WHERE "userId" = u."id";
		DELETE FROM neon_auth."session" WHERE "userId" = u."id";
		UPDATE neon_auth."user" SET "emailVerified" = true, "updatedAt" = neon_auth._now() WHERE "id" = u."id" RETURNING * INTO u;
	END IF;
	IF u."banned" IS TRUE AND (u."banExpires" IS NULL OR u."banExpires" >= now()) THEN
		PERFORM neon_auth._audit('sign_in', u."id", 'BANNED_USER', v_email, '{"method": "email-otp"}');
		RETURN neon_auth._fail('BANNED_USER');
	END IF;
	IF u."twoFactorEnabled" THEN
		PERFORM neon_auth._audit('sign_in', u."id", 'TWO_FACTOR_REQUIRED', v_email, '{"method": "email-otp"}');
		RETURN neon_auth._two_factor_challenge(u."id");
	END IF;
	s := neon_auth._create_session(u."id", true, cfg);
	PERFORM neon_auth._link_anonymous(u."id");
	PERFORM neon_auth._audit('sign_in', u."id", 'success', v_email, '{"method": "email-otp"}');
	RETURN jsonb_build_object('token', s."token", 'user', neon_auth._user_json(u));
END
$$;

-- Better Auth POST /email-otp/request-password-reset (and its older name,
-- forgetPasswordEmailOTP): {success: true}, a code only for an account.
CREATE FUNCTION neon_auth.request_password_reset_email_otp(email text) RETURNS jsonb
	LANGUAGE sql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	RETURN neon_auth.send_verification_otp(email, 'forget-password');

CREATE FUNCTION neon_auth.forget_password_email_otp(email text) RETURNS jsonb
	LANGUAGE sql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	RETURN neon_auth.send_verification_otp(email, 'forget-password');

-- Better Auth POST /email-otp/reset-password: the new password (checked
-- first), then the code; {success: true}. The address counts as verified.
CREATE FUNCTION neon_auth.reset_password_email_otp(email text, otp text, password text) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	cfg neon_auth.config;
	v_email text := neon_auth._normalize_email(email);
	v_password text;
	code text;
	u neon_auth."user";
	throttled jsonb;
BEGIN
	PERFORM neon_auth._writable();
	SELECT * INTO cfg FROM neon_auth.config;
	v_password := neon_auth._normalize_password(password, cfg);
	throttled := neon_auth._throttle('/email-otp/reset-password', v_email);
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	code := neon_auth._eotp_verify(neon_auth._eotp_identifier('forget-password', v_email), otp, false);
	IF code IS NOT NULL THEN
		RETURN neon_auth._eotp_failed(code, 'password_reset', v_email);
	END IF;
	SELECT * INTO u FROM neon_auth."user" WHERE "email" = v_email FOR UPDATE;
	IF u."id" IS NULL THEN
		PERFORM neon_auth._raise('USER_NOT_FOUND');
	END IF;
	PERFORM neon_auth._set_password_hash(u."id", neon_auth._password_hash(v_password));
	IF cfg.revoke_sessions_on_password_reset THEN
		DELETE FROM neon_auth."session" WHERE "userId" = u."id";
	END IF;
	UPDATE neon_auth."user" SET "emailVerified" = true, "updatedAt" = neon_auth._now()
	 WHERE "id" = u."id" AND NOT "emailVerified";
	PERFORM neon_auth._audit('password_reset', u."id", 'success', v_email, '{"method": "email-otp"}');
	RETURN jsonb_build_object('success', true);
END
$$;

-- Better Auth POST /email-otp/request-email-change: a code to the new
-- address, for the caller (config.email_otp_change_email must be on, as its
-- changeEmail.enabled). A taken address gets a decoy and the same answer.
CREATE FUNCTION neon_auth.request_email_change_email_otp(new_email text, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	v_email text := neon_auth._normalize_email(new_email);
	u neon_auth."user";
	taken neon_auth."user";
	otp text;
	throttled jsonb;
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	IF NOT (SELECT email_otp_change_email FROM neon_auth.config) THEN
		PERFORM neon_auth._raise('CHANGE_EMAIL_DISABLED');
	END IF;
	SELECT * INTO u FROM neon_auth."user" WHERE "id" = caller.user_id;
	IF u."email" = v_email THEN
		PERFORM neon_auth._raise('EMAIL_IS_THE_SAME');
	END IF;
	throttled := neon_auth._throttle('/email-otp/request-email-change', u."email", u."id");
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	otp := neon_auth._eotp_new('change-email-otp-' || u."id" || ':' || v_email);
	SELECT * INTO taken FROM neon_auth."user" WHERE "email" = v_email;
	IF taken."id" IS NOT NULL THEN
		DELETE FROM neon_auth."verification" WHERE "identifier" = 'change-email-otp-' || u."id" || ':' || v_email;
	END IF;
	PERFORM neon_auth._enqueue(CASE WHEN taken."id" IS NULL THEN 'email-otp' ELSE 'decoy' END, v_email, u."id",
		jsonb_build_object('name', u."name", 'otp', otp, 'type', 'change-email', 'new_email', v_email,
		                   'expires_at', neon_auth._iso(neon_auth._now() + make_interval(
		                       secs => (SELECT email_otp_expires_in FROM neon_auth.config)))));
	PERFORM neon_auth._audit('email_change_requested', u."id", 'success', u."email", '{"method": "email-otp"}');
	RETURN jsonb_build_object('success', true);
END
$$;

-- Better Auth POST /email-otp/change-email: the code sent to the new
-- address; the caller's email becomes it, verified. {success: true}.
CREATE FUNCTION neon_auth.change_email_email_otp(new_email text, otp text, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	v_email text := neon_auth._normalize_email(new_email);
	u neon_auth."user";
	code text;
	throttled jsonb;
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	IF NOT (SELECT email_otp_change_email FROM neon_auth.config) THEN
		PERFORM neon_auth._raise('CHANGE_EMAIL_DISABLED');
	END IF;
	SELECT * INTO u FROM neon_auth."user" WHERE "id" = caller.user_id FOR UPDATE;
	IF u."email" = v_email THEN
		PERFORM neon_auth._raise('EMAIL_IS_THE_SAME');
	END IF;
	throttled := neon_auth._throttle('/email-otp/change-email', u."email", u."id");
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	code := neon_auth._eotp_verify('change-email-otp-' || u."id" || ':' || v_email, otp, false);
	IF code IS NOT NULL THEN
		RETURN neon_auth._eotp_failed(code, 'email_changed', u."email");
	END IF;
	IF EXISTS (SELECT 1 FROM neon_auth."user" WHERE "email" = v_email) THEN
		PERFORM neon_auth._raise('EMAIL_CAN_NOT_BE_UPDATED');
	END IF;
	UPDATE neon_auth."user" SET "email" = v_email, "emailVerified" = true, "updatedAt" = neon_auth._now() WHERE "id" = u."id";
	PERFORM neon_auth._audit('email_changed', u."id", 'success', v_email, jsonb_build_object('method', 'email-otp', 'from', u."email"));
	RETURN jsonb_build_object('success', true);
END
$$;

-- Better Auth's server-only createVerificationOTP and getVerificationOTP:
-- the extension owner only (a code for a test or a support tool).
CREATE FUNCTION neon_auth.create_verification_otp(email text, type text) RETURNS text
	LANGUAGE sql VOLATILE
	SET search_path = pg_catalog, pg_temp
	RETURN neon_auth._eotp_new(neon_auth._eotp_identifier(type, email));

CREATE FUNCTION neon_auth.get_verification_otp(email text, type text) RETURNS jsonb
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	newest neon_auth."verification";
BEGIN
	SELECT * INTO newest FROM neon_auth."verification" v WHERE v."identifier" = neon_auth._eotp_identifier(type, email)
	 ORDER BY v."createdAt" DESC LIMIT 1;
	IF newest."identifier" IS NULL OR newest."expiresAt" <= now() THEN
		RETURN jsonb_build_object('otp', NULL);
	END IF;
	IF (SELECT email_otp_store FROM neon_auth.config) = 'hashed' THEN
		PERFORM neon_auth._raise('OTP_IS_HASHED');
	END IF;
	RETURN jsonb_build_object('otp', regexp_replace(newest."value", ':[^:]*$', ''));
END
$$;

COMMENT ON FUNCTION neon_auth.send_verification_otp(text, text) IS 'Better Auth POST /email-otp/send-verification-otp';
COMMENT ON FUNCTION neon_auth.check_verification_otp(text, text, text) IS 'Better Auth POST /email-otp/check-verification-otp';
COMMENT ON FUNCTION neon_auth.verify_email_otp(text, text) IS 'Better Auth POST /email-otp/verify-email';
COMMENT ON FUNCTION neon_auth.sign_in_email_otp(text, text, text, text) IS 'Better Auth POST /sign-in/email-otp';
COMMENT ON FUNCTION neon_auth.request_password_reset_email_otp(text) IS 'Better Auth POST /email-otp/request-password-reset';
COMMENT ON FUNCTION neon_auth.forget_password_email_otp(text) IS 'Better Auth POST /forget-password/email-otp (older name)';
COMMENT ON FUNCTION neon_auth.reset_password_email_otp(text, text, text) IS 'Better Auth POST /email-otp/reset-password';
COMMENT ON FUNCTION neon_auth.request_email_change_email_otp(text, text) IS 'Better Auth POST /email-otp/request-email-change';
COMMENT ON FUNCTION neon_auth.change_email_email_otp(text, text, text) IS 'Better Auth POST /email-otp/change-email';
COMMENT ON FUNCTION neon_auth.create_verification_otp(text, text) IS 'Better Auth createVerificationOTP: owner only';
COMMENT ON FUNCTION neon_auth.get_verification_otp(text, text) IS 'Better Auth getVerificationOTP: owner only';
