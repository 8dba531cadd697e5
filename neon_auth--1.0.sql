-- neon_auth 1.0: Better Auth-compatible authentication inside PostgreSQL.
--
-- Layout of this script: preconditions and schema, C primitives, tables,
-- internal helpers, the public API, privileges. Every name is schema-qualified
-- and every function pins search_path, so nothing a caller puts on its
-- search_path can capture an object or operator used here.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION neon_auth" to load this file. \quit

DO $$
BEGIN
	IF pg_catalog.getdatabaseencoding() OPERATOR(pg_catalog.<>) 'UTF8' THEN
		RAISE EXCEPTION 'neon_auth requires a UTF8 database'
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      DETAIL = 'Passwords are NFKC-normalized with normalize(), which works only when the server encoding is UTF8.',
			      HINT = 'Create the database with ENCODING ''UTF8'' (and TEMPLATE template0), then run CREATE EXTENSION again.';
	END IF;
END
$$;

-- The extension owns its schema (no IF NOT EXISTS): CREATE EXTENSION fails if
-- somebody pre-created it, so no other role can have planted objects in it.
CREATE SCHEMA neon_auth;
REVOKE ALL ON SCHEMA neon_auth FROM PUBLIC;
GRANT USAGE ON SCHEMA neon_auth TO PUBLIC;
COMMENT ON SCHEMA neon_auth IS 'Better Auth-compatible users, credentials, sessions and keys (neon_auth extension)';

-- CREATE EXTENSION runs this script with search_path set to the installer's
-- first schema (usually public, which its owner controls). SQL-standard
-- function bodies below bind their function and operator names now, so an
-- object planted there (say public.make_interval(integer), an exact match
-- that beats pg_catalog's) would be captured for good. Resolve against
-- pg_catalog only. LOCAL matters: a plain SET here would outlive the script
-- and leave the caller's session with this search_path.
SET LOCAL search_path = pg_catalog, pg_temp;

---------------------------------------------------------------------------
-- C primitives (src/pg). Internal: EXECUTE is revoked from PUBLIC below.
---------------------------------------------------------------------------

CREATE FUNCTION neon_auth._password_hash(normalized_password text) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_password_hash' LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._password_hash(text) IS
	'Better Auth scrypt hash "saltHex:keyHex" (N=16384, r=16, p=1, dkLen=64) of an NFKC-normalized password';

CREATE FUNCTION neon_auth._password_verify(normalized_password text, stored text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'neon_auth_password_verify' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._password_verify(text, text) IS
	'true when an NFKC-normalized password matches a Better Auth scrypt hash (constant-time compare)';

CREATE FUNCTION neon_auth._utf16_length(value text) RETURNS integer
	AS 'MODULE_PATHNAME', 'neon_auth_utf16_length' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._utf16_length(text) IS
	'length in UTF-16 code units, as JavaScript String.length counts (Better Auth''s password policy)';

CREATE FUNCTION neon_auth._generate_id(length integer) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_generate_id' LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._generate_id(integer) IS
	'random [a-zA-Z0-9] string from the system CSPRNG, as Better Auth generateId()';

CREATE FUNCTION neon_auth._cookie_sign(value text, secret text) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_cookie_sign' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._cookie_sign(text, text) IS
	'Better Auth signed cookie value: value || ''.'' || base64(HMAC-SHA256(secret, value))';

CREATE FUNCTION neon_auth._cookie_verify(signed_value text, secret text) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_cookie_verify' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._cookie_verify(text, text) IS
	'the value inside a signed cookie value (plain or URI-encoded) whose HMAC checks out, else NULL';

CREATE FUNCTION neon_auth._symmetric_encrypt(secret text, plaintext text) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_symmetric_encrypt' LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._symmetric_encrypt(text, text) IS
	'Better Auth symmetricEncrypt: hex(nonce || XChaCha20-Poly1305(key = SHA-256(secret)))';

CREATE FUNCTION neon_auth._symmetric_decrypt(secret text, data text) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_symmetric_decrypt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._symmetric_decrypt(text, text) IS
	'Better Auth symmetricDecrypt; NULL when the data does not authenticate under the secret';

CREATE FUNCTION neon_auth._json_member(json text, name text) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_json_member' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._json_member(text, text) IS
	'a string member of a JSON object, or NULL for anything malformed; never raises (no subtransaction needed)';

CREATE FUNCTION neon_auth._email_token_sign(payload text, secret text) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_email_token_sign' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._email_token_sign(text, text) IS
	'Better Auth''s email-verification token: HS256 JWS, header {"alg":"HS256"}, over the payload, keyed by the secret';

CREATE FUNCTION neon_auth._email_token_verify(token text, secret text, now bigint) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_email_token_verify' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._email_token_verify(text, text, bigint) IS
	'the claims of an email-verification token signed with the secret and not expired at now, else NULL';

CREATE FUNCTION neon_auth._jwk_generate(alg text) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_jwk_generate' LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._jwk_generate(text) IS
	'a new private key for EdDSA (Ed25519), ES256 (P-256) or RS256 (RSA 2048) as a JWK in jose''s member order, else NULL';

CREATE FUNCTION neon_auth._jwk_public(jwk text) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_jwk_public' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._jwk_public(text) IS 'the public JWK of a valid Ed25519, P-256 or RSA JWK, else NULL';

CREATE FUNCTION neon_auth._jwt_sign(kid text, payload text, private_jwk text) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_jwt_sign' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._jwt_sign(text, text, text) IS
	'a JWT with header {"alg":<the key''s: EdDSA, ES256 or RS256>,"kid":kid} over the payload (a JSON object, key order kept)';

CREATE FUNCTION neon_auth._jwt_verify(token text, kids text[], algs text[], public_jwks text[], now bigint,
                                      leeway integer, issuer text, audience text,
                                      OUT error text, OUT kid text, OUT claims text) RETURNS record
	AS 'MODULE_PATHNAME', 'neon_auth_jwt_verify' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._jwt_verify(text, text[], text[], text[], bigint, integer, text, text) IS
	'strict JWT verification against the given keys; error is a JWT_* code or NULL with the claims';

---------------------------------------------------------------------------
-- Better Auth tables: the layout Better Auth 1.7's migrator generates with
-- advanced.database.generateId = "uuid" and the admin, organization (teams),
-- jwt, twoFactor, username, anonymous, phoneNumber, passkey and apiKey
-- plugins (better-auth-formats.md section 1.4). Column names are camelCase
-- and quoted. Where Better Auth writes a value on every insert, the column
-- also gets that value as a DB default, so plain SQL inserts stay valid.
---------------------------------------------------------------------------

CREATE TABLE neon_auth."user" (
	"id" uuid DEFAULT pg_catalog.gen_random_uuid() NOT NULL PRIMARY KEY,
	"name" text NOT NULL,
	"email" text NOT NULL UNIQUE,
	"emailVerified" boolean DEFAULT false NOT NULL,
	"image" text,
	"createdAt" timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
	"updatedAt" timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
	"role" text DEFAULT 'user',
	"banned" boolean DEFAULT false,
	"banReason" text,
	"banExpires" timestamptz,
	"twoFactorEnabled" boolean DEFAULT false,
	"username" text UNIQUE,
	"displayUsername" text,
	"isAnonymous" boolean DEFAULT false,
	"phoneNumber" text UNIQUE,
	"phoneNumberVerified" boolean
);
COMMENT ON TABLE neon_auth."user" IS 'Better Auth users; email is stored lowercased';
-- neon_auth's own: lets session checks skip the user row unless a ban exists.
CREATE INDEX "user_banned_idx" ON neon_auth."user" ("id") WHERE "banned";

CREATE TABLE neon_auth."session" (
	"id" uuid DEFAULT pg_catalog.gen_random_uuid() NOT NULL PRIMARY KEY,
	"expiresAt" timestamptz NOT NULL,
	"token" text NOT NULL UNIQUE,
	"createdAt" timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
	"updatedAt" timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
	"ipAddress" text,
	"userAgent" text,
	"userId" uuid NOT NULL REFERENCES neon_auth."user" ("id") ON DELETE CASCADE,
	"impersonatedBy" text,
	"activeOrganizationId" text,
	"activeTeamId" text
);
CREATE INDEX "session_userId_idx" ON neon_auth."session" ("userId");
COMMENT ON TABLE neon_auth."session" IS 'Better Auth sessions; token is the opaque 32-character session token';

CREATE TABLE neon_auth."account" (
	"id" uuid DEFAULT pg_catalog.gen_random_uuid() NOT NULL PRIMARY KEY,
	"accountId" text NOT NULL,
	"providerId" text NOT NULL,
	"userId" uuid NOT NULL REFERENCES neon_auth."user" ("id") ON DELETE CASCADE,
	"accessToken" text,
	"refreshToken" text,
	"idToken" text,
	"accessTokenExpiresAt" timestamptz,
	"refreshTokenExpiresAt" timestamptz,
	"scope" text,
	"password" text,
	"createdAt" timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
	"updatedAt" timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL
);
CREATE INDEX "account_userId_idx" ON neon_auth."account" ("userId");
COMMENT ON TABLE neon_auth."account" IS 'Better Auth accounts; providerId ''credential'' holds the scrypt password hash';

CREATE TABLE neon_auth."verification" (
	"id" uuid DEFAULT pg_catalog.gen_random_uuid() NOT NULL PRIMARY KEY,
	"identifier" text NOT NULL,
	"value" text NOT NULL,
	"expiresAt" timestamptz NOT NULL,
	"createdAt" timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
	"updatedAt" timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL
);
CREATE INDEX "verification_identifier_idx" ON neon_auth."verification" ("identifier");

CREATE TABLE neon_auth."jwks" (
	"id" uuid DEFAULT pg_catalog.gen_random_uuid() NOT NULL PRIMARY KEY,
	"publicKey" text NOT NULL,
	"privateKey" text NOT NULL,
	"createdAt" timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
	"expiresAt" timestamptz,
	"alg" text,
	"crv" text
);
COMMENT ON TABLE neon_auth."jwks" IS 'JWT signing keys; privateKey is encrypted with the server secret as Better Auth does';

CREATE TABLE neon_auth."organization" (
	"id" uuid DEFAULT pg_catalog.gen_random_uuid() NOT NULL PRIMARY KEY,
	"name" text NOT NULL,
	"slug" text NOT NULL UNIQUE,
	"logo" text,
	"createdAt" timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
	"metadata" text
);

CREATE TABLE neon_auth."team" (
	"id" uuid DEFAULT pg_catalog.gen_random_uuid() NOT NULL PRIMARY KEY,
	"name" text NOT NULL,
	"memberCount" integer DEFAULT 0 NOT NULL,
	"organizationId" uuid NOT NULL REFERENCES neon_auth."organization" ("id") ON DELETE CASCADE,
	"createdAt" timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
	"updatedAt" timestamptz
);
CREATE INDEX "team_organizationId_idx" ON neon_auth."team" ("organizationId");

CREATE TABLE neon_auth."teamMember" (
	"id" uuid DEFAULT pg_catalog.gen_random_uuid() NOT NULL PRIMARY KEY,
	"teamId" uuid NOT NULL REFERENCES neon_auth."team" ("id") ON DELETE CASCADE,
	"userId" uuid NOT NULL REFERENCES neon_auth."user" ("id") ON DELETE CASCADE,
	"membershipKey" text UNIQUE,
	"createdAt" timestamptz
);
CREATE INDEX "teamMember_teamId_idx" ON neon_auth."teamMember" ("teamId");
CREATE INDEX "teamMember_userId_idx" ON neon_auth."teamMember" ("userId");

CREATE TABLE neon_auth."member" (
	"id" uuid DEFAULT pg_catalog.gen_random_uuid() NOT NULL PRIMARY KEY,
	"organizationId" uuid NOT NULL REFERENCES neon_auth."organization" ("id") ON DELETE CASCADE,
	"userId" uuid NOT NULL REFERENCES neon_auth."user" ("id") ON DELETE CASCADE,
	"role" text DEFAULT 'member' NOT NULL,
	"createdAt" timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL
);
CREATE INDEX "member_organizationId_idx" ON neon_auth."member" ("organizationId");
-- neon_auth's own: one membership per user and organization, whatever the
-- order of concurrent invitations and additions.
CREATE UNIQUE INDEX "member_organizationId_userId_key" ON neon_auth."member" ("organizationId", "userId");
CREATE INDEX "member_userId_idx" ON neon_auth."member" ("userId");

CREATE TABLE neon_auth."invitation" (
	"id" uuid DEFAULT pg_catalog.gen_random_uuid() NOT NULL PRIMARY KEY,
	"organizationId" uuid NOT NULL REFERENCES neon_auth."organization" ("id") ON DELETE CASCADE,
	"email" text NOT NULL,
	"role" text,
	"teamId" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"expiresAt" timestamptz NOT NULL,
	"createdAt" timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
	"inviterId" uuid NOT NULL REFERENCES neon_auth."user" ("id") ON DELETE CASCADE
);
CREATE INDEX "invitation_organizationId_idx" ON neon_auth."invitation" ("organizationId");
CREATE INDEX "invitation_email_idx" ON neon_auth."invitation" ("email");

-- Better Auth's dynamic access control: custom roles per organization,
-- permission = JSON text {resource: [actions]}.
CREATE TABLE neon_auth."organizationRole" (
	"id" uuid DEFAULT pg_catalog.gen_random_uuid() NOT NULL PRIMARY KEY,
	"organizationId" uuid NOT NULL REFERENCES neon_auth."organization" ("id") ON DELETE CASCADE,
	"role" text NOT NULL,
	"permission" text NOT NULL
		-- Policies read it: JSON text that is not an object would make them raise.
		CHECK (pg_catalog.jsonb_typeof("permission"::pg_catalog.jsonb) OPERATOR(pg_catalog.=) 'object'),
	"createdAt" timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
	"updatedAt" timestamptz
);
CREATE INDEX "organizationRole_organizationId_idx" ON neon_auth."organizationRole" ("organizationId");
CREATE INDEX "organizationRole_role_idx" ON neon_auth."organizationRole" ("role");

CREATE TABLE neon_auth."twoFactor" (
	"id" uuid DEFAULT pg_catalog.gen_random_uuid() NOT NULL PRIMARY KEY,
	"secret" text NOT NULL,
	"backupCodes" text NOT NULL,
	"userId" uuid NOT NULL REFERENCES neon_auth."user" ("id") ON DELETE CASCADE,
	"verified" boolean DEFAULT true,
	"failedVerificationCount" integer DEFAULT 0,
	"lockedUntil" timestamptz
);
CREATE INDEX "twoFactor_secret_idx" ON neon_auth."twoFactor" ("secret");
CREATE INDEX "twoFactor_userId_idx" ON neon_auth."twoFactor" ("userId");

CREATE TABLE neon_auth."passkey" (
	"id" uuid DEFAULT pg_catalog.gen_random_uuid() NOT NULL PRIMARY KEY,
	"name" text,
	"publicKey" text NOT NULL,
	"userId" uuid NOT NULL REFERENCES neon_auth."user" ("id") ON DELETE CASCADE,
	"credentialID" text NOT NULL,
	"counter" integer NOT NULL,
	"deviceType" text NOT NULL,
	"backedUp" boolean NOT NULL,
	"transports" text,
	"createdAt" timestamptz,
	"aaguid" text
);
CREATE INDEX "passkey_userId_idx" ON neon_auth."passkey" ("userId");
CREATE INDEX "passkey_credentialID_idx" ON neon_auth."passkey" ("credentialID");

CREATE TABLE neon_auth."apikey" (
	"id" uuid DEFAULT pg_catalog.gen_random_uuid() NOT NULL PRIMARY KEY,
	"configId" text DEFAULT 'default' NOT NULL,
	"name" text,
	"start" text,
	"referenceId" text NOT NULL,
	"prefix" text,
	"key" text NOT NULL,
	"refillInterval" integer,
	"refillAmount" integer,
	"lastRefillAt" timestamptz,
	"enabled" boolean DEFAULT true,
	"rateLimitEnabled" boolean DEFAULT true,
	"rateLimitTimeWindow" integer DEFAULT 86400000,
	"rateLimitMax" integer DEFAULT 10,
	"requestCount" integer DEFAULT 0,
	"remaining" integer,
	"lastRequest" timestamptz,
	"expiresAt" timestamptz,
	"createdAt" timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
	"updatedAt" timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
	"permissions" text,
	"metadata" text
);
CREATE INDEX "apikey_configId_idx" ON neon_auth."apikey" ("configId");
CREATE INDEX "apikey_referenceId_idx" ON neon_auth."apikey" ("referenceId");
CREATE INDEX "apikey_key_idx" ON neon_auth."apikey" ("key");

CREATE TABLE neon_auth."rateLimit" (
	"id" uuid DEFAULT pg_catalog.gen_random_uuid() NOT NULL PRIMARY KEY,
	"key" text NOT NULL UNIQUE,
	"count" integer NOT NULL,
	"lastRequest" bigint NOT NULL
);

---------------------------------------------------------------------------
-- neon_auth's own state: configuration and the server secret. One row each.
---------------------------------------------------------------------------

CREATE TABLE neon_auth.config (
	singleton boolean DEFAULT true NOT NULL PRIMARY KEY CHECK (singleton),
	base_url text DEFAULT 'http://localhost:3000' NOT NULL,
	session_expires_in integer DEFAULT 604800 NOT NULL CHECK (session_expires_in > 0),
	session_update_age integer DEFAULT 86400 NOT NULL CHECK (session_update_age >= 0),
	session_fresh_age integer DEFAULT 86400 NOT NULL CHECK (session_fresh_age >= 0),
	dont_remember_expires_in integer DEFAULT 86400 NOT NULL CHECK (dont_remember_expires_in > 0),
	min_password_length integer DEFAULT 8 NOT NULL CHECK (min_password_length >= 1),
	max_password_length integer DEFAULT 128 NOT NULL,
	require_email_verification boolean DEFAULT false NOT NULL,
	jwt_expires_in integer DEFAULT 900 NOT NULL CHECK (jwt_expires_in > 0),
	jwt_leeway integer DEFAULT 30 NOT NULL CHECK (jwt_leeway BETWEEN 0 AND 300),
	jwks_grace_period integer DEFAULT 2592000 NOT NULL CHECK (jwks_grace_period >= 0),
	-- The algorithm of new signing keys (Better Auth's keyPairConfig.alg).
	jwt_alg text DEFAULT 'EdDSA' NOT NULL CHECK (jwt_alg IN ('EdDSA', 'ES256', 'RS256')),
	-- Account lifecycle. Links: {base_url}, {token} and {callback_url} are
	-- filled in (the callback URL-encoded), as Better Auth builds them.
	send_verification_on_sign_up boolean DEFAULT false NOT NULL,
	verification_expires_in integer DEFAULT 3600 NOT NULL CHECK (verification_expires_in > 0),
	verify_email_url text DEFAULT '{base_url}/api/auth/verify-email?token={token}&callbackURL={callback_url}' NOT NULL
		CHECK (strpos(verify_email_url, '{token}') > 0),
	reset_password_expires_in integer DEFAULT 3600 NOT NULL CHECK (reset_password_expires_in > 0),
	reset_password_url text DEFAULT '{base_url}/api/auth/reset-password/{token}?callbackURL={callback_url}' NOT NULL
		CHECK (strpos(reset_password_url, '{token}') > 0),
	revoke_sessions_on_password_reset boolean DEFAULT false NOT NULL,
	-- Better Auth's special rules, per path: {"window": seconds, "max": requests}.
	rate_limit_enabled boolean DEFAULT true NOT NULL,
	rate_limits jsonb DEFAULT '{"/sign-in/email": {"window": 10, "max": 3}, "/sign-up/email": {"window": 10, "max": 3},
	                           "/change-password": {"window": 10, "max": 3}, "/change-email": {"window": 10, "max": 3},
	                           "/request-password-reset": {"window": 60, "max": 3},
	                           "/send-verification-email": {"window": 60, "max": 3},
	                           "/delete-user": {"window": 10, "max": 3},
	                           "/organization/invite-member": {"window": 60, "max": 10},
	                           "/organization/create": {"window": 60, "max": 5}}' NOT NULL,
	audit_retention_days integer DEFAULT 90 NOT NULL CHECK (audit_retention_days > 0),
	-- Origins besides base_url's that emailed links may send the user back
	-- to (Better Auth's trustedOrigins); relative paths are always allowed.
	trusted_origins text[] DEFAULT '{}' NOT NULL,
	-- Organization invitations (Better Auth: 48 h); {token} is the invitation id.
	invitation_expires_in integer DEFAULT 172800 NOT NULL CHECK (invitation_expires_in > 0),
	invitation_url text DEFAULT '{base_url}/accept-invitation/{token}' NOT NULL CHECK (strpos(invitation_url, '{token}') > 0),
	-- Admin plugin: user roles that administer users; impersonation (1 h).
	admin_roles text[] DEFAULT '{admin}' NOT NULL,
	impersonation_session_duration integer DEFAULT 3600 NOT NULL CHECK (impersonation_session_duration > 0),
	allow_impersonating_admins boolean DEFAULT false NOT NULL,
	updated_at timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
	CHECK (max_password_length >= min_password_length)
);
COMMENT ON TABLE neon_auth.config IS 'neon_auth settings (one row; lifetimes in seconds, as Better Auth''s options)';

-- The HMAC key for signed cookies and the key source for encrypted columns:
-- Better Auth's BETTER_AUTH_SECRET. Only the extension owner can read it.
CREATE TABLE neon_auth.secret (
	singleton boolean DEFAULT true NOT NULL PRIMARY KEY CHECK (singleton),
	value text NOT NULL CHECK (pg_catalog.length(value) OPERATOR(pg_catalog.>) 0),
	updated_at timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL
);
COMMENT ON TABLE neon_auth.secret IS 'the server secret (Better Auth''s BETTER_AUTH_SECRET); owner-only';

-- config and secret hold exactly one row. CREATE EXTENSION writes that row;
-- a restore from pg_dump then COPYs the original database's row in. This
-- trigger makes such an insert replace the existing row, so a restored
-- database keeps the original's secret and settings instead of failing on
-- the primary key.
CREATE FUNCTION neon_auth._replace_singleton() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	EXECUTE format('DELETE FROM %I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME);
	RETURN NEW;
END
$$;
CREATE TRIGGER replace_singleton BEFORE INSERT ON neon_auth.config
	FOR EACH ROW EXECUTE FUNCTION neon_auth._replace_singleton();
CREATE TRIGGER replace_singleton BEFORE INSERT ON neon_auth.secret
	FOR EACH ROW EXECUTE FUNCTION neon_auth._replace_singleton();

CREATE FUNCTION neon_auth._touch_updated_at() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	NEW.updated_at := now();
	RETURN NEW;
END
$$;
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON neon_auth.config
	FOR EACH ROW EXECUTE FUNCTION neon_auth._touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON neon_auth.secret
	FOR EACH ROW EXECUTE FUNCTION neon_auth._touch_updated_at();

INSERT INTO neon_auth.config DEFAULT VALUES;
-- 64 characters from a 62-letter alphabet: 381 bits from the system CSPRNG.
INSERT INTO neon_auth.secret (value) VALUES (neon_auth._generate_id(64));

-- pg_dump carries every row of every table (users, sessions, keys, config, secret).
SELECT pg_catalog.pg_extension_config_dump('neon_auth."user"', '');
SELECT pg_catalog.pg_extension_config_dump('neon_auth."session"', '');
SELECT pg_catalog.pg_extension_config_dump('neon_auth."account"', '');
SELECT pg_catalog.pg_extension_config_dump('neon_auth."verification"', '');
SELECT pg_catalog.pg_extension_config_dump('neon_auth."jwks"', '');
SELECT pg_catalog.pg_extension_config_dump('neon_auth."organization"', '');
SELECT pg_catalog.pg_extension_config_dump('neon_auth."team"', '');
SELECT pg_catalog.pg_extension_config_dump('neon_auth."teamMember"', '');
SELECT pg_catalog.pg_extension_config_dump('neon_auth."member"', '');
SELECT pg_catalog.pg_extension_config_dump('neon_auth."invitation"', '');
SELECT pg_catalog.pg_extension_config_dump('neon_auth."organizationRole"', '');
SELECT pg_catalog.pg_extension_config_dump('neon_auth."twoFactor"', '');
SELECT pg_catalog.pg_extension_config_dump('neon_auth."passkey"', '');
SELECT pg_catalog.pg_extension_config_dump('neon_auth."apikey"', '');
SELECT pg_catalog.pg_extension_config_dump('neon_auth."rateLimit"', '');
SELECT pg_catalog.pg_extension_config_dump('neon_auth.config', '');
SELECT pg_catalog.pg_extension_config_dump('neon_auth.secret', '');

---------------------------------------------------------------------------
-- Internal helpers. They run inside the SECURITY DEFINER API functions.
-- PL/pgSQL helpers pin search_path. SQL helpers are written with SQL-standard
-- bodies (RETURN ... / BEGIN ATOMIC), which are parsed and bound to their
-- objects when CREATE EXTENSION runs, so no later search_path can redirect
-- them; they carry no SET clause because that would stop the planner from
-- inlining them (measured: a SET on _session_token cut verify_session's
-- throughput by more than half).
---------------------------------------------------------------------------

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
	RAISE EXCEPTION USING ERRCODE = 'read_only_sql_transaction', DETAIL = 'READ_ONLY_DATABASE',
		MESSAGE = format('%s needs a writable database', caller),
		HINT = CASE WHEN pg_is_in_recovery()
		            THEN 'This server is a read-only standby. Send this call to the primary; sessions, JWTs and the RLS helpers can be checked here.'
		            ELSE 'The transaction is read-only. Run this call in a read-write transaction (in PostgREST, with POST).' END;
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
-- which a client cannot choose (the first it can), so rate limits key on it.
CREATE FUNCTION neon_auth._client_ip(nearest boolean DEFAULT false) RETURNS text
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	xff text := neon_auth._request_json('request.headers') ->> 'x-forwarded-for';
BEGIN
	IF xff IS NULL THEN
		RETURN '';
	END IF;
	RETURN host(btrim(CASE WHEN nearest THEN regexp_replace(xff, '^.*,', '') ELSE split_part(xff, ',', 1) END)::inet);
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

-- Is Better Auth's dont_remember cookie (signed "true") in PostgREST's
-- request.cookies? Then sessions are not refreshed (rememberMe = false).
CREATE FUNCTION neon_auth._dont_remember_cookie() RETURNS boolean
	LANGUAGE sql STABLE
	RETURN coalesce(neon_auth._cookie_verify(
		coalesce(neon_auth._request_json('request.cookies') ->> 'better-auth.dont_remember',
		         neon_auth._request_json('request.cookies') ->> '__Secure-better-auth.dont_remember'),
		(SELECT value FROM neon_auth.secret)) = 'true', false);

-- Better Auth's email check (zod's email pattern), then JavaScript-style
-- lowercasing. Returns the address to store.
CREATE FUNCTION neon_auth._normalize_email(email text) RETURNS text
	LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF email IS NULL THEN
		PERFORM neon_auth._raise('VALIDATION_ERROR', 'email');
	END IF;
	IF octet_length(email) > 320
	   OR email !~ '^(?!\.)(?!.*\.\.)([A-Za-z0-9_''+\-\.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$' THEN
		PERFORM neon_auth._raise('INVALID_EMAIL');
	END IF;
	RETURN lower(email);
END
$$;

-- Better Auth's password policy: the length of the password as given, in
-- JavaScript string units, then NFKC. Returns the normalized password.
CREATE FUNCTION neon_auth._normalize_password(password text, cfg neon_auth.config) RETURNS text
	LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	len integer;
BEGIN
	IF password IS NULL THEN
		PERFORM neon_auth._raise('VALIDATION_ERROR', 'password');
	END IF;
	len := neon_auth._utf16_length(password);
	IF len < cfg.min_password_length THEN
		PERFORM neon_auth._raise('PASSWORD_TOO_SHORT');
	ELSIF len > cfg.max_password_length THEN
		PERFORM neon_auth._raise('PASSWORD_TOO_LONG');
	END IF;
	RETURN normalize(password, NFKC);
END
$$;

-- The work an unknown email costs: one scrypt verification against a hash
-- nobody can match, so response time does not tell whether an email exists.
CREATE FUNCTION neon_auth._burn_kdf(normalized_password text) RETURNS void
	LANGUAGE sql VOLATILE
BEGIN ATOMIC
	SELECT neon_auth._password_verify(normalized_password,
		'00000000000000000000000000000000:' || repeat('00', 64));
END;

-- A new session row for a user, as Better Auth's createSession writes it.
CREATE FUNCTION neon_auth._create_session(user_id uuid, remember_me boolean, cfg neon_auth.config)
	RETURNS neon_auth."session"
	LANGUAGE sql VOLATILE
BEGIN ATOMIC
	INSERT INTO neon_auth."session" ("token", "userId", "expiresAt", "createdAt", "updatedAt", "ipAddress", "userAgent")
	VALUES (neon_auth._generate_id(32), user_id,
	        neon_auth._now() + make_interval(secs => CASE WHEN remember_me IS FALSE
	                                                     THEN cfg.dont_remember_expires_in
	                                                     ELSE cfg.session_expires_in END),
	        neon_auth._now(), neon_auth._now(), neon_auth._client_ip(), neon_auth._user_agent())
	RETURNING *;
END;

---------------------------------------------------------------------------
-- Public API: Better Auth's endpoints as SQL functions.
-- SECURITY DEFINER with a pinned search_path. Passwords and tokens arrive as
-- arguments, so no error inside (including a cancel, timeout or
-- serialization failure) logs the calling statement:
-- log_min_error_statement = panic for the call's duration.
---------------------------------------------------------------------------

CREATE FUNCTION neon_auth.sign_up(email text, password text, name text, image text DEFAULT NULL,
                                  remember_me boolean DEFAULT true, callback_url text DEFAULT '/')
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	cfg neon_auth.config;
	v_email text;
	v_password text;
	v_hash text;
	u neon_auth."user";
	s neon_auth."session";
	throttled jsonb;
BEGIN
	PERFORM neon_auth._writable();
	PERFORM neon_auth._warn_if_copy();
	SELECT * INTO cfg FROM neon_auth.config;
	v_email := neon_auth._normalize_email(email);
	v_password := neon_auth._normalize_password(password, cfg);
	IF name IS NULL THEN
		PERFORM neon_auth._raise('VALIDATION_ERROR', 'name');
	END IF;
	PERFORM neon_auth._callback(callback_url);
	throttled := neon_auth._throttle('/sign-up/email', v_email);
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	-- An existing email is known without the slow hash when verification is
	-- off (Better Auth answers at once, too). With verification on, every path
	-- does the same scrypt work and gives the same answer (below).
	IF NOT cfg.require_email_verification AND EXISTS (SELECT 1 FROM neon_auth."user" WHERE "email" = v_email) THEN
		PERFORM neon_auth._audit('sign_up', NULL, 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL', v_email);
		RETURN neon_auth._fail('USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL');
	END IF;
	v_hash := neon_auth._password_hash(v_password);
	-- ON CONFLICT waits for a concurrent sign-up of the same email to finish;
	-- if that one commits, this one inserts nothing.
	INSERT INTO neon_auth."user" ("name", "email", "emailVerified", "image", "createdAt", "updatedAt",
	                              "role", "banned", "twoFactorEnabled", "isAnonymous")
	VALUES (name, v_email, false, image, neon_auth._now(), neon_auth._now(), 'user', false, false, false)
	ON CONFLICT ("email") DO NOTHING
	RETURNING * INTO u;
	IF u."id" IS NULL THEN
		PERFORM neon_auth._audit('sign_up', NULL, 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL', v_email);
		IF cfg.require_email_verification THEN
			-- As Better Auth: with verification required, an existing email gets
			-- the answer a new one gets (a user that is never stored), so sign-up
			-- does not reveal who has an account.
			RETURN jsonb_build_object('token', NULL, 'user', neon_auth._user_json(ROW(
				gen_random_uuid(), name, v_email, false, image, neon_auth._now(), neon_auth._now(),
				'user', false, NULL, NULL, false, NULL, NULL, false, NULL, NULL)::neon_auth."user"));
		END IF;
		RETURN neon_auth._fail('USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL');
	END IF;
	INSERT INTO neon_auth."account" ("accountId", "providerId", "userId", "password", "createdAt", "updatedAt")
	VALUES (u."id"::text, 'credential', u."id", v_hash, neon_auth._now(), neon_auth._now());
	PERFORM neon_auth._audit('sign_up', u."id", 'success', v_email);
	IF cfg.require_email_verification OR cfg.send_verification_on_sign_up THEN
		PERFORM neon_auth._send_verification(u, callback_url);
	END IF;
	IF cfg.require_email_verification THEN
		RETURN jsonb_build_object('token', NULL, 'user', neon_auth._user_json(u));
	END IF;
	s := neon_auth._create_session(u."id", remember_me, cfg);
	RETURN jsonb_build_object('token', s."token", 'user', neon_auth._user_json(u));
END
$$;
COMMENT ON FUNCTION neon_auth.sign_up(text, text, text, text, boolean, text) IS
	'Better Auth POST /sign-up/email: create a user with a credential password and a session; returns {token, user}';

-- A user with two-factor authentication on gets no session from the
-- password alone: sign_in answers as Better Auth's twoFactor plugin does,
-- {twoFactorRedirect: true, twoFactorMethods}, after writing the same two
-- verification rows (the challenge, and its attempt counter; 10 minutes).
-- twoFactorCookie is the signed value of the better-auth.two_factor cookie
-- that Better Auth's /two-factor/verify-totp (or verify-backup-code) takes
-- to finish the sign-in and create the session.
CREATE FUNCTION neon_auth._two_factor_challenge(user_id uuid) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	challenge text := '2fa-' || neon_auth._generate_id(20);
	expires timestamptz := neon_auth._now() + interval '600 seconds';
BEGIN
	INSERT INTO neon_auth."verification" ("identifier", "value", "expiresAt", "createdAt", "updatedAt")
	VALUES (challenge, user_id::text, expires, neon_auth._now(), neon_auth._now()),
	       ('2fa-attempts-' || challenge, '0', expires, neon_auth._now(), neon_auth._now());
	RETURN jsonb_build_object(
		'twoFactorRedirect', true,
		-- "totp" once the user has a verified TOTP secret; neon_auth sends no OTP codes.
		'twoFactorMethods', CASE WHEN EXISTS (SELECT 1 FROM neon_auth."twoFactor" t
		                                       WHERE t."userId" = user_id AND t."verified" IS DISTINCT FROM false)
		                         THEN '["totp"]'::jsonb ELSE '[]'::jsonb END,
		'twoFactorCookie', neon_auth._cookie_sign(challenge, (SELECT value FROM neon_auth.secret)));
END
$$;

CREATE FUNCTION neon_auth.sign_in(email text, password text, remember_me boolean DEFAULT true,
                                  callback_url text DEFAULT '/')
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	cfg neon_auth.config;
	v_email text;
	v_password text;
	u neon_auth."user";
	stored text;
	s neon_auth."session";
	throttled jsonb;
BEGIN
	PERFORM neon_auth._writable();
	PERFORM neon_auth._warn_if_copy();
	SELECT * INTO cfg FROM neon_auth.config;
	v_email := neon_auth._normalize_email(email);
	v_password := neon_auth._normalize_password(password, cfg);
	PERFORM neon_auth._callback(callback_url);
	-- Refused before the slow hash: a flood costs the server nothing.
	throttled := neon_auth._throttle('/sign-in/email', v_email);
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	SELECT * INTO u FROM neon_auth."user" WHERE "email" = v_email;
	IF u."id" IS NOT NULL THEN
		SELECT a."password" INTO stored FROM neon_auth."account" a
		 WHERE a."userId" = u."id" AND a."providerId" = 'credential' AND a."password" IS NOT NULL
		 ORDER BY a."createdAt" LIMIT 1;
	END IF;
	IF stored IS NULL THEN
		PERFORM neon_auth._burn_kdf(v_password);
		PERFORM neon_auth._audit('sign_in', u."id", 'INVALID_EMAIL_OR_PASSWORD', v_email);
		RETURN neon_auth._fail('INVALID_EMAIL_OR_PASSWORD');
	END IF;
	IF NOT neon_auth._password_verify(v_password, stored) THEN
		PERFORM neon_auth._audit('sign_in', u."id", 'INVALID_EMAIL_OR_PASSWORD', v_email);
		RETURN neon_auth._fail('INVALID_EMAIL_OR_PASSWORD');
	END IF;
	-- Ban checks come after the password, so they reveal nothing to a guesser.
	IF u."banned" THEN
		-- Re-read under a row lock, so a ban set meanwhile is seen, not erased.
		SELECT * INTO u FROM neon_auth."user" WHERE "id" = u."id" FOR UPDATE;
		IF u."banned" AND u."banExpires" IS NOT NULL AND u."banExpires" < now() THEN
			UPDATE neon_auth."user"
			   SET "banned" = false, "banReason" = NULL, "banExpires" = NULL, "updatedAt" = neon_auth._now()
			 WHERE "id" = u."id"
			RETURNING * INTO u;
		ELSIF u."banned" THEN
			PERFORM neon_auth._audit('sign_in', u."id", 'BANNED_USER', v_email);
			RETURN neon_auth._fail('BANNED_USER');
		END IF;
	END IF;
	IF cfg.require_email_verification AND NOT u."emailVerified" THEN
		-- As Better Auth: a fresh link with the refusal (it commits with the
		-- answer in HTTP mode; a raised error takes it back).
		PERFORM neon_auth._send_verification(u, callback_url);
		PERFORM neon_auth._audit('sign_in', u."id", 'EMAIL_NOT_VERIFIED', v_email);
		RETURN neon_auth._fail('EMAIL_NOT_VERIFIED');
	END IF;
	IF u."twoFactorEnabled" THEN
		PERFORM neon_auth._audit('sign_in', u."id", 'TWO_FACTOR_REQUIRED', v_email);
		RETURN neon_auth._two_factor_challenge(u."id");
	END IF;
	s := neon_auth._create_session(u."id", remember_me, cfg);
	PERFORM neon_auth._audit('sign_in', u."id", 'success', v_email);
	RETURN jsonb_build_object('redirect', false, 'token', s."token", 'user', neon_auth._user_json(u));
END
$$;
COMMENT ON FUNCTION neon_auth.sign_in(text, text, boolean, text) IS
	'Better Auth POST /sign-in/email: check the password and create a session; returns {redirect, token, user}';

CREATE FUNCTION neon_auth.sign_out(token text) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	t text := neon_auth._session_token(token);
	uid uuid;
BEGIN
	PERFORM neon_auth._writable();
	IF t IS NOT NULL THEN
		DELETE FROM neon_auth."session" WHERE "token" = t RETURNING "userId" INTO uid;
	END IF;
	IF uid IS NOT NULL THEN
		PERFORM neon_auth._audit('sign_out', uid, 'success');
	END IF;
	RETURN jsonb_build_object('success', true);
END
$$;
COMMENT ON FUNCTION neon_auth.sign_out(text) IS
	'Better Auth POST /sign-out: delete the session of a token or signed cookie value; returns {success: true}';

CREATE FUNCTION neon_auth.verify_session(token text) RETURNS uuid
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	t text;
	uid uuid;
BEGIN
	-- The hot path for RLS and every request: a bare token is used as is
	-- without a nested call (_session_token handles signed values and limits).
	IF strpos(token, '.') = 0 AND strpos(token, '%') = 0 AND octet_length(token) <= 1024 THEN
		t := token;
	ELSE
		t := neon_auth._session_token(token);
	END IF;
	-- NOT EXISTS over the partial index of banned users, which is normally
	-- empty, costs less than joining every session to its user row.
	SELECT s."userId" INTO uid
	  FROM neon_auth."session" s
	 WHERE s."token" = t AND s."expiresAt" >= now()
	   AND NOT EXISTS (SELECT 1 FROM neon_auth."user" u
	                    WHERE u."id" = s."userId" AND u."banned"
	                      AND (u."banExpires" IS NULL OR u."banExpires" >= now()));
	RETURN uid;
END
$$;
COMMENT ON FUNCTION neon_auth.verify_session(text) IS
	'the user id of a live session (bare token or signed cookie value), else NULL; read-only';

CREATE FUNCTION neon_auth.get_session(token text, dont_remember boolean DEFAULT false) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	cfg neon_auth.config;
	t text := neon_auth._session_token(token);
	s neon_auth."session";
	u neon_auth."user";
	read_only boolean := current_setting('transaction_read_only')::boolean;
BEGIN
	PERFORM neon_auth._warn_if_copy();
	IF t IS NULL THEN
		RETURN 'null'::jsonb;
	END IF;
	SELECT * INTO s FROM neon_auth."session" WHERE "token" = t;
	IF s."id" IS NULL THEN
		RETURN 'null'::jsonb;
	END IF;
	IF s."expiresAt" < now() THEN
		-- Better Auth deletes an expired session when it sees it.
		IF NOT read_only THEN
			DELETE FROM neon_auth."session" WHERE "id" = s."id";
		END IF;
		RETURN 'null'::jsonb;
	END IF;
	SELECT * INTO u FROM neon_auth."user" WHERE "id" = s."userId";
	IF u."banned" IS TRUE AND (u."banExpires" IS NULL OR u."banExpires" >= now()) THEN
		RETURN 'null'::jsonb;
	END IF;
	SELECT * INTO cfg FROM neon_auth.config;
	-- Sliding refresh: once no more than expiresIn - updateAge remains, push
	-- the expiry to now + expiresIn. Never for rememberMe = false sessions:
	-- Better Auth knows them by its dont_remember cookie (the argument, or the
	-- signed cookie in PostgREST's request.cookies); SQL callers often have no
	-- cookie, so a session whose lifetime is the one-day rememberMe = false
	-- lifetime (such sessions are never refreshed, so it stays that) counts too.
	IF NOT read_only AND NOT coalesce(dont_remember, false) AND NOT neon_auth._dont_remember_cookie()
	   AND s."expiresAt" - s."createdAt" > make_interval(secs => cfg.dont_remember_expires_in) + interval '1 minute'
	   AND s."expiresAt" - make_interval(secs => cfg.session_expires_in)
	                     + make_interval(secs => cfg.session_update_age) <= now() THEN
		UPDATE neon_auth."session"
		   SET "expiresAt" = neon_auth._now() + make_interval(secs => cfg.session_expires_in),
		       "updatedAt" = neon_auth._now()
		 WHERE "id" = s."id"
		RETURNING * INTO s;
		-- Signed out (or revoked) by a concurrent transaction meanwhile.
		IF NOT FOUND THEN
			RETURN 'null'::jsonb;
		END IF;
	END IF;
	RETURN jsonb_build_object('session', neon_auth._session_json(s), 'user', neon_auth._user_json(u));
END
$$;
COMMENT ON FUNCTION neon_auth.get_session(text, boolean) IS
	'Better Auth GET /get-session: {session, user} for a live session or JSON null; refreshes the expiry unless read-only';

CREATE FUNCTION neon_auth.session_cookie(token text) RETURNS text
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	t text := neon_auth._session_token(token);
BEGIN
	-- Sign only tokens that verify_session accepts (live, user not banned):
	-- the function must not be an oracle that signs arbitrary strings with
	-- the server secret.
	IF t IS NULL OR neon_auth.verify_session(t) IS NULL THEN
		RETURN NULL;
	END IF;
	RETURN neon_auth._cookie_sign(t, (SELECT value FROM neon_auth.secret));
END
$$;
COMMENT ON FUNCTION neon_auth.session_cookie(text) IS
	'the signed value of better-auth.session_token for a live session (token.signature, not URI-encoded), else NULL';

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
	INSERT INTO neon_auth.secret (value) VALUES (secret);
END
$$;
COMMENT ON FUNCTION neon_auth.set_secret(text) IS
	'replace the server secret (e.g. with BETTER_AUTH_SECRET); signed cookies made with the old one stop verifying';

---------------------------------------------------------------------------
-- Signing keys and JWTs (Better Auth's jwt plugin, Neon Auth's claims).
---------------------------------------------------------------------------

-- iss and aud: the origin of the configured base URL, as Better Auth does.
CREATE FUNCTION neon_auth._origin(url text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN substring(url FROM '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]+');

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

-- Keys whose tokens verify: live ones, and retired ones for the grace period.
-- PL/pgSQL rather than a SQL body: a record-returning SQL function is not
-- inlined and would be planned anew on every call (measured: 85 us vs 10 us).
CREATE FUNCTION neon_auth._trusted_keys(OUT kids text[], OUT algs text[], OUT public_jwks text[],
                                       OUT trusted_until timestamptz[])
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	SELECT coalesce(array_agg(j."id"::text ORDER BY j."createdAt" DESC), '{}'),
	       coalesce(array_agg(coalesce(j."alg", 'EdDSA') ORDER BY j."createdAt" DESC), '{}'),
	       coalesce(array_agg(j."publicKey" ORDER BY j."createdAt" DESC), '{}'),
	       coalesce(array_agg(j."expiresAt" + make_interval(secs => c.jwks_grace_period) ORDER BY j."createdAt" DESC), '{}')
	  INTO kids, algs, public_jwks, trusted_until
	  FROM neon_auth.jwks j, neon_auth.config c
	 WHERE j."expiresAt" IS NULL OR j."expiresAt" + make_interval(secs => c.jwks_grace_period) > now();
END
$$;

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

-- A JWT checked against the trusted keys, the configured issuer/audience
-- and leeway: (error, claims) as _jwt_verify gives them, and the moment the
-- token stops verifying (expiry plus leeway, or its key leaving the grace
-- period, whichever is first; NULL if neither applies).
CREATE FUNCTION neon_auth._check_jwt(token text, OUT error text, OUT claims jsonb, OUT valid_until timestamptz)
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	cfg neon_auth.config;
	keys record;
	origin text;
	r record;
BEGIN
	SELECT * INTO cfg FROM neon_auth.config;
	SELECT * INTO keys FROM neon_auth._trusted_keys();
	origin := neon_auth._origin(cfg.base_url);
	SELECT * INTO r FROM neon_auth._jwt_verify(token, keys.kids, keys.algs, keys.public_jwks,
		floor(extract(epoch FROM now()))::bigint, cfg.jwt_leeway, origin, origin);
	error := r.error;
	claims := r.claims::jsonb;
	IF error IS NULL THEN
		-- exp is a number when present (the verifier insists).
		-- Clamped: the verifier takes any finite exp, to_timestamp does not.
		valid_until := least(to_timestamp(least((claims ->> 'exp')::numeric + cfg.jwt_leeway, 253402300799)),
		                     keys.trusted_until[array_position(keys.kids, r.kid)]);
	END IF;
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
	iat bigint := floor(extract(epoch FROM now()));
	payload jsonb;
	org jsonb;
BEGIN
	IF uid IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT * INTO cfg FROM neon_auth.config;
	SELECT * INTO s FROM neon_auth."session" WHERE "token" = neon_auth._session_token(session_token);
	SELECT * INTO u FROM neon_auth."user" WHERE "id" = uid;
	k := neon_auth._signing_key();
	private_jwk := neon_auth._private_jwk(k);
	IF private_jwk IS NULL THEN
		PERFORM neon_auth._raise('SIGNING_KEY_UNREADABLE');
	END IF;
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
	RETURN neon_auth._jwt_sign(k."id"::text, payload::text, private_jwk);
END
$$;
COMMENT ON FUNCTION neon_auth.token(text) IS
	'Better Auth GET /token: a JWT (config.jwt_alg: EdDSA, ES256 or RS256) for a live session (Neon Auth claims), else NULL';

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

CREATE FUNCTION neon_auth.verify_jwt(token text) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	r record;
BEGIN
	IF token IS NULL THEN
		PERFORM neon_auth._raise('VALIDATION_ERROR', 'token');
	END IF;
	r := neon_auth._check_jwt(token);
	IF r.error IS NOT NULL THEN
		PERFORM neon_auth._raise(r.error);
	END IF;
	RETURN r.claims;
END
$$;
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

-- The first signing key, so replicas and clones have one from the start.
SELECT neon_auth._create_signing_key('EdDSA');

---------------------------------------------------------------------------
-- Identity for RLS: who is calling, verified inside the database.
---------------------------------------------------------------------------

-- The identity behind one credential, or NULL: a JWT (verified against the
-- trusted keys, its user still there and not banned) or a session token /
-- signed cookie value (as verify_session); and until when it holds unless
-- the auth tables change (NULL: no time limit).
CREATE FUNCTION neon_auth._identity_of(credential text, OUT identity jsonb, OUT valid_until timestamptz)
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	r record;
	uid uuid;
	s neon_auth."session";
	u neon_auth."user";
BEGIN
	IF credential IS NULL OR credential = '' OR octet_length(credential) > 8192 THEN
		RETURN;
	END IF;
	-- Two dots: a JWT (the verifier is strict about the rest). A regular
	-- expression over a kilobyte-long token costs more than the lookup.
	IF octet_length(credential) - octet_length(replace(credential, '.', '')) = 2 THEN
		r := neon_auth._check_jwt(credential);
		uid := CASE WHEN r.error IS NULL THEN neon_auth._active_user(r.claims ->> 'sub') END;
		IF uid IS NOT NULL THEN
			identity := jsonb_build_object('sub', uid, 'via', 'jwt', 'claims', r.claims, 'session', NULL);
			valid_until := r.valid_until;
		END IF;
		RETURN;
	END IF;
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

-- The identity behind the credential the C caller, _identity(), found in the
-- request (authenticate(), then PostgREST's bearer header, then its session
-- cookie), or, with no credential and only when a superuser set
-- neon_auth.trust_jwt_claims, behind request.jwt.claims (passed as
-- trusted_claims). A credential that is present but does not verify
-- identifies nobody; it never falls through to the claims.
CREATE FUNCTION neon_auth._resolve_identity(credential text, trusted_claims text,
                                            OUT identity jsonb, OUT valid_until timestamptz)
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	uid uuid;
BEGIN
	IF credential IS NOT NULL THEN
		SELECT * INTO identity, valid_until FROM neon_auth._identity_of(credential);
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

-- PARALLEL SAFE: nothing on the resolution path starts a subtransaction
-- (which parallel mode forbids, in the leader as in workers); each worker
-- keeps its own memo. A regression test runs it under force_parallel_mode.
CREATE FUNCTION neon_auth._identity() RETURNS jsonb
	AS 'MODULE_PATHNAME', 'neon_auth_identity' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._identity() IS
	'the caller''s verified identity {sub, via, claims, session} or NULL, memoised per statement and cached per backend';

-- Changes that can end an identity (sign-out, ban, user edits, key
-- retirement or revocation, new config or secret) end the generation of
-- every backend's identity cache. Inserts of sessions, users and keys cannot
-- end one and fire nothing. Row-level, because logical replication's apply
-- worker fires row triggers but not statement triggers (except TRUNCATE);
-- repeated invalidations in one transaction are merged. ENABLE ALWAYS: also
-- under session_replication_role = replica.
CREATE FUNCTION neon_auth._identity_changed() RETURNS trigger
	AS 'MODULE_PATHNAME', 'neon_auth_identity_changed' LANGUAGE C;
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['session', 'user', 'jwks', 'config', 'secret'] LOOP
		EXECUTE format('CREATE TRIGGER identity_changed AFTER %s ON neon_auth.%I FOR EACH ROW '
		               'EXECUTE FUNCTION neon_auth._identity_changed()',
		               CASE WHEN t IN ('config', 'secret') THEN 'INSERT OR UPDATE OR DELETE' ELSE 'UPDATE OR DELETE' END, t);
		EXECUTE format('CREATE TRIGGER identity_truncated AFTER TRUNCATE ON neon_auth.%I FOR EACH STATEMENT '
		               'EXECUTE FUNCTION neon_auth._identity_changed()', t);
		EXECUTE format('ALTER TABLE neon_auth.%I ENABLE ALWAYS TRIGGER identity_changed', t);
		EXECUTE format('ALTER TABLE neon_auth.%I ENABLE ALWAYS TRIGGER identity_truncated', t);
	END LOOP;
END
$$;

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

-- Sets the credential for this transaction (or the session), then answers
-- who it identifies. NULL clears it. SECURITY DEFINER only so that its SET
-- clause (keeping the token out of the log) is allowed; the setting it makes
-- is the caller's own, and outlives the call as any set_config does.
CREATE FUNCTION neon_auth.authenticate(token text, session_wide boolean DEFAULT false) RETURNS uuid
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
BEGIN
	PERFORM set_config('neon_auth.credential', coalesce(token, ''), NOT coalesce(session_wide, false));
	RETURN (neon_auth._identity() ->> 'sub')::uuid;
END
$$;
COMMENT ON FUNCTION neon_auth.authenticate(text, boolean) IS
	'use this credential (JWT, session token or signed cookie value) for requesting_user_id(); returns its user id or NULL';

---------------------------------------------------------------------------
-- Account lifecycle: audit trail, outbox, rate limits, failures that must
-- leave a trace, configuration, and Better Auth's account flows.
---------------------------------------------------------------------------

-- Every auth event, appended in the transaction of the flow. Never a
-- password, token or hash. Owner-only. No foreign key: the trail outlives
-- deleted users. Pruned by neon_auth.prune() after audit_retention_days.
CREATE TABLE neon_auth.audit_log (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at timestamptz DEFAULT clock_timestamp() NOT NULL,
	event text NOT NULL,
	user_id uuid,
	email text,
	ip text NOT NULL DEFAULT '',
	user_agent text NOT NULL DEFAULT '',
	outcome text NOT NULL, -- 'success', or the Better Auth error code
	detail jsonb
);
CREATE INDEX audit_log_at_idx ON neon_auth.audit_log (at);
CREATE INDEX audit_log_user_id_idx ON neon_auth.audit_log (user_id);
COMMENT ON TABLE neon_auth.audit_log IS 'neon_auth auth events (no secrets); owner-only; pruned by neon_auth.prune()';

-- Messages the database cannot send itself. A worker (worker/outbox.mjs)
-- LISTENs on channel neon_auth_outbox, claims rows with outbox_claim(),
-- delivers, then calls outbox_delivered() or outbox_failed(). data holds the
-- link and its token: owner-only, like the other secrets.
CREATE TABLE neon_auth.outbox (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind text NOT NULL, -- 'verify-email', 'change-email', 'reset-password'
	recipient text NOT NULL,
	user_id uuid,
	data jsonb NOT NULL,
	created_at timestamptz DEFAULT clock_timestamp() NOT NULL,
	attempts integer DEFAULT 0 NOT NULL,
	next_attempt_at timestamptz DEFAULT clock_timestamp() NOT NULL,
	last_error text,
	delivered_at timestamptz
);
CREATE INDEX outbox_pending_idx ON neon_auth.outbox (next_attempt_at, id) WHERE delivered_at IS NULL;
COMMENT ON TABLE neon_auth.outbox IS 'neon_auth outbound messages (NOTIFY neon_auth_outbox); owner-only, holds link tokens';

SELECT pg_catalog.pg_extension_config_dump('neon_auth.audit_log', '');
SELECT pg_catalog.pg_extension_config_dump('neon_auth.outbox', '');
-- Their id sequences too, or a restored copy would hand out ids it has.
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('neon_auth.audit_log', 'id'), '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('neon_auth.outbox', 'id'), '');

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

-- Better Auth's database rate limiter for one flow, keyed by client IP
-- ("<ip>|<path>", when the request carries one) and by the target email
-- ("email:<email>|<path>"). NULL when the call may go on (and is counted);
-- else the seconds until it may be retried, with nothing written.
CREATE FUNCTION neon_auth._rate_limited(path text, email text) RETURNS integer
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	cfg neon_auth.config;
	rule jsonb;
	window_ms bigint;
	max_requests integer;
	now_ms bigint := floor(extract(epoch FROM clock_timestamp()) * 1000);
	ip text := neon_auth._client_ip(nearest => true);
	keys text[];
	k text;
	r neon_auth."rateLimit";
	retry integer;
BEGIN
	SELECT * INTO cfg FROM neon_auth.config;
	rule := cfg.rate_limits -> path;
	IF NOT cfg.rate_limit_enabled OR rule IS NULL THEN
		RETURN NULL;
	END IF;
	window_ms := (rule ->> 'window')::bigint * 1000;
	max_requests := (rule ->> 'max')::integer;
	keys := array_remove(ARRAY[CASE WHEN ip <> '' THEN ip || '|' || path END,
	                           CASE WHEN email IS NOT NULL THEN 'email:' || email || '|' || path END], NULL);
	-- Check every key before counting any, so a refused call writes nothing.
	-- A transaction-scoped advisory lock per key (in key order, so no
	-- deadlock) serializes concurrent calls even before the key has a row,
	-- which FOR UPDATE could not lock.
	FOREACH k IN ARRAY (SELECT array_agg(x ORDER BY x) FROM unnest(keys) x) LOOP
		PERFORM pg_advisory_xact_lock(hashtext('neon_auth.rateLimit'), hashtext(k));
		SELECT * INTO r FROM neon_auth."rateLimit" WHERE "key" = k;
		IF r."key" IS NOT NULL AND now_ms - r."lastRequest" < window_ms AND r."count" >= max_requests THEN
			retry := greatest(retry, ceil((r."lastRequest" + window_ms - now_ms) / 1000.0)::integer);
		END IF;
	END LOOP;
	IF retry IS NOT NULL THEN
		RETURN greatest(retry, 1);
	END IF;
	FOREACH k IN ARRAY keys LOOP
		INSERT INTO neon_auth."rateLimit" ("key", "count", "lastRequest") VALUES (k, 1, now_ms)
		ON CONFLICT ("key") DO UPDATE
		   SET "count" = CASE WHEN now_ms - neon_auth."rateLimit"."lastRequest" >= window_ms THEN 1
		                      ELSE neon_auth."rateLimit"."count" + 1 END,
		       "lastRequest" = now_ms;
	END LOOP;
	RETURN NULL;
END
$$;

-- The rate limit of a flow as the flows apply it: NULL to go on, else the
-- TOO_MANY_REQUESTS failure (answered or raised, see _fail) with its audit row.
CREATE FUNCTION neon_auth._throttle(path text, email text, user_id uuid DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	retry integer;
BEGIN
	PERFORM neon_auth._writable();
	retry := neon_auth._rate_limited(path, email);
	IF retry IS NULL THEN
		RETURN NULL;
	END IF;
	PERFORM neon_auth._audit('rate_limited', user_id, 'TOO_MANY_REQUESTS', email, jsonb_build_object('path', path));
	RETURN neon_auth._fail('TOO_MANY_REQUESTS', retry::text);
END
$$;

-- A message for the outbox worker, announced on channel neon_auth_outbox
-- (payload: the row id) when the transaction commits.
CREATE FUNCTION neon_auth._enqueue(kind text, recipient text, user_id uuid, data jsonb) RETURNS bigint
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	new_id bigint;
BEGIN
	INSERT INTO neon_auth.outbox (kind, recipient, user_id, data) VALUES (kind, recipient, user_id, data)
	RETURNING id INTO new_id;
	PERFORM pg_notify('neon_auth_outbox', new_id::text);
	RETURN new_id;
END
$$;

-- A link from a config template: {base_url}, {token} and {callback_url}
-- (URL-encoded, as Better Auth's encodeURIComponent).
CREATE FUNCTION neon_auth._link(template text, base_url text, token text, callback_url text) RETURNS text
	LANGUAGE sql IMMUTABLE
	RETURN replace(replace(replace(template, '{base_url}', rtrim(base_url, '/')), '{token}', token),
	               '{callback_url}', (SELECT string_agg(CASE WHEN c ~ '^[A-Za-z0-9_.!~*''()-]$' THEN c
	                                                        ELSE upper(regexp_replace(encode(convert_to(c, 'UTF8'), 'hex'), '(..)', '%\1', 'g')) END, '' ORDER BY i)
	                                    FROM regexp_split_to_table(coalesce(callback_url, '/'), '') WITH ORDINALITY AS t(c, i)));

-- A callback URL for an emailed link, as Better Auth's origin check allows
-- it: a path on this site ("/x", not "//host"), or an absolute URL whose
-- origin is base_url's or in config.trusted_origins. Anything else raises,
-- so nobody can have a genuine email send its reader somewhere else.
CREATE FUNCTION neon_auth._callback(url text) RETURNS text
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	cfg neon_auth.config;
BEGIN
	IF url IS NULL OR url = '' THEN
		RETURN '/';
	END IF;
	IF url ~ '^/([^/\\]|$)' AND url !~ '[\s\\]' THEN
		RETURN url;
	END IF;
	SELECT * INTO cfg FROM neon_auth.config;
	IF url ~ '^https?://' AND url !~ '[\s\\]'
	   AND (lower(neon_auth._origin(url)) = lower(neon_auth._origin(cfg.base_url))
	        OR lower(neon_auth._origin(url)) = ANY (SELECT lower(o) FROM unnest(cfg.trusted_origins) o))
	   AND substr(url, length(neon_auth._origin(url)) + 1) ~ '^([/?#]|$)' THEN
		RETURN url;
	END IF;
	PERFORM neon_auth._raise('INVALID_CALLBACK_URL');
	RETURN NULL;
END
$$;

-- Queue Better Auth's verification email for a user: an HS256 link token
-- over {email, [updateTo], userId, iat, exp}, keyed by the secret.
CREATE FUNCTION neon_auth._send_verification(u neon_auth."user", callback_url text, update_to text DEFAULT NULL)
	RETURNS void
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	cfg neon_auth.config;
	iat bigint := floor(extract(epoch FROM now()));
	token text;
BEGIN
	SELECT * INTO cfg FROM neon_auth.config;
	token := neon_auth._email_token_sign(
		(jsonb_build_object('email', u."email") || CASE WHEN update_to IS NOT NULL
		                                                THEN jsonb_build_object('updateTo', update_to, 'requestType', 'change-email-verification')
		                                                ELSE '{}' END
		 || jsonb_build_object('userId', u."id", 'iat', iat, 'exp', iat + cfg.verification_expires_in))::text,
		(SELECT value FROM neon_auth.secret));
	PERFORM neon_auth._enqueue(CASE WHEN update_to IS NULL THEN 'verify-email' ELSE 'change-email' END,
		coalesce(update_to, u."email"), u."id",
		jsonb_build_object('name', u."name", 'email', u."email", 'new_email', update_to, 'token', token,
		                   'url', neon_auth._link(cfg.verify_email_url, cfg.base_url, token, neon_auth._callback(callback_url)),
		                   'expires_at', neon_auth._iso(to_timestamp(iat + cfg.verification_expires_in))));
END
$$;

-- The signed-in caller: the user and session of `session_token` when given,
-- else of the request's identity (authenticate(), PostgREST's bearer session
-- token or cookie). Account management needs a session, as Better Auth's
-- sessionMiddleware does: a JWT (a short-lived token for data access) or
-- trusted claims identify nobody here. user_id is NULL for nobody.
CREATE FUNCTION neon_auth._caller(session_token text, OUT user_id uuid, OUT s neon_auth."session")
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	identity jsonb;
BEGIN
	IF session_token IS NOT NULL THEN
		user_id := neon_auth.verify_session(session_token);
		IF user_id IS NOT NULL THEN
			SELECT * INTO s FROM neon_auth."session" WHERE "token" = neon_auth._session_token(session_token);
		END IF;
		RETURN;
	END IF;
	identity := neon_auth._identity();
	IF identity ->> 'via' = 'session' THEN
		SELECT * INTO s FROM neon_auth."session"
		 WHERE "id" = (identity #>> '{session,session,id}')::uuid AND "expiresAt" >= now();
		user_id := s."userId";
	END IF;
END
$$;

-- The credential account's password hash of a user, if any.
CREATE FUNCTION neon_auth._password_of(user_id uuid) RETURNS text
	LANGUAGE sql STABLE
	RETURN (SELECT a."password" FROM neon_auth."account" a
	         WHERE a."userId" = user_id AND a."providerId" = 'credential' AND a."password" IS NOT NULL
	         ORDER BY a."createdAt" LIMIT 1);

-- Better Auth's freshSessionMiddleware: a session created at most
-- session_fresh_age seconds ago (0 turns the check off).
CREATE FUNCTION neon_auth._fresh(s neon_auth."session") RETURNS boolean
	LANGUAGE sql STABLE
	RETURN (SELECT c.session_fresh_age = 0 OR (s."id" IS NOT NULL AND now() - s."createdAt" < make_interval(secs => c.session_fresh_age))
	          FROM neon_auth.config c);

-- Better Auth POST /send-verification-email. The same answer whether or not
-- the address belongs to an unverified user, so it reveals nothing.
CREATE FUNCTION neon_auth.send_verification_email(email text, callback_url text DEFAULT '/') RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	v_email text := neon_auth._normalize_email(email);
	checked_callback text := neon_auth._callback(callback_url);
	throttled jsonb := neon_auth._throttle('/send-verification-email', v_email);
	u neon_auth."user";
BEGIN
	PERFORM neon_auth._writable();
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	SELECT * INTO u FROM neon_auth."user" WHERE "email" = v_email;
	IF u."id" IS NOT NULL AND NOT u."emailVerified" THEN
		PERFORM neon_auth._send_verification(u, callback_url);
	END IF;
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
	ELSE
		UPDATE neon_auth."user" SET "emailVerified" = true, "updatedAt" = neon_auth._now()
		 WHERE "id" = u."id" AND NOT "emailVerified" RETURNING * INTO u;
		SELECT * INTO u FROM neon_auth."user" WHERE "id"::text = claims ->> 'userId';
		PERFORM neon_auth._audit('email_verified', u."id", 'success', u."email");
	END IF;
	RETURN jsonb_build_object('status', true, 'user', neon_auth._user_json(u));
END
$$;
COMMENT ON FUNCTION neon_auth.verify_email(text) IS
	'Better Auth GET /verify-email: check the link token, mark the email verified (or apply a change); returns {status, user}';

-- Better Auth POST /request-password-reset: a single-use row
-- reset-password:<24-char token> -> user id, and the link in the outbox.
-- The same answer, and the same work, whether or not the email exists.
CREATE FUNCTION neon_auth.request_password_reset(email text, redirect_to text DEFAULT '/') RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	cfg neon_auth.config;
	v_email text := neon_auth._normalize_email(email);
	checked_callback text := neon_auth._callback(redirect_to);
	throttled jsonb := neon_auth._throttle('/request-password-reset', v_email);
	u neon_auth."user";
	token text := neon_auth._generate_id(24);
BEGIN
	PERFORM neon_auth._writable();
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	SELECT * INTO cfg FROM neon_auth.config;
	SELECT * INTO u FROM neon_auth."user" WHERE "email" = v_email;
	IF u."id" IS NOT NULL THEN
		INSERT INTO neon_auth."verification" ("identifier", "value", "expiresAt", "createdAt", "updatedAt")
		VALUES ('reset-password:' || token, u."id"::text,
		        neon_auth._now() + make_interval(secs => cfg.reset_password_expires_in), neon_auth._now(), neon_auth._now());
		PERFORM neon_auth._enqueue('reset-password', u."email", u."id",
			jsonb_build_object('name', u."name", 'email', u."email", 'token', token,
			                   'url', neon_auth._link(cfg.reset_password_url, cfg.base_url, token, neon_auth._callback(redirect_to)),
			                   'expires_at', neon_auth._iso(neon_auth._now() + make_interval(secs => cfg.reset_password_expires_in))));
	END IF;
	PERFORM neon_auth._audit('password_reset_requested', u."id", 'success', v_email);
	RETURN jsonb_build_object('status', true,
		'message', 'If this email exists in our system, check your email for the reset link');
END
$$;
COMMENT ON FUNCTION neon_auth.request_password_reset(text, text) IS
	'Better Auth POST /request-password-reset: queue a one-hour, single-use reset link; the same answer for unknown emails';

-- Sets a user's credential password (creating the credential account if
-- there is none).
CREATE FUNCTION neon_auth._set_password_hash(user_id uuid, hash text) RETURNS void
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	UPDATE neon_auth."account" SET "password" = hash, "updatedAt" = neon_auth._now()
	 WHERE "userId" = user_id AND "providerId" = 'credential';
	IF NOT FOUND THEN
		INSERT INTO neon_auth."account" ("accountId", "providerId", "userId", "password", "createdAt", "updatedAt")
		VALUES (user_id::text, 'credential', user_id, hash, neon_auth._now(), neon_auth._now());
	END IF;
END
$$;

-- Better Auth POST /reset-password: the token works once (the row is
-- deleted under a lock, so of two concurrent resets one wins).
CREATE FUNCTION neon_auth.reset_password(new_password text, token text) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	cfg neon_auth.config;
	v_password text;
	uid uuid;
BEGIN
	PERFORM neon_auth._writable();
	SELECT * INTO cfg FROM neon_auth.config;
	IF token IS NULL THEN
		PERFORM neon_auth._raise('VALIDATION_ERROR', 'token');
	END IF;
	v_password := neon_auth._normalize_password(new_password, cfg);
	DELETE FROM neon_auth."verification"
	 WHERE "id" = (SELECT v."id" FROM neon_auth."verification" v
	                WHERE v."identifier" = 'reset-password:' || token AND v."expiresAt" > now()
	                ORDER BY v."createdAt" DESC LIMIT 1 FOR UPDATE)
	RETURNING "value"::uuid INTO uid;
	IF uid IS NULL OR NOT EXISTS (SELECT 1 FROM neon_auth."user" WHERE "id" = uid) THEN
		PERFORM neon_auth._audit('password_reset', NULL, 'INVALID_TOKEN');
		RETURN neon_auth._fail('INVALID_TOKEN');
	END IF;
	PERFORM neon_auth._set_password_hash(uid, neon_auth._password_hash(v_password));
	-- Any other reset link of this user dies with this one.
	DELETE FROM neon_auth."verification" WHERE "identifier" LIKE 'reset-password:%' AND "value" = uid::text;
	IF cfg.revoke_sessions_on_password_reset THEN
		DELETE FROM neon_auth."session" WHERE "userId" = uid;
	END IF;
	PERFORM neon_auth._audit('password_reset', uid, 'success');
	RETURN jsonb_build_object('status', true);
END
$$;
COMMENT ON FUNCTION neon_auth.reset_password(text, text) IS
	'Better Auth POST /reset-password: set a new password with a single-use reset token; returns {status: true}';

-- Better Auth POST /change-password. With revoke_other_sessions every
-- session of the user ends and a new one is returned, as Better Auth does.
CREATE FUNCTION neon_auth.change_password(current_password text, new_password text,
                                          revoke_other_sessions boolean DEFAULT false, session_token text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	cfg neon_auth.config;
	caller record := neon_auth._caller(session_token);
	u neon_auth."user";
	stored text;
	throttled jsonb;
	s neon_auth."session";
BEGIN
	PERFORM neon_auth._writable();
	SELECT * INTO cfg FROM neon_auth.config;
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	SELECT * INTO u FROM neon_auth."user" WHERE "id" = caller.user_id;
	throttled := neon_auth._throttle('/change-password', u."email", u."id");
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	stored := neon_auth._password_of(u."id");
	IF stored IS NULL THEN
		PERFORM neon_auth._raise('CREDENTIAL_ACCOUNT_NOT_FOUND');
	END IF;
	IF NOT neon_auth._password_verify(neon_auth._normalize_password(current_password, cfg), stored) THEN
		PERFORM neon_auth._audit('password_changed', u."id", 'INVALID_PASSWORD', u."email");
		RETURN neon_auth._fail('INVALID_PASSWORD');
	END IF;
	PERFORM neon_auth._set_password_hash(u."id", neon_auth._password_hash(neon_auth._normalize_password(new_password, cfg)));
	DELETE FROM neon_auth."verification" WHERE "identifier" LIKE 'reset-password:%' AND "value" = u."id"::text;
	IF revoke_other_sessions THEN
		DELETE FROM neon_auth."session" WHERE "userId" = u."id";
		s := neon_auth._create_session(u."id", true, cfg);
	END IF;
	PERFORM neon_auth._audit('password_changed', u."id", 'success', u."email",
		jsonb_build_object('revoked_other_sessions', coalesce(revoke_other_sessions, false)));
	RETURN jsonb_build_object('token', s."token", 'user', neon_auth._user_json(u));
END
$$;
COMMENT ON FUNCTION neon_auth.change_password(text, text, boolean, text) IS
	'Better Auth POST /change-password: check the current password, set the new one; returns {token, user}';

-- Better Auth's setPassword: a first password for a user without one
-- (signed up another way). Needs a fresh session.
CREATE FUNCTION neon_auth.set_password(new_password text, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	cfg neon_auth.config;
	caller record := neon_auth._caller(session_token);
BEGIN
	PERFORM neon_auth._writable();
	SELECT * INTO cfg FROM neon_auth.config;
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	IF NOT neon_auth._fresh(caller.s) THEN
		RETURN neon_auth._fail('SESSION_NOT_FRESH');
	END IF;
	IF neon_auth._password_of(caller.user_id) IS NOT NULL THEN
		PERFORM neon_auth._raise('PASSWORD_ALREADY_SET');
	END IF;
	PERFORM neon_auth._set_password_hash(caller.user_id, neon_auth._password_hash(neon_auth._normalize_password(new_password, cfg)));
	PERFORM neon_auth._audit('password_set', caller.user_id, 'success');
	RETURN jsonb_build_object('status', true);
END
$$;
COMMENT ON FUNCTION neon_auth.set_password(text, text) IS
	'Better Auth setPassword: give a user without a password one (fresh session required); returns {status: true}';

-- Better Auth POST /update-user: name and image (NULL leaves a field as is).
CREATE FUNCTION neon_auth.update_user(name text DEFAULT NULL, image text DEFAULT NULL, session_token text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	caller record := neon_auth._caller(session_token);
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	UPDATE neon_auth."user" SET "name" = coalesce(update_user.name, "name"), "image" = coalesce(update_user.image, "image"),
	       "updatedAt" = neon_auth._now()
	 WHERE "id" = caller.user_id;
	PERFORM neon_auth._audit('user_updated', caller.user_id, 'success', NULL,
		jsonb_strip_nulls(jsonb_build_object('name', update_user.name IS NOT NULL, 'image', update_user.image IS NOT NULL)));
	RETURN jsonb_build_object('status', true);
END
$$;
COMMENT ON FUNCTION neon_auth.update_user(text, text, text) IS
	'Better Auth POST /update-user: change the caller''s name and/or image; returns {status: true}';

-- Better Auth POST /change-email: a verification link to the new address
-- (updateTo); the change happens when verify_email() gets it.
CREATE FUNCTION neon_auth.change_email(new_email text, callback_url text DEFAULT '/', session_token text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	caller record := neon_auth._caller(session_token);
	v_email text := neon_auth._normalize_email(new_email);
	checked_callback text := neon_auth._callback(callback_url);
	u neon_auth."user";
	throttled jsonb;
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	SELECT * INTO u FROM neon_auth."user" WHERE "id" = caller.user_id;
	throttled := neon_auth._throttle('/change-email', u."email", u."id");
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	IF v_email = u."email" THEN
		PERFORM neon_auth._raise('EMAIL_CAN_NOT_BE_UPDATED');
	END IF;
	-- An address someone else has gets the same answer and no link, so this
	-- cannot be used to find out who has an account.
	IF EXISTS (SELECT 1 FROM neon_auth."user" WHERE "email" = v_email) THEN
		PERFORM neon_auth._audit('email_change_requested', u."id", 'EMAIL_CAN_NOT_BE_UPDATED', u."email", jsonb_build_object('to', v_email));
		RETURN jsonb_build_object('status', true);
	END IF;
	PERFORM neon_auth._send_verification(u, callback_url, v_email);
	PERFORM neon_auth._audit('email_change_requested', u."id", 'success', u."email", jsonb_build_object('to', v_email));
	RETURN jsonb_build_object('status', true);
END
$$;
COMMENT ON FUNCTION neon_auth.change_email(text, text, text) IS
	'Better Auth POST /change-email: send a verification link to the new address; verify_email() applies it';

-- Better Auth POST /delete-user: with the password, or from a fresh
-- session. Sessions and accounts go with the user (ON DELETE CASCADE).
CREATE FUNCTION neon_auth.delete_user(password text DEFAULT NULL, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	cfg neon_auth.config;
	caller record := neon_auth._caller(session_token);
	stored text;
	throttled jsonb;
BEGIN
	PERFORM neon_auth._writable();
	SELECT * INTO cfg FROM neon_auth.config;
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	IF password IS NOT NULL THEN
		-- A stolen session must not become unlimited password guesses.
		throttled := neon_auth._throttle('/delete-user', (SELECT "email" FROM neon_auth."user" WHERE "id" = caller.user_id), caller.user_id);
		IF throttled IS NOT NULL THEN
			RETURN throttled;
		END IF;
		stored := neon_auth._password_of(caller.user_id);
		IF stored IS NULL OR NOT neon_auth._password_verify(neon_auth._normalize_password(password, cfg), stored) THEN
			PERFORM neon_auth._audit('user_deleted', caller.user_id, 'INVALID_PASSWORD');
			RETURN neon_auth._fail('INVALID_PASSWORD');
		END IF;
	ELSIF NOT neon_auth._fresh(caller.s) OR (caller.s)."id" IS NULL THEN
		RETURN neon_auth._fail('SESSION_NOT_FRESH');
	END IF;
	DELETE FROM neon_auth."user" WHERE "id" = caller.user_id;
	PERFORM neon_auth._audit('user_deleted', caller.user_id, 'success');
	RETURN jsonb_build_object('success', true, 'message', 'User deleted');
END
$$;
COMMENT ON FUNCTION neon_auth.delete_user(text, text) IS
	'Better Auth POST /delete-user: delete the caller (password, or a fresh session); returns {success, message}';

-- Better Auth GET /list-sessions: the caller's live sessions, newest first,
-- shaped as Better Auth returns them (with their tokens, which
-- revoke_session() takes).
CREATE FUNCTION neon_auth.list_sessions(session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
BEGIN
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	RETURN coalesce((SELECT jsonb_agg(neon_auth._session_json(s) ORDER BY s."createdAt" DESC)
	                   FROM neon_auth."session" s WHERE s."userId" = caller.user_id AND s."expiresAt" >= now()), '[]');
END
$$;
COMMENT ON FUNCTION neon_auth.list_sessions(text) IS 'Better Auth GET /list-sessions: the caller''s live sessions';

-- Better Auth POST /revoke-session, /revoke-other-sessions, /revoke-sessions.
CREATE FUNCTION neon_auth.revoke_session(token text, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	caller record := neon_auth._caller(session_token);
	n integer;
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	-- Only the caller's own sessions: another user's token revokes nothing.
	DELETE FROM neon_auth."session" WHERE "token" = neon_auth._session_token(revoke_session.token) AND "userId" = caller.user_id;
	GET DIAGNOSTICS n = ROW_COUNT;
	PERFORM neon_auth._audit('session_revoked', caller.user_id, 'success', NULL, jsonb_build_object('revoked', n));
	RETURN jsonb_build_object('status', true);
END
$$;

CREATE FUNCTION neon_auth.revoke_other_sessions(session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	n integer;
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL OR (caller.s)."id" IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	DELETE FROM neon_auth."session" WHERE "userId" = caller.user_id AND "id" <> (caller.s)."id";
	GET DIAGNOSTICS n = ROW_COUNT;
	PERFORM neon_auth._audit('sessions_revoked', caller.user_id, 'success', NULL, jsonb_build_object('revoked', n, 'kept_current', true));
	RETURN jsonb_build_object('status', true);
END
$$;

CREATE FUNCTION neon_auth.revoke_sessions(session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	n integer;
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	DELETE FROM neon_auth."session" WHERE "userId" = caller.user_id;
	GET DIAGNOSTICS n = ROW_COUNT;
	PERFORM neon_auth._audit('sessions_revoked', caller.user_id, 'success', NULL, jsonb_build_object('revoked', n, 'kept_current', false));
	RETURN jsonb_build_object('status', true);
END
$$;
COMMENT ON FUNCTION neon_auth.revoke_session(text, text) IS 'Better Auth POST /revoke-session: end one of the caller''s sessions';
COMMENT ON FUNCTION neon_auth.revoke_other_sessions(text) IS 'Better Auth POST /revoke-other-sessions: end all but the current session';
COMMENT ON FUNCTION neon_auth.revoke_sessions(text) IS 'Better Auth POST /revoke-sessions: end all the caller''s sessions';

-- Owner only. The one way to change settings: every value is checked (types,
-- the table's CHECK constraints, the rate-limit rules), unknown names are
-- refused, and nothing changes unless all of it is valid.
CREATE FUNCTION neon_auth.configure(settings jsonb) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	cfg neon_auth.config;
	bad text;
	rule record;
BEGIN
	PERFORM neon_auth._writable();
	IF settings IS NULL OR jsonb_typeof(settings) <> 'object' THEN
		PERFORM neon_auth._raise('INVALID_CONFIG', 'settings must be a JSON object');
	END IF;
	SELECT k INTO bad FROM jsonb_object_keys(settings) k
	 WHERE k IN ('singleton', 'updated_at')
	    OR k NOT IN (SELECT attname FROM pg_attribute WHERE attrelid = 'neon_auth.config'::regclass AND attnum > 0 AND NOT attisdropped)
	 LIMIT 1;
	IF bad IS NOT NULL THEN
		PERFORM neon_auth._raise('INVALID_CONFIG', format('unknown setting "%s"', bad));
	END IF;
	SELECT k INTO bad FROM jsonb_each(settings) AS e(k, v) WHERE jsonb_typeof(v) = 'null' LIMIT 1;
	IF bad IS NOT NULL THEN
		PERFORM neon_auth._raise('INVALID_CONFIG', format('"%s" must not be null', bad));
	END IF;
	IF settings ? 'base_url' AND (settings ->> 'base_url') !~ '^https?://[^/?#\s]+(/[^?#\s]*)?$' THEN
		PERFORM neon_auth._raise('INVALID_CONFIG', '"base_url" must be an http(s) URL');
	END IF;
	IF settings ? 'trusted_origins' AND (jsonb_typeof(settings -> 'trusted_origins') <> 'array'
	   OR EXISTS (SELECT 1 FROM jsonb_array_elements(settings -> 'trusted_origins') o
	               WHERE jsonb_typeof(o) <> 'string' OR (o #>> '{}') !~ '^https?://[^/?#\s\\@]+$')) THEN
		PERFORM neon_auth._raise('INVALID_CONFIG', '"trusted_origins" must be an array of origins such as "https://app.example.com"');
	END IF;
	SELECT k INTO bad FROM unnest(ARRAY['verify_email_url', 'reset_password_url', 'invitation_url']) k
	 WHERE settings ? k AND (settings ->> k) !~ '^(\{base_url\}|https?://)' LIMIT 1;
	IF bad IS NOT NULL THEN
		PERFORM neon_auth._raise('INVALID_CONFIG', format('"%s" must start with {base_url} or http(s)://', bad));
	END IF;
	IF settings ? 'rate_limits' THEN
		IF jsonb_typeof(settings -> 'rate_limits') <> 'object' THEN
			PERFORM neon_auth._raise('INVALID_CONFIG', '"rate_limits" must be an object of {"window": seconds, "max": requests} by path');
		END IF;
		FOR rule IN SELECT * FROM jsonb_each(settings -> 'rate_limits') LOOP
			IF jsonb_typeof(rule.value) <> 'object' OR NOT rule.value ?& ARRAY['window', 'max']
			   OR (SELECT count(*) FROM jsonb_object_keys(rule.value)) <> 2
			   OR jsonb_typeof(rule.value -> 'window') <> 'number' OR jsonb_typeof(rule.value -> 'max') <> 'number'
			   OR (rule.value ->> 'window') !~ '^[1-9][0-9]{0,5}$' OR (rule.value ->> 'max') !~ '^[1-9][0-9]{0,5}$' THEN
				PERFORM neon_auth._raise('INVALID_CONFIG', format('rate limit "%s" needs a positive integer window and max', rule.key));
			END IF;
			IF NOT (SELECT rate_limits FROM neon_auth.config) ? rule.key THEN
				PERFORM neon_auth._raise('INVALID_CONFIG', format('no rate limit applies to "%s"', rule.key));
			END IF;
		END LOOP;
		-- Rules given replace those paths' rules; the others stay.
		settings := jsonb_set(settings, '{rate_limits}', (SELECT rate_limits FROM neon_auth.config) || (settings -> 'rate_limits'));
	END IF;
	SELECT * INTO cfg FROM neon_auth.config;
	BEGIN
		cfg := jsonb_populate_record(cfg, settings);
		UPDATE neon_auth.config SET (base_url, session_expires_in, session_update_age, session_fresh_age,
			dont_remember_expires_in, min_password_length, max_password_length, require_email_verification,
			jwt_expires_in, jwt_leeway, jwks_grace_period, jwt_alg, send_verification_on_sign_up,
			verification_expires_in, verify_email_url, reset_password_expires_in, reset_password_url,
			revoke_sessions_on_password_reset, rate_limit_enabled, rate_limits, audit_retention_days, trusted_origins,
			invitation_expires_in, invitation_url, admin_roles, impersonation_session_duration, allow_impersonating_admins)
		  = (cfg.base_url, cfg.session_expires_in, cfg.session_update_age, cfg.session_fresh_age,
			cfg.dont_remember_expires_in, cfg.min_password_length, cfg.max_password_length, cfg.require_email_verification,
			cfg.jwt_expires_in, cfg.jwt_leeway, cfg.jwks_grace_period, cfg.jwt_alg, cfg.send_verification_on_sign_up,
			cfg.verification_expires_in, cfg.verify_email_url, cfg.reset_password_expires_in, cfg.reset_password_url,
			cfg.revoke_sessions_on_password_reset, cfg.rate_limit_enabled, cfg.rate_limits, cfg.audit_retention_days,
			cfg.trusted_origins, cfg.invitation_expires_in, cfg.invitation_url, cfg.admin_roles,
			cfg.impersonation_session_duration, cfg.allow_impersonating_admins)
		RETURNING * INTO cfg;
	EXCEPTION WHEN data_exception OR integrity_constraint_violation THEN
		PERFORM neon_auth._raise('INVALID_CONFIG', SQLERRM);
	END;
	RETURN to_jsonb(cfg) - 'singleton';
END
$$;
COMMENT ON FUNCTION neon_auth.configure(jsonb) IS
	'owner only: change settings (validated; all or nothing); returns the whole configuration';

-- Owner only, for a scheduler (pg_cron): drop what has expired. Verification
-- rows past expiry, rate-limit rows older than the longest window, delivered
-- messages and audit rows older than audit_retention_days. Returns counts.
CREATE FUNCTION neon_auth.prune() RETURNS jsonb
	LANGUAGE plpgsql VOLATILE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	cfg neon_auth.config;
	longest bigint;
	n_verification integer;
	n_rate integer;
	n_outbox integer;
	n_audit integer;
BEGIN
	PERFORM neon_auth._writable();
	SELECT * INTO cfg FROM neon_auth.config;
	SELECT coalesce(max((v ->> 'window')::bigint), 60) INTO longest FROM jsonb_each(cfg.rate_limits) AS e(k, v);
	DELETE FROM neon_auth."verification" WHERE "expiresAt" < now();
	GET DIAGNOSTICS n_verification = ROW_COUNT;
	DELETE FROM neon_auth."rateLimit" WHERE "lastRequest" < floor(extract(epoch FROM now()) * 1000) - longest * 1000;
	GET DIAGNOSTICS n_rate = ROW_COUNT;
	DELETE FROM neon_auth.outbox WHERE delivered_at < now() - make_interval(days => cfg.audit_retention_days);
	GET DIAGNOSTICS n_outbox = ROW_COUNT;
	DELETE FROM neon_auth.audit_log WHERE at < now() - make_interval(days => cfg.audit_retention_days);
	GET DIAGNOSTICS n_audit = ROW_COUNT;
	RETURN jsonb_build_object('verification', n_verification, 'rateLimit', n_rate, 'outbox', n_outbox, 'audit_log', n_audit);
END
$$;

-- The outbox worker's interface (owner only; GRANT EXECUTE on these three
-- to a worker role: they are SECURITY DEFINER, so it needs nothing else).
-- Claiming leases the rows for 10 minutes and counts an attempt, so a worker
-- that dies mid-delivery leaves them to be claimed again; SKIP LOCKED lets
-- several workers share the queue. A failure backs off from the moment it
-- failed (1 min, doubling, at most 1 h); after 10 attempts, or once its
-- link has expired, a message is parked (next_attempt_at = infinity) for an
-- operator to look at. A message is never claimed an 11th time, even if
-- every worker died before reporting.
CREATE FUNCTION neon_auth.outbox_claim(max_messages integer DEFAULT 10) RETURNS SETOF neon_auth.outbox
	LANGUAGE sql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT neon_auth._writable();
	UPDATE neon_auth.outbox o
	   SET attempts = o.attempts + 1, next_attempt_at = clock_timestamp() + interval '10 minutes'
	 WHERE o.id IN (SELECT p.id FROM neon_auth.outbox p
	                 WHERE p.delivered_at IS NULL AND p.next_attempt_at <= clock_timestamp() AND p.attempts < 10
	                 ORDER BY p.next_attempt_at, p.id LIMIT max_messages FOR UPDATE SKIP LOCKED)
	RETURNING o.*;
END;

CREATE FUNCTION neon_auth.outbox_delivered(message_id bigint) RETURNS boolean
	LANGUAGE sql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT neon_auth._writable();
	WITH done AS (UPDATE neon_auth.outbox SET delivered_at = clock_timestamp(), last_error = NULL
	               WHERE id = message_id AND delivered_at IS NULL RETURNING 1)
	SELECT count(*) > 0 FROM done;
END;

CREATE FUNCTION neon_auth.outbox_failed(message_id bigint, error text) RETURNS boolean
	LANGUAGE sql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT neon_auth._writable();
	WITH failed AS (UPDATE neon_auth.outbox
	                   SET last_error = left(error, 1000),
	                       next_attempt_at = CASE WHEN attempts >= 10 OR (data ->> 'expires_at')::timestamptz <= clock_timestamp()
	                                              THEN 'infinity'
	                                              ELSE clock_timestamp() + least(interval '1 hour', interval '1 minute' * 2 ^ (attempts - 1)) END
	                 WHERE id = message_id AND delivered_at IS NULL RETURNING 1)
	SELECT count(*) > 0 FROM failed;
END;

---------------------------------------------------------------------------
-- Organizations (Better Auth's organization plugin): organizations, members,
-- invitations, roles and permissions, and helpers for tenant RLS policies.
---------------------------------------------------------------------------

-- Better Auth's organization error codes: the message is Better Auth's,
-- lower-cased; the SQLSTATE follows the kind of failure (PostgREST maps
-- P0002 to 404, 42501 to 403, 23505 to 409, 55000 to 500, 22023 to 400).
CREATE FUNCTION neon_auth._raise_org(code text) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	state text;
	message text;
BEGIN
	SELECT v.state, v.message INTO state, message FROM (VALUES
		('ORGANIZATION_NOT_FOUND', 'P0002', 'organization not found'),
		('MEMBER_NOT_FOUND', 'P0002', 'member not found'),
		('INVITATION_NOT_FOUND', 'P0002', 'invitation not found'),
		('ORGANIZATION_SLUG_ALREADY_TAKEN', '23505', 'organization slug already taken'),
		('USER_IS_ALREADY_A_MEMBER_OF_THIS_ORGANIZATION', '23505', 'user is already a member of this organization'),
		('USER_IS_ALREADY_INVITED_TO_THIS_ORGANIZATION', '23505', 'user is already invited to this organization'),
		('USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION', '42501', 'user is not a member of the organization'),
		('YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_ORGANIZATION', '42501', 'you are not allowed to update this organization'),
		('YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_ORGANIZATION', '42501', 'you are not allowed to delete this organization'),
		('YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_MEMBER', '42501', 'you are not allowed to delete this member'),
		('YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_MEMBER', '42501', 'you are not allowed to update this member'),
		('YOU_ARE_NOT_ALLOWED_TO_INVITE_USERS_TO_THIS_ORGANIZATION', '42501', 'you are not allowed to invite users to this organization'),
		('YOU_ARE_NOT_ALLOWED_TO_INVITE_USER_WITH_THIS_ROLE', '42501', 'you are not allowed to invite a user with this role'),
		('YOU_ARE_NOT_ALLOWED_TO_CANCEL_THIS_INVITATION', '42501', 'you are not allowed to cancel this invitation'),
		('YOU_ARE_NOT_ALLOWED_TO_LIST_INVITATIONS', '42501', 'you are not allowed to list invitations for this organization'),
		('YOU_ARE_NOT_THE_RECIPIENT_OF_THE_INVITATION', '42501', 'you are not the recipient of the invitation'),
		('YOU_CANNOT_LEAVE_THE_ORGANIZATION_AS_THE_ONLY_OWNER', '55000', 'you cannot leave the organization as the only owner'),
		('YOU_CANNOT_LEAVE_THE_ORGANIZATION_WITHOUT_AN_OWNER', '55000', 'you cannot leave the organization without an owner'),
		('NO_ACTIVE_ORGANIZATION', '55000', 'no active organization'),
		('INVITATION_EXPIRED', '55000', 'invitation expired'),
		('INVITATION_NOT_PENDING', '55000', 'invitation is no longer pending'),
		('ROLE_NOT_FOUND', '22023', 'role not found'),
		('INVALID_SLUG', '22023', 'invalid organization slug'),
		('EMAIL_VERIFICATION_REQUIRED_FOR_INVITATION', '42501', 'email verification required to view or list invitations for the session email'),
		('INVALID_PERMISSIONS', '22023', 'permissions must be an object of resource to list of actions'),
		('TEAM_NOT_FOUND', 'P0002', 'team not found'),
		('UNABLE_TO_REMOVE_LAST_TEAM', '55000', 'unable to remove last team'),
		('USER_IS_NOT_A_MEMBER_OF_THE_TEAM', '42501', 'user is not a member of the team'),
		('YOU_ARE_NOT_ALLOWED_TO_CREATE_TEAMS_IN_THIS_ORGANIZATION', '42501', 'you are not allowed to create teams in this organization'),
		('YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_TEAM', '42501', 'you are not allowed to update this team'),
		('YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_TEAM', '42501', 'you are not allowed to delete this team'),
		('YOU_ARE_NOT_ALLOWED_TO_CREATE_A_NEW_TEAM_MEMBER', '42501', 'you are not allowed to create a new member'),
		('YOU_ARE_NOT_ALLOWED_TO_REMOVE_A_TEAM_MEMBER', '42501', 'you are not allowed to remove a team member'),
		('YOU_ARE_NOT_ALLOWED_TO_CREATE_A_ROLE', '42501', 'you are not allowed to create a role'),
		('YOU_ARE_NOT_ALLOWED_TO_UPDATE_A_ROLE', '42501', 'you are not allowed to update a role'),
		('YOU_ARE_NOT_ALLOWED_TO_DELETE_A_ROLE', '42501', 'you are not allowed to delete a role'),
		('YOU_ARE_NOT_ALLOWED_TO_LIST_A_ROLE', '42501', 'you are not allowed to list a role'),
		('ROLE_NAME_IS_ALREADY_TAKEN', '23505', 'that role name is already taken'),
		('CANNOT_DELETE_A_PRE_DEFINED_ROLE', '55000', 'cannot delete a pre-defined role'),
		('INVALID_ROLE_NAME', '22023', 'role names are 1 to 64 letters, digits, "-" or "_"'),
		('ROLE_IS_ASSIGNED_TO_MEMBERS', '55000', 'cannot delete a role that is assigned to members')) AS v(code, state, message)
	 WHERE v.code = _raise_org.code;
	IF state IS NULL THEN
		RAISE EXCEPTION 'unknown neon_auth error code' USING ERRCODE = 'internal_error';
	END IF;
	RAISE EXCEPTION USING ERRCODE = state, DETAIL = code, MESSAGE = message;
END
$$;

-- Better Auth's default roles and their permission statements
-- (plugins/organization/access/statement).
CREATE FUNCTION neon_auth._default_role_statements(role text) RETURNS jsonb
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN CASE role
		WHEN 'owner' THEN '{"organization": ["update", "delete"], "member": ["create", "update", "delete"],
		                    "invitation": ["create", "cancel"], "team": ["create", "update", "delete"],
		                    "ac": ["create", "read", "update", "delete"]}'::jsonb
		WHEN 'admin' THEN '{"organization": ["update"], "member": ["create", "update", "delete"],
		                    "invitation": ["create", "cancel"], "team": ["create", "update", "delete"],
		                    "ac": ["create", "read", "update", "delete"]}'::jsonb
		WHEN 'member' THEN '{"organization": [], "member": [], "invitation": [], "team": [], "ac": ["read"]}'::jsonb
	END;

-- A role's statements in an organization: the default role's, merged with the
-- organization's custom role of that name (organizationRole, Better Auth's
-- dynamic access control), action lists united.
CREATE FUNCTION neon_auth._role_statements(organization_id uuid, role text) RETURNS jsonb
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	statements jsonb := coalesce(neon_auth._default_role_statements(role), '{}');
	custom record;
	extra record;
BEGIN
	FOR custom IN SELECT r."permission" FROM neon_auth."organizationRole" r
	               WHERE r."organizationId" = _role_statements.organization_id AND r."role" = _role_statements.role LOOP
		IF jsonb_typeof(custom."permission"::jsonb) = 'object' THEN
			FOR extra IN SELECT * FROM jsonb_each(custom."permission"::jsonb) WHERE jsonb_typeof(value) = 'array' LOOP
				statements := jsonb_set(statements, ARRAY[extra.key],
					(SELECT coalesce(jsonb_agg(DISTINCT a), '[]')
					   FROM (SELECT jsonb_array_elements(coalesce(statements -> extra.key, '[]')) UNION ALL
					         SELECT jsonb_array_elements(extra.value)) x(a)));
			END LOOP;
		END IF;
	END LOOP;
	RETURN statements;
END
$$;

-- Better Auth's hasPermission for a member's role string ("admin,billing"):
-- allowed when one of the roles grants every requested action.
CREATE FUNCTION neon_auth._roles_permit(organization_id uuid, roles text, permissions jsonb) RETURNS boolean
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	role text;
	statements jsonb;
BEGIN
	IF jsonb_typeof(permissions) IS DISTINCT FROM 'object' OR permissions = '{}' THEN
		RETURN false;
	END IF;
	FOREACH role IN ARRAY string_to_array(roles, ',') LOOP
		statements := neon_auth._role_statements(organization_id, btrim(role));
		-- Every requested resource must be one the role has (even with no
		-- actions asked), and every requested action granted.
		IF NOT EXISTS (SELECT 1 FROM jsonb_object_keys(permissions) k WHERE NOT statements ? k)
		   AND NOT EXISTS (SELECT 1 FROM jsonb_each(permissions) p(resource, actions),
		                          LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(p.actions) = 'array' THEN p.actions ELSE '[null]' END) a(action)
		                    WHERE a.action IS NULL OR NOT coalesce(statements -> p.resource ? a.action, false)) THEN
			RETURN true;
		END IF;
	END LOOP;
	RETURN false;
END
$$;

CREATE FUNCTION neon_auth._member_of(organization_id uuid, user_id uuid) RETURNS neon_auth."member"
	LANGUAGE sql STABLE
	RETURN (SELECT m FROM neon_auth."member" m
	         WHERE m."organizationId" = _member_of.organization_id AND m."userId" = _member_of.user_id
	         ORDER BY m."createdAt" LIMIT 1);

CREATE FUNCTION neon_auth._is_owner(roles text) RETURNS boolean
	LANGUAGE sql IMMUTABLE
	RETURN 'owner' = ANY (SELECT btrim(r) FROM unnest(string_to_array(roles, ',')) r);

-- Owners left in an organization if `excluding` (a member id) went or lost
-- the role.
CREATE FUNCTION neon_auth._other_owners(organization_id uuid, excluding uuid) RETURNS bigint
	LANGUAGE sql STABLE
	RETURN (SELECT count(*) FROM neon_auth."member" m
	         WHERE m."organizationId" = _other_owners.organization_id AND m."id" <> excluding AND neon_auth._is_owner(m."role"));

CREATE FUNCTION neon_auth._organization_json(o neon_auth."organization") RETURNS jsonb
	LANGUAGE sql STABLE
	RETURN jsonb_build_object('id', o."id", 'name', o."name", 'slug', o."slug", 'logo', o."logo",
		'createdAt', neon_auth._iso(o."createdAt"),
		'metadata', CASE WHEN o."metadata" IS NOT NULL THEN o."metadata"::jsonb END);

CREATE FUNCTION neon_auth._member_json(m neon_auth."member") RETURNS jsonb
	LANGUAGE sql STABLE
	RETURN jsonb_build_object('id', m."id", 'organizationId', m."organizationId", 'userId', m."userId", 'role', m."role",
		'createdAt', neon_auth._iso(m."createdAt"),
		'user', (SELECT jsonb_build_object('id', u."id", 'name', u."name", 'email', u."email", 'image', u."image")
		           FROM neon_auth."user" u WHERE u."id" = m."userId"));

CREATE FUNCTION neon_auth._invitation_json(i neon_auth."invitation") RETURNS jsonb
	LANGUAGE sql STABLE
	RETURN jsonb_build_object('id', i."id", 'organizationId', i."organizationId", 'email', i."email", 'role', i."role",
		'teamId', i."teamId", 'status', i."status", 'expiresAt', neon_auth._iso(i."expiresAt"),
		'createdAt', neon_auth._iso(i."createdAt"), 'inviterId', i."inviterId");

-- The caller's membership of an organization, which must exist and grant
-- `permissions` when given; raises `denied` (or USER_IS_NOT_A_MEMBER...).
CREATE FUNCTION neon_auth._membership(organization_id uuid, user_id uuid, permissions jsonb, denied text)
	RETURNS neon_auth."member"
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	m neon_auth."member" := neon_auth._member_of(organization_id, user_id);
BEGIN
	-- A missing organization and someone else's get the same answer, so
	-- non-members learn nothing about which organizations exist.
	IF m."id" IS NULL THEN
		PERFORM neon_auth._raise_org('USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION');
	END IF;
	IF permissions IS NOT NULL AND NOT neon_auth._roles_permit(organization_id, m."role", permissions) THEN
		PERFORM neon_auth._raise_org(denied);
	END IF;
	RETURN m;
END
$$;

-- A user who leaves an organization leaves its teams too.
CREATE FUNCTION neon_auth._leave_teams(organization_id uuid, user_id uuid) RETURNS void
	LANGUAGE sql VOLATILE
BEGIN ATOMIC
	WITH gone AS (DELETE FROM neon_auth."teamMember" tm
	               USING neon_auth."team" t
	               WHERE tm."teamId" = t."id" AND t."organizationId" = _leave_teams.organization_id
	                 AND tm."userId" = _leave_teams.user_id
	           RETURNING tm."teamId")
	UPDATE neon_auth."team" t SET "memberCount" = greatest(t."memberCount" - 1, 0) FROM gone WHERE t."id" = gone."teamId";
END;

-- Roles are comma-joined names; each must be a default role or one of the
-- organization's custom roles.
CREATE FUNCTION neon_auth._check_roles(organization_id uuid, roles text) RETURNS text
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF roles IS NULL OR btrim(roles) = '' OR EXISTS (
	       SELECT 1 FROM unnest(string_to_array(roles, ',')) r
	        WHERE btrim(r) NOT IN ('owner', 'admin', 'member')
	          AND NOT EXISTS (SELECT 1 FROM neon_auth."organizationRole" o
	                           WHERE o."organizationId" = _check_roles.organization_id AND o."role" = btrim(r))) THEN
		PERFORM neon_auth._raise_org('ROLE_NOT_FOUND');
	END IF;
	RETURN (SELECT string_agg(btrim(r), ',') FROM unnest(string_to_array(roles, ',')) r);
END
$$;

-- The organization a call is about: the one given, else the session's
-- active one; raises NO_ACTIVE_ORGANIZATION when there is neither.
CREATE FUNCTION neon_auth._target_org(organization_id uuid, s neon_auth."session") RETURNS uuid
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	org uuid := coalesce(organization_id, (s."activeOrganizationId")::uuid);
BEGIN
	IF org IS NULL THEN
		PERFORM neon_auth._raise_org('NO_ACTIVE_ORGANIZATION');
	END IF;
	RETURN org;
END
$$;

-- Better Auth POST /organization/create: the caller becomes its owner; the
-- new organization becomes the session's active one unless kept.
CREATE FUNCTION neon_auth.create_organization(name text, slug text, logo text DEFAULT NULL, metadata jsonb DEFAULT NULL,
                                              keep_current_active_organization boolean DEFAULT false,
                                              session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	caller record := neon_auth._caller(session_token);
	o neon_auth."organization";
	m neon_auth."member";
	t neon_auth."team";
	throttled jsonb;
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	throttled := neon_auth._throttle('/organization/create', (SELECT "email" FROM neon_auth."user" WHERE "id" = caller.user_id), caller.user_id);
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	IF name IS NULL OR btrim(name) = '' THEN
		PERFORM neon_auth._raise('VALIDATION_ERROR', 'name');
	END IF;
	IF slug IS NULL OR slug !~ '^[a-z0-9]+(-[a-z0-9]+)*$' OR length(slug) > 64 THEN
		PERFORM neon_auth._raise_org('INVALID_SLUG');
	END IF;
	INSERT INTO neon_auth."organization" ("name", "slug", "logo", "metadata", "createdAt")
	VALUES (create_organization.name, create_organization.slug, create_organization.logo,
	        create_organization.metadata::text, neon_auth._now())
	ON CONFLICT ("slug") DO NOTHING
	RETURNING * INTO o;
	IF o."id" IS NULL THEN
		PERFORM neon_auth._raise_org('ORGANIZATION_SLUG_ALREADY_TAKEN');
	END IF;
	INSERT INTO neon_auth."member" ("organizationId", "userId", "role", "createdAt")
	VALUES (o."id", caller.user_id, 'owner', neon_auth._now()) RETURNING * INTO m;
	-- As Better Auth with teams enabled: a first team named after the
	-- organization, with the creator in it.
	INSERT INTO neon_auth."team" ("name", "organizationId", "memberCount", "createdAt")
	VALUES (o."name", o."id", 0, neon_auth._now()) RETURNING * INTO t;
	PERFORM neon_auth._add_team_member(t, caller.user_id);
	-- Better Auth makes the new organization and its first team active.
	IF (caller.s)."id" IS NOT NULL AND NOT coalesce(keep_current_active_organization, false) THEN
		UPDATE neon_auth."session" SET "activeOrganizationId" = o."id"::text, "activeTeamId" = t."id"::text, "updatedAt" = neon_auth._now()
		 WHERE "id" = (caller.s)."id";
	END IF;
	PERFORM neon_auth._audit('organization_created', caller.user_id, 'success', NULL, jsonb_build_object('organization_id', o."id"));
	RETURN neon_auth._organization_json(o) || jsonb_build_object('members', jsonb_build_array(neon_auth._member_json(m)));
END
$$;

-- Better Auth POST /organization/check-slug.
CREATE FUNCTION neon_auth.check_slug(slug text) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF slug IS NULL OR slug !~ '^[a-z0-9]+(-[a-z0-9]+)*$' OR length(slug) > 64 THEN
		PERFORM neon_auth._raise_org('INVALID_SLUG');
	END IF;
	IF EXISTS (SELECT 1 FROM neon_auth."organization" o WHERE o."slug" = check_slug.slug) THEN
		PERFORM neon_auth._raise_org('ORGANIZATION_SLUG_ALREADY_TAKEN');
	END IF;
	RETURN jsonb_build_object('status', true);
END
$$;

-- Better Auth POST /organization/update: name, slug, logo, metadata.
CREATE FUNCTION neon_auth.update_organization(data jsonb, organization_id uuid DEFAULT NULL, session_token text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	org uuid;
	o neon_auth."organization";
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	org := neon_auth._target_org(organization_id, caller.s);
	PERFORM neon_auth._membership(org, caller.user_id, '{"organization": ["update"]}', 'YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_ORGANIZATION');
	IF data ? 'slug' AND ((data ->> 'slug') IS NULL OR (data ->> 'slug') !~ '^[a-z0-9]+(-[a-z0-9]+)*$' OR length(data ->> 'slug') > 64) THEN
		PERFORM neon_auth._raise_org('INVALID_SLUG');
	END IF;
	IF data ? 'slug' AND EXISTS (SELECT 1 FROM neon_auth."organization" WHERE "slug" = data ->> 'slug' AND "id" <> org) THEN
		PERFORM neon_auth._raise_org('ORGANIZATION_SLUG_ALREADY_TAKEN');
	END IF;
	UPDATE neon_auth."organization"
	   SET "name" = CASE WHEN data ? 'name' THEN coalesce(nullif(btrim(data ->> 'name'), ''), "name") ELSE "name" END,
	       "slug" = CASE WHEN data ? 'slug' THEN data ->> 'slug' ELSE "slug" END,
	       "logo" = CASE WHEN data ? 'logo' THEN data ->> 'logo' ELSE "logo" END,
	       "metadata" = CASE WHEN data ? 'metadata' THEN (data -> 'metadata')::text ELSE "metadata" END
	 WHERE "id" = org RETURNING * INTO o;
	PERFORM neon_auth._audit('organization_updated', caller.user_id, 'success', NULL, jsonb_build_object('organization_id', org));
	RETURN neon_auth._organization_json(o);
END
$$;

-- Better Auth POST /organization/delete (owners: organization:delete).
CREATE FUNCTION neon_auth.delete_organization(organization_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	o neon_auth."organization";
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	PERFORM neon_auth._membership(organization_id, caller.user_id, '{"organization": ["delete"]}', 'YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_ORGANIZATION');
	DELETE FROM neon_auth."organization" WHERE "id" = organization_id RETURNING * INTO o;
	-- Sessions pointing at it lose their active organization (not an FK).
	UPDATE neon_auth."session" SET "activeOrganizationId" = NULL, "activeTeamId" = NULL
	 WHERE "activeOrganizationId" = organization_id::text;
	PERFORM neon_auth._audit('organization_deleted', caller.user_id, 'success', NULL, jsonb_build_object('organization_id', organization_id));
	RETURN neon_auth._organization_json(o);
END
$$;

-- Better Auth GET /organization/get-full-organization: the organization
-- with its members and invitations, for members only.
CREATE FUNCTION neon_auth.get_full_organization(organization_id uuid DEFAULT NULL, session_token text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	org uuid;
	me neon_auth."member";
BEGIN
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	org := coalesce(organization_id, ((caller.s)."activeOrganizationId")::uuid);
	IF org IS NULL THEN
		RETURN 'null'::jsonb;
	END IF;
	me := neon_auth._membership(org, caller.user_id, NULL, NULL);
	RETURN (SELECT neon_auth._organization_json(o) FROM neon_auth."organization" o WHERE o."id" = org)
	    || jsonb_build_object(
	         'members', (SELECT coalesce(jsonb_agg(neon_auth._member_json(m) ORDER BY m."createdAt"), '[]')
	                       FROM neon_auth."member" m WHERE m."organizationId" = org),
	         -- Invitation ids are invitation links: only for those who may invite.
	         'invitations', CASE WHEN neon_auth._roles_permit(org, me."role", '{"invitation": ["create"]}')
	                             THEN (SELECT coalesce(jsonb_agg(neon_auth._invitation_json(i) ORDER BY i."createdAt"), '[]')
	                                     FROM neon_auth."invitation" i WHERE i."organizationId" = org)
	                             ELSE '[]' END,
	         'teams', (SELECT coalesce(jsonb_agg(neon_auth._team_json(t) ORDER BY t."createdAt", t."id"), '[]')
	                     FROM neon_auth."team" t WHERE t."organizationId" = org));
END
$$;

-- Better Auth GET /organization/list: the caller's organizations.
CREATE FUNCTION neon_auth.list_organizations(session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
BEGIN
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	RETURN (SELECT coalesce(jsonb_agg(neon_auth._organization_json(o) ORDER BY o."createdAt", o."id"), '[]')
	          FROM neon_auth."organization" o
	         WHERE o."id" IN (SELECT m."organizationId" FROM neon_auth."member" m WHERE m."userId" = caller.user_id));
END
$$;

-- Better Auth POST /organization/set-active: the session's active
-- organization (NULL clears it), which a member must belong to. It becomes
-- the "o" claim of token().
CREATE FUNCTION neon_auth.set_active_organization(organization_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
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
	IF organization_id IS NOT NULL THEN
		PERFORM neon_auth._membership(organization_id, caller.user_id, NULL, NULL);
	END IF;
	UPDATE neon_auth."session" SET "activeOrganizationId" = organization_id::text, "activeTeamId" = NULL,
	       "updatedAt" = neon_auth._now()
	 WHERE "id" = (caller.s)."id";
	IF organization_id IS NULL THEN
		RETURN 'null'::jsonb;
	END IF;
	RETURN (SELECT neon_auth._organization_json(o) FROM neon_auth."organization" o WHERE o."id" = organization_id);
END
$$;

-- Better Auth addMember: server-only there, so owner-only here (not granted
-- to app roles): it adds a user without their consent. The owner passes the
-- session of a member with member:create, whose rights apply.
CREATE FUNCTION neon_auth.add_member(user_id uuid, role text, organization_id uuid DEFAULT NULL, session_token text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	org uuid;
	me neon_auth."member";
	roles text;
	m neon_auth."member";
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	org := neon_auth._target_org(organization_id, caller.s);
	me := neon_auth._membership(org, caller.user_id, '{"member": ["create"]}', 'YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_MEMBER');
	roles := neon_auth._check_roles(org, role);
	IF neon_auth._is_owner(roles) AND NOT neon_auth._is_owner(me."role") THEN
		PERFORM neon_auth._raise_org('YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_MEMBER');
	END IF;
	IF NOT EXISTS (SELECT 1 FROM neon_auth."user" u WHERE u."id" = add_member.user_id) THEN
		PERFORM neon_auth._raise_org('MEMBER_NOT_FOUND');
	END IF;
	-- Serialize membership changes of one organization.
	PERFORM 1 FROM neon_auth."organization" WHERE "id" = org FOR UPDATE;
	IF (neon_auth._member_of(org, add_member.user_id))."id" IS NOT NULL THEN
		PERFORM neon_auth._raise_org('USER_IS_ALREADY_A_MEMBER_OF_THIS_ORGANIZATION');
	END IF;
	INSERT INTO neon_auth."member" ("organizationId", "userId", "role", "createdAt")
	VALUES (org, add_member.user_id, roles, neon_auth._now()) RETURNING * INTO m;
	PERFORM neon_auth._audit('member_added', caller.user_id, 'success', NULL,
		jsonb_build_object('organization_id', org, 'member_user_id', add_member.user_id, 'role', roles));
	RETURN neon_auth._member_json(m);
END
$$;

-- Better Auth POST /organization/remove-member (member:delete). Only owners
-- remove owners, and never the last one.
CREATE FUNCTION neon_auth.remove_member(member_id_or_email text, organization_id uuid DEFAULT NULL, session_token text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	org uuid;
	me neon_auth."member";
	m neon_auth."member";
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	org := neon_auth._target_org(organization_id, caller.s);
	me := neon_auth._membership(org, caller.user_id, '{"member": ["delete"]}', 'YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_MEMBER');
	PERFORM 1 FROM neon_auth."organization" WHERE "id" = org FOR UPDATE;
	SELECT mm.* INTO m FROM neon_auth."member" mm JOIN neon_auth."user" u ON u."id" = mm."userId"
	 WHERE mm."organizationId" = org
	   AND (mm."id"::text = member_id_or_email OR u."email" = lower(member_id_or_email));
	IF m."id" IS NULL THEN
		PERFORM neon_auth._raise_org('MEMBER_NOT_FOUND');
	END IF;
	IF neon_auth._is_owner(m."role") AND NOT neon_auth._is_owner(me."role") THEN
		PERFORM neon_auth._raise_org('YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_MEMBER');
	END IF;
	IF neon_auth._is_owner(m."role") AND neon_auth._other_owners(org, m."id") = 0 THEN
		PERFORM neon_auth._raise_org('YOU_CANNOT_LEAVE_THE_ORGANIZATION_AS_THE_ONLY_OWNER');
	END IF;
	DELETE FROM neon_auth."member" WHERE "id" = m."id";
	PERFORM neon_auth._leave_teams(org, m."userId");
	UPDATE neon_auth."session" SET "activeOrganizationId" = NULL, "activeTeamId" = NULL
	 WHERE "userId" = m."userId" AND "activeOrganizationId" = org::text;
	PERFORM neon_auth._audit('member_removed', caller.user_id, 'success', NULL,
		jsonb_build_object('organization_id', org, 'member_user_id', m."userId"));
	RETURN jsonb_build_object('member', neon_auth._member_json(m));
END
$$;

-- Better Auth POST /organization/update-member-role (member:update). Only
-- owners make or unmake owners, and the last owner keeps the role.
CREATE FUNCTION neon_auth.update_member_role(member_id uuid, role text, organization_id uuid DEFAULT NULL,
                                             session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	caller record := neon_auth._caller(session_token);
	org uuid;
	me neon_auth."member";
	m neon_auth."member";
	roles text;
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	org := neon_auth._target_org(update_member_role.organization_id, caller.s);
	me := neon_auth._membership(org, caller.user_id, '{"member": ["update"]}', 'YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_MEMBER');
	roles := neon_auth._check_roles(org, update_member_role.role);
	PERFORM 1 FROM neon_auth."organization" WHERE "id" = org FOR UPDATE;
	SELECT * INTO m FROM neon_auth."member" WHERE "id" = update_member_role.member_id AND "organizationId" = org;
	IF m."id" IS NULL THEN
		PERFORM neon_auth._raise_org('MEMBER_NOT_FOUND');
	END IF;
	IF (neon_auth._is_owner(roles) OR neon_auth._is_owner(m."role")) AND NOT neon_auth._is_owner(me."role") THEN
		PERFORM neon_auth._raise_org('YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_MEMBER');
	END IF;
	IF neon_auth._is_owner(m."role") AND NOT neon_auth._is_owner(roles) AND neon_auth._other_owners(org, m."id") = 0 THEN
		PERFORM neon_auth._raise_org('YOU_CANNOT_LEAVE_THE_ORGANIZATION_WITHOUT_AN_OWNER');
	END IF;
	UPDATE neon_auth."member" SET "role" = roles WHERE "id" = m."id" RETURNING * INTO m;
	PERFORM neon_auth._audit('member_role_updated', caller.user_id, 'success', NULL,
		jsonb_build_object('organization_id', org, 'member_user_id', m."userId", 'role', roles));
	RETURN neon_auth._member_json(m);
END
$$;

-- Better Auth POST /organization/leave. The only owner cannot leave.
CREATE FUNCTION neon_auth.leave_organization(organization_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	m neon_auth."member";
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	m := neon_auth._membership(organization_id, caller.user_id, NULL, NULL);
	PERFORM 1 FROM neon_auth."organization" WHERE "id" = organization_id FOR UPDATE;
	IF neon_auth._is_owner(m."role") AND neon_auth._other_owners(organization_id, m."id") = 0 THEN
		PERFORM neon_auth._raise_org('YOU_CANNOT_LEAVE_THE_ORGANIZATION_AS_THE_ONLY_OWNER');
	END IF;
	DELETE FROM neon_auth."member" WHERE "id" = m."id";
	PERFORM neon_auth._leave_teams(organization_id, caller.user_id);
	UPDATE neon_auth."session" SET "activeOrganizationId" = NULL, "activeTeamId" = NULL
	 WHERE "userId" = caller.user_id AND "activeOrganizationId" = organization_id::text;
	PERFORM neon_auth._audit('member_left', caller.user_id, 'success', NULL, jsonb_build_object('organization_id', organization_id));
	RETURN neon_auth._member_json(m);
END
$$;

-- Better Auth GET /organization/get-active-member.
CREATE FUNCTION neon_auth.get_active_member(session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	m neon_auth."member";
BEGIN
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	IF (caller.s)."activeOrganizationId" IS NULL THEN
		PERFORM neon_auth._raise_org('NO_ACTIVE_ORGANIZATION');
	END IF;
	m := neon_auth._membership(((caller.s)."activeOrganizationId")::uuid, caller.user_id, NULL, NULL);
	RETURN neon_auth._member_json(m);
END
$$;

-- Better Auth GET /organization/list-members, paginated.
CREATE FUNCTION neon_auth.list_members(organization_id uuid DEFAULT NULL, "limit" integer DEFAULT 100, "offset" integer DEFAULT 0,
                                       session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	org uuid;
BEGIN
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	org := neon_auth._target_org(organization_id, caller.s);
	PERFORM neon_auth._membership(org, caller.user_id, NULL, NULL);
	RETURN jsonb_build_object(
		'members', (SELECT coalesce(jsonb_agg(neon_auth._member_json(p) ORDER BY p."createdAt", p."id"), '[]')
		              FROM (SELECT * FROM neon_auth."member" m WHERE m."organizationId" = org
		                     ORDER BY m."createdAt", m."id"
		                     LIMIT greatest(least(coalesce("limit", 100), 1000), 0) OFFSET greatest(coalesce("offset", 0), 0)) p),
		'total', (SELECT count(*) FROM neon_auth."member" m WHERE m."organizationId" = org));
END
$$;

-- Better Auth POST /organization/invite-member (invitation:create): a
-- pending invitation for 48 h and an outbox message to the address. Only
-- owners invite owners.
CREATE FUNCTION neon_auth.invite_member(email text, role text, organization_id uuid DEFAULT NULL, resend boolean DEFAULT false,
                                        session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	caller record := neon_auth._caller(session_token);
	cfg neon_auth.config;
	org uuid;
	me neon_auth."member";
	v_email text := neon_auth._normalize_email(invite_member.email);
	roles text;
	i neon_auth."invitation";
	o neon_auth."organization";
	throttled jsonb;
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	SELECT * INTO cfg FROM neon_auth.config;
	org := neon_auth._target_org(invite_member.organization_id, caller.s);
	me := neon_auth._membership(org, caller.user_id, '{"invitation": ["create"]}', 'YOU_ARE_NOT_ALLOWED_TO_INVITE_USERS_TO_THIS_ORGANIZATION');
	-- Each invitation sends an email: limited per inviter.
	throttled := neon_auth._throttle('/organization/invite-member', (SELECT "email" FROM neon_auth."user" WHERE "id" = caller.user_id), caller.user_id);
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	roles := neon_auth._check_roles(org, invite_member.role);
	IF neon_auth._is_owner(roles) AND NOT neon_auth._is_owner(me."role") THEN
		PERFORM neon_auth._raise_org('YOU_ARE_NOT_ALLOWED_TO_INVITE_USER_WITH_THIS_ROLE');
	END IF;
	PERFORM 1 FROM neon_auth."organization" WHERE "id" = org FOR UPDATE;
	IF EXISTS (SELECT 1 FROM neon_auth."member" m JOIN neon_auth."user" u ON u."id" = m."userId"
	            WHERE m."organizationId" = org AND u."email" = v_email) THEN
		PERFORM neon_auth._raise_org('USER_IS_ALREADY_A_MEMBER_OF_THIS_ORGANIZATION');
	END IF;
	SELECT * INTO i FROM neon_auth."invitation"
	 WHERE "organizationId" = org AND "email" = v_email AND "status" = 'pending' AND "expiresAt" > now();
	IF i."id" IS NOT NULL AND NOT coalesce(resend, false) THEN
		PERFORM neon_auth._raise_org('USER_IS_ALREADY_INVITED_TO_THIS_ORGANIZATION');
	ELSIF i."id" IS NOT NULL THEN
		UPDATE neon_auth."invitation" SET "expiresAt" = neon_auth._now() + make_interval(secs => cfg.invitation_expires_in),
		       "role" = roles, "inviterId" = caller.user_id
		 WHERE "id" = i."id" RETURNING * INTO i;
	ELSE
		INSERT INTO neon_auth."invitation" ("organizationId", "email", "role", "status", "expiresAt", "createdAt", "inviterId")
		VALUES (org, v_email, roles, 'pending', neon_auth._now() + make_interval(secs => cfg.invitation_expires_in),
		        neon_auth._now(), caller.user_id)
		RETURNING * INTO i;
	END IF;
	SELECT * INTO o FROM neon_auth."organization" WHERE "id" = org;
	PERFORM neon_auth._enqueue('invitation', v_email, NULL,
		jsonb_build_object('organization', o."name", 'inviter', (SELECT "name" FROM neon_auth."user" WHERE "id" = caller.user_id),
		                   'role', roles, 'token', i."id",
		                   'url', neon_auth._link(cfg.invitation_url, cfg.base_url, i."id"::text, '/'),
		                   'expires_at', neon_auth._iso(i."expiresAt")));
	PERFORM neon_auth._audit('member_invited', caller.user_id, 'success', v_email,
		jsonb_build_object('organization_id', org, 'invitation_id', i."id", 'role', roles));
	RETURN neon_auth._invitation_json(i);
END
$$;

-- The caller's pending invitation, locked: addressed to the caller's email.
CREATE FUNCTION neon_auth._my_invitation(invitation_id uuid, user_id uuid) RETURNS neon_auth."invitation"
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	i neon_auth."invitation";
BEGIN
	SELECT * INTO i FROM neon_auth."invitation" WHERE "id" = invitation_id FOR UPDATE;
	IF i."id" IS NULL THEN
		PERFORM neon_auth._raise_org('INVITATION_NOT_FOUND');
	END IF;
	IF i."email" <> (SELECT "email" FROM neon_auth."user" WHERE "id" = user_id) THEN
		PERFORM neon_auth._raise_org('YOU_ARE_NOT_THE_RECIPIENT_OF_THE_INVITATION');
	END IF;
	IF i."status" <> 'pending' THEN
		PERFORM neon_auth._raise_org('INVITATION_NOT_PENDING');
	END IF;
	IF i."expiresAt" <= now() THEN
		PERFORM neon_auth._raise_org('INVITATION_EXPIRED');
	END IF;
	RETURN i;
END
$$;

-- Better Auth POST /organization/accept-invitation: the member row, once
-- (the invitation row is locked; a second acceptance finds it accepted).
CREATE FUNCTION neon_auth.accept_invitation(invitation_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	i neon_auth."invitation";
	m neon_auth."member";
	t neon_auth."team";
	n_teams integer := 0;
	only_team uuid;
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	i := neon_auth._my_invitation(invitation_id, caller.user_id);
	UPDATE neon_auth."invitation" SET "status" = 'accepted' WHERE "id" = i."id" RETURNING * INTO i;
	INSERT INTO neon_auth."member" ("organizationId", "userId", "role", "createdAt")
	VALUES (i."organizationId", caller.user_id, coalesce(i."role", 'member'), neon_auth._now())
	ON CONFLICT ("organizationId", "userId") DO NOTHING;
	m := neon_auth._member_of(i."organizationId", caller.user_id);
	-- A Better Auth invitation may name teams (comma-separated ids): the new
	-- member joins them, and a single one becomes the active team.
	FOR t IN SELECT * FROM neon_auth."team"
	          WHERE "organizationId" = i."organizationId" AND "id"::text = ANY (string_to_array(i."teamId", ','))
	          ORDER BY "id" FOR UPDATE
	LOOP
		PERFORM neon_auth._add_team_member(t, caller.user_id);
		n_teams := n_teams + 1;
		only_team := t."id";
	END LOOP;
	IF n_teams <> cardinality(ARRAY(SELECT DISTINCT unnest(string_to_array(i."teamId", ',')))) THEN
		PERFORM neon_auth._raise_org('TEAM_NOT_FOUND');
	END IF;
	UPDATE neon_auth."session"
	   SET "activeOrganizationId" = i."organizationId"::text, "updatedAt" = neon_auth._now(),
	       "activeTeamId" = CASE WHEN n_teams = 1 THEN only_team::text END
	 WHERE "id" = (caller.s)."id";
	PERFORM neon_auth._audit('invitation_accepted', caller.user_id, 'success', NULL,
		jsonb_build_object('organization_id', i."organizationId", 'invitation_id', i."id"));
	RETURN jsonb_build_object('invitation', neon_auth._invitation_json(i), 'member', neon_auth._member_json(m));
END
$$;

-- Better Auth POST /organization/reject-invitation.
CREATE FUNCTION neon_auth.reject_invitation(invitation_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	i neon_auth."invitation";
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	i := neon_auth._my_invitation(invitation_id, caller.user_id);
	UPDATE neon_auth."invitation" SET "status" = 'rejected' WHERE "id" = i."id" RETURNING * INTO i;
	PERFORM neon_auth._audit('invitation_rejected', caller.user_id, 'success', NULL, jsonb_build_object('invitation_id', i."id"));
	RETURN jsonb_build_object('invitation', neon_auth._invitation_json(i), 'member', NULL);
END
$$;

-- Better Auth POST /organization/cancel-invitation (invitation:cancel).
CREATE FUNCTION neon_auth.cancel_invitation(invitation_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	i neon_auth."invitation";
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	SELECT * INTO i FROM neon_auth."invitation" WHERE "id" = invitation_id FOR UPDATE;
	IF i."id" IS NULL THEN
		PERFORM neon_auth._raise_org('INVITATION_NOT_FOUND');
	END IF;
	PERFORM neon_auth._membership(i."organizationId", caller.user_id, '{"invitation": ["cancel"]}', 'YOU_ARE_NOT_ALLOWED_TO_CANCEL_THIS_INVITATION');
	IF i."status" <> 'pending' THEN
		PERFORM neon_auth._raise_org('INVITATION_NOT_PENDING');
	END IF;
	UPDATE neon_auth."invitation" SET "status" = 'canceled' WHERE "id" = i."id" RETURNING * INTO i;
	PERFORM neon_auth._audit('invitation_canceled', caller.user_id, 'success', NULL, jsonb_build_object('invitation_id', i."id"));
	RETURN neon_auth._invitation_json(i);
END
$$;

-- Better Auth GET /organization/get-invitation: for its recipient, with the
-- organization's name and slug and the inviter's email.
CREATE FUNCTION neon_auth.get_invitation(invitation_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	i neon_auth."invitation";
BEGIN
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	SELECT * INTO i FROM neon_auth."invitation" WHERE "id" = invitation_id;
	IF i."id" IS NULL OR i."status" <> 'pending' OR i."expiresAt" <= now() THEN
		PERFORM neon_auth._raise_org('INVITATION_NOT_FOUND');
	END IF;
	IF i."email" <> (SELECT "email" FROM neon_auth."user" WHERE "id" = caller.user_id) THEN
		PERFORM neon_auth._raise_org('YOU_ARE_NOT_THE_RECIPIENT_OF_THE_INVITATION');
	END IF;
	RETURN neon_auth._invitation_json(i) || (
		SELECT jsonb_build_object('organizationName', o."name", 'organizationSlug', o."slug",
		                          'inviterEmail', (SELECT "email" FROM neon_auth."user" WHERE "id" = i."inviterId"))
		  FROM neon_auth."organization" o WHERE o."id" = i."organizationId");
END
$$;

-- Better Auth GET /organization/list-invitations (for those who may invite).
CREATE FUNCTION neon_auth.list_invitations(organization_id uuid DEFAULT NULL, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	org uuid;
BEGIN
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	org := neon_auth._target_org(organization_id, caller.s);
	PERFORM neon_auth._membership(org, caller.user_id, '{"invitation": ["create"]}', 'YOU_ARE_NOT_ALLOWED_TO_LIST_INVITATIONS');
	RETURN (SELECT coalesce(jsonb_agg(neon_auth._invitation_json(i) ORDER BY i."createdAt", i."id"), '[]')
	          FROM neon_auth."invitation" i WHERE i."organizationId" = org);
END
$$;

-- Better Auth GET /organization/list-user-invitations: pending ones to the caller.
CREATE FUNCTION neon_auth.list_user_invitations(session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
BEGIN
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	-- As Better Auth: invitations are listed by address, so only to someone
	-- who proved the address is theirs.
	IF NOT (SELECT "emailVerified" FROM neon_auth."user" WHERE "id" = caller.user_id) THEN
		PERFORM neon_auth._raise_org('EMAIL_VERIFICATION_REQUIRED_FOR_INVITATION');
	END IF;
	RETURN (SELECT coalesce(jsonb_agg(neon_auth._invitation_json(i) || jsonb_build_object('organizationName', o."name")
	                                  ORDER BY i."createdAt", i."id"), '[]')
	          FROM neon_auth."invitation" i JOIN neon_auth."organization" o ON o."id" = i."organizationId"
	         WHERE i."email" = (SELECT "email" FROM neon_auth."user" WHERE "id" = caller.user_id)
	           AND i."status" = 'pending' AND i."expiresAt" > now());
END
$$;

---------------------------------------------------------------------------
-- Teams (Better Auth's organization plugin with teams enabled).
---------------------------------------------------------------------------

CREATE FUNCTION neon_auth._team_json(t neon_auth."team") RETURNS jsonb
	LANGUAGE sql STABLE
	RETURN jsonb_build_object('id', t."id", 'name', t."name", 'organizationId', t."organizationId",
		'memberCount', t."memberCount", 'createdAt', neon_auth._iso(t."createdAt"), 'updatedAt', neon_auth._iso(t."updatedAt"));

-- A team of an organization the caller belongs to, locked; raises
-- TEAM_NOT_FOUND otherwise (another tenant's team is "not found" too).
CREATE FUNCTION neon_auth._team_for(team_id uuid, user_id uuid) RETURNS neon_auth."team"
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	t neon_auth."team";
BEGIN
	SELECT * INTO t FROM neon_auth."team" WHERE "id" = team_id FOR UPDATE;
	IF t."id" IS NULL OR (neon_auth._member_of(t."organizationId", user_id))."id" IS NULL THEN
		PERFORM neon_auth._raise_org('TEAM_NOT_FOUND');
	END IF;
	RETURN t;
END
$$;

CREATE FUNCTION neon_auth._add_team_member(t neon_auth."team", user_id uuid) RETURNS void
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM neon_auth."teamMember" tm WHERE tm."teamId" = t."id" AND tm."userId" = _add_team_member.user_id) THEN
		INSERT INTO neon_auth."teamMember" ("teamId", "userId", "createdAt") VALUES (t."id", user_id, neon_auth._now());
		UPDATE neon_auth."team" SET "memberCount" = "memberCount" + 1 WHERE "id" = t."id";
	END IF;
END
$$;

-- Better Auth POST /organization/create-team (team:create).
CREATE FUNCTION neon_auth.create_team(name text, organization_id uuid DEFAULT NULL, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	org uuid;
	t neon_auth."team";
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	org := neon_auth._target_org(organization_id, caller.s);
	PERFORM neon_auth._membership(org, caller.user_id, '{"team": ["create"]}', 'YOU_ARE_NOT_ALLOWED_TO_CREATE_TEAMS_IN_THIS_ORGANIZATION');
	IF name IS NULL OR btrim(name) = '' THEN
		PERFORM neon_auth._raise('VALIDATION_ERROR', 'name');
	END IF;
	INSERT INTO neon_auth."team" ("name", "organizationId", "memberCount", "createdAt")
	VALUES (btrim(create_team.name), org, 0, neon_auth._now()) RETURNING * INTO t;
	PERFORM neon_auth._audit('team_created', caller.user_id, 'success', NULL, jsonb_build_object('organization_id', org, 'team_id', t."id"));
	RETURN neon_auth._team_json(t);
END
$$;

-- Better Auth POST /organization/update-team (team:update): its name.
CREATE FUNCTION neon_auth.update_team(team_id uuid, name text, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	t neon_auth."team";
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	t := neon_auth._team_for(team_id, caller.user_id);
	PERFORM neon_auth._membership(t."organizationId", caller.user_id, '{"team": ["update"]}', 'YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_TEAM');
	IF name IS NULL OR btrim(name) = '' THEN
		PERFORM neon_auth._raise('VALIDATION_ERROR', 'name');
	END IF;
	UPDATE neon_auth."team" SET "name" = btrim(update_team.name), "updatedAt" = neon_auth._now() WHERE "id" = t."id" RETURNING * INTO t;
	PERFORM neon_auth._audit('team_updated', caller.user_id, 'success', NULL, jsonb_build_object('team_id', t."id"));
	RETURN neon_auth._team_json(t);
END
$$;

-- Better Auth POST /organization/remove-team (team:delete); not the last one.
CREATE FUNCTION neon_auth.remove_team(team_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	t neon_auth."team";
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	t := neon_auth._team_for(team_id, caller.user_id);
	PERFORM neon_auth._membership(t."organizationId", caller.user_id, '{"team": ["delete"]}', 'YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_TEAM');
	PERFORM 1 FROM neon_auth."organization" WHERE "id" = t."organizationId" FOR UPDATE;
	IF (SELECT count(*) FROM neon_auth."team" WHERE "organizationId" = t."organizationId") <= 1 THEN
		PERFORM neon_auth._raise_org('UNABLE_TO_REMOVE_LAST_TEAM');
	END IF;
	DELETE FROM neon_auth."team" WHERE "id" = t."id";
	UPDATE neon_auth."session" SET "activeTeamId" = NULL WHERE "activeTeamId" = t."id"::text;
	PERFORM neon_auth._audit('team_removed', caller.user_id, 'success', NULL, jsonb_build_object('team_id', t."id"));
	RETURN jsonb_build_object('message', 'Team removed successfully.');
END
$$;

-- Better Auth GET /organization/list-teams: an organization's teams, for members.
CREATE FUNCTION neon_auth.list_teams(organization_id uuid DEFAULT NULL, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	org uuid;
BEGIN
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	org := neon_auth._target_org(organization_id, caller.s);
	PERFORM neon_auth._membership(org, caller.user_id, NULL, NULL);
	RETURN (SELECT coalesce(jsonb_agg(neon_auth._team_json(t) ORDER BY t."createdAt", t."id"), '[]')
	          FROM neon_auth."team" t WHERE t."organizationId" = org);
END
$$;

-- Better Auth POST /organization/add-team-member and remove-team-member
-- (team:update); the user must be a member of the team's organization.
CREATE FUNCTION neon_auth.add_team_member(team_id uuid, user_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	t neon_auth."team";
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	t := neon_auth._team_for(team_id, caller.user_id);
	PERFORM neon_auth._membership(t."organizationId", caller.user_id, '{"team": ["update"]}', 'YOU_ARE_NOT_ALLOWED_TO_CREATE_A_NEW_TEAM_MEMBER');
	IF (neon_auth._member_of(t."organizationId", add_team_member.user_id))."id" IS NULL THEN
		PERFORM neon_auth._raise_org('USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION');
	END IF;
	PERFORM neon_auth._add_team_member(t, add_team_member.user_id);
	PERFORM neon_auth._audit('team_member_added', caller.user_id, 'success', NULL,
		jsonb_build_object('team_id', t."id", 'member_user_id', add_team_member.user_id));
	RETURN (SELECT jsonb_build_object('id', tm."id", 'teamId', tm."teamId", 'userId', tm."userId", 'createdAt', neon_auth._iso(tm."createdAt"))
	          FROM neon_auth."teamMember" tm WHERE tm."teamId" = t."id" AND tm."userId" = add_team_member.user_id);
END
$$;

CREATE FUNCTION neon_auth.remove_team_member(team_id uuid, user_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	t neon_auth."team";
	n integer;
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	t := neon_auth._team_for(team_id, caller.user_id);
	PERFORM neon_auth._membership(t."organizationId", caller.user_id, '{"team": ["update"]}', 'YOU_ARE_NOT_ALLOWED_TO_REMOVE_A_TEAM_MEMBER');
	DELETE FROM neon_auth."teamMember" tm WHERE tm."teamId" = t."id" AND tm."userId" = remove_team_member.user_id;
	GET DIAGNOSTICS n = ROW_COUNT;
	IF n = 0 THEN
		PERFORM neon_auth._raise_org('USER_IS_NOT_A_MEMBER_OF_THE_TEAM');
	END IF;
	UPDATE neon_auth."team" SET "memberCount" = greatest("memberCount" - n, 0) WHERE "id" = t."id";
	UPDATE neon_auth."session" SET "activeTeamId" = NULL
	 WHERE "userId" = remove_team_member.user_id AND "activeTeamId" = t."id"::text;
	PERFORM neon_auth._audit('team_member_removed', caller.user_id, 'success', NULL,
		jsonb_build_object('team_id', t."id", 'member_user_id', remove_team_member.user_id));
	RETURN jsonb_build_object('message', 'Team member removed successfully.');
END
$$;

-- Better Auth POST /organization/set-active-team: a team of the active
-- organization that the caller belongs to (NULL clears it).
CREATE FUNCTION neon_auth.set_active_team(team_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	t neon_auth."team";
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	IF team_id IS NOT NULL THEN
		t := neon_auth._team_for(team_id, caller.user_id);
		IF NOT EXISTS (SELECT 1 FROM neon_auth."teamMember" tm WHERE tm."teamId" = t."id" AND tm."userId" = caller.user_id) THEN
			PERFORM neon_auth._raise_org('USER_IS_NOT_A_MEMBER_OF_THE_TEAM');
		END IF;
	END IF;
	UPDATE neon_auth."session"
	   SET "activeTeamId" = t."id"::text,
	       "activeOrganizationId" = coalesce(t."organizationId"::text, "activeOrganizationId"), "updatedAt" = neon_auth._now()
	 WHERE "id" = (caller.s)."id";
	RETURN CASE WHEN t."id" IS NULL THEN 'null'::jsonb ELSE neon_auth._team_json(t) END;
END
$$;

---------------------------------------------------------------------------
-- Custom roles (Better Auth's dynamic access control): organizationRole
-- rows, managed by members with the ac permissions. A custom role's
-- statements add to a default role of the same name.
---------------------------------------------------------------------------

CREATE FUNCTION neon_auth._org_role_json(r neon_auth."organizationRole") RETURNS jsonb
	LANGUAGE sql STABLE
	RETURN jsonb_build_object('id', r."id", 'organizationId', r."organizationId", 'role', r."role",
		'permission', r."permission"::jsonb, 'createdAt', neon_auth._iso(r."createdAt"), 'updatedAt', neon_auth._iso(r."updatedAt"));

-- A permission object {resource: [action, ...]} with string actions.
CREATE FUNCTION neon_auth._check_permission_object(permission jsonb) RETURNS jsonb
	LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF permission IS NULL OR jsonb_typeof(permission) <> 'object' OR EXISTS (
	       SELECT 1 FROM jsonb_each(permission) p
	        WHERE jsonb_typeof(p.value) <> 'array'
	           OR EXISTS (SELECT 1 FROM jsonb_array_elements(p.value) a WHERE jsonb_typeof(a) <> 'string')) THEN
		PERFORM neon_auth._raise_org('INVALID_PERMISSIONS');
	END IF;
	RETURN permission;
END
$$;

CREATE FUNCTION neon_auth.create_role(role text, permission jsonb, organization_id uuid DEFAULT NULL, session_token text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	caller record := neon_auth._caller(session_token);
	org uuid;
	r neon_auth."organizationRole";
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	org := neon_auth._target_org(create_role.organization_id, caller.s);
	PERFORM neon_auth._membership(org, caller.user_id, '{"ac": ["create"]}', 'YOU_ARE_NOT_ALLOWED_TO_CREATE_A_ROLE');
	IF create_role.role IS NULL OR create_role.role !~ '^[A-Za-z0-9_-]{1,64}$' THEN
		PERFORM neon_auth._raise_org('INVALID_ROLE_NAME');
	END IF;
	PERFORM 1 FROM neon_auth."organization" WHERE "id" = org FOR UPDATE;
	IF create_role.role IN ('owner', 'admin', 'member') OR EXISTS (
	       SELECT 1 FROM neon_auth."organizationRole" WHERE "organizationId" = org AND "role" = create_role.role) THEN
		PERFORM neon_auth._raise_org('ROLE_NAME_IS_ALREADY_TAKEN');
	END IF;
	INSERT INTO neon_auth."organizationRole" ("organizationId", "role", "permission", "createdAt")
	VALUES (org, create_role.role, neon_auth._check_permission_object(create_role.permission)::text, neon_auth._now())
	RETURNING * INTO r;
	PERFORM neon_auth._audit('role_created', caller.user_id, 'success', NULL, jsonb_build_object('organization_id', org, 'role', r."role"));
	RETURN neon_auth._org_role_json(r);
END
$$;

CREATE FUNCTION neon_auth.update_role(role text, permission jsonb, organization_id uuid DEFAULT NULL, session_token text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	caller record := neon_auth._caller(session_token);
	org uuid;
	r neon_auth."organizationRole";
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	org := neon_auth._target_org(update_role.organization_id, caller.s);
	PERFORM neon_auth._membership(org, caller.user_id, '{"ac": ["update"]}', 'YOU_ARE_NOT_ALLOWED_TO_UPDATE_A_ROLE');
	UPDATE neon_auth."organizationRole"
	   SET "permission" = neon_auth._check_permission_object(update_role.permission)::text, "updatedAt" = neon_auth._now()
	 WHERE "organizationId" = org AND "role" = update_role.role RETURNING * INTO r;
	IF r."id" IS NULL THEN
		PERFORM neon_auth._raise_org('ROLE_NOT_FOUND');
	END IF;
	PERFORM neon_auth._audit('role_updated', caller.user_id, 'success', NULL, jsonb_build_object('organization_id', org, 'role', r."role"));
	RETURN neon_auth._org_role_json(r);
END
$$;

CREATE FUNCTION neon_auth.delete_role(role text, organization_id uuid DEFAULT NULL, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	caller record := neon_auth._caller(session_token);
	org uuid;
	n integer;
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	org := neon_auth._target_org(delete_role.organization_id, caller.s);
	PERFORM neon_auth._membership(org, caller.user_id, '{"ac": ["delete"]}', 'YOU_ARE_NOT_ALLOWED_TO_DELETE_A_ROLE');
	IF delete_role.role IN ('owner', 'admin', 'member') THEN
		PERFORM neon_auth._raise_org('CANNOT_DELETE_A_PRE_DEFINED_ROLE');
	END IF;
	PERFORM 1 FROM neon_auth."organization" WHERE "id" = org FOR UPDATE;
	IF EXISTS (SELECT 1 FROM neon_auth."member" m, unnest(string_to_array(m."role", ',')) x
	            WHERE m."organizationId" = org AND btrim(x) = delete_role.role) THEN
		PERFORM neon_auth._raise_org('ROLE_IS_ASSIGNED_TO_MEMBERS');
	END IF;
	DELETE FROM neon_auth."organizationRole" WHERE "organizationId" = org AND "role" = delete_role.role;
	GET DIAGNOSTICS n = ROW_COUNT;
	IF n = 0 THEN
		PERFORM neon_auth._raise_org('ROLE_NOT_FOUND');
	END IF;
	PERFORM neon_auth._audit('role_deleted', caller.user_id, 'success', NULL, jsonb_build_object('organization_id', org, 'role', delete_role.role));
	RETURN jsonb_build_object('success', true);
END
$$;

CREATE FUNCTION neon_auth.list_roles(organization_id uuid DEFAULT NULL, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	org uuid;
BEGIN
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	org := neon_auth._target_org(organization_id, caller.s);
	PERFORM neon_auth._membership(org, caller.user_id, '{"ac": ["read"]}', 'YOU_ARE_NOT_ALLOWED_TO_LIST_A_ROLE');
	RETURN (SELECT coalesce(jsonb_agg(neon_auth._org_role_json(r) ORDER BY r."role"), '[]')
	          FROM neon_auth."organizationRole" r WHERE r."organizationId" = org);
END
$$;

---------------------------------------------------------------------------
-- Admin (Better Auth's admin plugin): user administration for users whose
-- role is an admin role (config.admin_roles), or for the role that owns the
-- extension calling from plain SQL (not through PostgREST). Admins cannot
-- act on other admins (ban, remove, set password or role, impersonate):
-- only the owner can. Every action is in the audit trail.
---------------------------------------------------------------------------

-- The acting admin's user id, or NULL when the extension owner acts from
-- SQL; raises if the caller is neither.
CREATE FUNCTION neon_auth._admin(session_token text) RETURNS uuid
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	cfg neon_auth.config;
BEGIN
	SELECT * INTO cfg FROM neon_auth.config;
	IF caller.user_id IS NOT NULL THEN
		IF EXISTS (SELECT 1 FROM neon_auth."user" u, unnest(string_to_array(u."role", ',')) r
		            WHERE u."id" = caller.user_id AND btrim(r) = ANY (cfg.admin_roles)) THEN
			RETURN caller.user_id;
		END IF;
	-- The owner acts only as itself: no session token given (an invalid one
	-- is not "none"), no SET ROLE to another role in effect, not through
	-- PostgREST.
	ELSIF session_token IS NULL AND NOT neon_auth._http_mode() AND current_setting('role') = 'none'
	      AND pg_has_role(session_user, (SELECT e.extowner FROM pg_extension e WHERE e.extname = 'neon_auth'), 'MEMBER') THEN
		RETURN NULL;
	END IF;
	PERFORM neon_auth._raise_admin('YOU_ARE_NOT_ALLOWED_TO_PERFORM_THIS_ACTION');
	RETURN NULL;
END
$$;

CREATE FUNCTION neon_auth._raise_admin(code text) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	state text;
	message text;
BEGIN
	SELECT v.state, v.message INTO state, message FROM (VALUES
		('YOU_ARE_NOT_ALLOWED_TO_PERFORM_THIS_ACTION', '42501', 'you are not allowed to perform this action'),
		('YOU_CANNOT_BAN_YOURSELF', '42501', 'you cannot ban yourself'),
		('YOU_CANNOT_ACT_ON_ANOTHER_ADMIN', '42501', 'only the database owner can do this to an admin'),
		('YOU_CANNOT_IMPERSONATE_ADMINS', '42501', 'you cannot impersonate admins'),
		('USER_NOT_FOUND', 'P0002', 'user not found'),
		('NOT_IMPERSONATING', '55000', 'this session is not an impersonation'),
		('INVALID_ROLE', '22023', 'invalid role'),
		('INVALID_QUERY', '22023', 'invalid list query'),
		('INVALID_BAN_EXPIRY', '22023', 'ban_expires_in must be a positive number of seconds'),
		('FIELD_NOT_UPDATABLE', '22023', 'only name, image and emailVerified can be changed here')) AS v(code, state, message)
	 WHERE v.code = _raise_admin.code;
	RAISE EXCEPTION USING ERRCODE = state, DETAIL = code, MESSAGE = message;
END
$$;

-- The target user, which must exist; and not be an admin unless the owner acts.
CREATE FUNCTION neon_auth._admin_target(admin_id uuid, user_id uuid) RETURNS neon_auth."user"
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	u neon_auth."user";
BEGIN
	SELECT * INTO u FROM neon_auth."user" WHERE "id" = user_id;
	IF u."id" IS NULL THEN
		PERFORM neon_auth._raise_admin('USER_NOT_FOUND');
	END IF;
	IF admin_id IS NOT NULL AND u."id" <> admin_id AND neon_auth._is_admin_role(u."role") THEN
		PERFORM neon_auth._raise_admin('YOU_CANNOT_ACT_ON_ANOTHER_ADMIN');
	END IF;
	RETURN u;
END
$$;

CREATE FUNCTION neon_auth._is_admin_role(roles text) RETURNS boolean
	LANGUAGE sql STABLE
	RETURN EXISTS (SELECT 1 FROM unnest(string_to_array(roles, ',')) r, neon_auth.config c WHERE btrim(r) = ANY (c.admin_roles));

CREATE FUNCTION neon_auth._admin_audit(event text, admin_id uuid, target uuid, detail jsonb DEFAULT '{}') RETURNS void
	LANGUAGE sql VOLATILE
BEGIN ATOMIC
	SELECT neon_auth._audit(event, admin_id, 'success', NULL,
		coalesce(detail, '{}') || jsonb_build_object('target_user_id', target, 'by', coalesce(admin_id::text, 'database owner')));
END;

-- Better Auth POST /admin/create-user.
CREATE FUNCTION neon_auth.create_user(email text, password text, name text, role text DEFAULT 'user',
                                      session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	admin_id uuid := neon_auth._admin(session_token);
	cfg neon_auth.config;
	v_email text := neon_auth._normalize_email(create_user.email);
	v_password text;
	u neon_auth."user";
BEGIN
	PERFORM neon_auth._writable();
	SELECT * INTO cfg FROM neon_auth.config;
	v_password := neon_auth._normalize_password(create_user.password, cfg);
	IF create_user.name IS NULL THEN
		PERFORM neon_auth._raise('VALIDATION_ERROR', 'name');
	END IF;
	IF coalesce(btrim(create_user.role), '') = '' THEN
		PERFORM neon_auth._raise_admin('INVALID_ROLE');
	END IF;
	IF admin_id IS NOT NULL AND neon_auth._is_admin_role(create_user.role) THEN
		PERFORM neon_auth._raise_admin('YOU_CANNOT_ACT_ON_ANOTHER_ADMIN');
	END IF;
	INSERT INTO neon_auth."user" ("name", "email", "emailVerified", "createdAt", "updatedAt", "role", "banned", "twoFactorEnabled", "isAnonymous")
	VALUES (create_user.name, v_email, false, neon_auth._now(), neon_auth._now(), create_user.role, false, false, false)
	ON CONFLICT ("email") DO NOTHING RETURNING * INTO u;
	IF u."id" IS NULL THEN
		PERFORM neon_auth._raise('USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL');
	END IF;
	PERFORM neon_auth._set_password_hash(u."id", neon_auth._password_hash(v_password));
	PERFORM neon_auth._admin_audit('admin_user_created', admin_id, u."id", jsonb_build_object('role', u."role"));
	RETURN jsonb_build_object('user', neon_auth._user_json(u));
END
$$;

-- Better Auth GET /admin/list-users: search (contains, starts_with,
-- ends_with on email or name), filter (eq, ne on role, banned, emailVerified),
-- sort (createdAt, name, email; asc or desc), pagination.
CREATE FUNCTION neon_auth.list_users(search_value text DEFAULT NULL, search_field text DEFAULT 'email',
                                     search_operator text DEFAULT 'contains', "limit" integer DEFAULT 100, "offset" integer DEFAULT 0,
                                     sort_by text DEFAULT 'createdAt', sort_direction text DEFAULT 'asc',
                                     filter_field text DEFAULT NULL, filter_value text DEFAULT NULL, filter_operator text DEFAULT 'eq',
                                     session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	admin_id uuid := neon_auth._admin(session_token);
	pattern text;
	matching neon_auth."user"[];
BEGIN
	IF search_field NOT IN ('email', 'name') OR search_operator NOT IN ('contains', 'starts_with', 'ends_with')
	   OR sort_by NOT IN ('createdAt', 'name', 'email') OR lower(sort_direction) NOT IN ('asc', 'desc')
	   OR (filter_field IS NOT NULL AND filter_field NOT IN ('role', 'banned', 'emailVerified'))
	   OR filter_operator NOT IN ('eq', 'ne') THEN
		PERFORM neon_auth._raise_admin('INVALID_QUERY');
	END IF;
	-- LIKE wildcards in the search are literal.
	pattern := replace(replace(replace(lower(search_value), '\', '\\'), '%', '\%'), '_', '\_');
	pattern := CASE search_operator WHEN 'contains' THEN '%' || pattern || '%' WHEN 'starts_with' THEN pattern || '%' ELSE '%' || pattern END;
	SELECT coalesce(array_agg(u), '{}') INTO matching FROM neon_auth."user" u
	 WHERE (search_value IS NULL OR lower(CASE search_field WHEN 'email' THEN u."email" ELSE u."name" END) LIKE pattern)
	   AND (filter_field IS NULL OR
	        ((CASE filter_field WHEN 'role' THEN u."role" WHEN 'banned' THEN coalesce(u."banned", false)::text
	                            ELSE u."emailVerified"::text END) = filter_value) = (filter_operator = 'eq'));
	RETURN jsonb_build_object(
		'users', (SELECT coalesce(jsonb_agg(neon_auth._user_json(p) ORDER BY n), '[]') FROM (
		            SELECT m AS p, row_number() OVER (ORDER BY
		                   CASE WHEN lower(sort_direction) = 'asc' THEN CASE sort_by WHEN 'name' THEN m."name" WHEN 'email' THEN m."email"
		                                                                         ELSE to_char(m."createdAt", 'YYYYMMDDHH24MISSUS') END END ASC,
		                   CASE WHEN lower(sort_direction) = 'desc' THEN CASE sort_by WHEN 'name' THEN m."name" WHEN 'email' THEN m."email"
		                                                                          ELSE to_char(m."createdAt", 'YYYYMMDDHH24MISSUS') END END DESC,
		                   m."id") AS n
		              FROM unnest(matching) m
		             ORDER BY n LIMIT greatest(least(coalesce("limit", 100), 1000), 0) OFFSET greatest(coalesce("offset", 0), 0)) page),
		'total', cardinality(matching), 'limit', "limit", 'offset', "offset");
END
$$;

-- Better Auth POST /admin/set-role (comma-joined roles).
CREATE FUNCTION neon_auth.set_role(user_id uuid, role text, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	admin_id uuid := neon_auth._admin(session_token);
	u neon_auth."user" := neon_auth._admin_target(admin_id, set_role.user_id);
BEGIN
	PERFORM neon_auth._writable();
	IF coalesce(btrim(set_role.role), '') = '' THEN
		PERFORM neon_auth._raise_admin('INVALID_ROLE');
	END IF;
	-- Making or unmaking an admin is the owner's decision.
	IF admin_id IS NOT NULL AND (neon_auth._is_admin_role(set_role.role) OR neon_auth._is_admin_role(u."role")) THEN
		PERFORM neon_auth._raise_admin('YOU_CANNOT_ACT_ON_ANOTHER_ADMIN');
	END IF;
	UPDATE neon_auth."user" SET "role" = set_role.role, "updatedAt" = neon_auth._now() WHERE "id" = u."id" RETURNING * INTO u;
	PERFORM neon_auth._admin_audit('admin_role_set', admin_id, u."id", jsonb_build_object('role', set_role.role));
	RETURN jsonb_build_object('user', neon_auth._user_json(u));
END
$$;

-- Better Auth POST /admin/set-user-password.
CREATE FUNCTION neon_auth.set_user_password(user_id uuid, new_password text, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	admin_id uuid := neon_auth._admin(session_token);
	u neon_auth."user" := neon_auth._admin_target(admin_id, set_user_password.user_id);
	cfg neon_auth.config;
BEGIN
	PERFORM neon_auth._writable();
	SELECT * INTO cfg FROM neon_auth.config;
	PERFORM neon_auth._set_password_hash(u."id", neon_auth._password_hash(neon_auth._normalize_password(new_password, cfg)));
	DELETE FROM neon_auth."verification" WHERE "identifier" LIKE 'reset-password:%' AND "value" = u."id"::text;
	PERFORM neon_auth._admin_audit('admin_password_set', admin_id, u."id");
	RETURN jsonb_build_object('status', true);
END
$$;

-- Better Auth POST /admin/update-user: name, image, emailVerified.
CREATE FUNCTION neon_auth.admin_update_user(user_id uuid, data jsonb, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	admin_id uuid := neon_auth._admin(session_token);
	u neon_auth."user" := neon_auth._admin_target(admin_id, admin_update_user.user_id);
	bad text;
BEGIN
	PERFORM neon_auth._writable();
	SELECT k INTO bad FROM jsonb_object_keys(coalesce(data, '{}')) k WHERE k NOT IN ('name', 'image', 'emailVerified') LIMIT 1;
	IF bad IS NOT NULL THEN
		PERFORM neon_auth._raise_admin('FIELD_NOT_UPDATABLE');
	END IF;
	UPDATE neon_auth."user"
	   SET "name" = CASE WHEN data ? 'name' THEN coalesce(data ->> 'name', "name") ELSE "name" END,
	       "image" = CASE WHEN data ? 'image' THEN data ->> 'image' ELSE "image" END,
	       "emailVerified" = CASE WHEN data ? 'emailVerified' THEN coalesce((data ->> 'emailVerified')::boolean, "emailVerified") ELSE "emailVerified" END,
	       "updatedAt" = neon_auth._now()
	 WHERE "id" = u."id" RETURNING * INTO u;
	PERFORM neon_auth._admin_audit('admin_user_updated', admin_id, u."id", jsonb_build_object('fields', (SELECT jsonb_agg(k) FROM jsonb_object_keys(data) k)));
	RETURN neon_auth._user_json(u);
END
$$;

-- Better Auth POST /admin/remove-user (cascades to sessions, accounts, memberships).
CREATE FUNCTION neon_auth.remove_user(user_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	admin_id uuid := neon_auth._admin(session_token);
	u neon_auth."user" := neon_auth._admin_target(admin_id, remove_user.user_id);
BEGIN
	PERFORM neon_auth._writable();
	IF u."id" = admin_id THEN
		PERFORM neon_auth._raise_admin('YOU_ARE_NOT_ALLOWED_TO_PERFORM_THIS_ACTION');
	END IF;
	DELETE FROM neon_auth."user" WHERE "id" = u."id";
	PERFORM neon_auth._admin_audit('admin_user_removed', admin_id, u."id");
	RETURN jsonb_build_object('success', true);
END
$$;

-- Better Auth POST /admin/ban-user: banned (with reason and, given a
-- number of seconds, an expiry); every session of the user ends.
CREATE FUNCTION neon_auth.ban_user(user_id uuid, ban_reason text DEFAULT NULL, ban_expires_in integer DEFAULT NULL,
                                   session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	admin_id uuid := neon_auth._admin(session_token);
	u neon_auth."user" := neon_auth._admin_target(admin_id, ban_user.user_id);
BEGIN
	PERFORM neon_auth._writable();
	IF u."id" = admin_id THEN
		PERFORM neon_auth._raise_admin('YOU_CANNOT_BAN_YOURSELF');
	END IF;
	IF ban_expires_in IS NOT NULL AND ban_expires_in <= 0 THEN
		PERFORM neon_auth._raise_admin('INVALID_BAN_EXPIRY');
	END IF;
	UPDATE neon_auth."user"
	   SET "banned" = true, "banReason" = coalesce(ban_reason, 'No reason'),
	       "banExpires" = CASE WHEN ban_expires_in IS NOT NULL THEN neon_auth._now() + make_interval(secs => ban_expires_in) END,
	       "updatedAt" = neon_auth._now()
	 WHERE "id" = u."id" RETURNING * INTO u;
	DELETE FROM neon_auth."session" WHERE "userId" = u."id";
	PERFORM neon_auth._admin_audit('admin_user_banned', admin_id, u."id",
		jsonb_build_object('reason', u."banReason", 'expires', neon_auth._iso(u."banExpires")));
	RETURN jsonb_build_object('user', neon_auth._user_json(u));
END
$$;

CREATE FUNCTION neon_auth.unban_user(user_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	admin_id uuid := neon_auth._admin(session_token);
	u neon_auth."user" := neon_auth._admin_target(admin_id, unban_user.user_id);
BEGIN
	PERFORM neon_auth._writable();
	UPDATE neon_auth."user" SET "banned" = false, "banReason" = NULL, "banExpires" = NULL, "updatedAt" = neon_auth._now()
	 WHERE "id" = u."id" RETURNING * INTO u;
	PERFORM neon_auth._admin_audit('admin_user_unbanned', admin_id, u."id");
	RETURN jsonb_build_object('user', neon_auth._user_json(u));
END
$$;

-- Better Auth POST /admin/list-user-sessions, revoke-user-session(s).
CREATE FUNCTION neon_auth.list_user_sessions(user_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	admin_id uuid := neon_auth._admin(session_token);
	u neon_auth."user" := neon_auth._admin_target(admin_id, list_user_sessions.user_id);
BEGIN
	RETURN jsonb_build_object('sessions', (SELECT coalesce(jsonb_agg(neon_auth._session_json(s) ORDER BY s."createdAt"), '[]')
	                                         FROM neon_auth."session" s WHERE s."userId" = u."id" AND s."expiresAt" >= now()));
END
$$;

CREATE FUNCTION neon_auth.revoke_user_session(session_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	admin_id uuid := neon_auth._admin(session_token);
	target uuid := (SELECT "userId" FROM neon_auth."session" WHERE "id" = session_id);
BEGIN
	PERFORM neon_auth._writable();
	IF target IS NULL THEN
		RETURN jsonb_build_object('success', false);
	END IF;
	PERFORM neon_auth._admin_target(admin_id, target);
	DELETE FROM neon_auth."session" WHERE "id" = session_id;
	PERFORM neon_auth._admin_audit('admin_session_revoked', admin_id, target);
	RETURN jsonb_build_object('success', true);
END
$$;

CREATE FUNCTION neon_auth.revoke_user_sessions(user_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	admin_id uuid := neon_auth._admin(session_token);
	u neon_auth."user" := neon_auth._admin_target(admin_id, revoke_user_sessions.user_id);
BEGIN
	PERFORM neon_auth._writable();
	DELETE FROM neon_auth."session" WHERE "userId" = u."id";
	PERFORM neon_auth._admin_audit('admin_sessions_revoked', admin_id, u."id");
	RETURN jsonb_build_object('success', true);
END
$$;

-- Better Auth POST /admin/impersonate-user: a session for the user with
-- impersonatedBy = the admin, lasting config.impersonation_session_duration
-- (1 h). Admins cannot be impersonated unless config.allow_impersonating_admins.
CREATE FUNCTION neon_auth.impersonate_user(user_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	admin_id uuid := neon_auth._admin(session_token);
	cfg neon_auth.config;
	u neon_auth."user";
	s neon_auth."session";
BEGIN
	PERFORM neon_auth._writable();
	SELECT * INTO cfg FROM neon_auth.config;
	SELECT * INTO u FROM neon_auth."user" WHERE "id" = impersonate_user.user_id;
	IF u."id" IS NULL THEN
		PERFORM neon_auth._raise_admin('USER_NOT_FOUND');
	END IF;
	IF neon_auth._is_admin_role(u."role") AND NOT cfg.allow_impersonating_admins THEN
		PERFORM neon_auth._raise_admin('YOU_CANNOT_IMPERSONATE_ADMINS');
	END IF;
	INSERT INTO neon_auth."session" ("token", "userId", "expiresAt", "createdAt", "updatedAt", "ipAddress", "userAgent", "impersonatedBy")
	VALUES (neon_auth._generate_id(32), u."id", neon_auth._now() + make_interval(secs => cfg.impersonation_session_duration),
	        neon_auth._now(), neon_auth._now(), neon_auth._client_ip(), neon_auth._user_agent(),
	        -- Better Auth records the admin's user id; the owner is named as a role.
	        coalesce(admin_id::text, 'owner:' || session_user))
	RETURNING * INTO s;
	PERFORM neon_auth._admin_audit('admin_impersonation_started', admin_id, u."id", jsonb_build_object('session_id', s."id"));
	RETURN jsonb_build_object('session', neon_auth._session_json(s), 'user', neon_auth._user_json(u));
END
$$;

-- Better Auth POST /admin/stop-impersonating: ends the impersonation session.
CREATE FUNCTION neon_auth.stop_impersonating(session_token text DEFAULT NULL) RETURNS jsonb
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
	IF (caller.s)."impersonatedBy" IS NULL THEN
		PERFORM neon_auth._raise_admin('NOT_IMPERSONATING');
	END IF;
	DELETE FROM neon_auth."session" WHERE "id" = (caller.s)."id";
	PERFORM neon_auth._audit('admin_impersonation_stopped',
		CASE WHEN (caller.s)."impersonatedBy" ~* '^[0-9a-f-]{36}$' THEN ((caller.s)."impersonatedBy")::uuid END, 'success', NULL,
		jsonb_build_object('target_user_id', caller.user_id, 'by', (caller.s)."impersonatedBy"));
	RETURN jsonb_build_object('success', true);
END
$$;

---------------------------------------------------------------------------
-- Tenant helpers for RLS policies: the caller is requesting_user_id(), as
-- for every policy helper. SECURITY DEFINER (members are not readable by
-- app roles), STABLE: evaluate them once per statement with a sub-select,
-- USING (org_id = ANY (ARRAY(SELECT unnest(neon_auth.organization_ids())))).
---------------------------------------------------------------------------

CREATE FUNCTION neon_auth.organization_ids() RETURNS uuid[]
	LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	-- PL/pgSQL, not SQL: a SQL function with SET is not inlined and would be
	-- planned again in every transaction; PL/pgSQL keeps its plan.
	RETURN coalesce((SELECT array_agg(DISTINCT m."organizationId") FROM neon_auth."member" m
	                  WHERE m."userId" = neon_auth.requesting_user_id()), '{}');
END
$$;
COMMENT ON FUNCTION neon_auth.organization_ids() IS 'the organizations the caller (requesting_user_id()) is a member of';

CREATE FUNCTION neon_auth.is_member(organization_id uuid) RETURNS boolean
	LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	RETURN EXISTS (SELECT 1 FROM neon_auth."member" m
	                WHERE m."organizationId" = is_member.organization_id AND m."userId" = neon_auth.requesting_user_id());
END
$$;
COMMENT ON FUNCTION neon_auth.is_member(uuid) IS 'whether the caller is a member of the organization';

CREATE FUNCTION neon_auth.member_role(organization_id uuid) RETURNS text
	LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	RETURN (SELECT m."role" FROM neon_auth."member" m
	         WHERE m."organizationId" = member_role.organization_id AND m."userId" = neon_auth.requesting_user_id()
	         ORDER BY m."createdAt" LIMIT 1);
END
$$;
COMMENT ON FUNCTION neon_auth.member_role(uuid) IS 'the caller''s role string in the organization (e.g. "admin,billing"), else NULL';

-- The session's active organization, for a JWT its "o" claim; only while the
-- caller is still a member.
CREATE FUNCTION neon_auth.active_organization_id() RETURNS uuid
	LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	identity jsonb := neon_auth._identity();
	org text := coalesce(identity #>> '{session,session,activeOrganizationId}', identity #>> '{claims,o,id}');
BEGIN
	IF org IS NULL OR org !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
		RETURN NULL;
	END IF;
	RETURN CASE WHEN EXISTS (SELECT 1 FROM neon_auth."member" m
	                          WHERE m."organizationId" = org::uuid AND m."userId" = (identity ->> 'sub')::uuid)
	            THEN org::uuid END;
END
$$;
COMMENT ON FUNCTION neon_auth.active_organization_id() IS 'the caller''s active organization (session, or the JWT''s "o" claim) while a member, else NULL';

-- Better Auth POST /organization/has-permission, for the caller.
CREATE FUNCTION neon_auth.has_permission(organization_id uuid, permissions jsonb) RETURNS boolean
	LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	roles text := neon_auth.member_role(organization_id);
BEGIN
	RETURN roles IS NOT NULL AND neon_auth._roles_permit(organization_id, roles, permissions);
END
$$;
COMMENT ON FUNCTION neon_auth.has_permission(uuid, jsonb) IS
	'whether the caller''s roles in the organization grant every action in {resource: [actions]} (Better Auth''s statements)';

---------------------------------------------------------------------------
-- Branching. A copy of the database (CREATE DATABASE ... TEMPLATE, a
-- pg_dump restore, a Neon branch) carries the whole auth state: the same
-- users, sessions, signing keys and secret. fork() turns a fresh copy into
-- a preview of its own; the instance row lets the extension notice a copy
-- nobody forked.
---------------------------------------------------------------------------

-- One row: the identifiers of the database the auth state was installed in
-- or last forked into. A copy made with TEMPLATE or restored from pg_dump
-- has another database oid; one in another cluster, another system
-- identifier; a Neon branch, another neon.timeline_id. A physical copy of
-- the whole cluster (pg_basebackup, a disk snapshot) keeps all three, as a
-- promoted standby does, so it cannot be told from a failover: fork it
-- with force => true.
CREATE TABLE neon_auth.instance (
	singleton boolean DEFAULT true NOT NULL PRIMARY KEY CHECK (singleton),
	system_identifier bigint NOT NULL,
	database_oid oid NOT NULL,
	neon_timeline_id text,
	recorded_at timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
	fork_mode text,   -- NULL: as installed
	forked_from jsonb -- the identifiers recorded before the last fork
);
COMMENT ON TABLE neon_auth.instance IS 'the database this auth state belongs to (one row; see neon_auth.fork_status())';
CREATE TRIGGER replace_singleton BEFORE INSERT ON neon_auth.instance
	FOR EACH ROW EXECUTE FUNCTION neon_auth._replace_singleton();
SELECT pg_catalog.pg_extension_config_dump('neon_auth.instance', '');

-- The identifiers of the database this runs in, as text (a system
-- identifier does not fit a JavaScript number).
CREATE FUNCTION neon_auth._here() RETURNS jsonb
	LANGUAGE sql STABLE
	RETURN jsonb_build_object(
		'system_identifier', (SELECT system_identifier::text FROM pg_catalog.pg_control_system()),
		'database_oid', (SELECT oid::text FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()),
		-- Only when Neon's module defines it: an undefined placeholder
		-- could be set by any role, to fake or hide a copy.
		'neon_timeline_id', (SELECT nullif(setting, '') FROM pg_catalog.pg_settings
		                      WHERE name = 'neon.timeline_id' AND context <> 'user'));

CREATE FUNCTION neon_auth._recorded(i neon_auth.instance) RETURNS jsonb
	LANGUAGE sql STABLE
	RETURN jsonb_build_object('system_identifier', i.system_identifier::text, 'database_oid', i.database_oid::text,
	                          'neon_timeline_id', i.neon_timeline_id);

INSERT INTO neon_auth.instance (system_identifier, database_oid, neon_timeline_id)
SELECT (h ->> 'system_identifier')::bigint, (h ->> 'database_oid')::oid, h ->> 'neon_timeline_id'
  FROM neon_auth._here() h;

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
	counts jsonb := '{}';
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
		INSERT INTO neon_auth.secret (value) VALUES (new_secret);
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

---------------------------------------------------------------------------
-- Privileges: nothing in neon_auth is reachable by PUBLIC except the API.
---------------------------------------------------------------------------

-- Revoking from PUBLIC is not enough: ALTER DEFAULT PRIVILEGES set up by the
-- installing role may have granted these new objects to other roles. Strip
-- every privilege held by anyone but the owner, then grant the API.
DO $$
DECLARE
	obj record;
BEGIN
	FOR obj IN
		SELECT DISTINCT c.oid::regclass::text AS name, a.grantee
		  FROM pg_class c, aclexplode(c.relacl) a
		 WHERE c.relnamespace = 'neon_auth'::regnamespace AND a.grantee <> c.relowner
	LOOP
		EXECUTE format('REVOKE ALL ON TABLE %s FROM %s', obj.name,
		               CASE WHEN obj.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(obj.grantee)) END);
	END LOOP;
	FOR obj IN
		SELECT DISTINCT p.oid::regprocedure::text AS name, a.grantee
		  FROM pg_proc p, aclexplode(p.proacl) a
		 WHERE p.pronamespace = 'neon_auth'::regnamespace AND a.grantee <> p.proowner
	LOOP
		EXECUTE format('REVOKE ALL ON FUNCTION %s FROM %s', obj.name,
		               CASE WHEN obj.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(obj.grantee)) END);
	END LOOP;
	FOR obj IN
		SELECT DISTINCT a.grantee
		  FROM pg_namespace n, aclexplode(n.nspacl) a
		 WHERE n.oid = 'neon_auth'::regnamespace AND a.grantee <> n.nspowner AND a.grantee <> 0
	LOOP
		EXECUTE format('REVOKE ALL ON SCHEMA neon_auth FROM %I', pg_get_userbyid(obj.grantee));
	END LOOP;
END
$$;
REVOKE ALL ON ALL TABLES IN SCHEMA neon_auth FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA neon_auth FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
	neon_auth.sign_up(text, text, text, text, boolean, text),
	neon_auth.sign_in(text, text, boolean, text),
	neon_auth.sign_out(text),
	neon_auth.verify_session(text),
	neon_auth.get_session(text, boolean),
	neon_auth.session_cookie(text),
	neon_auth.token(text),
	neon_auth.jwks(),
	neon_auth.verify_jwt(text),
	neon_auth._identity(),
	neon_auth.requesting_user_id(),
	neon_auth.jwt(),
	neon_auth.session(),
	neon_auth.authenticate(text, boolean),
	neon_auth.send_verification_email(text, text),
	neon_auth.verify_email(text),
	neon_auth.request_password_reset(text, text),
	neon_auth.reset_password(text, text),
	neon_auth.change_password(text, text, boolean, text),
	neon_auth.set_password(text, text),
	neon_auth.update_user(text, text, text),
	neon_auth.change_email(text, text, text),
	neon_auth.delete_user(text, text),
	neon_auth.list_sessions(text),
	neon_auth.revoke_session(text, text),
	neon_auth.revoke_other_sessions(text),
	neon_auth.revoke_sessions(text),
	neon_auth.create_organization(text, text, text, jsonb, boolean, text),
	neon_auth.check_slug(text),
	neon_auth.update_organization(jsonb, uuid, text),
	neon_auth.delete_organization(uuid, text),
	neon_auth.get_full_organization(uuid, text),
	neon_auth.list_organizations(text),
	neon_auth.set_active_organization(uuid, text),
	neon_auth.remove_member(text, uuid, text),
	neon_auth.update_member_role(uuid, text, uuid, text),
	neon_auth.leave_organization(uuid, text),
	neon_auth.get_active_member(text),
	neon_auth.list_members(uuid, integer, integer, text),
	neon_auth.invite_member(text, text, uuid, boolean, text),
	neon_auth.accept_invitation(uuid, text),
	neon_auth.reject_invitation(uuid, text),
	neon_auth.cancel_invitation(uuid, text),
	neon_auth.get_invitation(uuid, text),
	neon_auth.list_invitations(uuid, text),
	neon_auth.list_user_invitations(text),
	neon_auth.organization_ids(),
	neon_auth.is_member(uuid),
	neon_auth.member_role(uuid),
	neon_auth.active_organization_id(),
	neon_auth.has_permission(uuid, jsonb),
	neon_auth.create_team(text, uuid, text),
	neon_auth.update_team(uuid, text, text),
	neon_auth.remove_team(uuid, text),
	neon_auth.list_teams(uuid, text),
	neon_auth.add_team_member(uuid, uuid, text),
	neon_auth.remove_team_member(uuid, uuid, text),
	neon_auth.set_active_team(uuid, text),
	neon_auth.create_user(text, text, text, text, text),
	neon_auth.list_users(text, text, text, integer, integer, text, text, text, text, text, text),
	neon_auth.set_role(uuid, text, text),
	neon_auth.set_user_password(uuid, text, text),
	neon_auth.admin_update_user(uuid, jsonb, text),
	neon_auth.remove_user(uuid, text),
	neon_auth.ban_user(uuid, text, integer, text),
	neon_auth.unban_user(uuid, text),
	neon_auth.list_user_sessions(uuid, text),
	neon_auth.revoke_user_session(uuid, text),
	neon_auth.revoke_user_sessions(uuid, text),
	neon_auth.impersonate_user(uuid, text),
	neon_auth.stop_impersonating(text),
	neon_auth.create_role(text, jsonb, uuid, text),
	neon_auth.update_role(text, jsonb, uuid, text),
	neon_auth.delete_role(text, uuid, text),
	neon_auth.list_roles(uuid, text),
	neon_auth.fork_status()
	TO PUBLIC;
