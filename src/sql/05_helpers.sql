---------------------------------------------------------------------------
-- Internal helpers shared by every topic. They run inside the SECURITY
-- DEFINER API functions. PL/pgSQL helpers pin search_path. SQL helpers are
-- written with SQL-standard bodies (RETURN ... / BEGIN ATOMIC), which are
-- parsed and bound to their objects when CREATE EXTENSION runs, so no later
-- search_path can redirect them; they carry no SET clause because that would
-- stop the planner from inlining them (measured: a SET on _session_token cut
-- verify_session's throughput by more than half).
---------------------------------------------------------------------------

-- Every function that must write calls this first. On a hot standby, or in
-- a read-only transaction (PostgREST runs GET requests in one), the caller
-- then gets one clear error that names the function, instead of
-- PostgreSQL's "cannot execute INSERT in a read-only transaction" from deep
-- inside it. The functions that only read work there (docs/operations.md).
CREATE FUNCTION neon_auth._writable() RETURNS void
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	stack text;
	caller text;
BEGIN
	IF NOT current_setting('transaction_read_only')::boolean THEN
		RETURN;
	END IF;
	-- The context lists the calls innermost first: this function, maybe
	-- internal helpers (named _...), then the API function that was called.
	-- PL/pgSQL lines read 'function neon_auth.sign_in(...)', SQL ones
	-- 'SQL function "outbox_claim"'.
	GET DIAGNOSTICS stack = PG_CONTEXT;
	caller := coalesce((SELECT 'neon_auth.' || m[1]
	                      FROM regexp_matches(stack, 'function "?(?:neon_auth\.)?([a-z][a-z_]*)["(]', 'g') AS m LIMIT 1),
	                   'this neon_auth function');
	PERFORM neon_auth._raise('READ_ONLY_DATABASE', caller,
		CASE WHEN pg_is_in_recovery()
		     THEN 'This server is a read-only standby. Send this call to the primary; sessions, JWTs and the RLS helpers can be checked here.'
		     ELSE 'The transaction is read-only. Run this call in a read-write transaction (in PostgREST, with POST).' END);
END
$$;

-- Dates as JavaScript's Date.toISOString(): UTC, milliseconds, "Z".
CREATE FUNCTION neon_auth._iso(ts timestamptz) RETURNS text
	LANGUAGE sql STABLE PARALLEL SAFE
	RETURN to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');

-- Better Auth writes JavaScript Dates, which have millisecond precision.
CREATE FUNCTION neon_auth._now() RETURNS timestamptz
	LANGUAGE sql STABLE PARALLEL SAFE
	RETURN date_trunc('milliseconds', now());

CREATE FUNCTION neon_auth._user_json(u neon_auth."user") RETURNS jsonb
	LANGUAGE sql STABLE PARALLEL SAFE
	RETURN jsonb_build_object(
		'id', u."id", 'name', u."name", 'email', u."email", 'emailVerified', u."emailVerified",
		'image', u."image", 'createdAt', neon_auth._iso(u."createdAt"), 'updatedAt', neon_auth._iso(u."updatedAt"),
		'role', u."role", 'banned', u."banned", 'banReason', u."banReason",
		'banExpires', neon_auth._iso(u."banExpires"), 'twoFactorEnabled', u."twoFactorEnabled",
		'username', u."username", 'displayUsername', u."displayUsername", 'isAnonymous', u."isAnonymous",
		'phoneNumber', u."phoneNumber", 'phoneNumberVerified', u."phoneNumberVerified");

CREATE FUNCTION neon_auth._session_json(s neon_auth."session") RETURNS jsonb
	LANGUAGE sql STABLE PARALLEL SAFE
	RETURN jsonb_build_object(
		'id', s."id", 'token', s."token", 'userId', s."userId",
		'expiresAt', neon_auth._iso(s."expiresAt"), 'createdAt', neon_auth._iso(s."createdAt"),
		'updatedAt', neon_auth._iso(s."updatedAt"), 'ipAddress', s."ipAddress", 'userAgent', s."userAgent",
		'impersonatedBy', s."impersonatedBy", 'activeOrganizationId', s."activeOrganizationId",
		'activeTeamId', s."activeTeamId");

-- A PostgREST request setting (request.headers, request.cookies) as a JSON
-- object, or NULL when it is unset or not a JSON object. A malformed value
-- must not break sign-in, so parse errors are swallowed here.
CREATE FUNCTION neon_auth._request_json(setting text) RETURNS jsonb
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	raw text := nullif(current_setting(setting, true), '');
	j jsonb;
BEGIN
	IF raw IS NULL THEN
		RETURN NULL;
	END IF;
	j := raw::jsonb;
	RETURN CASE WHEN jsonb_typeof(j) = 'object' THEN j END;
EXCEPTION WHEN others THEN
	-- Bad JSON, or JSON nested deep enough to exhaust the stack (54001): the
	-- value came from a client header and must not abort the caller.
	RETURN NULL;
END
$$;

-- The client address as Better Auth records it: the first entry of
-- x-forwarded-for if it is a valid IP address, else ''. With `nearest`, the
-- last entry instead: the one the proxy in front of PostgREST appended,
-- which a client cannot choose (the first it can), so rate limits key on it;
-- an IPv6 client by its /64, as Better Auth's ipv6Subnet default, since one
-- client usually holds a whole /64 and could step through its addresses.
CREATE FUNCTION neon_auth._client_ip(nearest boolean DEFAULT false) RETURNS text
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	xff text := neon_auth._request_json('request.headers') ->> 'x-forwarded-for';
	addr inet;
BEGIN
	IF xff IS NULL THEN
		RETURN '';
	END IF;
	addr := btrim(CASE WHEN nearest THEN regexp_replace(xff, '^.*,', '') ELSE split_part(xff, ',', 1) END)::inet;
	-- An IPv4 client of a dual-stack socket (::ffff:a.b.c.d) is that IPv4 address.
	IF family(addr) = 6 AND addr << '::ffff:0.0.0.0/96'::inet THEN
		RETURN regexp_replace(host(addr), '^::ffff:', '');
	END IF;
	IF nearest AND family(addr) = 6 THEN
		RETURN host(network(set_masklen(addr, 64))) || '/64';
	END IF;
	RETURN host(addr);
EXCEPTION WHEN data_exception THEN
	RETURN '';
END
$$;

CREATE FUNCTION neon_auth._user_agent() RETURNS text
	LANGUAGE sql STABLE
	RETURN coalesce(neon_auth._request_json('request.headers') ->> 'user-agent', '');

-- The bare session token in what a client sent: a bare token as is, a signed
-- cookie value ("token.signature", URI-encoded or not) only if its HMAC
-- checks out. NULL for anything else, including oversized input.
CREATE FUNCTION neon_auth._session_token(token text) RETURNS text
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF token IS NULL OR token = '' OR octet_length(token) > 1024 THEN
		RETURN NULL;
	END IF;
	-- Better Auth's tokens are [A-Za-z0-9]: a '.' or '%' means a signed value.
	IF strpos(token, '.') = 0 AND strpos(token, '%') = 0 THEN
		RETURN token;
	END IF;
	RETURN neon_auth._cookie_verify(token, (SELECT value FROM neon_auth.secret));
END
$$;

-- The value of Better Auth's cookie `name` ("two_factor") in PostgREST's
-- request.cookies: "__Secure-<prefix>.<name>" first (only an https
-- response of this site can set it), else "<prefix>.<name>", with the
-- prefix of config.cookie_prefix.
CREATE FUNCTION neon_auth._request_cookie(name text) RETURNS text
	LANGUAGE sql STABLE
	RETURN (SELECT coalesce(j ->> ('__Secure-' || p || '.' || name), j ->> (p || '.' || name))
	          FROM (SELECT neon_auth._request_json('request.cookies') AS j,
	                       (SELECT c.cookie_prefix FROM neon_auth.config c) AS p) x);

-- Is Better Auth's dont_remember cookie (signed "true") in PostgREST's
-- request.cookies? Then sessions are not refreshed (rememberMe = false).
CREATE FUNCTION neon_auth._dont_remember_cookie() RETURNS boolean
	LANGUAGE sql STABLE
	RETURN coalesce(neon_auth._cookie_verify(
		neon_auth._request_cookie('dont_remember'),
		(SELECT value FROM neon_auth.secret)) = 'true', false);


-- Called through PostgREST (request.method is set) or with
-- neon_auth.json_errors on, expected auth failures are answered instead of
-- raised (see _fail).
CREATE FUNCTION neon_auth._http_mode() RETURNS boolean
	LANGUAGE sql STABLE
	RETURN coalesce(current_setting('request.method', true), '') <> ''
	    OR coalesce(current_setting('neon_auth.json_errors', true), 'off') = 'on';

CREATE FUNCTION neon_auth._audit(event text, user_id uuid, outcome text, email text DEFAULT NULL,
                                 detail jsonb DEFAULT NULL) RETURNS void
	LANGUAGE sql VOLATILE
BEGIN ATOMIC
	INSERT INTO neon_auth.audit_log (event, user_id, email, ip, user_agent, outcome, detail)
	VALUES (event, user_id, email, neon_auth._client_ip(), neon_auth._user_agent(), outcome, detail);
END;
