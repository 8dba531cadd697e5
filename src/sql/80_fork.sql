---------------------------------------------------------------------------
-- Branching. A copy of the database (CREATE DATABASE ... TEMPLATE, a
-- pg_dump restore, a Neon branch) carries the whole auth state: the same
-- users, sessions, signing keys and secret. fork() turns a fresh copy into
-- a preview of its own; the instance row lets the extension notice a copy
-- nobody forked.
---------------------------------------------------------------------------


-- The identifiers of the database this runs in, as text (a system
-- identifier does not fit a JavaScript number).
CREATE FUNCTION neon_auth._here() RETURNS jsonb
	LANGUAGE sql STABLE
	RETURN jsonb_build_object(
		'system_identifier', (SELECT system_identifier::text FROM pg_catalog.pg_control_system()),
		'database_oid', (SELECT oid::text FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()),
		-- Only when Neon's module defines it: an undefined placeholder
		-- could be set by any role, to fake or hide a copy.
		-- pg_settings is read only when the setting exists: building that
		-- view costs milliseconds, and this runs once per connection.
		'neon_timeline_id', CASE WHEN pg_catalog.current_setting('neon.timeline_id', true) IS NOT NULL THEN
		                        (SELECT nullif(setting, '') FROM pg_catalog.pg_settings
		                          WHERE name = 'neon.timeline_id' AND context <> 'user') END);

CREATE FUNCTION neon_auth._recorded(i neon_auth.instance) RETURNS jsonb
	LANGUAGE sql STABLE
	RETURN jsonb_build_object('system_identifier', i.system_identifier::text, 'database_oid', i.database_oid::text,
	                          'neon_timeline_id', i.neon_timeline_id);

-- Why this database is a copy nobody forked ("database oid 16390, recorded
-- 16384"), or NULL when it is the recorded one.
CREATE FUNCTION neon_auth._copy_reason() RETURNS text
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	recorded jsonb := (SELECT neon_auth._recorded(i) FROM neon_auth.instance i);
	here jsonb := neon_auth._here();
BEGIN
	RETURN nullif(concat_ws('; ',
		CASE WHEN here ->> 'system_identifier' IS DISTINCT FROM recorded ->> 'system_identifier'
		     THEN format('system identifier %s, recorded %s', here ->> 'system_identifier', recorded ->> 'system_identifier') END,
		CASE WHEN here ->> 'database_oid' IS DISTINCT FROM recorded ->> 'database_oid'
		     THEN format('database oid %s, recorded %s', here ->> 'database_oid', recorded ->> 'database_oid') END,
		CASE WHEN here ->> 'neon_timeline_id' IS DISTINCT FROM recorded ->> 'neon_timeline_id'
		     THEN format('Neon timeline %s, recorded %s', coalesce(here ->> 'neon_timeline_id', 'none'),
		                 coalesce(recorded ->> 'neon_timeline_id', 'none')) END), '');
END
$$;

-- Called once per connection (by neon_auth._warn_if_copy(), from the
-- identity lookup and the sign-in and session functions): the log line an
-- operator sees when a copy is used without fork().
CREATE FUNCTION neon_auth._check_copy() RETURNS boolean
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	-- It warns in the middle of any statement, which may carry a credential.
	SET log_min_error_statement = panic
AS $$
DECLARE
	reason text := neon_auth._copy_reason();
BEGIN
	IF reason IS NOT NULL THEN
		RAISE WARNING 'neon_auth is running in a copy of its database that was not forked'
			USING DETAIL = format('This database differs from the one recorded: %s. It has the original''s sessions, signing keys and secret, so the original''s tokens and cookies work here.', reason),
			      HINT = 'As the extension owner, run SELECT neon_auth.fork(''keep''), fork(''rekey'') or fork(''reset_sessions''); see docs/operations.md.';
	END IF;
	RETURN reason IS NOT NULL;
END
$$;

CREATE FUNCTION neon_auth._warn_if_copy() RETURNS void
	AS 'MODULE_PATHNAME', 'neon_auth_warn_if_copy' LANGUAGE C VOLATILE;

-- Whether this database is a copy that was not forked, and the identifiers
-- recorded and seen. Readable by the app, for a health check or a banner.
CREATE FUNCTION neon_auth.fork_status() RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	i neon_auth.instance;
	reason text := neon_auth._copy_reason();
BEGIN
	SELECT * INTO i FROM neon_auth.instance;
	RETURN jsonb_build_object('unforked_copy', reason IS NOT NULL, 'reason', reason,
	                          'recorded', neon_auth._recorded(i), 'current', neon_auth._here(),
	                          'recorded_at', neon_auth._iso(i.recorded_at), 'fork_mode', i.fork_mode,
	                          'forked_from', i.forked_from);
END
$$;
COMMENT ON FUNCTION neon_auth.fork_status() IS
	'{unforked_copy, reason, recorded, current, recorded_at, fork_mode, forked_from}: whether this database is a copy nobody forked';

-- A stand-in address for a preview: the same for the same address and
-- secret (so invitations and audit rows still match their users), and not
-- reversible without the secret. The .invalid domain never receives mail.
CREATE FUNCTION neon_auth._fake_email(email text, secret text) RETURNS text
	LANGUAGE sql IMMUTABLE
	-- The HMAC-SHA256 of the address: what follows the last dot of its signed value.
	RETURN 'user-' || left(encode(decode(substring(neon_auth._cookie_sign(lower(email), secret) FROM '[^.]*$'), 'base64'), 'hex'), 16)
	       || '@example.invalid';

-- fork(scrub => true): personal data replaced in place. Names, usernames,
-- images, phone numbers and ban reasons of users; passkey names;
-- third-party OAuth tokens; client IPs and user agents; emails in
-- invitations and the audit trail; every verification row and message
-- (their identifiers and links hold addresses). Returns counts.
CREATE FUNCTION neon_auth._scrub(secret text) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	n_users integer;
	n_accounts integer;
BEGIN
	UPDATE neon_auth."user" u
	   SET "email" = f.email, "name" = 'User ' || substr(f.email, 6, 8), "image" = NULL,
	       "username" = CASE WHEN u."username" IS NOT NULL THEN 'user_' || substr(f.email, 6, 16) END,
	       "displayUsername" = CASE WHEN u."displayUsername" IS NOT NULL THEN 'user_' || substr(f.email, 6, 16) END,
	       "phoneNumber" = NULL, "phoneNumberVerified" = NULL, "banReason" = NULL
	  FROM (SELECT "id", neon_auth._fake_email("email", secret) AS email FROM neon_auth."user") f
	 WHERE u."id" = f."id";
	GET DIAGNOSTICS n_users = ROW_COUNT;
	UPDATE neon_auth."account" SET "accessToken" = NULL, "refreshToken" = NULL, "idToken" = NULL
	 WHERE "accessToken" IS NOT NULL OR "refreshToken" IS NOT NULL OR "idToken" IS NOT NULL;
	GET DIAGNOSTICS n_accounts = ROW_COUNT;
	UPDATE neon_auth."session" SET "ipAddress" = '', "userAgent" = '';
	UPDATE neon_auth."passkey" SET "name" = NULL WHERE "name" IS NOT NULL; -- device names name people
	UPDATE neon_auth."invitation" SET "email" = neon_auth._fake_email("email", secret);
	UPDATE neon_auth.audit_log
	   SET email = CASE WHEN email IS NOT NULL THEN neon_auth._fake_email(email, secret) END, ip = '', user_agent = '',
	       detail = CASE WHEN detail::text LIKE '%@%' THEN NULL ELSE detail END;
	DELETE FROM neon_auth."verification";
	DELETE FROM neon_auth.outbox;
	RETURN jsonb_build_object('users_scrubbed', n_users, 'oauth_tokens_cleared', n_accounts);
END
$$;

-- Owner only. Run once in a fresh copy, before anyone uses it:
--   keep            changes nothing but the record of the instance: the copy
--                   mirrors the original (same keys, secret, sessions and
--                   queued messages), as a restore that replaces it must;
--   rekey           a new secret and signing key; every session, pending
--                   link and message deleted, OAuth tokens cleared: nothing
--                   the original issued works here, nothing here works there;
--   reset_sessions  the same without the new secret and keys (so the
--                   original's JWTs and emailed verification links verify
--                   here until they expire).
-- scrub replaces personal data (see _scrub). preview_password becomes every
-- password, only with rekey: with the original's secret and keys, anyone
-- signing in as anyone could mint tokens the original accepts.
-- Refused in the database recorded as the instance (production) unless
-- force is true, as a physical copy needs.
CREATE FUNCTION neon_auth.fork(mode text, scrub boolean DEFAULT false, preview_password text DEFAULT NULL,
                               force boolean DEFAULT false) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	cfg neon_auth.config;
	i neon_auth.instance;
	reason text;
	old_secret text := (SELECT value FROM neon_auth.secret);
	new_secret text;
	password_hash text;
	counts jsonb := '{}'::jsonb;
	n integer;
	result jsonb;
BEGIN
	PERFORM neon_auth._writable();
	IF mode IS NULL OR mode NOT IN ('keep', 'rekey', 'reset_sessions') THEN
		PERFORM neon_auth._raise('INVALID_FORK_MODE');
	END IF;
	IF preview_password IS NOT NULL AND mode <> 'rekey' THEN
		PERFORM neon_auth._raise('PREVIEW_PASSWORD_NEEDS_REKEY');
	END IF;
	SELECT * INTO i FROM neon_auth.instance FOR UPDATE;
	reason := neon_auth._copy_reason();
	IF reason IS NULL AND NOT coalesce(force, false) THEN
		PERFORM neon_auth._raise('NOT_A_COPY');
	END IF;
	SELECT * INTO cfg FROM neon_auth.config;
	IF preview_password IS NOT NULL THEN
		-- Hashed once: every account gets the same hash (a preview, not production).
		password_hash := neon_auth._password_hash(neon_auth._normalize_password(preview_password, cfg));
	END IF;

	IF mode IN ('rekey', 'reset_sessions') THEN
		-- No sign-in may slip a session or link in while they are deleted.
		LOCK TABLE neon_auth."session", neon_auth."verification", neon_auth.outbox IN SHARE ROW EXCLUSIVE MODE;
		DELETE FROM neon_auth."session";
		GET DIAGNOSTICS n = ROW_COUNT;
		counts := counts || jsonb_build_object('sessions_revoked', n);
		-- Reset, two-factor and change-email tokens; and every message, sent or
		-- not: delivered ones hold links the original may still accept.
		DELETE FROM neon_auth."verification";
		DELETE FROM neon_auth.outbox;
		GET DIAGNOSTICS n = ROW_COUNT;
		counts := counts || jsonb_build_object('messages_deleted', n);
		DELETE FROM neon_auth."rateLimit";
		-- Live credentials at third parties (Google, GitHub, ...).
		UPDATE neon_auth."account" SET "accessToken" = NULL, "refreshToken" = NULL, "idToken" = NULL
		 WHERE "accessToken" IS NOT NULL OR "refreshToken" IS NOT NULL OR "idToken" IS NOT NULL;
		GET DIAGNOSTICS n = ROW_COUNT;
		counts := counts || jsonb_build_object('oauth_tokens_cleared', n);
	END IF;
	IF coalesce(scrub, false) THEN
		-- Left of ||: the OAuth count of the revoking modes, which came first, wins.
		counts := neon_auth._scrub(old_secret) || counts;
	END IF;
	IF mode = 'rekey' THEN
		new_secret := neon_auth._generate_id(64);
		-- Two-factor secrets are encrypted with the secret (as Better Auth
		-- does): re-encrypted, so the users' authenticator apps keep working.
		UPDATE neon_auth."twoFactor"
		   SET "secret" = coalesce(neon_auth._symmetric_encrypt(new_secret, neon_auth._symmetric_decrypt(old_secret, "secret")), "secret"),
		       "backupCodes" = coalesce(neon_auth._symmetric_encrypt(new_secret, neon_auth._symmetric_decrypt(old_secret, "backupCodes")), "backupCodes");
		DELETE FROM neon_auth.jwks;
		GET DIAGNOSTICS n = ROW_COUNT;
		counts := counts || jsonb_build_object('signing_keys_replaced', n);
		-- The row is replaced without PostgREST's secret: the copy does not
		-- sign or accept the original's HS256 tokens.
		INSERT INTO neon_auth.secret (value) VALUES (new_secret);
		UPDATE neon_auth.config SET jwt_hs256 = false WHERE jwt_hs256;
		PERFORM neon_auth._create_signing_key(cfg.jwt_alg);
	END IF;
	IF password_hash IS NOT NULL THEN
		UPDATE neon_auth."account" SET "password" = password_hash, "updatedAt" = neon_auth._now()
		 WHERE "providerId" = 'credential';
		GET DIAGNOSTICS n = ROW_COUNT;
		counts := counts || jsonb_build_object('passwords_reset', n);
	END IF;

	result := jsonb_build_object('mode', mode, 'scrubbed', coalesce(scrub, false), 'reason', reason,
	                             'from', neon_auth._recorded(i), 'to', neon_auth._here()) || counts;
	-- An insert (the singleton trigger replaces the old row), so a missing row is recorded too.
	INSERT INTO neon_auth.instance (system_identifier, database_oid, neon_timeline_id, fork_mode, forked_from)
	VALUES ((result #>> '{to,system_identifier}')::bigint, (result #>> '{to,database_oid}')::oid,
	        result #>> '{to,neon_timeline_id}', mode, neon_auth._recorded(i));
	PERFORM neon_auth._audit('fork', NULL, 'success', NULL, result);
	RETURN result;
END
$$;
COMMENT ON FUNCTION neon_auth.fork(text, boolean, text, boolean) IS
	'make a fresh copy of the database its own: mode keep, rekey or reset_sessions; optionally scrub personal data and set one preview password';
