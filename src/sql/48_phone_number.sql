---------------------------------------------------------------------------
-- Phone numbers, Better Auth's phoneNumber plugin (1.7): sign-in by phone
-- number and password, numbers verified by a code sent by SMS (which also
-- signs in), and password reset by SMS. Codes are verification rows
-- "phone-number-otp-<number>" and "phone-number-reset-<number>" holding
-- "<code>:<tries>" for 5 minutes, 3 wrong tries, as Better Auth stores
-- them. Messages go to the outbox as kind 'sms'; worker/ posts them to
-- NEON_AUTH_SMS. See docs/phone-number.md.
---------------------------------------------------------------------------

-- A phone number in E.164 form: "+", a country code and up to 15 digits in
-- all. Better Auth checks nothing by default; an SMS to anything else would
-- be lost or abused.
CREATE FUNCTION neon_auth._phone_number(phone_number text) RETURNS text
	LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF phone_number IS NULL OR phone_number !~ '^\+[1-9][0-9]{6,14}$' THEN
		PERFORM neon_auth._raise('INVALID_PHONE_NUMBER');
	END IF;
	RETURN phone_number;
END
$$;

-- A new code under `identifier`, and its SMS; or, when `send` is false, a
-- decoy (the same writes, nothing sent) and a stored value no code matches,
-- so that nobody can guess their way to a number that was never texted.
CREATE FUNCTION neon_auth._phone_code(identifier text, phone_number text, user_id uuid, purpose text, send boolean)
	RETURNS void
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	code text := neon_auth._random_digits(6);
	expires timestamptz := neon_auth._now() + interval '5 minutes';
BEGIN
	-- The newest code counts; the older ones go, so that codes sent within
	-- one millisecond cannot tie.
	DELETE FROM neon_auth."verification" v WHERE v."identifier" = _phone_code.identifier;
	INSERT INTO neon_auth."verification" ("identifier", "value", "expiresAt", "createdAt", "updatedAt")
	VALUES (identifier, CASE WHEN send THEN code ELSE 'unsent-' || neon_auth._generate_id(16) END || ':0',
	        expires, neon_auth._now(), neon_auth._now());
	PERFORM neon_auth._enqueue(CASE WHEN send THEN 'sms' ELSE 'decoy' END, phone_number, user_id,
		jsonb_build_object('code', code, 'purpose', purpose, 'expires_at', neon_auth._iso(expires)));
END
$$;

-- Better Auth's verifyPhoneNumberOTP: NULL when `code` is the newest code
-- under `identifier` (used up), else OTP_NOT_FOUND, OTP_EXPIRED,
-- TOO_MANY_ATTEMPTS or INVALID_OTP (a wrong try written back, counted).
-- Beyond Better Auth's 3 tries per code, a number takes at most 10 wrong
-- codes an hour ("phone-number-failures-<number>"), whatever the codes:
-- fresh codes are free, and 6 digits are a small space.
CREATE FUNCTION neon_auth._phone_verify(identifier text, code text, phone_number text) RETURNS text
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	lock_id text := 'phone-number-failures-' || phone_number;
	newest neon_auth."verification";
	sent text;
	tries integer;
BEGIN
	IF (SELECT max(v."value"::integer) FROM neon_auth."verification" v
	     WHERE v."identifier" = lock_id AND v."expiresAt" > now()) >= 10 THEN
		RETURN 'TOO_MANY_ATTEMPTS';
	END IF;
	SELECT * INTO newest FROM neon_auth."verification" v WHERE v."identifier" = _phone_verify.identifier
	 ORDER BY v."createdAt" DESC LIMIT 1 FOR UPDATE;
	IF newest."identifier" IS NULL THEN
		RETURN 'OTP_NOT_FOUND';
	END IF;
	DELETE FROM neon_auth."verification" v WHERE v."identifier" = _phone_verify.identifier;
	IF newest."expiresAt" <= now() THEN
		RETURN 'OTP_EXPIRED';
	END IF;
	sent := split_part(newest."value", ':', 1);
	tries := coalesce(nullif(split_part(newest."value", ':', 2), '')::integer, 0);
	IF tries >= 3 THEN
		RETURN 'TOO_MANY_ATTEMPTS';
	END IF;
	IF code IS NULL OR sha256(convert_to(code, 'UTF8')) <> sha256(convert_to(sent, 'UTF8')) THEN
		INSERT INTO neon_auth."verification" ("identifier", "value", "expiresAt", "createdAt", "updatedAt")
		VALUES (identifier, sent || ':' || (tries + 1), newest."expiresAt", neon_auth._now(), neon_auth._now());
		UPDATE neon_auth."verification" v SET "value" = (v."value"::integer + 1)::text, "updatedAt" = neon_auth._now()
		 WHERE v."identifier" = lock_id AND v."expiresAt" > now();
		IF NOT FOUND THEN
			INSERT INTO neon_auth."verification" ("identifier", "value", "expiresAt", "createdAt", "updatedAt")
			VALUES (lock_id, '1', neon_auth._now() + interval '1 hour', neon_auth._now(), neon_auth._now());
		END IF;
		RETURN 'INVALID_OTP';
	END IF;
	RETURN NULL;
END
$$;

-- Better Auth POST /sign-in/phone-number: as sign_in, by phone number;
-- {token, user} (Better Auth's body has no redirect here). An unknown number
-- takes the wrong password's path.
CREATE FUNCTION neon_auth.sign_in_phone_number(phone_number text, password text, remember_me boolean DEFAULT true)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	cfg neon_auth.config;
	v_phone text;
	v_password text;
	u neon_auth."user";
	result jsonb;
	throttled jsonb;
BEGIN
	PERFORM neon_auth._writable();
	PERFORM neon_auth._warn_if_copy();
	PERFORM neon_auth._check_login_origin();
	SELECT * INTO cfg FROM neon_auth.config;
	v_phone := neon_auth._phone_number(phone_number);
	v_password := neon_auth._normalize_password(password, cfg);
	throttled := neon_auth._throttle('/sign-in/phone-number', 'phone:' || v_phone);
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	SELECT * INTO u FROM neon_auth."user" x WHERE x."phoneNumber" = v_phone;
	result := neon_auth._sign_in_with_password(u, 'phone:' || v_phone, v_password, remember_me, NULL, cfg,
	                                           'INVALID_PHONE_NUMBER_OR_PASSWORD');
	RETURN CASE WHEN result ? 'token' THEN result - 'redirect' ELSE result END;
END
$$;

-- Better Auth POST /phone-number/send-otp: {message: "code sent"}. The SMS
-- goes to a number some user has, or to any number when the caller is signed
-- in as a user who is not anonymous (to take it with verify_phone_number).
-- Better Auth texts any number; anyone could then make us text strangers at
-- our expense (SMS pumping). Otherwise a decoy, with the same answer.
CREATE FUNCTION neon_auth.send_phone_number_otp(phone_number text, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	v_phone text := neon_auth._phone_number(phone_number);
	-- Found before the number is looked up, whatever it is: the caller check
	-- (and its origin check) must not run for unknown numbers only.
	caller record := neon_auth._caller(session_token);
	may_take boolean;
	u neon_auth."user";
	throttled jsonb;
BEGIN
	PERFORM neon_auth._writable();
	may_take := caller.user_id IS NOT NULL
	            AND NOT coalesce((SELECT x."isAnonymous" FROM neon_auth."user" x WHERE x."id" = caller.user_id), false);
	throttled := neon_auth._throttle('/phone-number/send-otp', 'phone:' || v_phone);
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	SELECT * INTO u FROM neon_auth."user" x WHERE x."phoneNumber" = v_phone;
	PERFORM neon_auth._phone_code('phone-number-otp-' || v_phone, v_phone, u."id", 'verify', u."id" IS NOT NULL OR may_take);
	PERFORM neon_auth._audit('phone_otp_sent', u."id", 'success', 'phone:' || v_phone);
	RETURN jsonb_build_object('message', 'code sent');
END
$$;

-- Better Auth POST /phone-number/verify: the code marks the number verified
-- and signs its user in ({status, token, user}; token null with
-- disable_session). With update_phone_number, the signed-in caller's number
-- becomes this one, verified. A two-factor user gets the challenge.
CREATE FUNCTION neon_auth.verify_phone_number(phone_number text, code text, disable_session boolean DEFAULT false,
                                              update_phone_number boolean DEFAULT false, session_token text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	cfg neon_auth.config;
	v_phone text := neon_auth._phone_number(phone_number);
	failed text;
	caller record;
	u neon_auth."user";
	s neon_auth."session";
	throttled jsonb;
BEGIN
	PERFORM neon_auth._writable();
	IF NOT coalesce(update_phone_number, false) THEN
		PERFORM neon_auth._check_login_origin();
	END IF;
	SELECT * INTO cfg FROM neon_auth.config;
	throttled := neon_auth._throttle('/phone-number/verify', 'phone:' || v_phone);
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	failed := neon_auth._phone_verify('phone-number-otp-' || v_phone, code, v_phone);
	IF failed IS NOT NULL THEN
		PERFORM neon_auth._audit('phone_verified', NULL, failed, 'phone:' || v_phone);
		RETURN neon_auth._tf_answer(failed);   -- always answered: the try it counted commits
	END IF;
	IF coalesce(update_phone_number, false) THEN
		caller := neon_auth._caller(session_token);
		IF caller.user_id IS NULL THEN
			RETURN neon_auth._fail('UNAUTHORIZED');
		END IF;
		-- A number signs in and resets the password: adding one is a change
		-- of credentials, so a stolen old session cannot do it.
		IF NOT neon_auth._fresh(caller.s) OR (caller.s)."id" IS NULL THEN
			RETURN neon_auth._fail('SESSION_NOT_FRESH');
		END IF;
		IF EXISTS (SELECT 1 FROM neon_auth."user" x WHERE x."phoneNumber" = v_phone) THEN
			PERFORM neon_auth._raise('PHONE_NUMBER_EXIST');
		END IF;
		UPDATE neon_auth."user" SET "phoneNumber" = v_phone, "phoneNumberVerified" = true, "updatedAt" = neon_auth._now()
		 WHERE "id" = caller.user_id RETURNING * INTO u;
		PERFORM neon_auth._audit('phone_verified', u."id", 'success', 'phone:' || v_phone, '{"updated": true}');
		RETURN jsonb_build_object('status', true, 'token', (caller.s)."token", 'user', neon_auth._user_json(u));
	END IF;
	UPDATE neon_auth."user" SET "phoneNumberVerified" = true, "updatedAt" = neon_auth._now()
	 WHERE "phoneNumber" = v_phone RETURNING * INTO u;
	IF u."id" IS NULL THEN
		PERFORM neon_auth._raise('PHONE_NUMBER_NOT_EXIST');
	END IF;
	PERFORM neon_auth._audit('phone_verified', u."id", 'success', 'phone:' || v_phone);
	IF coalesce(disable_session, false) THEN
		RETURN jsonb_build_object('status', true, 'token', NULL, 'user', neon_auth._user_json(u));
	END IF;
	IF u."banned" IS TRUE AND (u."banExpires" IS NULL OR u."banExpires" >= now()) THEN
		RETURN neon_auth._fail('BANNED_USER');
	END IF;
	IF u."twoFactorEnabled" THEN
		RETURN neon_auth._two_factor_challenge(u."id");
	END IF;
	s := neon_auth._create_session(u."id", true, cfg);
	PERFORM neon_auth._link_anonymous(u."id");
	PERFORM neon_auth._audit('sign_in', u."id", 'success', 'phone:' || v_phone, '{"method": "phone-otp"}');
	RETURN jsonb_build_object('status', true, 'token', s."token", 'user', neon_auth._user_json(u));
END
$$;

-- Better Auth POST /phone-number/request-password-reset: {status: true}; the
-- code goes by SMS only to a number that has a user (else a decoy).
CREATE FUNCTION neon_auth.request_password_reset_phone_number(phone_number text) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	v_phone text := neon_auth._phone_number(phone_number);
	u neon_auth."user";
	throttled jsonb;
BEGIN
	PERFORM neon_auth._writable();
	throttled := neon_auth._throttle('/phone-number/request-password-reset', 'phone:' || v_phone);
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	SELECT * INTO u FROM neon_auth."user" x WHERE x."phoneNumber" = v_phone;
	PERFORM neon_auth._phone_code('phone-number-reset-' || v_phone, v_phone, u."id", 'reset-password', u."id" IS NOT NULL);
	PERFORM neon_auth._audit('password_reset_requested', u."id", 'success', 'phone:' || v_phone);
	RETURN jsonb_build_object('status', true);
END
$$;

-- Better Auth POST /phone-number/reset-password: {status: true}.
CREATE FUNCTION neon_auth.reset_password_phone_number(phone_number text, otp text, new_password text) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	cfg neon_auth.config;
	v_phone text := neon_auth._phone_number(phone_number);
	v_password text;
	failed text;
	u neon_auth."user";
	throttled jsonb;
BEGIN
	PERFORM neon_auth._writable();
	SELECT * INTO cfg FROM neon_auth.config;
	v_password := neon_auth._normalize_password(new_password, cfg);
	throttled := neon_auth._throttle('/phone-number/reset-password', 'phone:' || v_phone);
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	failed := neon_auth._phone_verify('phone-number-reset-' || v_phone, otp, v_phone);
	IF failed IS NOT NULL THEN
		PERFORM neon_auth._audit('password_reset', NULL, failed, 'phone:' || v_phone);
		RETURN neon_auth._tf_answer(failed);
	END IF;
	SELECT * INTO u FROM neon_auth."user" x WHERE x."phoneNumber" = v_phone FOR UPDATE;
	IF u."id" IS NULL THEN
		PERFORM neon_auth._raise('PHONE_NUMBER_NOT_EXIST');
	END IF;
	PERFORM neon_auth._set_password_hash(u."id", neon_auth._password_hash(v_password));
	IF cfg.revoke_sessions_on_password_reset THEN
		DELETE FROM neon_auth."session" WHERE "userId" = u."id";
	END IF;
	PERFORM neon_auth._audit('password_reset', u."id", 'success', 'phone:' || v_phone, '{"method": "phone"}');
	RETURN jsonb_build_object('status', true);
END
$$;

COMMENT ON FUNCTION neon_auth.sign_in_phone_number(text, text, boolean) IS 'Better Auth POST /sign-in/phone-number: {token, user}';
COMMENT ON FUNCTION neon_auth.send_phone_number_otp(text, text) IS 'Better Auth POST /phone-number/send-otp: a code by SMS (outbox kind sms)';
COMMENT ON FUNCTION neon_auth.verify_phone_number(text, text, boolean, boolean, text) IS
	'Better Auth POST /phone-number/verify: verify the number, and sign in; {status, token, user}';
COMMENT ON FUNCTION neon_auth.request_password_reset_phone_number(text) IS 'Better Auth POST /phone-number/request-password-reset';
COMMENT ON FUNCTION neon_auth.reset_password_phone_number(text, text, text) IS 'Better Auth POST /phone-number/reset-password';
