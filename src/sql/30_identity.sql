---------------------------------------------------------------------------
-- Identity for RLS: who is calling, verified inside the database. The whole
-- path of an RLS check is here, in the order it runs:
--
--   requesting_user_id(), jwt(), session()      (and the tenant helpers of
--     -> _identity()                              70_tenant_rls.sql)
--        C, src/pg/identity_fns.cpp: the credential of the request
--        (authenticate(), else PostgREST's bearer header, else its session
--        cookie; core/request.cpp reads them), a memo per statement and a
--        cache per backend. It decides, in one place, what identifies the
--        caller: a present credential always, and trusted claims
--        (request.jwt.claims, with neon_auth.trust_jwt_claims) only when
--        there is none.
--     -> a JWT: all in C. Checked against the keys and settings read from
--        jwks and config and kept per backend (src/pg/jwt_fns.cpp), then
--        one index probe for its user's ban state (src/pg/auth_rows.cpp)
--     -> anything else: _resolve_identity(credential, trusted_claims),
--        one of the two
--        -> _identity_of(credential): verify_session(token) (C, 11_sessions.sql)
--           and the {session, user} of session()
--        or _active_user(claims' sub)
---------------------------------------------------------------------------

-- Where the request's credential comes from: 'authenticate', 'bearer' or
-- 'cookie' (the order _identity() takes them in), or NULL. For the origin
-- check (07_origins.sql), which only cookies need.
CREATE FUNCTION neon_auth._credential_source() RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_credential_source' LANGUAGE C STABLE PARALLEL SAFE;

-- PARALLEL SAFE: nothing on the resolution path starts a subtransaction
-- (which parallel mode forbids, in the leader as in workers); each worker
-- keeps its own memo. A regression test runs it under force_parallel_mode.
CREATE FUNCTION neon_auth._identity() RETURNS jsonb
	AS 'MODULE_PATHNAME', 'neon_auth_identity' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._identity() IS
	'the caller''s verified identity {sub, via, claims, session} or NULL, memoised per statement and cached per backend';

-- Owner only: this backend's identity cache (entries, bytes, capacity,
-- byte_budget, hits, misses, generation); docs/rls.md.
CREATE FUNCTION neon_auth._identity_cache() RETURNS jsonb
	AS 'MODULE_PATHNAME', 'neon_auth_identity_cache' LANGUAGE C VOLATILE;

-- Changes that can end an identity (sign-out, ban, user edits, key
-- retirement or revocation, new config or secret) end the generation of
-- every backend's identity cache. Inserts of sessions, users and keys cannot
-- end one and fire nothing. Row-level, because logical replication's apply
-- worker fires row triggers but not statement triggers (except TRUNCATE);

CREATE FUNCTION neon_auth.requesting_user_id() RETURNS uuid
	LANGUAGE sql STABLE PARALLEL SAFE
	RETURN (neon_auth._identity() ->> 'sub')::uuid;
COMMENT ON FUNCTION neon_auth.requesting_user_id() IS
	'the verified user id of the caller (authenticate(), PostgREST bearer token or session cookie), else NULL';

CREATE FUNCTION neon_auth.jwt() RETURNS jsonb
	LANGUAGE sql STABLE PARALLEL SAFE
	RETURN neon_auth._identity() -> 'claims';
COMMENT ON FUNCTION neon_auth.jwt() IS 'the verified JWT claims of the caller, else NULL';

CREATE FUNCTION neon_auth.session() RETURNS jsonb
	LANGUAGE sql STABLE PARALLEL SAFE
	RETURN nullif(neon_auth._identity() -> 'session', 'null'::jsonb);
COMMENT ON FUNCTION neon_auth.session() IS
	'{session, user} of the caller when identified by a session token or cookie, else NULL';

-- Sets the credential for the rest of this transaction, then answers who it
-- identifies. NULL clears it. Never for longer than the transaction: a
-- pooled connection (PostgREST's, or an application's pool, which does not
-- reset a connection between checkouts) serves the next request with it,
-- and a credential that outlived its request would identify the next
-- caller (docs/security.md). neon_auth.credential is a superuser-only
-- setting, so this SECURITY DEFINER function is the one way to set it; its
-- SET clause also keeps the token out of the log.
CREATE FUNCTION neon_auth.authenticate(token text) RETURNS uuid
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
BEGIN
	PERFORM set_config('neon_auth.credential', coalesce(token, ''), true);
	RETURN (neon_auth._identity() ->> 'sub')::uuid;
END
$$;
COMMENT ON FUNCTION neon_auth.authenticate(text) IS
	'use this credential (JWT, session token or signed cookie value) for requesting_user_id() until the transaction ends; returns its user id or NULL';

-- The identity behind what _identity() found in the request: a credential,
-- or else trusted claims (request.jwt.claims, only when a superuser set
-- neon_auth.trust_jwt_claims). The C caller decides which of the two counts
-- and passes only that one: a credential that is present but does not
-- verify identifies nobody and never falls through to the claims. The
-- library serves every SQL version it can be updated from, so this
-- signature stays (src/pg/sql_names.h).
CREATE FUNCTION neon_auth._resolve_identity(credential text, trusted_claims text,
                                            OUT identity jsonb, OUT valid_until timestamptz)
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	uid uuid;
BEGIN
	IF credential IS NOT NULL AND trusted_claims IS NOT NULL THEN
		RAISE EXCEPTION 'neon_auth._resolve_identity takes a credential or trusted claims, not both'
			USING ERRCODE = 'internal_error';
	END IF;
	IF trusted_claims IS NULL THEN
		SELECT * INTO identity, valid_until FROM neon_auth._identity_of(credential);
		RETURN;
	END IF;
	-- Claims with an escaped NUL ("\u0000", not "\\u0000") cannot become
	-- jsonb: nobody, rather than an error quoting them.
	IF trusted_claims ~ '(^|[^\\])(\\\\)*\\u0000' THEN
		RETURN;
	END IF;
	-- Read with _json_member, which cannot raise: no exception handler, so
	-- no subtransaction, so this runs in parallel workers too.
	uid := neon_auth._active_user(neon_auth._json_member(trusted_claims, 'sub'));
	IF uid IS NOT NULL THEN
		-- A well-formed object by now (it had a string "sub"), set by the
		-- proxy a superuser chose to trust.
		identity := jsonb_build_object('sub', uid, 'via', 'trusted_claims', 'claims', trusted_claims::jsonb, 'session', NULL);
	END IF;
END
$$;

-- The identity behind one credential, or NULL: a JWT (verified against the
-- trusted keys, its user still there and not banned) or a session token /
-- signed cookie value (as verify_session); and until when it holds unless
-- the auth tables change (NULL: no time limit).
CREATE FUNCTION neon_auth._identity_of(credential text, OUT identity jsonb, OUT valid_until timestamptz)
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	uid uuid;
	s neon_auth."session";
	u neon_auth."user";
BEGIN
	IF credential IS NULL OR credential = '' OR octet_length(credential) > 8192 THEN
		RETURN;
	END IF;
	-- JWTs never get here: the C caller checks them itself (resolve_jwt).
	uid := neon_auth.verify_session(credential);
	IF uid IS NULL THEN
		RETURN;
	END IF;
	SELECT * INTO s FROM neon_auth."session" WHERE "token" = neon_auth._session_token(credential);
	SELECT * INTO u FROM neon_auth."user" WHERE "id" = uid;
	-- No token in session(): RLS code, triggers and views have no use for the
	-- credential itself and should not be able to copy it anywhere.
	identity := jsonb_build_object('sub', uid, 'via', 'session', 'claims', NULL,
		'session', jsonb_build_object('session', neon_auth._session_json(s) - 'token', 'user', neon_auth._user_json(u)));
	valid_until := s."expiresAt";
END
$$;

-- The user a "sub" claim names, if it is a uuid of a user that exists and is
-- not banned; else NULL. PL/pgSQL, not SQL: a SQL function with a sub-select
-- is never inlined, and is planned afresh in every transaction that calls it.
CREATE FUNCTION neon_auth._active_user(sub text) RETURNS uuid
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF sub IS NULL OR sub !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
		RETURN NULL;
	END IF;
	RETURN (SELECT u."id" FROM neon_auth."user" u
	         WHERE u."id" = sub::uuid AND (u."banned" IS NOT TRUE OR u."banExpires" < now()));
END
$$;
