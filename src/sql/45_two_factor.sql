---------------------------------------------------------------------------
-- Two-factor authentication, Better Auth's twoFactor plugin (1.7): TOTP,
-- OTP codes by email, backup codes and trusted devices, in its formats, so
-- that either side can finish what the other began. The twoFactor row keeps
-- the TOTP secret and the backup codes encrypted with the app secret
-- (symmetricEncrypt); the sign-in challenge, its attempt counter, OTP codes
-- and trusted devices are verification rows. See docs/two-factor.md.
---------------------------------------------------------------------------

-- Better Auth's defaults.
CREATE FUNCTION neon_auth._tf_setting(name text) RETURNS integer
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN CASE name
		WHEN 'challenge_attempts' THEN 5      -- wrong codes per sign-in challenge
		WHEN 'lockout_failures' THEN 10       -- wrong codes before the account is locked
		WHEN 'lockout_seconds' THEN 900
		WHEN 'otp_seconds' THEN 180           -- an OTP code lasts 3 minutes
		WHEN 'otp_attempts' THEN 5
		WHEN 'trust_seconds' THEN 2592000     -- a trusted device, 30 days
		WHEN 'backup_codes' THEN 10
	END;

CREATE FUNCTION neon_auth._tf_app_secret() RETURNS text
	LANGUAGE sql STABLE
	RETURN (SELECT value FROM neon_auth.secret);

-- Ten backup codes "xxxxx-xxxxx" of [A-Za-z0-9], as a JSON array.
CREATE FUNCTION neon_auth._tf_new_backup_codes() RETURNS jsonb
	LANGUAGE sql VOLATILE
	RETURN (SELECT jsonb_agg(substr(c, 1, 5) || '-' || substr(c, 6, 5))
	          FROM (SELECT neon_auth._generate_id(10) AS c
	                  FROM generate_series(1, neon_auth._tf_setting('backup_codes'))) codes);

-- encodeURIComponent: every byte but A-Z a-z 0-9 - _ . ! ~ * ' ( ) escaped.
CREATE FUNCTION neon_auth._uri_component(value text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN (SELECT coalesce(string_agg(CASE WHEN chr(b) ~ '[A-Za-z0-9_.!~*''()-]' AND b < 128 THEN chr(b)
	                                        ELSE '%' || upper(lpad(to_hex(b), 2, '0')) END, '' ORDER BY i), '')
	          FROM (SELECT get_byte(convert_to(value, 'UTF8'), i - 1) AS b, i
	                  FROM generate_series(1, octet_length(convert_to(value, 'UTF8'))) i) bytes);

-- Better Auth's otpauth:// URI: the label percent-encoded as
-- encodeURIComponent, the query as URLSearchParams (space as "+"), the
-- secret in base32 without padding.
CREATE FUNCTION neon_auth._tf_totp_uri(secret text, issuer text, account text) RETURNS text
	LANGUAGE sql IMMUTABLE
	RETURN 'otpauth://totp/' || neon_auth._uri_component(issuer) || ':' || neon_auth._uri_component(account)
		|| '?secret=' || neon_auth._base32(secret)
		|| '&issuer=' || replace(neon_auth._uri_component(issuer), '%20', '+')
		|| '&digits=6&period=30';

-- The stored backup codes as a JSON array, or NULL when they do not decrypt
-- or are not one (never an error that could quote them).
CREATE FUNCTION neon_auth._tf_codes(app_secret text, stored text) RETURNS jsonb
	LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	plain text := neon_auth._symmetric_decrypt(app_secret, stored);
BEGIN
	RETURN CASE WHEN jsonb_typeof(plain::jsonb) = 'array' THEN plain::jsonb END;
EXCEPTION WHEN invalid_text_representation THEN
	RETURN NULL;
END
$$;

-- The caller's password, checked as change_password checks it; a wrong one
-- is an answered INVALID_PASSWORD (its rate-limit count commits).
CREATE FUNCTION neon_auth._tf_password_ok(u neon_auth."user", password text) RETURNS boolean
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	stored text := neon_auth._password_of(u."id");
BEGIN
	RETURN stored IS NOT NULL AND password IS NOT NULL
	   AND neon_auth._password_verify(neon_auth._normalize_password(password, (SELECT c FROM neon_auth.config c)), stored);
END
$$;

-- Who a verify function acts for. With a session (session_token, or the
-- request's session), the signed-in user: enrolment and management. Else
-- the sign-in challenge: the signed two_factor value given as `challenge`
-- or in the request's two_factor cookie, whose verification row names the
-- user. `challenge_id` is NULL on the session path; `user_id` NULL when
-- neither is valid.
CREATE FUNCTION neon_auth._tf_subject(challenge text, session_token text,
                                      OUT user_id uuid, OUT challenge_id text, OUT s neon_auth."session")
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	caller record;
	value text := challenge;
BEGIN
	IF challenge IS NULL THEN
		caller := neon_auth._caller(session_token);
		IF caller.user_id IS NOT NULL THEN
			user_id := caller.user_id;
			s := caller.s;
			RETURN;
		END IF;
		value := neon_auth._request_cookie('two_factor');
	END IF;
	challenge_id := neon_auth._cookie_verify(value, neon_auth._tf_app_secret());
	SELECT v."value"::uuid INTO user_id
	  FROM neon_auth."verification" v
	 WHERE v."identifier" = challenge_id AND v."identifier" LIKE '2fa-%' AND v."expiresAt" > now()
	   AND v."value" ~ '^[0-9a-f-]{36}$'
	 ORDER BY v."createdAt" DESC LIMIT 1;
	IF user_id IS NULL THEN
		challenge_id := NULL;
	END IF;
END
$$;

-- A failed code check is always answered, never raised, whatever the mode:
-- a raised error would roll back the attempt and lockout counts it must
-- leave (Better Auth's body and status; response.status as in HTTP mode).
CREATE FUNCTION neon_auth._tf_answer(code text) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	e neon_auth.error_code;
BEGIN
	SELECT * INTO e FROM neon_auth.error_code c WHERE c.code = _tf_answer.code;
	PERFORM set_config('response.status', e.http_status::text, true);
	RETURN jsonb_build_object('message', e.api_message, 'code', code);
END
$$;

-- A sign-in challenge may take five wrong codes (Better Auth's beginAttempt);
-- the account is locked for 15 minutes after ten in a row across challenges.
-- NULL when the attempt may go on, else the answered or raised refusal.
CREATE FUNCTION neon_auth._tf_may_attempt(user_id uuid, challenge_id text) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	attempts integer;
BEGIN
	IF challenge_id IS NULL THEN
		RETURN NULL;
	END IF;
	IF EXISTS (SELECT 1 FROM neon_auth."twoFactor" t WHERE t."userId" = user_id AND t."lockedUntil" > now()) THEN
		PERFORM neon_auth._audit('two_factor_verify', user_id, 'ACCOUNT_TEMPORARILY_LOCKED');
		RETURN neon_auth._tf_answer('ACCOUNT_TEMPORARILY_LOCKED');
	END IF;
	SELECT v."value"::integer INTO attempts FROM neon_auth."verification" v
	 WHERE v."identifier" = '2fa-attempts-' || challenge_id AND v."value" ~ '^[0-9]+$' FOR UPDATE;
	IF attempts IS NULL THEN
		PERFORM neon_auth._raise('INVALID_TWO_FACTOR_COOKIE');
	END IF;
	IF attempts >= neon_auth._tf_setting('challenge_attempts') THEN
		DELETE FROM neon_auth."verification" WHERE "identifier" IN (challenge_id, '2fa-attempts-' || challenge_id);
		PERFORM neon_auth._audit('two_factor_verify', user_id, 'TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE');
		RETURN neon_auth._tf_answer('TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE');
	END IF;
	RETURN NULL;
END
$$;

-- A wrong code: one more attempt on the challenge, one more failure on the
-- account (locked at ten), and the answer. Answered in HTTP mode, so the
-- counts commit even though the call failed.
CREATE FUNCTION neon_auth._tf_wrong_code(user_id uuid, challenge_id text, code text) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF challenge_id IS NOT NULL THEN
		UPDATE neon_auth."verification" SET "value" = ("value"::integer + 1)::text, "updatedAt" = neon_auth._now()
		 WHERE "identifier" = '2fa-attempts-' || challenge_id;
		UPDATE neon_auth."twoFactor"
		   SET "failedVerificationCount" = "failedVerificationCount" + 1,
		       "lockedUntil" = CASE WHEN "failedVerificationCount" + 1 >= neon_auth._tf_setting('lockout_failures')
		                            THEN neon_auth._now() + make_interval(secs => neon_auth._tf_setting('lockout_seconds'))
		                            ELSE "lockedUntil" END
		 WHERE "userId" = user_id;
	END IF;
	PERFORM neon_auth._audit('two_factor_verify', user_id, code);
	RETURN neon_auth._tf_answer(code);
END
$$;

-- A trusted device (Better Auth's trust_device cookie): a verification row
-- "trust-device-<32>" holding the user id for 30 days, and the cookie value
-- signed "<HMAC token>!<identifier>". Returns the signed cookie value.
CREATE FUNCTION neon_auth._tf_trust_device(user_id uuid) RETURNS text
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	trust_id text := 'trust-device-' || neon_auth._generate_id(32);
	app_secret text := neon_auth._tf_app_secret();
BEGIN
	INSERT INTO neon_auth."verification" ("identifier", "value", "expiresAt", "createdAt", "updatedAt")
	VALUES (trust_id, user_id::text, neon_auth._now() + make_interval(secs => neon_auth._tf_setting('trust_seconds')),
	        neon_auth._now(), neon_auth._now());
	RETURN neon_auth._cookie_sign(neon_auth._hmac_base64url(app_secret, user_id::text || '!' || trust_id) || '!' || trust_id,
	                              app_secret);
END
$$;

-- The request's trust_device cookie, if it is valid for this user: its row
-- is then replaced by a new one (Better Auth rotates it on every use) and
-- the new cookie value returned; NULL otherwise.
CREATE FUNCTION neon_auth._tf_trusted_device(user_id uuid) RETURNS text
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	app_secret text := neon_auth._tf_app_secret();
	inner_value text := neon_auth._cookie_verify(neon_auth._request_cookie('trust_device'), app_secret);
	token text := split_part(inner_value, '!', 1);
	trust_id text := split_part(inner_value, '!', 2);
BEGIN
	IF inner_value IS NULL OR trust_id NOT LIKE 'trust-device-%'
	   OR token IS DISTINCT FROM neon_auth._hmac_base64url(app_secret, user_id::text || '!' || trust_id) THEN
		RETURN NULL;
	END IF;
	DELETE FROM neon_auth."verification"
	 WHERE "identifier" = trust_id AND "value" = user_id::text AND "expiresAt" > now();
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	RETURN neon_auth._tf_trust_device(user_id);
END
$$;

-- The end of a sign-in challenge: the challenge is used up, the account's
-- failures forgotten, and a session made as sign_in makes it (for one day
-- when the request carries Better Auth's signed dont_remember cookie, as a
-- rememberMe = false sign-in leaves). {token, user}, and the new trusted
-- device's cookie value when asked for.
CREATE FUNCTION neon_auth._tf_finish_sign_in(user_id uuid, challenge_id text, trust_device boolean, method text)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	cfg neon_auth.config;
	u neon_auth."user";
	s neon_auth."session";
	result jsonb;
BEGIN
	SELECT * INTO cfg FROM neon_auth.config;
	DELETE FROM neon_auth."verification" WHERE "identifier" IN (challenge_id, '2fa-attempts-' || challenge_id);
	UPDATE neon_auth."twoFactor" SET "failedVerificationCount" = 0, "lockedUntil" = NULL WHERE "userId" = user_id;
	SELECT * INTO u FROM neon_auth."user" WHERE "id" = user_id;
	IF u."banned" IS TRUE AND (u."banExpires" IS NULL OR u."banExpires" >= now()) THEN
		RETURN neon_auth._fail('BANNED_USER');
	END IF;
	s := neon_auth._create_session(user_id, NOT neon_auth._dont_remember_cookie(), cfg);
	PERFORM neon_auth._link_anonymous(user_id);   -- as any sign-in (Better Auth skips this one)
	PERFORM neon_auth._audit('sign_in', user_id, 'success', u."email", jsonb_build_object('second_factor', method));
	result := jsonb_build_object('token', s."token", 'user', neon_auth._user_json(u));
	IF trust_device THEN
		result := result || jsonb_build_object('trustDeviceCookie', neon_auth._tf_trust_device(user_id));
	END IF;
	RETURN result;
END
$$;

-- The common opening of the session-path functions: a caller, the rate
-- limit of the path, and the password. The user, or NULL with `refusal`
-- set to the answer.
CREATE FUNCTION neon_auth._tf_caller_with_password(path text, password text, session_token text,
                                                   OUT u neon_auth."user", OUT refusal jsonb)
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		refusal := neon_auth._fail('UNAUTHORIZED');
		RETURN;
	END IF;
	SELECT * INTO u FROM neon_auth."user" WHERE "id" = caller.user_id;
	refusal := neon_auth._throttle(path, u."email", u."id");
	IF refusal IS NULL AND NOT neon_auth._tf_password_ok(u, password) THEN
		PERFORM neon_auth._audit('two_factor_' || split_part(path, '/', 3), u."id", 'INVALID_PASSWORD', u."email");
		refusal := neon_auth._fail('INVALID_PASSWORD');
	END IF;
	IF refusal IS NOT NULL THEN
		u := NULL;
	END IF;
END
$$;

---------------------------------------------------------------------------
-- The endpoints.
---------------------------------------------------------------------------

-- POST /two-factor/enable: a new TOTP secret and backup codes. Two-factor
-- is on only once the first code is verified (verify_totp), as Better Auth.
CREATE FUNCTION neon_auth.enable_two_factor(password text, issuer text DEFAULT NULL, session_token text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	opening record := neon_auth._tf_caller_with_password('/two-factor/enable', password, session_token);
	u neon_auth."user" := opening.u;
	app_secret text := neon_auth._tf_app_secret();
	totp_secret text := neon_auth._generate_id(32);
	codes jsonb := neon_auth._tf_new_backup_codes();
BEGIN
	IF opening.refusal IS NOT NULL THEN
		RETURN opening.refusal;
	END IF;
	IF EXISTS (SELECT 1 FROM neon_auth."twoFactor" t WHERE t."userId" = u."id" AND t."verified" IS DISTINCT FROM false) THEN
		PERFORM neon_auth._raise('TOTP_ALREADY_ENABLED');
	END IF;
	-- Enrolling again before the first code replaces the unverified secret.
	DELETE FROM neon_auth."twoFactor" WHERE "userId" = u."id";
	INSERT INTO neon_auth."twoFactor" ("secret", "backupCodes", "userId", "verified")
	VALUES (neon_auth._symmetric_encrypt(app_secret, totp_secret), neon_auth._symmetric_encrypt(app_secret, codes::text), u."id", false);
	PERFORM neon_auth._audit('two_factor_enabled', u."id", 'pending', u."email");
	RETURN jsonb_build_object('method', 'totp',
		'totpURI', neon_auth._tf_totp_uri(totp_secret, coalesce(nullif(issuer, ''), 'Better Auth'), u."email"),
		'backupCodes', codes);
END
$$;

-- POST /two-factor/disable
CREATE FUNCTION neon_auth.disable_two_factor(password text, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	opening record := neon_auth._tf_caller_with_password('/two-factor/disable', password, session_token);
	u neon_auth."user" := opening.u;
BEGIN
	IF opening.refusal IS NOT NULL THEN
		RETURN opening.refusal;
	END IF;
	IF NOT coalesce(u."twoFactorEnabled", false) AND NOT EXISTS (SELECT 1 FROM neon_auth."twoFactor" WHERE "userId" = u."id") THEN
		PERFORM neon_auth._raise('TWO_FACTOR_NOT_ENABLED');
	END IF;
	UPDATE neon_auth."user" SET "twoFactorEnabled" = false, "updatedAt" = neon_auth._now() WHERE "id" = u."id";
	DELETE FROM neon_auth."twoFactor" WHERE "userId" = u."id";
	-- Every trusted device of the user, not only this one: turning the second
	-- factor off and on again must not leave old devices trusted.
	DELETE FROM neon_auth."verification" WHERE "identifier" LIKE 'trust-device-%' AND "value" = u."id"::text;
	PERFORM neon_auth._audit('two_factor_disabled', u."id", 'success', u."email");
	RETURN jsonb_build_object('status', true);
END
$$;

-- POST /two-factor/get-totp-uri
CREATE FUNCTION neon_auth.get_totp_uri(password text, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	opening record := neon_auth._tf_caller_with_password('/two-factor/get-totp-uri', password, session_token);
	u neon_auth."user" := opening.u;
	stored text;
BEGIN
	IF opening.refusal IS NOT NULL THEN
		RETURN opening.refusal;
	END IF;
	SELECT t."secret" INTO stored FROM neon_auth."twoFactor" t WHERE t."userId" = u."id";
	IF stored IS NULL THEN
		PERFORM neon_auth._raise('TOTP_NOT_ENABLED');
	END IF;
	RETURN jsonb_build_object('totpURI',
		neon_auth._tf_totp_uri(neon_auth._symmetric_decrypt(neon_auth._tf_app_secret(), stored), 'Better Auth', u."email"));
END
$$;

-- POST /two-factor/verify-totp: with a session, confirms enrolment (the first
-- good code turns two-factor on); with the sign-in challenge, finishes the
-- sign-in.
CREATE FUNCTION neon_auth.verify_totp(code text, trust_device boolean DEFAULT false, challenge text DEFAULT NULL,
                                      session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	subject record;
	tf neon_auth."twoFactor";
	refusal jsonb;
	u neon_auth."user";
BEGIN
	PERFORM neon_auth._writable();
	subject := neon_auth._tf_subject(challenge, session_token);
	IF subject.user_id IS NULL THEN
		PERFORM neon_auth._raise('INVALID_TWO_FACTOR_COOKIE');
	END IF;
	-- Keyed by the user too (Better Auth keys by IP only): with neon_auth
	-- preloaded these counts outlive a rolled-back guess.
	refusal := neon_auth._throttle('/two-factor/verify-totp', (SELECT "email" FROM neon_auth."user" WHERE "id" = subject.user_id),
	                               subject.user_id);
	IF refusal IS NOT NULL THEN
		RETURN refusal;
	END IF;
	SELECT * INTO tf FROM neon_auth."twoFactor" t WHERE t."userId" = subject.user_id FOR UPDATE;
	IF NOT FOUND OR (subject.challenge_id IS NOT NULL AND tf."verified" IS FALSE) THEN
		PERFORM neon_auth._raise('TOTP_NOT_ENABLED');
	END IF;
	refusal := neon_auth._tf_may_attempt(subject.user_id, subject.challenge_id);
	IF refusal IS NOT NULL THEN
		RETURN refusal;
	END IF;
	-- A secret that does not decrypt (another app secret, a corrupt row)
	-- verifies no code: NULL must never pass for true.
	IF NOT coalesce(neon_auth._totp_verify(neon_auth._symmetric_decrypt(neon_auth._tf_app_secret(), tf."secret"),
	                                       code, extract(epoch FROM now())::bigint), false) THEN
		RETURN neon_auth._tf_wrong_code(subject.user_id, subject.challenge_id, 'INVALID_CODE');
	END IF;
	IF subject.challenge_id IS NOT NULL THEN
		RETURN neon_auth._tf_finish_sign_in(subject.user_id, subject.challenge_id, coalesce(trust_device, false), 'totp');
	END IF;
	IF tf."verified" IS NOT TRUE THEN
		UPDATE neon_auth."twoFactor" SET "verified" = true WHERE "id" = tf."id";
		UPDATE neon_auth."user" SET "twoFactorEnabled" = true, "updatedAt" = neon_auth._now() WHERE "id" = subject.user_id;
		PERFORM neon_auth._audit('two_factor_enabled', subject.user_id, 'success');
	END IF;
	SELECT * INTO u FROM neon_auth."user" WHERE "id" = subject.user_id;
	RETURN jsonb_build_object('token', (subject.s)."token", 'user', neon_auth._user_json(u));
END
$$;

-- POST /two-factor/send-otp: a 6-digit code for 3 minutes, to the user's
-- email through the outbox (kind 'two-factor-otp').
CREATE FUNCTION neon_auth.send_two_factor_otp(trust_device boolean DEFAULT false, challenge text DEFAULT NULL,
                                              session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	subject record;
	refusal jsonb;
	u neon_auth."user";
	otp text := neon_auth._random_digits(6);
	expires timestamptz := neon_auth._now() + make_interval(secs => neon_auth._tf_setting('otp_seconds'));
BEGIN
	PERFORM neon_auth._writable();
	PERFORM neon_auth._tf_otp_configured();
	subject := neon_auth._tf_subject(challenge, session_token);
	IF subject.user_id IS NULL THEN
		PERFORM neon_auth._raise('INVALID_TWO_FACTOR_COOKIE');
	END IF;
	SELECT * INTO u FROM neon_auth."user" WHERE "id" = subject.user_id;
	refusal := neon_auth._throttle('/two-factor/send-otp', u."email", u."id");
	IF refusal IS NOT NULL THEN
		RETURN refusal;
	END IF;
	INSERT INTO neon_auth."verification" ("identifier", "value", "expiresAt", "createdAt", "updatedAt")
	VALUES ('2fa-otp-' || neon_auth._tf_otp_key(subject.user_id, subject.challenge_id, subject.s), otp || ':0', expires,
	        neon_auth._now(), neon_auth._now());
	PERFORM neon_auth._enqueue('two-factor-otp', u."email", u."id",
		jsonb_build_object('name', u."name", 'otp', otp, 'expires_at', neon_auth._iso(expires)));
	PERFORM neon_auth._audit('two_factor_otp_sent', u."id", 'success', u."email");
	RETURN jsonb_build_object('status', true);
END
$$;

-- Codes by email are a second factor only where the operator turned them
-- on (config.two_factor_otp; Better Auth: otpOptions.sendOTP): otherwise
-- whoever holds the mailbox would hold both factors of a TOTP user.
CREATE FUNCTION neon_auth._tf_otp_configured() RETURNS void
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF NOT (SELECT two_factor_otp FROM neon_auth.config) THEN
		PERFORM neon_auth._raise('OTP_NOT_CONFIGURED');
	END IF;
END
$$;

-- The key of an OTP row: the challenge's identifier during sign-in, else
-- "<user id>!<session id>", as Better Auth.
CREATE FUNCTION neon_auth._tf_otp_key(user_id uuid, challenge_id text, s neon_auth."session") RETURNS text
	LANGUAGE sql IMMUTABLE
	RETURN coalesce(challenge_id, user_id::text || '!' || s."id"::text);

-- POST /two-factor/verify-otp
CREATE FUNCTION neon_auth.verify_two_factor_otp(code text, trust_device boolean DEFAULT false, challenge text DEFAULT NULL,
                                                session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	subject record;
	refusal jsonb;
	key text;
	row_found neon_auth."verification";
	sent text;
	tries integer;
	u neon_auth."user";
BEGIN
	PERFORM neon_auth._writable();
	PERFORM neon_auth._tf_otp_configured();
	subject := neon_auth._tf_subject(challenge, session_token);
	IF subject.user_id IS NULL THEN
		PERFORM neon_auth._raise('INVALID_TWO_FACTOR_COOKIE');
	END IF;
	-- Keyed by the user too (Better Auth keys by IP only): with neon_auth
	-- preloaded these counts outlive a rolled-back guess.
	refusal := neon_auth._throttle('/two-factor/verify-otp', (SELECT "email" FROM neon_auth."user" WHERE "id" = subject.user_id),
	                               subject.user_id);
	IF refusal IS NULL THEN
		refusal := neon_auth._tf_may_attempt(subject.user_id, subject.challenge_id);
	END IF;
	IF refusal IS NOT NULL THEN
		RETURN refusal;
	END IF;
	-- The newest code is used up, and any older ones with it.
	key := '2fa-otp-' || neon_auth._tf_otp_key(subject.user_id, subject.challenge_id, subject.s);
	SELECT * INTO row_found FROM neon_auth."verification" WHERE "identifier" = key ORDER BY "createdAt" DESC LIMIT 1 FOR UPDATE;
	DELETE FROM neon_auth."verification" WHERE "identifier" = key;
	IF row_found."identifier" IS NULL OR row_found."expiresAt" <= now() THEN
		PERFORM neon_auth._audit('two_factor_verify', subject.user_id, 'OTP_HAS_EXPIRED');
		RETURN neon_auth._tf_answer('OTP_HAS_EXPIRED');
	END IF;
	sent := split_part(row_found."value", ':', 1);
	tries := coalesce(nullif(split_part(row_found."value", ':', 2), '')::integer, 0);
	IF tries >= neon_auth._tf_setting('otp_attempts') THEN
		PERFORM neon_auth._audit('two_factor_verify', subject.user_id, 'TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE');
		RETURN neon_auth._tf_answer('TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE');
	END IF;
	-- Compared as digests, so the time taken says nothing about the code.
	IF code IS NULL OR sha256(convert_to(code, 'UTF8')) <> sha256(convert_to(sent, 'UTF8')) THEN
		INSERT INTO neon_auth."verification" ("identifier", "value", "expiresAt", "createdAt", "updatedAt")
		VALUES (key, sent || ':' || (tries + 1), row_found."expiresAt", row_found."createdAt", neon_auth._now());
		RETURN neon_auth._tf_wrong_code(subject.user_id, subject.challenge_id, 'INVALID_CODE');
	END IF;
	IF subject.challenge_id IS NOT NULL THEN
		RETURN neon_auth._tf_finish_sign_in(subject.user_id, subject.challenge_id, coalesce(trust_device, false), 'otp');
	END IF;
	-- With a session, a good code turns two-factor on (Better Auth's OTP enrolment).
	UPDATE neon_auth."user" SET "twoFactorEnabled" = true, "updatedAt" = neon_auth._now()
	 WHERE "id" = subject.user_id AND "twoFactorEnabled" IS NOT TRUE;
	SELECT * INTO u FROM neon_auth."user" WHERE "id" = subject.user_id;
	RETURN jsonb_build_object('token', (subject.s)."token", 'user', neon_auth._user_json(u));
END
$$;

-- POST /two-factor/verify-backup-code: each code works once.
CREATE FUNCTION neon_auth.verify_backup_code(code text, disable_session boolean DEFAULT false,
                                             trust_device boolean DEFAULT false, challenge text DEFAULT NULL,
                                             session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	subject record;
	refusal jsonb;
	tf neon_auth."twoFactor";
	app_secret text := neon_auth._tf_app_secret();
	codes jsonb;
	u neon_auth."user";
BEGIN
	PERFORM neon_auth._writable();
	subject := neon_auth._tf_subject(challenge, session_token);
	IF subject.user_id IS NULL THEN
		PERFORM neon_auth._raise('INVALID_TWO_FACTOR_COOKIE');
	END IF;
	-- Keyed by the user too (Better Auth keys by IP only): with neon_auth
	-- preloaded these counts outlive a rolled-back guess.
	refusal := neon_auth._throttle('/two-factor/verify-backup-code', (SELECT "email" FROM neon_auth."user" WHERE "id" = subject.user_id),
	                               subject.user_id);
	IF refusal IS NOT NULL THEN
		RETURN refusal;
	END IF;
	-- The row lock makes a code usable once even by concurrent calls.
	SELECT * INTO tf FROM neon_auth."twoFactor" t WHERE t."userId" = subject.user_id FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM neon_auth._raise('BACKUP_CODES_NOT_ENABLED');
	END IF;
	refusal := neon_auth._tf_may_attempt(subject.user_id, subject.challenge_id);
	IF refusal IS NOT NULL THEN
		RETURN refusal;
	END IF;
	codes := neon_auth._tf_codes(app_secret, tf."backupCodes");
	IF code IS NULL OR codes IS NULL
	   OR NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(codes) c
	                   WHERE sha256(convert_to(c, 'UTF8')) = sha256(convert_to(code, 'UTF8'))) THEN
		RETURN neon_auth._tf_wrong_code(subject.user_id, subject.challenge_id, 'INVALID_BACKUP_CODE');
	END IF;
	UPDATE neon_auth."twoFactor" SET "backupCodes" = neon_auth._symmetric_encrypt(app_secret, (codes - code)::text)
	 WHERE "id" = tf."id";
	PERFORM neon_auth._audit('two_factor_backup_code_used', subject.user_id, 'success');
	IF subject.challenge_id IS NOT NULL AND NOT coalesce(disable_session, false) THEN
		RETURN neon_auth._tf_finish_sign_in(subject.user_id, subject.challenge_id, coalesce(trust_device, false), 'backup_code');
	END IF;
	IF subject.challenge_id IS NOT NULL THEN
		DELETE FROM neon_auth."verification"
		 WHERE "identifier" IN (subject.challenge_id, '2fa-attempts-' || subject.challenge_id);
	END IF;
	SELECT * INTO u FROM neon_auth."user" WHERE "id" = subject.user_id;
	RETURN jsonb_build_object('token', (subject.s)."token", 'user', neon_auth._user_json(u));
END
$$;

-- POST /two-factor/generate-backup-codes: ten new codes replace the old.
CREATE FUNCTION neon_auth.generate_backup_codes(password text, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	opening record := neon_auth._tf_caller_with_password('/two-factor/generate-backup-codes', password, session_token);
	u neon_auth."user" := opening.u;
	codes jsonb := neon_auth._tf_new_backup_codes();
BEGIN
	IF opening.refusal IS NOT NULL THEN
		RETURN opening.refusal;
	END IF;
	IF NOT coalesce(u."twoFactorEnabled", false) THEN
		PERFORM neon_auth._raise('TWO_FACTOR_NOT_ENABLED');
	END IF;
	UPDATE neon_auth."twoFactor" SET "backupCodes" = neon_auth._symmetric_encrypt(neon_auth._tf_app_secret(), codes::text)
	 WHERE "userId" = u."id";
	IF NOT FOUND THEN
		PERFORM neon_auth._raise('TWO_FACTOR_NOT_ENABLED');
	END IF;
	PERFORM neon_auth._audit('two_factor_backup_codes_generated', u."id", 'success', u."email");
	RETURN jsonb_build_object('status', true, 'backupCodes', codes);
END
$$;

-- Better Auth's server-only viewBackupCodes: the extension owner only.
CREATE FUNCTION neon_auth.view_backup_codes(user_id uuid) RETURNS jsonb
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	stored text;
	codes jsonb;
BEGIN
	SELECT t."backupCodes" INTO stored FROM neon_auth."twoFactor" t WHERE t."userId" = view_backup_codes.user_id;
	IF stored IS NULL THEN
		PERFORM neon_auth._raise('BACKUP_CODES_NOT_ENABLED');
	END IF;
	codes := neon_auth._tf_codes(neon_auth._tf_app_secret(), stored);
	IF codes IS NULL THEN
		PERFORM neon_auth._raise('INVALID_BACKUP_CODE');
	END IF;
	RETURN jsonb_build_object('status', true, 'backupCodes', codes);
END
$$;

COMMENT ON FUNCTION neon_auth.enable_two_factor(text, text, text) IS
	'Better Auth POST /two-factor/enable: a new TOTP secret and backup codes; returns {method, totpURI, backupCodes}';
COMMENT ON FUNCTION neon_auth.disable_two_factor(text, text) IS 'Better Auth POST /two-factor/disable';
COMMENT ON FUNCTION neon_auth.get_totp_uri(text, text) IS 'Better Auth POST /two-factor/get-totp-uri: {totpURI}';
COMMENT ON FUNCTION neon_auth.verify_totp(text, boolean, text, text) IS
	'Better Auth POST /two-factor/verify-totp: confirms enrolment, or finishes a two-factor sign-in ({token, user})';
COMMENT ON FUNCTION neon_auth.send_two_factor_otp(boolean, text, text) IS
	'Better Auth POST /two-factor/send-otp: a 6-digit code by email (outbox), for 3 minutes';
COMMENT ON FUNCTION neon_auth.verify_two_factor_otp(text, boolean, text, text) IS
	'Better Auth POST /two-factor/verify-otp';
COMMENT ON FUNCTION neon_auth.verify_backup_code(text, boolean, boolean, text, text) IS
	'Better Auth POST /two-factor/verify-backup-code: each code once';
COMMENT ON FUNCTION neon_auth.generate_backup_codes(text, text) IS
	'Better Auth POST /two-factor/generate-backup-codes: {status, backupCodes}';
COMMENT ON FUNCTION neon_auth.view_backup_codes(uuid) IS
	'Better Auth''s server-only viewBackupCodes: {status, backupCodes}; extension owner only';
