-- Every expected failure goes through here, so the catalogue of SQLSTATEs and
-- Better Auth codes lives in one place (docs/errors.md mirrors it). The
-- Better Auth code is the error's DETAIL, which PostgREST returns as
-- "details"; no message ever includes the caller's input.
CREATE FUNCTION neon_auth._raise(code text, argument text DEFAULT NULL) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	cfg neon_auth.config;
BEGIN
	SELECT * INTO cfg FROM neon_auth.config;
	CASE code
	WHEN 'VALIDATION_ERROR' THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed', DETAIL = code,
			MESSAGE = format('%s must not be null', argument),
			HINT = format('Pass a value for "%s".', argument);
	WHEN 'INVALID_EMAIL' THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', DETAIL = code,
			MESSAGE = 'invalid email',
			HINT = 'Pass an address of the form name@example.com.';
	WHEN 'PASSWORD_TOO_SHORT' THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', DETAIL = code,
			MESSAGE = 'password too short',
			HINT = format('Use at least %s characters.', cfg.min_password_length);
	WHEN 'PASSWORD_TOO_LONG' THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', DETAIL = code,
			MESSAGE = 'password too long',
			HINT = format('Use at most %s characters.', cfg.max_password_length);
	WHEN 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL' THEN
		RAISE EXCEPTION USING ERRCODE = 'unique_violation', DETAIL = code,
			MESSAGE = 'user already exists',
			HINT = 'Use another email, or sign in with this one.';
	WHEN 'INVALID_EMAIL_OR_PASSWORD' THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_password', DETAIL = code,
			MESSAGE = 'invalid email or password';
	WHEN 'BANNED_USER' THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_authorization_specification', DETAIL = code,
			MESSAGE = 'user is banned',
			HINT = 'You have been banned from this application. Please contact support if you believe this is an error.';
	WHEN 'EMAIL_NOT_VERIFIED' THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_authorization_specification', DETAIL = code,
			MESSAGE = 'email not verified',
			HINT = 'Verify the email address before signing in.';
	WHEN 'UNSUPPORTED_SIGNING_ALGORITHM' THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', DETAIL = code,
			MESSAGE = 'unsupported signing algorithm',
			HINT = 'Use EdDSA, ES256 or RS256.';
	WHEN 'JWT_MALFORMED', 'JWT_TOO_LARGE', 'JWT_INVALID_CLAIMS', 'JWT_UNSUPPORTED_ALG' THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', DETAIL = code,
			MESSAGE = CASE code WHEN 'JWT_MALFORMED' THEN 'malformed JWT'
			                    WHEN 'JWT_TOO_LARGE' THEN 'JWT too large'
			                    WHEN 'JWT_INVALID_CLAIMS' THEN 'invalid JWT claims'
			                    ELSE 'unsupported JWT algorithm' END,
			HINT = 'Pass a compact JWT issued by neon_auth.token() or a Better Auth server sharing these keys.';
	WHEN 'JWT_UNKNOWN_KEY', 'JWT_INVALID_SIGNATURE', 'JWT_EXPIRED', 'JWT_NOT_YET_VALID', 'JWT_INVALID_ISSUER',
	     'JWT_INVALID_AUDIENCE' THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_authorization_specification', DETAIL = code,
			MESSAGE = CASE code WHEN 'JWT_UNKNOWN_KEY' THEN 'unknown JWT signing key'
			                    WHEN 'JWT_INVALID_SIGNATURE' THEN 'invalid JWT signature'
			                    WHEN 'JWT_EXPIRED' THEN 'JWT expired'
			                    WHEN 'JWT_NOT_YET_VALID' THEN 'JWT not yet valid'
			                    WHEN 'JWT_INVALID_ISSUER' THEN 'invalid JWT issuer'
			                    ELSE 'invalid JWT audience' END;
	WHEN 'TOO_MANY_REQUESTS' THEN
		-- PT429: PostgREST answers a custom SQLSTATE PTnnn with HTTP status nnn.
		RAISE EXCEPTION USING ERRCODE = 'PT429', DETAIL = code,
			MESSAGE = 'too many requests',
			HINT = format('Try again in %s seconds.', argument);
	WHEN 'INVALID_TOKEN' THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_authorization_specification', DETAIL = code,
			MESSAGE = 'invalid or expired token',
			HINT = 'Request a new link: links expire, and a reset link works once.';
	WHEN 'INVALID_PASSWORD' THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_password', DETAIL = code,
			MESSAGE = 'invalid password';
	WHEN 'UNAUTHORIZED' THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_authorization_specification', DETAIL = code,
			MESSAGE = 'no signed-in user',
			HINT = 'Pass a live session token, or call through PostgREST with the session cookie (a JWT does not manage accounts).';
	WHEN 'SESSION_NOT_FRESH' THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_authorization_specification', DETAIL = code,
			MESSAGE = 'session is not fresh',
			HINT = format('Sign in again: this needs a session at most %s seconds old, or the password.', cfg.session_fresh_age);
	WHEN 'CREDENTIAL_ACCOUNT_NOT_FOUND' THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', DETAIL = code,
			MESSAGE = 'user has no password',
			HINT = 'Use neon_auth.set_password() to give the account a password first.';
	WHEN 'PASSWORD_ALREADY_SET' THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', DETAIL = code,
			MESSAGE = 'user already has a password',
			HINT = 'Use neon_auth.change_password() instead.';
	WHEN 'EMAIL_CAN_NOT_BE_UPDATED' THEN
		RAISE EXCEPTION USING ERRCODE = 'unique_violation', DETAIL = code,
			MESSAGE = 'email cannot be changed to that address',
			HINT = 'Use another address.';
	WHEN 'INVALID_CALLBACK_URL' THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', DETAIL = code,
			MESSAGE = 'invalid callback URL',
			HINT = 'Use a path on this site, or a URL on base_url''s origin or one of config.trusted_origins.';
	WHEN 'INVALID_CONFIG' THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', DETAIL = code,
			MESSAGE = format('invalid configuration: %s', argument),
			HINT = 'See docs/api.md, neon_auth.configure(), for the settings and their allowed values.';
	WHEN 'SIGNING_KEY_UNREADABLE' THEN
		RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state', DETAIL = code,
			MESSAGE = 'signing key cannot be decrypted',
			HINT = 'The newest signing key was encrypted with another secret. Run neon_auth.rotate_signing_key() as the owner.';
	WHEN 'INVALID_FORK_MODE' THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', DETAIL = code,
			MESSAGE = 'invalid fork mode',
			HINT = 'Use ''keep'', ''rekey'' or ''reset_sessions'' (see docs/operations.md).';
	WHEN 'PREVIEW_PASSWORD_NEEDS_REKEY' THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', DETAIL = code,
			MESSAGE = 'preview_password needs mode rekey',
			HINT = 'With the original''s secret and signing keys, anyone signing in with the shared password could make tokens the original accepts. Use fork(''rekey'', preview_password => ...).';
	WHEN 'NOT_A_COPY' THEN
		RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state', DETAIL = code,
			MESSAGE = 'this database is not a copy',
			HINT = 'fork() is for a fresh copy, and this is the database neon_auth was installed or last forked in. For a physical copy (pg_basebackup, a disk snapshot), which keeps the same identifiers, pass force => true.';
	ELSE
		RAISE EXCEPTION 'unknown neon_auth error code' USING ERRCODE = 'internal_error';
	END CASE;
END
$$;

-- Every function that must write calls this first. On a hot standby, or in
-- a read-only transaction (PostgREST runs GET requests in one), the caller
-- then gets one clear error that names the function, instead of
-- PostgreSQL's "cannot execute INSERT in a read-only transaction" from deep
-- An expected failure of an auth flow (wrong password, rate limit, bad
-- link). A raised error rolls back the whole transaction, and with it the
-- failure's audit row, rate-limit count and any message the flow queued;
-- PostgreSQL has no autonomous transactions. So in HTTP mode the failure is
-- answered, not raised: Better Auth's error body {message, code}, its HTTP
-- status in PostgREST's response.status (and X-Retry-After for 429), and the
-- transaction commits with those traces. Otherwise it raises via _raise.
CREATE FUNCTION neon_auth._fail(code text, argument text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	status integer;
	message text;
BEGIN
	IF NOT neon_auth._http_mode() THEN
		PERFORM neon_auth._raise(code, argument);
	END IF;
	SELECT v.status, v.message INTO status, message FROM (VALUES
		('INVALID_EMAIL_OR_PASSWORD', 401, 'Invalid email or password'),
		('INVALID_PASSWORD', 400, 'Invalid password'),
		('BANNED_USER', 403, 'You have been banned from this application. Please contact support if you believe this is an error.'),
		('EMAIL_NOT_VERIFIED', 403, 'Email not verified'),
		('TOO_MANY_REQUESTS', 429, 'Too many requests. Please try again later.'),
		('INVALID_TOKEN', 400, 'Invalid token'),
		('UNAUTHORIZED', 401, 'Unauthorized'),
		('SESSION_NOT_FRESH', 403, 'Session is not fresh'),
		('USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL', 422, 'User already exists. Use another email.')) AS v(code, status, message)
	 WHERE v.code = _fail.code;
	IF status IS NULL THEN
		PERFORM neon_auth._raise(code, argument);
	END IF;
	PERFORM set_config('response.status', status::text, true);
	IF code = 'TOO_MANY_REQUESTS' THEN
		PERFORM set_config('response.headers', json_build_array(json_build_object('X-Retry-After', argument))::text, true);
	END IF;
	RETURN jsonb_build_object('message', message, 'code', code);
END
$$;
