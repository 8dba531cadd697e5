---------------------------------------------------------------------------
-- Email verification (Better Auth's /send-verification-email and
-- /verify-email), including applying an email change.
-- Callers: everyone.
---------------------------------------------------------------------------

-- Queue Better Auth's verification email for a user: an HS256 link token
-- over {email, [updateTo], userId, iat, exp}, keyed by the secret. For no
-- user (u."id" NULL) the same work ends in a decoy instead of a message, so
-- that a request for an address with no account reads, writes and notifies
-- the same (docs/security.md, account enumeration).
CREATE FUNCTION neon_auth._send_verification(u neon_auth."user", callback_url text, update_to text DEFAULT NULL)
	RETURNS void
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	cfg neon_auth.config;
	iat bigint := floor(extract(epoch FROM now()))::bigint;
	token text;
	message jsonb;
BEGIN
	SELECT * INTO cfg FROM neon_auth.config;
	token := neon_auth._email_token_sign(
		(jsonb_build_object('email', u."email") || CASE WHEN update_to IS NOT NULL
		                                                THEN jsonb_build_object('updateTo', update_to, 'requestType', 'change-email-verification')
		                                                ELSE '{}' END
		 || jsonb_build_object('userId', u."id", 'iat', iat, 'exp', iat + cfg.verification_expires_in))::text,
		(SELECT value FROM neon_auth.secret));
	message := jsonb_build_object('name', u."name", 'email', u."email", 'new_email', update_to, 'token', token,
	                              'url', neon_auth._link(cfg.verify_email_url, cfg.base_url, token, neon_auth._callback(callback_url)),
	                              'expires_at', neon_auth._iso(to_timestamp(iat + cfg.verification_expires_in)));
	PERFORM neon_auth._enqueue(CASE WHEN u."id" IS NULL THEN 'decoy'
	                                WHEN update_to IS NULL THEN 'verify-email' ELSE 'change-email' END,
		coalesce(update_to, u."email"), u."id", message);
END
$$;

CREATE FUNCTION neon_auth.send_verification_email(email text, callback_url text DEFAULT '/') RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	v_email text := neon_auth._normalize_email(email);
	throttled jsonb;
	u neon_auth."user";
BEGIN
	-- A bad callback URL is refused before the attempt is counted.
	PERFORM neon_auth._callback(callback_url);
	throttled := neon_auth._throttle('/send-verification-email', v_email);
	PERFORM neon_auth._writable();
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	SELECT * INTO u FROM neon_auth."user" WHERE "email" = v_email;
	-- No account, or verified already: the same work, ending in a decoy.
	PERFORM neon_auth._send_verification(CASE WHEN NOT u."emailVerified" THEN u END, callback_url);
	PERFORM neon_auth._audit('verification_email_requested', u."id", 'success', v_email);
	RETURN jsonb_build_object('status', true);
END
$$;
COMMENT ON FUNCTION neon_auth.send_verification_email(text, text) IS
	'Better Auth POST /send-verification-email: queue a verification link for an unverified user; returns {status: true}';

-- Better Auth GET /verify-email: the link token marks the email verified, or,
-- with updateTo (change_email), moves the user to the new, verified address.
CREATE FUNCTION neon_auth.verify_email(token text) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	claims jsonb := neon_auth._email_token_verify(token, (SELECT value FROM neon_auth.secret),
	                                              floor(extract(epoch FROM now()))::bigint)::jsonb;
	u neon_auth."user";
BEGIN
	PERFORM neon_auth._writable();
	IF token IS NULL THEN
		PERFORM neon_auth._raise('VALIDATION_ERROR', 'token');
	END IF;
	-- Only verification tokens: Better Auth also signs a
	-- "change-email-confirmation" token (sent to the old address, to approve
	-- a change), which must never apply the change itself.
	IF claims ? 'requestType' AND claims ->> 'requestType' IS DISTINCT FROM 'change-email-verification' THEN
		claims := NULL;
	END IF;
	-- The user the token names, still at the address it was issued for.
	SELECT * INTO u FROM neon_auth."user"
	 WHERE "id"::text = claims ->> 'userId' AND "email" = lower(claims ->> 'email') FOR UPDATE;
	IF u."id" IS NULL THEN
		PERFORM neon_auth._audit('email_verified', NULL, 'INVALID_TOKEN');
		RETURN neon_auth._fail('INVALID_TOKEN');
	END IF;
	IF claims ? 'updateTo' THEN
		IF EXISTS (SELECT 1 FROM neon_auth."user" WHERE "email" = lower(claims ->> 'updateTo')) THEN
			PERFORM neon_auth._raise('EMAIL_CAN_NOT_BE_UPDATED');
		END IF;
		UPDATE neon_auth."user" SET "email" = lower(claims ->> 'updateTo'), "emailVerified" = true, "updatedAt" = neon_auth._now()
		 WHERE "id" = u."id" RETURNING * INTO u;
		PERFORM neon_auth._audit('email_changed', u."id", 'success', u."email", jsonb_build_object('from', claims ->> 'email'));
		RETURN jsonb_build_object('status', true, 'user', neon_auth._user_json(u));
	END IF;
	UPDATE neon_auth."user" SET "emailVerified" = true, "updatedAt" = neon_auth._now()
	 WHERE "id" = u."id" AND NOT "emailVerified";
	PERFORM neon_auth._audit('email_verified', u."id", 'success', u."email");
	-- Better Auth answers a verification with user: null (a change with the user).
	RETURN jsonb_build_object('status', true, 'user', NULL);
END
$$;
COMMENT ON FUNCTION neon_auth.verify_email(text) IS
	'Better Auth GET /verify-email: check the link token, mark the email verified (or apply a change); returns {status, user}, user null for a verification';
