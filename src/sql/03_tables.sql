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
-- admin list_users pages in the order it sorts by (email has its unique index).
CREATE INDEX "user_createdAt_id_idx" ON neon_auth."user" ("createdAt", "id");
CREATE INDEX "user_name_id_idx" ON neon_auth."user" ("name", "id");

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
-- list_members pages in its order (an organization may have a million).
CREATE INDEX "member_organizationId_createdAt_id_idx" ON neon_auth."member" ("organizationId", "createdAt", "id");

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
	                           "/organization/create": {"window": 60, "max": 5},
	                           "/two-factor/enable": {"window": 10, "max": 3}, "/two-factor/disable": {"window": 10, "max": 3},
	                           "/two-factor/get-totp-uri": {"window": 10, "max": 3},
	                           "/two-factor/verify-totp": {"window": 10, "max": 3},
	                           "/two-factor/send-otp": {"window": 10, "max": 3}, "/two-factor/verify-otp": {"window": 10, "max": 3},
	                           "/two-factor/verify-backup-code": {"window": 10, "max": 3},
	                           "/two-factor/generate-backup-codes": {"window": 10, "max": 3},
	                           "/sign-in/username": {"window": 10, "max": 3}, "/sign-in/anonymous": {"window": 10, "max": 3},
	                           "/sign-in/magic-link": {"window": 60, "max": 5}, "/magic-link/verify": {"window": 60, "max": 5},
	                           "/email-otp/send-verification-otp": {"window": 60, "max": 3},
	                           "/email-otp/check-verification-otp": {"window": 60, "max": 3},
	                           "/email-otp/verify-email": {"window": 60, "max": 3}, "/sign-in/email-otp": {"window": 60, "max": 3},
	                           "/email-otp/reset-password": {"window": 60, "max": 3},
	                           "/email-otp/request-email-change": {"window": 60, "max": 3},
	                           "/email-otp/change-email": {"window": 60, "max": 3},
	                           "/sign-in/phone-number": {"window": 10, "max": 3}, "/phone-number/send-otp": {"window": 60, "max": 3},
	                           "/phone-number/verify": {"window": 60, "max": 10},
	                           "/phone-number/request-password-reset": {"window": 60, "max": 3},
	                           "/phone-number/reset-password": {"window": 60, "max": 10}, "/verify-password": {"window": 10, "max": 3}}' NOT NULL,
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
	-- Two-factor codes by email (Better Auth's otpOptions.sendOTP); added in
	-- 1.1, so after updated_at, where the update script puts it.
	two_factor_otp boolean DEFAULT false NOT NULL,
	-- Better Auth's username plugin: minUsernameLength, maxUsernameLength.
	username_min_length integer DEFAULT 3 NOT NULL CHECK (username_min_length > 0),
	username_max_length integer DEFAULT 30 NOT NULL CHECK (username_max_length > 0),
	-- Better Auth's emailOTP plugin: expiresIn, allowedAttempts, storeOTP,
	-- changeEmail.enabled.
	email_otp_expires_in integer DEFAULT 300 NOT NULL CHECK (email_otp_expires_in > 0),
	email_otp_allowed_attempts integer DEFAULT 3 NOT NULL CHECK (email_otp_allowed_attempts > 0),
	email_otp_store text DEFAULT 'plain' NOT NULL CHECK (email_otp_store IN ('plain', 'hashed')),
	email_otp_change_email boolean DEFAULT false NOT NULL,
	-- Better Auth's admin access control (its roles option and adminUserIds):
	-- each role's statements, {"<role>": {"user": [actions], "session":
	-- [actions]}}; users who may do everything; and whether an admin may act
	-- on another admin (Better Auth lets it; neon_auth refuses by default).
	admin_permissions jsonb DEFAULT '{"admin": {"user": ["create", "list", "set-role", "ban", "impersonate", "delete", "set-password", "set-email", "set-phone", "get", "update"], "session": ["list", "revoke", "delete"]}, "user": {"user": [], "session": []}}' NOT NULL
		CHECK (pg_catalog.jsonb_typeof(admin_permissions) OPERATOR(pg_catalog.=) 'object'),
	admin_user_ids uuid[] DEFAULT '{}' NOT NULL CHECK (pg_catalog.array_position(admin_user_ids, NULL) IS NULL),
	allow_acting_on_admins boolean DEFAULT false NOT NULL,
	-- Account deletion confirmed by an emailed link (Better Auth's
	-- deleteUser.sendDeleteAccountVerification and deleteTokenExpiresIn).
	delete_user_verification boolean DEFAULT false NOT NULL,
	delete_user_expires_in integer DEFAULT 86400 NOT NULL CHECK (delete_user_expires_in > 0),
	delete_user_url text DEFAULT '{base_url}/api/auth/delete-user/callback?token={token}&callbackURL={callback_url}' NOT NULL
		CHECK (strpos(delete_user_url, '{token}') > 0),
	-- Better Auth's advanced.cookiePrefix: cookies are "<prefix>.session_token"
	-- and so on (with "__Secure-" in front over https).
	cookie_prefix text DEFAULT 'better-auth' NOT NULL CHECK (cookie_prefix ~ '^[A-Za-z0-9_-]+([.][A-Za-z0-9_-]+)*$' AND length(cookie_prefix) <= 64),
	-- Better Auth's multiSession plugin (and its maximumSessions): one
	-- browser signed in to several accounts (15_multi_session.sql).
	multi_session boolean DEFAULT false NOT NULL,
	multi_session_maximum integer DEFAULT 5 NOT NULL CHECK (multi_session_maximum > 0),
	-- token() signs HS256 with PostgREST's secret (set_postgrest_secret)
	-- instead of a JWKS key; jwt_hs256_audience is then its aud (and the aud
	-- HS256 tokens must carry), '' for base_url's origin.
	jwt_hs256 boolean DEFAULT false NOT NULL,
	jwt_hs256_audience text DEFAULT '' NOT NULL CHECK (length(jwt_hs256_audience) <= 256),
	-- Better Auth's session.cookieCache (maxAge, seconds; 0: off): the HTTP
	-- layer sets the session_data cookie a Better Auth server on the same
	-- cookies reads. neon_auth never takes identity from it.
	cookie_cache_max_age integer DEFAULT 0 NOT NULL CHECK (cookie_cache_max_age >= 0 AND cookie_cache_max_age <= 604800),
	CHECK (max_password_length >= min_password_length)
);
COMMENT ON TABLE neon_auth.config IS 'neon_auth settings (one row; lifetimes in seconds, as Better Auth''s options)';

-- The HMAC key for signed cookies and the key source for encrypted columns:
-- Better Auth's BETTER_AUTH_SECRET. Only the extension owner can read it.
CREATE TABLE neon_auth.secret (
	singleton boolean DEFAULT true NOT NULL PRIMARY KEY CHECK (singleton),
	value text NOT NULL CHECK (pg_catalog.length(value) OPERATOR(pg_catalog.>) 0),
	updated_at timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
	-- PostgREST's jwt-secret (set_postgrest_secret), encrypted under value as
	-- Better Auth's symmetricEncrypt; NULL: HS256 is neither signed nor
	-- accepted.
	postgrest_secret text
);
COMMENT ON TABLE neon_auth.secret IS 'the server secret (Better Auth''s BETTER_AUTH_SECRET); owner-only';

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

-- An anonymous user who signed up or in by another method (Better Auth's
-- anonymous plugin, onLinkAccount): one row per link, written in the
-- sign-in's transaction just before the anonymous user is deleted. It is
-- the hook point for applications: an AFTER INSERT trigger on this table
-- moves the application's rows from anonymous_user_id to user_id, in the
-- same transaction (docs/anonymous.md). Owner-only.
CREATE TABLE neon_auth.anonymous_link (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	anonymous_user_id uuid NOT NULL,
	user_id uuid NOT NULL REFERENCES neon_auth."user" (id) ON DELETE CASCADE,
	linked_at timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL
);
CREATE INDEX anonymous_link_user_id_idx ON neon_auth.anonymous_link (user_id);

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
SELECT pg_catalog.pg_extension_config_dump('neon_auth.instance', '');

-- The error catalogue (its rows are written by 04_errors.sql). Not user
-- data: every install and update writes it, and pg_dump leaves it out.
CREATE TABLE neon_auth.error_code (
	code text PRIMARY KEY,
	sqlstate text NOT NULL CHECK (sqlstate ~ '^[0-9A-Z]{5}$'),
	http_status integer NOT NULL CHECK (http_status BETWEEN 400 AND 599),
	message text NOT NULL,
	hint text,
	api_message text NOT NULL,
	answered boolean DEFAULT false NOT NULL
);
COMMENT ON TABLE neon_auth.error_code IS 'every neon_auth error: Better Auth code, SQLSTATE, HTTP status, message and hint (docs/errors.md)';

---------------------------------------------------------------------------
-- Triggers (their functions are in 02_trigger_functions.sql).
---------------------------------------------------------------------------

CREATE TRIGGER replace_singleton BEFORE INSERT ON neon_auth.config
	FOR EACH ROW EXECUTE FUNCTION neon_auth._replace_singleton();
CREATE TRIGGER replace_singleton BEFORE INSERT ON neon_auth.secret
	FOR EACH ROW EXECUTE FUNCTION neon_auth._replace_singleton();
CREATE TRIGGER replace_singleton BEFORE INSERT ON neon_auth.instance
	FOR EACH ROW EXECUTE FUNCTION neon_auth._replace_singleton();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON neon_auth.config
	FOR EACH ROW EXECUTE FUNCTION neon_auth._touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON neon_auth.secret
	FOR EACH ROW EXECUTE FUNCTION neon_auth._touch_updated_at();

-- Changes that can end an identity (sign-out, ban, user edits, key
-- retirement or revocation, new config or secret) end the generation of
-- every backend's identity cache. Inserts of sessions, users and keys cannot
-- end one and fire nothing. Row-level, because logical replication's apply
-- worker fires row triggers but not statement triggers (except TRUNCATE);
-- repeated invalidations in one transaction are merged. ENABLE ALWAYS: also
-- under session_replication_role = replica.
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
