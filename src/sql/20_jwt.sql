---------------------------------------------------------------------------
-- Keys and tokens: the server secret, JWT signing keys (Better Auth's jwt
-- plugin; EdDSA, ES256, RS256) with rotation and revocation, and token(),
-- jwks() and verify_jwt(). Owner only: set_secret, rotate_signing_key,
-- revoke_signing_key. The JWT check used by RLS is in 30_identity.sql.
---------------------------------------------------------------------------

-- Owner only (EXECUTE is not granted): adopt an existing BETTER_AUTH_SECRET so
-- a Better Auth server and neon_auth accept each other's signed cookies.
CREATE FUNCTION neon_auth.set_secret(secret text) RETURNS void
	LANGUAGE plpgsql VOLATILE
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
BEGIN
	PERFORM neon_auth._writable();
	IF secret IS NULL OR secret = '' THEN
		RAISE EXCEPTION 'secret must not be empty' USING ERRCODE = 'invalid_parameter_value',
			HINT = 'Pass the value of BETTER_AUTH_SECRET, or a new random string of at least 32 characters.';
	END IF;
	IF length(secret) < 32 THEN
		RAISE WARNING 'secret is shorter than 32 characters'
			USING DETAIL = 'A short secret makes signed cookies easier to forge.';
	END IF;
	-- Signing keys are encrypted with the secret: re-encrypt them, or they
	-- could no longer sign.
	UPDATE neon_auth.jwks
	   SET "privateKey" = to_json(neon_auth._symmetric_encrypt(secret, neon_auth._private_jwk(jwks)))::text
	 WHERE json_typeof("privateKey"::json) = 'string' AND neon_auth._private_jwk(jwks) IS NOT NULL;
	-- So are two-factor secrets and backup codes; a row the old secret cannot
	-- read (written by a Better Auth server already on the new one) stays.
	UPDATE neon_auth."twoFactor" t
	   SET "secret" = coalesce(neon_auth._symmetric_encrypt(set_secret.secret,
	                               neon_auth._symmetric_decrypt((SELECT value FROM neon_auth.secret), t."secret")), t."secret"),
	       "backupCodes" = coalesce(neon_auth._symmetric_encrypt(set_secret.secret,
	                               neon_auth._symmetric_decrypt((SELECT value FROM neon_auth.secret), t."backupCodes")), t."backupCodes")
	 WHERE EXISTS (SELECT 1 FROM neon_auth.secret);
	-- The row is replaced: PostgREST's secret comes along, under the new one.
	INSERT INTO neon_auth.secret (value, postgrest_secret)
	VALUES (secret, (SELECT neon_auth._symmetric_encrypt(set_secret.secret, neon_auth._symmetric_decrypt(s.value, s.postgrest_secret))
	                   FROM neon_auth.secret s));
END
$$;
COMMENT ON FUNCTION neon_auth.set_secret(text) IS
	'replace the server secret (e.g. with BETTER_AUTH_SECRET); signed cookies made with the old one stop verifying';

-- Owner only (EXECUTE is not granted): PostgREST's jwt-secret, for
-- deployments whose PostgREST verifies HS256 (InsForge, self-hosted
-- Supabase). Stored encrypted under the server secret; from then on HS256
-- tokens verify in the identity functions against it, and only it, and
-- configure('{"jwt_hs256": true}') makes token() sign with it. NULL removes
-- it (and turns jwt_hs256 off); fork('rekey') drops it.
CREATE FUNCTION neon_auth.set_postgrest_secret(secret text) RETURNS void
	LANGUAGE plpgsql VOLATILE
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
BEGIN
	PERFORM neon_auth._writable();
	IF secret IS NOT NULL AND length(secret) < 32 THEN
		RAISE EXCEPTION 'the PostgREST secret must have at least 32 characters' USING ERRCODE = 'invalid_parameter_value',
			HINT = 'Pass the value of PostgREST''s jwt-secret (PGRST_JWT_SECRET); PostgREST refuses a shorter one too.';
	END IF;
	-- The server secret signs links and cookies: tokens MACed with it must
	-- never double as either.
	IF secret IS NOT NULL AND secret = (SELECT value FROM neon_auth.secret) THEN
		RAISE EXCEPTION 'the PostgREST secret must differ from the server secret' USING ERRCODE = 'invalid_parameter_value',
			HINT = 'Give PostgREST a jwt-secret of its own.';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM neon_auth.secret) THEN
		RAISE EXCEPTION 'there is no server secret' USING ERRCODE = 'object_not_in_prerequisite_state',
			HINT = 'Call set_secret first.';
	END IF;
	UPDATE neon_auth.secret SET postgrest_secret = neon_auth._symmetric_encrypt(value, set_postgrest_secret.secret);
	IF secret IS NULL THEN
		UPDATE neon_auth.config SET jwt_hs256 = false WHERE jwt_hs256;
	END IF;
END
$$;
COMMENT ON FUNCTION neon_auth.set_postgrest_secret(text) IS
	'owner only: PostgREST''s jwt-secret (HS256), stored encrypted; NULL removes it';

---------------------------------------------------------------------------
-- Signing keys and JWTs (Better Auth's jwt plugin, Neon Auth's claims).
---------------------------------------------------------------------------

-- A new signing key row (EdDSA, ES256 or RS256), stored as Better Auth
-- stores it: publicKey is the public JWK, privateKey the JSON-quoted
-- symmetricEncrypt hex of the private JWK under the server secret, id the
-- kid, alg and crv as Better Auth's keyPairConfig names them.
CREATE FUNCTION neon_auth._create_signing_key(alg text) RETURNS neon_auth.jwks
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	private_jwk text := neon_auth._jwk_generate(alg);
	k neon_auth.jwks;
BEGIN
	IF private_jwk IS NULL THEN
		PERFORM neon_auth._raise('UNSUPPORTED_SIGNING_ALGORITHM');
	END IF;
	INSERT INTO neon_auth.jwks ("publicKey", "privateKey", "createdAt", "alg", "crv")
	VALUES (neon_auth._jwk_public(private_jwk),
	        to_json(neon_auth._symmetric_encrypt((SELECT value FROM neon_auth.secret), private_jwk))::text,
	        neon_auth._now(), alg, CASE alg WHEN 'EdDSA' THEN 'Ed25519' WHEN 'ES256' THEN 'P-256' END)
	RETURNING * INTO k;
	RETURN k;
END
$$;

-- The private JWK of a key row: encrypted (a JSON string) or, with Better
-- Auth's disablePrivateKeyEncryption, stored as plain JSON. NULL if the
-- current secret cannot decrypt it.
CREATE FUNCTION neon_auth._private_jwk(k neon_auth.jwks) RETURNS text
	LANGUAGE sql STABLE
	RETURN CASE json_typeof(k."privateKey"::json)
		WHEN 'string' THEN neon_auth._symmetric_decrypt((SELECT value FROM neon_auth.secret), k."privateKey"::json #>> '{}')
		WHEN 'object' THEN k."privateKey"
	END;

-- The key that signs: the newest live key of the configured algorithm (a
-- NULL alg is Better Auth's default, EdDSA). Made on first use if there is
-- none, as Better Auth does; so changing config.jwt_alg takes effect at the
-- next token().
CREATE FUNCTION neon_auth._signing_key() RETURNS neon_auth.jwks
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	wanted text := (SELECT jwt_alg FROM neon_auth.config);
	k neon_auth.jwks;
BEGIN
	SELECT * INTO k FROM neon_auth.jwks
	 WHERE coalesce("alg", 'EdDSA') = wanted AND ("expiresAt" IS NULL OR "expiresAt" > now())
	 ORDER BY "createdAt" DESC LIMIT 1;
	IF k."id" IS NULL THEN
		PERFORM neon_auth._writable();
		k := neon_auth._create_signing_key(wanted);
	END IF;
	RETURN k;
END
$$;

CREATE FUNCTION neon_auth.token(session_token text) RETURNS text
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	cfg neon_auth.config;
	uid uuid := neon_auth.verify_session(session_token);
	s neon_auth."session";
	u neon_auth."user";
	k neon_auth.jwks;
	private_jwk text;
	hs256_secret text;
	iat bigint := floor(extract(epoch FROM now()))::bigint;
	payload jsonb;
	org jsonb;
BEGIN
	IF uid IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT * INTO cfg FROM neon_auth.config;
	SELECT * INTO s FROM neon_auth."session" WHERE "token" = neon_auth._session_token(session_token);
	SELECT * INTO u FROM neon_auth."user" WHERE "id" = uid;
	-- Neon Auth's claims: Better Auth's (iat, the user fields, sub, exp, iss,
	-- aud) with role "authenticated" for PostgREST, and the active
	-- organization as "o" {id, slug, role}.
	SELECT jsonb_build_object('id', o."id", 'slug', o."slug", 'role', m."role") INTO org
	  FROM neon_auth.organization o JOIN neon_auth.member m ON m."organizationId" = o."id" AND m."userId" = uid
	 WHERE o."id"::text = s."activeOrganizationId";
	payload := jsonb_build_object('iat', iat) || neon_auth._user_json(u)
	        || jsonb_build_object('sub', uid, 'role', 'authenticated', 'exp', iat + cfg.jwt_expires_in,
	                              'iss', neon_auth._origin(cfg.base_url), 'aud', neon_auth._origin(cfg.base_url));
	IF org IS NOT NULL THEN
		payload := payload || jsonb_build_object('o', org);
	END IF;
	-- PostgREST's HS256 (InsForge, self-hosted Supabase): the same claims,
	-- aud as configured; no JWKS key involved.
	IF cfg.jwt_hs256 THEN
		hs256_secret := (SELECT neon_auth._symmetric_decrypt(x.value, x.postgrest_secret) FROM neon_auth.secret x);
		IF hs256_secret IS NULL THEN
			PERFORM neon_auth._raise('SIGNING_KEY_UNREADABLE');
		END IF;
		IF cfg.jwt_hs256_audience <> '' THEN
			payload := payload || jsonb_build_object('aud', cfg.jwt_hs256_audience);
		END IF;
		RETURN neon_auth._jwt_sign_hs256(payload::text, hs256_secret);
	END IF;
	k := neon_auth._signing_key();
	private_jwk := neon_auth._private_jwk(k);
	IF private_jwk IS NULL THEN
		PERFORM neon_auth._raise('SIGNING_KEY_UNREADABLE');
	END IF;
	RETURN neon_auth._jwt_sign(k."id"::text, payload::text, private_jwk);
END
$$;
COMMENT ON FUNCTION neon_auth.token(text) IS
	'Better Auth GET /token: a JWT (config.jwt_alg: EdDSA, ES256 or RS256; HS256 with PostgREST''s secret when config.jwt_hs256) for a live session (Neon Auth claims), else NULL';

CREATE FUNCTION neon_auth.jwks() RETURNS jsonb
	LANGUAGE sql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	-- Published through _jwk_public, which keeps only the public members, so a
	-- row whose publicKey wrongly held "d" could not leak it.
	SELECT jsonb_build_object('keys', coalesce(jsonb_agg(
	           neon_auth._jwk_public(j."publicKey")::jsonb
	           || jsonb_build_object('alg', coalesce(j."alg", 'EdDSA'), 'kid', j."id")
	           ORDER BY j."createdAt" DESC), '[]'::jsonb))
	  FROM neon_auth.jwks j, neon_auth.config c
	 WHERE (j."expiresAt" IS NULL OR j."expiresAt" + make_interval(secs => c.jwks_grace_period) > now())
	   AND neon_auth._jwk_public(j."publicKey") IS NOT NULL;
END;
COMMENT ON FUNCTION neon_auth.jwks() IS
	'Better Auth GET /jwks: {keys: [...]} public keys, including retired keys in their grace period';

-- C (src/pg/identity_fns.cpp): checked against the keys and settings
-- src/pg/jwt_fns.cpp reads from jwks and config and keeps per backend, and the claims of a token seen before come from the
-- identity cache (docs/rls.md). Errors come from the catalogue through
-- _raise_secret, which keeps the token out of the log.
CREATE FUNCTION neon_auth.verify_jwt(token text) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'neon_auth_verify_jwt' LANGUAGE C STABLE;
COMMENT ON FUNCTION neon_auth.verify_jwt(text) IS
	'the claims of a JWT signed by a trusted neon_auth.jwks key and valid now (30 s leeway), else an error';

-- Owner only. The current keys stop signing at once and keep verifying for
-- the grace period; the new key (of the given algorithm, else
-- config.jwt_alg, which it then becomes) signs from now on.
CREATE FUNCTION neon_auth.rotate_signing_key(alg text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	new_alg text := coalesce(alg, (SELECT jwt_alg FROM neon_auth.config));
	k neon_auth.jwks;
BEGIN
	PERFORM neon_auth._writable();
	IF new_alg NOT IN ('EdDSA', 'ES256', 'RS256') THEN
		PERFORM neon_auth._raise('UNSUPPORTED_SIGNING_ALGORITHM');
	END IF;
	UPDATE neon_auth.config SET jwt_alg = new_alg WHERE jwt_alg IS DISTINCT FROM new_alg;
	UPDATE neon_auth.jwks SET "expiresAt" = neon_auth._now()
	 WHERE "expiresAt" IS NULL OR "expiresAt" > now();
	k := neon_auth._create_signing_key(new_alg);
	RETURN k."publicKey"::jsonb || jsonb_build_object('alg', k."alg", 'kid', k."id");
END
$$;
COMMENT ON FUNCTION neon_auth.rotate_signing_key(text) IS
	'retire the signing keys (they verify for jwks_grace_period seconds more) and make a new one (EdDSA, ES256 or RS256; default config.jwt_alg); returns its public JWK';

-- Owner only. Tokens signed by the key fail from the next statement on.
CREATE FUNCTION neon_auth.revoke_signing_key(kid uuid) RETURNS boolean
	LANGUAGE sql VOLATILE
BEGIN ATOMIC
	SELECT neon_auth._writable();
	WITH gone AS (DELETE FROM neon_auth.jwks WHERE "id" = kid RETURNING 1)
	SELECT count(*) > 0 FROM gone;
END;
COMMENT ON FUNCTION neon_auth.revoke_signing_key(uuid) IS
	'delete a signing key: tokens it signed stop verifying at once';
