---------------------------------------------------------------------------
-- Anonymous users, Better Auth's anonymous plugin (1.7): a user with no
-- credentials, to sign up or in later; when an anonymous session signs up or
-- signs in by another method, the anonymous user is linked to the new user
-- (a row in anonymous_link, where the application's trigger moves its
-- data) and deleted, in the same transaction. See docs/anonymous.md.
---------------------------------------------------------------------------

-- The request's caller when it is an anonymous user, else NULL.
CREATE FUNCTION neon_auth._anonymous_caller() RETURNS uuid
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	caller record;
BEGIN
	-- No request credential: nothing to look up (plain SQL sign-ins).
	IF coalesce(current_setting('request.cookies', true), '') IN ('', '{}')
	   AND coalesce(current_setting('request.headers', true), '') = '' THEN
		RETURN NULL;
	END IF;
	caller := neon_auth._caller(NULL);
	RETURN (SELECT u."id" FROM neon_auth."user" u WHERE u."id" = caller.user_id AND u."isAnonymous" IS TRUE);
END
$$;

-- Better Auth's onLinkAccount: called where a sign-up or sign-in succeeds.
-- If the request came from an anonymous session of another user, records
-- the link (the application's triggers on anonymous_link run now) and
-- deletes the anonymous user, its sessions and accounts.
CREATE FUNCTION neon_auth._link_anonymous(new_user_id uuid) RETURNS void
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	anonymous uuid := neon_auth._anonymous_caller();
BEGIN
	IF anonymous IS NULL OR anonymous = new_user_id
	   OR (SELECT "isAnonymous" FROM neon_auth."user" WHERE "id" = new_user_id) IS TRUE THEN
		RETURN;
	END IF;
	INSERT INTO neon_auth.anonymous_link (anonymous_user_id, user_id) VALUES (anonymous, new_user_id);
	DELETE FROM neon_auth."user" WHERE "id" = anonymous;
	PERFORM neon_auth._audit('anonymous_linked', new_user_id, 'success', NULL, jsonb_build_object('anonymous_user_id', anonymous));
END
$$;

-- Better Auth POST /sign-in/anonymous: a new user with no credentials,
-- signed in; {token, user}.
CREATE FUNCTION neon_auth.sign_in_anonymous() RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	cfg neon_auth.config;
	u neon_auth."user";
	s neon_auth."session";
	throttled jsonb;
BEGIN
	PERFORM neon_auth._writable();
	PERFORM neon_auth._warn_if_copy();
	PERFORM neon_auth._check_login_origin();
	SELECT * INTO cfg FROM neon_auth.config;
	IF neon_auth._anonymous_caller() IS NOT NULL THEN
		PERFORM neon_auth._raise('ANONYMOUS_USERS_CANNOT_SIGN_IN_AGAIN_ANONYMOUSLY');
	END IF;
	-- Per IP only: there is no account to key on.
	throttled := neon_auth._throttle('/sign-in/anonymous', NULL);
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	-- Better Auth's placeholder address: a random id at a domain that cannot
	-- receive mail (RFC 6761 .invalid), lowercased as it stores emails.
	INSERT INTO neon_auth."user" ("name", "email", "emailVerified", "createdAt", "updatedAt", "role", "banned",
	                              "twoFactorEnabled", "isAnonymous")
	VALUES ('Anonymous', lower(neon_auth._generate_id(32)) || '@anonymous.placeholder.invalid', false,
	        neon_auth._now(), neon_auth._now(), 'user', false, false, true)
	RETURNING * INTO u;
	s := neon_auth._create_session(u."id", true, cfg);
	PERFORM neon_auth._audit('sign_in_anonymous', u."id", 'success');
	RETURN jsonb_build_object('token', s."token", 'user', neon_auth._user_json(u));
END
$$;
COMMENT ON FUNCTION neon_auth.sign_in_anonymous() IS
	'Better Auth POST /sign-in/anonymous: a new anonymous user and session; returns {token, user}';

-- Better Auth POST /delete-anonymous-user: the caller, if anonymous, with its
-- sessions and accounts.
CREATE FUNCTION neon_auth.delete_anonymous_user(session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	IF NOT EXISTS (SELECT 1 FROM neon_auth."user" WHERE "id" = caller.user_id AND "isAnonymous" IS TRUE) THEN
		PERFORM neon_auth._raise('USER_IS_NOT_ANONYMOUS');
	END IF;
	DELETE FROM neon_auth."user" WHERE "id" = caller.user_id;
	PERFORM neon_auth._audit('anonymous_user_deleted', caller.user_id, 'success');
	RETURN jsonb_build_object('success', true);
END
$$;
COMMENT ON FUNCTION neon_auth.delete_anonymous_user(text) IS
	'Better Auth POST /delete-anonymous-user: delete the caller''s anonymous user; returns {success: true}';
