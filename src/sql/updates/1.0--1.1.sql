-- 1.0 to 1.1: the changes to tables, types and data, and the functions that
-- 1.1 no longer has. Every function of 1.1 is created or replaced after this.

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

-- One catalogue instead of three raising functions; _raise takes a hint.
DROP FUNCTION neon_auth._raise_org(text);
DROP FUNCTION neon_auth._raise_admin(text);
DROP FUNCTION neon_auth._raise(text, text);

-- authenticate() lost its session-wide mode: a credential never outlives its
-- transaction, so no request on a pooled connection sees another's.
DROP FUNCTION neon_auth.authenticate(text, boolean);

-- sign_in verifies an unknown email against _unmatchable_hash() on the path
-- of a wrong password (account enumeration).
DROP FUNCTION neon_auth._burn_kdf(text);

-- JWTs on the identity path and in verify_jwt are checked in C against the
-- keys and settings it reads from jwks and config, kept per backend (issue 13).
DROP FUNCTION neon_auth._check_jwt(text);
DROP FUNCTION neon_auth._trusted_keys();

-- admin list_users pages in index order instead of loading every match.
CREATE INDEX "user_createdAt_id_idx" ON neon_auth."user" ("createdAt", "id");
CREATE INDEX "user_name_id_idx" ON neon_auth."user" ("name", "id");
CREATE INDEX "member_organizationId_createdAt_id_idx" ON neon_auth."member" ("organizationId", "createdAt", "id");

-- Two-factor endpoints (issue 15): Better Auth's rule for /two-factor/* (3
-- calls per 10 s); sign-in by username, anonymous and magic link (issue
-- 16: Better Auth's /sign-in/* rule, the magic-link plugin's 5 per 60 s);
-- merged under the rules an operator already set.
UPDATE neon_auth.config SET rate_limits = '{"/two-factor/enable": {"window": 10, "max": 3}, "/two-factor/disable": {"window": 10, "max": 3},
	"/two-factor/get-totp-uri": {"window": 10, "max": 3}, "/two-factor/verify-totp": {"window": 10, "max": 3},
	"/two-factor/send-otp": {"window": 10, "max": 3}, "/two-factor/verify-otp": {"window": 10, "max": 3},
	"/two-factor/verify-backup-code": {"window": 10, "max": 3},
	"/two-factor/generate-backup-codes": {"window": 10, "max": 3},
	"/sign-in/username": {"window": 10, "max": 3}, "/sign-in/anonymous": {"window": 10, "max": 3},
	"/sign-in/magic-link": {"window": 60, "max": 5}, "/magic-link/verify": {"window": 60, "max": 5},
	"/email-otp/send-verification-otp": {"window": 60, "max": 3}, "/email-otp/check-verification-otp": {"window": 60, "max": 3},
	"/email-otp/verify-email": {"window": 60, "max": 3}, "/sign-in/email-otp": {"window": 60, "max": 3},
	"/email-otp/reset-password": {"window": 60, "max": 3}, "/email-otp/request-email-change": {"window": 60, "max": 3},
	"/email-otp/change-email": {"window": 60, "max": 3},
	"/sign-in/phone-number": {"window": 10, "max": 3}, "/phone-number/send-otp": {"window": 60, "max": 3},
	"/phone-number/verify": {"window": 60, "max": 10}, "/phone-number/request-password-reset": {"window": 60, "max": 3},
	"/phone-number/reset-password": {"window": 60, "max": 10}, "/verify-password": {"window": 10, "max": 3}}'::jsonb || rate_limits;
ALTER TABLE neon_auth.config ALTER COLUMN rate_limits SET DEFAULT '{"/sign-in/email": {"window": 10, "max": 3}, "/sign-up/email": {"window": 10, "max": 3},
	"/change-password": {"window": 10, "max": 3}, "/change-email": {"window": 10, "max": 3},
	"/request-password-reset": {"window": 60, "max": 3}, "/send-verification-email": {"window": 60, "max": 3},
	"/delete-user": {"window": 10, "max": 3}, "/organization/invite-member": {"window": 60, "max": 10},
	"/organization/create": {"window": 60, "max": 5},
	"/two-factor/enable": {"window": 10, "max": 3}, "/two-factor/disable": {"window": 10, "max": 3},
	"/two-factor/get-totp-uri": {"window": 10, "max": 3}, "/two-factor/verify-totp": {"window": 10, "max": 3},
	"/two-factor/send-otp": {"window": 10, "max": 3}, "/two-factor/verify-otp": {"window": 10, "max": 3},
	"/two-factor/verify-backup-code": {"window": 10, "max": 3}, "/two-factor/generate-backup-codes": {"window": 10, "max": 3},
	"/sign-in/username": {"window": 10, "max": 3}, "/sign-in/anonymous": {"window": 10, "max": 3},
	"/sign-in/magic-link": {"window": 60, "max": 5}, "/magic-link/verify": {"window": 60, "max": 5},
	"/email-otp/send-verification-otp": {"window": 60, "max": 3}, "/email-otp/check-verification-otp": {"window": 60, "max": 3},
	"/email-otp/verify-email": {"window": 60, "max": 3}, "/sign-in/email-otp": {"window": 60, "max": 3},
	"/email-otp/reset-password": {"window": 60, "max": 3}, "/email-otp/request-email-change": {"window": 60, "max": 3},
	"/email-otp/change-email": {"window": 60, "max": 3},
	"/sign-in/phone-number": {"window": 10, "max": 3}, "/phone-number/send-otp": {"window": 60, "max": 3},
	"/phone-number/verify": {"window": 60, "max": 10}, "/phone-number/request-password-reset": {"window": 60, "max": 3},
	"/phone-number/reset-password": {"window": 60, "max": 10}, "/verify-password": {"window": 10, "max": 3}}';

-- Two-factor codes by email are off unless the operator turns them on.
-- _create_session's SQL-standard body depends on config's row type, which
-- blocks the new column; it is created again with the function files.
DROP FUNCTION neon_auth._create_session(uuid, boolean, neon_auth.config);
-- (Each new column is added without a default and filled, then given its
-- default: a default at ADD COLUMN would be kept as a "missing value",
-- which a fresh install does not have.)
ALTER TABLE neon_auth.config ADD COLUMN two_factor_otp boolean;
-- The username plugin's length limits (issue 16).
ALTER TABLE neon_auth.config ADD COLUMN username_min_length integer CHECK (username_min_length > 0);
ALTER TABLE neon_auth.config ADD COLUMN username_max_length integer CHECK (username_max_length > 0);
-- The emailOTP plugin's options (issue 16).
ALTER TABLE neon_auth.config ADD COLUMN email_otp_expires_in integer CHECK (email_otp_expires_in > 0);
ALTER TABLE neon_auth.config ADD COLUMN email_otp_allowed_attempts integer CHECK (email_otp_allowed_attempts > 0);
ALTER TABLE neon_auth.config ADD COLUMN email_otp_store text CHECK (email_otp_store IN ('plain', 'hashed'));
ALTER TABLE neon_auth.config ADD COLUMN email_otp_change_email boolean;
UPDATE neon_auth.config SET two_factor_otp = false, username_min_length = 3, username_max_length = 30,
	email_otp_expires_in = 300, email_otp_allowed_attempts = 3, email_otp_store = 'plain', email_otp_change_email = false;
ALTER TABLE neon_auth.config ALTER COLUMN two_factor_otp SET DEFAULT false, ALTER COLUMN two_factor_otp SET NOT NULL,
	ALTER COLUMN username_min_length SET DEFAULT 3, ALTER COLUMN username_min_length SET NOT NULL,
	ALTER COLUMN username_max_length SET DEFAULT 30, ALTER COLUMN username_max_length SET NOT NULL,
	ALTER COLUMN email_otp_expires_in SET DEFAULT 300, ALTER COLUMN email_otp_expires_in SET NOT NULL,
	ALTER COLUMN email_otp_allowed_attempts SET DEFAULT 3, ALTER COLUMN email_otp_allowed_attempts SET NOT NULL,
	ALTER COLUMN email_otp_store SET DEFAULT 'plain', ALTER COLUMN email_otp_store SET NOT NULL,
	ALTER COLUMN email_otp_change_email SET DEFAULT false, ALTER COLUMN email_otp_change_email SET NOT NULL;
-- sign_up and update_user take username and display_username (new signatures).
DROP FUNCTION neon_auth.sign_up(text, text, text, text, boolean, text);
DROP FUNCTION neon_auth.update_user(text, text, text);

-- The anonymous plugin's link table (issue 16).
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

-- Admin access control (issue 17): each role's permission statements, the
-- users who may do everything, and whether admins may act on admins. Every
-- role an install had in admin_roles keeps what it could do, and no other
-- role gets any (an emptied admin_roles still leaves only the owner).
ALTER TABLE neon_auth.config ADD COLUMN admin_permissions jsonb CHECK (pg_catalog.jsonb_typeof(admin_permissions) OPERATOR(pg_catalog.=) 'object');
ALTER TABLE neon_auth.config ADD COLUMN admin_user_ids uuid[] CHECK (pg_catalog.array_position(admin_user_ids, NULL) IS NULL);
ALTER TABLE neon_auth.config ADD COLUMN allow_acting_on_admins boolean;
UPDATE neon_auth.config SET admin_user_ids = '{}', allow_acting_on_admins = false,
	admin_permissions = '{"user": {"user": [], "session": []}}'::jsonb
		|| (SELECT coalesce(jsonb_object_agg(r, '{"user": ["create", "list", "set-role", "ban", "impersonate", "delete", "set-password", "set-email", "set-phone", "get", "update"], "session": ["list", "revoke", "delete"]}'::jsonb), '{}')
		      FROM unnest(admin_roles) r);
ALTER TABLE neon_auth.config
	ALTER COLUMN admin_permissions SET DEFAULT '{"admin": {"user": ["create", "list", "set-role", "ban", "impersonate", "delete", "set-password", "set-email", "set-phone", "get", "update"], "session": ["list", "revoke", "delete"]}, "user": {"user": [], "session": []}}',
	ALTER COLUMN admin_permissions SET NOT NULL,
	ALTER COLUMN admin_user_ids SET DEFAULT '{}', ALTER COLUMN admin_user_ids SET NOT NULL,
	ALTER COLUMN allow_acting_on_admins SET DEFAULT false, ALTER COLUMN allow_acting_on_admins SET NOT NULL;
-- _admin checks a permission (new signature).
DROP FUNCTION neon_auth._admin(text);

-- Account deletion by an emailed link (issue 17): its settings, and
-- delete_user takes the callback URL and the link's token (new signature).
ALTER TABLE neon_auth.config ADD COLUMN delete_user_verification boolean;
ALTER TABLE neon_auth.config ADD COLUMN delete_user_expires_in integer CHECK (delete_user_expires_in > 0);
ALTER TABLE neon_auth.config ADD COLUMN delete_user_url text CHECK (strpos(delete_user_url, '{token}') > 0);
UPDATE neon_auth.config SET delete_user_verification = false, delete_user_expires_in = 86400,
	delete_user_url = '{base_url}/api/auth/delete-user/callback?token={token}&callbackURL={callback_url}';
ALTER TABLE neon_auth.config
	ALTER COLUMN delete_user_verification SET DEFAULT false, ALTER COLUMN delete_user_verification SET NOT NULL,
	ALTER COLUMN delete_user_expires_in SET DEFAULT 86400, ALTER COLUMN delete_user_expires_in SET NOT NULL,
	ALTER COLUMN delete_user_url SET DEFAULT '{base_url}/api/auth/delete-user/callback?token={token}&callbackURL={callback_url}',
	ALTER COLUMN delete_user_url SET NOT NULL;
DROP FUNCTION neon_auth.delete_user(text, text);
-- stop_impersonating returns the admin's session (new signature).
DROP FUNCTION neon_auth.stop_impersonating(text);
-- invite_member takes Better Auth's teamId (new signature).
DROP FUNCTION neon_auth.invite_member(text, text, uuid, boolean, text);
-- Better Auth's cookie prefix (issue 17).
ALTER TABLE neon_auth.config ADD COLUMN cookie_prefix text
	CHECK (cookie_prefix ~ '^[A-Za-z0-9_-]+([.][A-Za-z0-9_-]+)*$' AND length(cookie_prefix) <= 64);
UPDATE neon_auth.config SET cookie_prefix = 'better-auth';
ALTER TABLE neon_auth.config ALTER COLUMN cookie_prefix SET DEFAULT 'better-auth', ALTER COLUMN cookie_prefix SET NOT NULL;
-- create_user takes Better Auth's data and an optional password (new signature).
DROP FUNCTION neon_auth.create_user(text, text, text, text, text);
-- Better Auth's multiSession plugin (issue 17).
-- (Added without a default, then filled: a default at ADD COLUMN would stay
-- in the catalogue as the missing value, and the schema would differ from a
-- fresh install's.)
ALTER TABLE neon_auth.config ADD COLUMN multi_session boolean,
	ADD COLUMN multi_session_maximum integer CHECK (multi_session_maximum > 0);
UPDATE neon_auth.config SET multi_session = false, multi_session_maximum = 5;
ALTER TABLE neon_auth.config ALTER COLUMN multi_session SET DEFAULT false, ALTER COLUMN multi_session SET NOT NULL,
	ALTER COLUMN multi_session_maximum SET DEFAULT 5, ALTER COLUMN multi_session_maximum SET NOT NULL;
-- revoke_user_session names the session by token, as Better Auth (new signature).
DROP FUNCTION neon_auth.revoke_user_session(uuid, text);
-- organization_slug wherever Better Auth takes organizationSlug (new signatures).
DROP FUNCTION neon_auth.get_full_organization(uuid, text);
DROP FUNCTION neon_auth.set_active_organization(uuid, text);
DROP FUNCTION neon_auth.list_members(uuid, integer, integer, text);
-- update_team: name optional, Better Auth's data.organizationId (new signature).
DROP FUNCTION neon_auth.update_team(uuid, text, text);
-- PostgREST's HS256 secret and token() signing with it (issue 17).
ALTER TABLE neon_auth.secret ADD COLUMN postgrest_secret text;
ALTER TABLE neon_auth.config ADD COLUMN jwt_hs256 boolean,
	ADD COLUMN jwt_hs256_audience text CHECK (length(jwt_hs256_audience) <= 256);
UPDATE neon_auth.config SET jwt_hs256 = false, jwt_hs256_audience = '';
ALTER TABLE neon_auth.config ALTER COLUMN jwt_hs256 SET DEFAULT false, ALTER COLUMN jwt_hs256 SET NOT NULL,
	ALTER COLUMN jwt_hs256_audience SET DEFAULT '', ALTER COLUMN jwt_hs256_audience SET NOT NULL;
-- Better Auth's cookie cache (issue 17).
ALTER TABLE neon_auth.config ADD COLUMN cookie_cache_max_age integer
	CHECK (cookie_cache_max_age >= 0 AND cookie_cache_max_age <= 604800);
UPDATE neon_auth.config SET cookie_cache_max_age = 0;
ALTER TABLE neon_auth.config ALTER COLUMN cookie_cache_max_age SET DEFAULT 0, ALTER COLUMN cookie_cache_max_age SET NOT NULL;
-- _membership names the non-member code of each endpoint (new signature).
DROP FUNCTION neon_auth._membership(uuid, uuid, jsonb, text);
