---------------------------------------------------------------------------
-- The error catalogue: every expected failure, raised or answered, by its
-- Better Auth code (docs/errors.md lists the same codes; a static check
-- keeps the two equal). The table is created in 03_tables.sql; its rows are
-- written here, so that every update script writes them again.
--
-- code          Better Auth's error code; the error's DETAIL, which
--               PostgREST returns as "details"
-- sqlstate      the SQLSTATE it is raised with (PostgREST derives its HTTP
--               status from it)
-- http_status   Better Auth 1.7's HTTP status for the code (where it throws
--               one code with several, the status of the endpoint mirrored
--               here); neon_auth's own codes take the status of their kind
-- message       the raised message, PostgreSQL style (lower case, no period)
-- hint          the raised hint, a sentence; NULL for none
-- api_message   Better Auth's message, for its error body {message, code}
-- answered      whether _fail answers it in HTTP mode instead of raising it
--
-- In message and hint, %s is the raiser's argument (an argument name, a
-- number of seconds, a function name or a configuration problem; never the
-- caller's input) and {name} is the value of config.name.
---------------------------------------------------------------------------

DELETE FROM neon_auth.error_code;
INSERT INTO neon_auth.error_code (code, sqlstate, http_status, message, hint, api_message, answered) VALUES
	-- Input checks
	('VALIDATION_ERROR', '22004', 400, '%s must not be null', 'Pass a value for "%s".', 'Validation Error', false),
	('INVALID_EMAIL', '22023', 400, 'invalid email', 'Pass an address of the form name@example.com.', 'Invalid email', false),
	('PASSWORD_TOO_SHORT', '22023', 400, 'password too short', 'Use at least {min_password_length} characters.', 'Password too short', false),
	('PASSWORD_TOO_LONG', '22023', 400, 'password too long', 'Use at most {max_password_length} characters.', 'Password too long', false),
	('MISSING_OR_NULL_ORIGIN', '42501', 403, 'missing or null Origin', 'A call through PostgREST that changes something and is identified by the session cookie needs an Origin (or Referer) header of base_url''s origin or one of config.trusted_origins.', 'Missing or null Origin', false),
	('INVALID_ORIGIN', '42501', 403, 'invalid origin', 'A call through PostgREST that changes something and is identified by the session cookie must come from base_url''s origin or one of config.trusted_origins.', 'Invalid origin', false),
	('CROSS_SITE_NAVIGATION_LOGIN_BLOCKED', '42501', 403, 'cross-site login blocked', 'A sign-in or sign-up form posted from another site is refused (login CSRF). Post it from base_url''s origin or one of config.trusted_origins.', 'Cross-site navigation login blocked. This request appears to be a CSRF attack.', false),
	-- Phone numbers (48_phone_number.sql)
	('INVALID_PHONE_NUMBER', '22023', 400, 'invalid phone number', 'Use the E.164 form: "+", the country code and the number, digits only.', 'Invalid phone number', false),
	('INVALID_PHONE_NUMBER_OR_PASSWORD', '28P01', 401, 'invalid phone number or password', NULL, 'Invalid phone number or password', true),
	('OTP_NOT_FOUND', '28000', 400, 'no code was sent', 'Send a code first: codes last 5 minutes and work once.', 'OTP not found', true),
	('PHONE_NUMBER_EXIST', '23505', 400, 'phone number already exists', 'Another user has this number.', 'Phone number already exists', false),
	('PHONE_NUMBER_NOT_EXIST', 'P0002', 400, 'phone number is not registered', NULL, 'phone number isn''t registered', false),
	-- Codes by email (47_email_otp.sql)
	('INVALID_OTP', '28000', 400, 'invalid code', 'Use the newest code sent to the address.', 'Invalid OTP', true),
	('OTP_EXPIRED', '28000', 400, 'code has expired', 'Send a new code.', 'OTP expired', true),
	('TOO_MANY_ATTEMPTS', '28000', 403, 'too many attempts', 'Send a new code.', 'Too many attempts', true),
	('INVALID_OTP_TYPE', '22023', 400, 'invalid code type', 'Use email-verification, sign-in or forget-password.', 'Invalid OTP type', false),
	('CHANGE_EMAIL_DISABLED', '55000', 400, 'changing the email by code is off', 'Turn it on with configure(''{"email_otp_change_email": true}'').', 'Change email with OTP is disabled', false),
	('EMAIL_IS_THE_SAME', '22023', 400, 'the new email is the current one', NULL, 'Email is the same', false),
	('OTP_IS_HASHED', '55000', 400, 'codes are stored hashed', 'With email_otp_store = hashed the code cannot be read back.', 'OTP is hashed, cannot return the plain text OTP', false),
	-- Anonymous users (14_anonymous.sql)
	('ANONYMOUS_USERS_CANNOT_SIGN_IN_AGAIN_ANONYMOUSLY', '55000', 400, 'anonymous users cannot sign in again anonymously', 'The session is already anonymous: keep using it, or sign up.', 'Anonymous users cannot sign in again anonymously', false),
	('USER_IS_NOT_ANONYMOUS', '42501', 403, 'user is not anonymous', 'Only an anonymous user can be deleted this way; use delete_user.', 'User is not anonymous', false),
	-- Usernames (12_username.sql)
	('INVALID_USERNAME_OR_PASSWORD', '28P01', 401, 'invalid username or password', NULL, 'Invalid username or password', true),
	('USERNAME_IS_ALREADY_TAKEN', '23505', 400, 'username is already taken', 'Choose another username.', 'Username is already taken. Please try another.', false),
	('USERNAME_TOO_SHORT', '22023', 422, 'username is too short', 'Use at least {username_min_length} characters.', 'Username is too short', false),
	('USERNAME_TOO_LONG', '22023', 422, 'username is too long', 'Use at most {username_max_length} characters.', 'Username is too long', false),
	('INVALID_USERNAME', '22023', 422, 'username is invalid', 'Use letters, digits, "_" and "." only.', 'Username is invalid', false),
	-- Two-factor authentication (45_two_factor.sql)
	('INVALID_CODE', '28000', 401, 'invalid code', 'Use the current code of the authenticator app, or the newest code sent.', 'Invalid code', true),
	('INVALID_BACKUP_CODE', '28000', 401, 'invalid backup code', 'Each backup code works once; generate new ones when they run out.', 'Invalid backup code', true),
	('TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE', '28000', 400, 'too many attempts', 'Sign in again, or send a new code.', 'Too many attempts. Please request a new code.', true),
	('OTP_HAS_EXPIRED', '28000', 400, 'code has expired', 'Send a new code: codes last 3 minutes and work once.', 'OTP has expired', true),
	('ACCOUNT_TEMPORARILY_LOCKED', '28000', 429, 'account temporarily locked', 'Too many wrong codes: try again in 15 minutes.', 'Too many failed verification attempts. Your account is temporarily locked. Please try again later.', true),
	('INVALID_TWO_FACTOR_COOKIE', '28000', 401, 'invalid two-factor challenge', 'Sign in again: the challenge from sign_in lasts 10 minutes and works once.', 'Invalid two factor cookie', false),
	('OTP_NOT_CONFIGURED', '55000', 400, 'codes by email are not configured', 'Turn them on with configure(''{"two_factor_otp": true}''): they make the mailbox a second factor.', 'OTP isn''t configured', false),
	('TOTP_NOT_ENABLED', '55000', 400, 'TOTP is not enabled', 'Call enable_two_factor first.', 'TOTP not enabled', false),
	('TOTP_ALREADY_ENABLED', '55000', 400, 'TOTP is already enabled', 'Disable two-factor first to enrol a new authenticator.', 'TOTP is already enabled', false),
	('TWO_FACTOR_NOT_ENABLED', '55000', 400, 'two-factor is not enabled', 'Enable two-factor and verify a first code.', 'Two factor isn''t enabled', false),
	('BACKUP_CODES_NOT_ENABLED', '55000', 400, 'backup codes are not enabled', 'Enable two-factor first.', 'Backup codes aren''t enabled', false),
	('INVALID_CALLBACK_URL', '22023', 403, 'invalid callback URL', 'Use a path on this site, or a URL on base_url''s origin or one of config.trusted_origins.', 'Invalid callbackURL', false),
	-- Sign-up, sign-in and sessions
	('USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL', '23505', 422, 'user already exists', 'Use another email, or sign in with this one.', 'User already exists. Use another email.', true),
	('INVALID_EMAIL_OR_PASSWORD', '28P01', 401, 'invalid email or password', NULL, 'Invalid email or password', true),
	('BANNED_USER', '28000', 403, 'user is banned', 'You have been banned from this application. Please contact support if you believe this is an error.', 'You have been banned from this application. Please contact support if you believe this is an error.', true),
	('EMAIL_NOT_VERIFIED', '28000', 403, 'email not verified', 'Verify the email address before signing in.', 'Email not verified', true),
	('TOO_MANY_REQUESTS', 'PT429', 429, 'too many requests', 'Try again in %s seconds.', 'Too many requests. Please try again later.', true),
	('UNAUTHORIZED', '28000', 401, 'no signed-in user', 'Pass a live session token, or call through PostgREST with the session cookie (a JWT does not manage accounts).', 'Unauthorized', true),
	('INVALID_SESSION_TOKEN', '28000', 401, 'invalid session token', 'The request carries no live multi-session cookie for this token.', 'Invalid session token', false),
	('SESSION_NOT_FRESH', '28000', 403, 'session is not fresh', 'Sign in again: this needs a session at most {session_fresh_age} seconds old, or the password.', 'Session is not fresh', true),
	-- Account lifecycle
	('INVALID_TOKEN', '28000', 400, 'invalid or expired token', 'Request a new link: links expire, and a reset link works once.', 'Invalid token', true),
	('INVALID_PASSWORD', '28P01', 400, 'invalid password', NULL, 'Invalid password', true),
	('CREDENTIAL_ACCOUNT_NOT_FOUND', '22023', 400, 'user has no password', 'Use neon_auth.set_password() to give the account a password first.', 'Credential account not found', false),
	('PASSWORD_ALREADY_SET', '22023', 400, 'user already has a password', 'Use neon_auth.change_password() instead.', 'User already has a password set', false),
	('EMAIL_CAN_NOT_BE_UPDATED', '23505', 400, 'email cannot be changed to that address', 'Use another address.', 'Email can not be updated', false),
	-- JWTs and signing keys
	('JWT_MALFORMED', '22023', 400, 'malformed JWT', 'Pass a compact JWT issued by neon_auth.token() or a Better Auth server sharing these keys.', 'Malformed JWT', false),
	('JWT_TOO_LARGE', '22023', 400, 'JWT too large', 'Pass a compact JWT issued by neon_auth.token() or a Better Auth server sharing these keys.', 'JWT too large', false),
	('JWT_INVALID_CLAIMS', '22023', 400, 'invalid JWT claims', 'Pass a compact JWT issued by neon_auth.token() or a Better Auth server sharing these keys.', 'Invalid JWT claims', false),
	('JWT_UNSUPPORTED_ALG', '22023', 400, 'unsupported JWT algorithm', 'Pass a compact JWT issued by neon_auth.token() or a Better Auth server sharing these keys.', 'Unsupported JWT algorithm', false),
	('JWT_UNKNOWN_KEY', '28000', 401, 'unknown JWT signing key', NULL, 'Unknown JWT signing key', false),
	('JWT_INVALID_SIGNATURE', '28000', 401, 'invalid JWT signature', NULL, 'Invalid JWT signature', false),
	('JWT_EXPIRED', '28000', 401, 'JWT expired', NULL, 'JWT expired', false),
	('JWT_NOT_YET_VALID', '28000', 401, 'JWT not yet valid', NULL, 'JWT not yet valid', false),
	('JWT_INVALID_ISSUER', '28000', 401, 'invalid JWT issuer', NULL, 'Invalid JWT issuer', false),
	('JWT_INVALID_AUDIENCE', '28000', 401, 'invalid JWT audience', NULL, 'Invalid JWT audience', false),
	('UNSUPPORTED_SIGNING_ALGORITHM', '22023', 400, 'unsupported signing algorithm', 'Use EdDSA, ES256 or RS256.', 'Unsupported signing algorithm', false),
	('SIGNING_KEY_UNREADABLE', '55000', 500, 'signing key cannot be decrypted', 'The newest signing key was encrypted with another secret. Run neon_auth.rotate_signing_key() as the owner.', 'Failed to sign the token', false),
	-- Operations (owner only)
	('INVALID_CONFIG', '22023', 400, 'invalid configuration: %s', 'See docs/api.md, neon_auth.configure(), for the settings and their allowed values.', 'Invalid configuration', false),
	('INVALID_FORK_MODE', '22023', 400, 'invalid fork mode', 'Use ''keep'', ''rekey'' or ''reset_sessions'' (see docs/operations.md).', 'Invalid fork mode', false),
	('PREVIEW_PASSWORD_NEEDS_REKEY', '22023', 400, 'preview_password needs mode rekey', 'With the original''s secret and signing keys, anyone signing in with the shared password could make tokens the original accepts. Use fork(''rekey'', preview_password => ...).', 'preview_password needs mode rekey', false),
	('NOT_A_COPY', '55000', 400, 'this database is not a copy', 'fork() is for a fresh copy, and this is the database neon_auth was installed or last forked in. For a physical copy (pg_basebackup, a disk snapshot), which keeps the same identifiers, pass force => true.', 'This database is not a copy', false),
	-- The hint depends on where the write was refused; _writable passes it.
	('READ_ONLY_DATABASE', '25006', 503, '%s needs a writable database', NULL, 'The database is read-only', false),
	-- Organizations, members and invitations
	('ORGANIZATION_NOT_FOUND', 'P0002', 400, 'organization not found', NULL, 'Organization not found', false),
	('MEMBER_NOT_FOUND', 'P0002', 400, 'member not found', NULL, 'Member not found', false),
	('INVITATION_NOT_FOUND', 'P0002', 400, 'invitation not found', NULL, 'Invitation not found', false),
	('ORGANIZATION_SLUG_ALREADY_TAKEN', '23505', 400, 'organization slug already taken', NULL, 'Organization slug already taken', false),
	('USER_IS_ALREADY_A_MEMBER_OF_THIS_ORGANIZATION', '23505', 400, 'user is already a member of this organization', NULL, 'User is already a member of this organization', false),
	('USER_IS_ALREADY_INVITED_TO_THIS_ORGANIZATION', '23505', 400, 'user is already invited to this organization', NULL, 'User is already invited to this organization', false),
	('USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION', '42501', 400, 'user is not a member of the organization', NULL, 'User is not a member of the organization', false),
	('YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_ORGANIZATION', '42501', 403, 'you are not allowed to update this organization', NULL, 'You are not allowed to update this organization', false),
	('YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_ORGANIZATION', '42501', 403, 'you are not allowed to delete this organization', NULL, 'You are not allowed to delete this organization', false),
	('YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_MEMBER', '42501', 401, 'you are not allowed to delete this member', NULL, 'You are not allowed to delete this member', false),
	('YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_MEMBER', '42501', 403, 'you are not allowed to update this member', NULL, 'You are not allowed to update this member', false),
	('YOU_ARE_NOT_ALLOWED_TO_INVITE_USERS_TO_THIS_ORGANIZATION', '42501', 403, 'you are not allowed to invite users to this organization', NULL, 'You are not allowed to invite users to this organization', false),
	('YOU_ARE_NOT_ALLOWED_TO_INVITE_USER_WITH_THIS_ROLE', '42501', 403, 'you are not allowed to invite a user with this role', NULL, 'You are not allowed to invite a user with this role', false),
	('YOU_ARE_NOT_ALLOWED_TO_CANCEL_THIS_INVITATION', '42501', 403, 'you are not allowed to cancel this invitation', NULL, 'You are not allowed to cancel this invitation', false),
	('YOU_ARE_NOT_ALLOWED_TO_LIST_INVITATIONS', '42501', 403, 'you are not allowed to list invitations for this organization', NULL, 'You are not allowed to list invitations for this organization', false),
	('YOU_ARE_NOT_THE_RECIPIENT_OF_THE_INVITATION', '42501', 403, 'you are not the recipient of the invitation', NULL, 'You are not the recipient of the invitation', false),
	('YOU_CANNOT_LEAVE_THE_ORGANIZATION_AS_THE_ONLY_OWNER', '55000', 400, 'you cannot leave the organization as the only owner', NULL, 'You cannot leave the organization as the only owner', false),
	('YOU_CANNOT_LEAVE_THE_ORGANIZATION_WITHOUT_AN_OWNER', '55000', 400, 'you cannot leave the organization without an owner', NULL, 'You cannot leave the organization without an owner', false),
	('NO_ACTIVE_ORGANIZATION', '55000', 400, 'no active organization', NULL, 'No active organization', false),
	('INVITATION_EXPIRED', '55000', 400, 'invitation expired', NULL, 'Invitation expired', false),
	('INVITATION_NOT_PENDING', '55000', 400, 'invitation is no longer pending', NULL, 'Invitation is no longer pending', false),
	('EMAIL_VERIFICATION_REQUIRED_FOR_INVITATION', '42501', 403, 'email verification required to view or list invitations for the session email', NULL, 'Email verification required to view or list invitations for the session email', false),
	('INVALID_SLUG', '22023', 400, 'invalid organization slug', NULL, 'Invalid organization slug', false),
	-- Roles and permissions
	('ROLE_NOT_FOUND', '22023', 400, 'role not found', NULL, 'Role not found', false),
	('INVALID_PERMISSIONS', '22023', 400, 'permissions must be an object of resource to list of actions', NULL, 'Invalid permissions', false),
	('YOU_ARE_NOT_ALLOWED_TO_CREATE_A_ROLE', '42501', 403, 'you are not allowed to create a role', NULL, 'You are not allowed to create a role', false),
	('YOU_ARE_NOT_ALLOWED_TO_UPDATE_A_ROLE', '42501', 403, 'you are not allowed to update a role', NULL, 'You are not allowed to update a role', false),
	('YOU_ARE_NOT_ALLOWED_TO_DELETE_A_ROLE', '42501', 403, 'you are not allowed to delete a role', NULL, 'You are not allowed to delete a role', false),
	('YOU_ARE_NOT_ALLOWED_TO_LIST_A_ROLE', '42501', 403, 'you are not allowed to list a role', NULL, 'You are not allowed to list a role', false),
	('ROLE_NAME_IS_ALREADY_TAKEN', '23505', 400, 'that role name is already taken', NULL, 'That role name is already taken', false),
	('CANNOT_DELETE_A_PRE_DEFINED_ROLE', '55000', 400, 'cannot delete a pre-defined role', NULL, 'Cannot delete a pre-defined role', false),
	('INVALID_ROLE_NAME', '22023', 400, 'role names are 1 to 64 letters, digits, "-" or "_"', NULL, 'Invalid role name', false),
	('ROLE_IS_ASSIGNED_TO_MEMBERS', '55000', 400, 'cannot delete a role that is assigned to members', NULL, 'Cannot delete a role that is assigned to members. Please reassign the members to a different role first', false),
	-- Teams
	('TEAM_NOT_FOUND', 'P0002', 400, 'team not found', NULL, 'Team not found', false),
	('UNABLE_TO_REMOVE_LAST_TEAM', '55000', 400, 'unable to remove last team', NULL, 'Unable to remove last team', false),
	('USER_IS_NOT_A_MEMBER_OF_THE_TEAM', '42501', 400, 'user is not a member of the team', NULL, 'User is not a member of the team', false),
	('YOU_ARE_NOT_ALLOWED_TO_CREATE_TEAMS_IN_THIS_ORGANIZATION', '42501', 403, 'you are not allowed to create teams in this organization', NULL, 'You are not allowed to create teams in this organization', false),
	('YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_TEAM', '42501', 403, 'you are not allowed to update this team', NULL, 'You are not allowed to update this team', false),
	('YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_TEAM', '42501', 403, 'you are not allowed to delete this team', NULL, 'You are not allowed to delete this team', false),
	('YOU_ARE_NOT_ALLOWED_TO_CREATE_A_NEW_TEAM_MEMBER', '42501', 403, 'you are not allowed to create a new member', NULL, 'You are not allowed to create a new member', false),
	('YOU_ARE_NOT_ALLOWED_TO_REMOVE_A_TEAM_MEMBER', '42501', 403, 'you are not allowed to remove a team member', NULL, 'You are not allowed to remove a team member', false),
	-- Admin
	('YOU_ARE_NOT_ALLOWED_TO_PERFORM_THIS_ACTION', '42501', 403, 'you are not allowed to perform this action', NULL, 'You are not allowed to perform this action', false),
	('YOU_CANNOT_BAN_YOURSELF', '42501', 400, 'you cannot ban yourself', NULL, 'You cannot ban yourself', false),
	('YOU_CANNOT_ACT_ON_ANOTHER_ADMIN', '42501', 403, 'only the database owner can do this to an admin', NULL, 'Only the database owner can do this to an admin', false),
	('YOU_CANNOT_IMPERSONATE_ADMINS', '42501', 403, 'you cannot impersonate admins', NULL, 'You cannot impersonate admins', false),
	('USER_NOT_FOUND', 'P0002', 404, 'user not found', NULL, 'User not found', false),
	('NOT_IMPERSONATING', '55000', 400, 'this session is not an impersonation', NULL, 'This session is not an impersonation', false),
	('INVALID_ROLE', '22023', 400, 'invalid role', NULL, 'Invalid role', false),
	('INVALID_QUERY', '22023', 400, 'invalid list query', NULL, 'Invalid list query', false),
	('INVALID_BAN_EXPIRY', '22023', 400, 'ban_expires_in must be a positive number of seconds', NULL, 'ban_expires_in must be a positive number of seconds', false),
	('FIELD_NOT_UPDATABLE', '22023', 400, 'this field cannot be set here', 'admin_update_user sets name, image, role, banned, banReason, banExpires, email, emailVerified, phoneNumber and phoneNumberVerified; create_user''s data image, emailVerified and role.', 'This field cannot be set here', false),
	('NO_DATA_TO_UPDATE', '22023', 400, 'no data to update', NULL, 'No data to update', false),
	('PASSWORD_CANNOT_BE_UPDATED_VIA_UPDATE_USER', '22023', 400, 'password cannot be updated through update-user', 'Use set_user_password.', 'Password cannot be updated through update-user. Use the set-user-password endpoint instead', false),
	('USER_ID_CANNOT_BE_UPDATED', '22023', 400, 'user id cannot be updated', NULL, 'User id cannot be updated', false),
	('INVALID_ROLE_TYPE', '22023', 400, 'invalid role type', 'Pass the role as a string, or an array of strings.', 'Invalid role type', false),
	('YOU_ARE_NOT_ALLOWED_TO_SET_USERS_EMAIL', '42501', 403, 'you are not allowed to update users email', 'Your role needs user:set-email (config.admin_permissions).', 'You are not allowed to update users email', false),
	('YOU_ARE_NOT_ALLOWED_TO_SET_USERS_PHONE_NUMBER', '42501', 403, 'you are not allowed to update users phone number', 'Your role needs user:set-phone (config.admin_permissions).', 'You are not allowed to update users phone number', false),
	('YOU_ARE_NOT_ALLOWED_TO_CREATE_USERS', '42501', 403, 'you are not allowed to create users', 'Your role needs user:create (config.admin_permissions).', 'You are not allowed to create users', false),
	('YOU_ARE_NOT_ALLOWED_TO_LIST_USERS', '42501', 403, 'you are not allowed to list users', 'Your role needs user:list (config.admin_permissions).', 'You are not allowed to list users', false),
	('YOU_ARE_NOT_ALLOWED_TO_CHANGE_USERS_ROLE', '42501', 403, 'you are not allowed to change users role', 'Your role needs user:set-role (config.admin_permissions).', 'You are not allowed to change users role', false),
	('YOU_ARE_NOT_ALLOWED_TO_SET_USERS_PASSWORD', '42501', 403, 'you are not allowed to set users password', 'Your role needs user:set-password (config.admin_permissions).', 'You are not allowed to set users password', false),
	('YOU_ARE_NOT_ALLOWED_TO_UPDATE_USERS', '42501', 403, 'you are not allowed to update users', 'Your role needs user:update (config.admin_permissions).', 'You are not allowed to update users', false),
	('YOU_ARE_NOT_ALLOWED_TO_DELETE_USERS', '42501', 403, 'you are not allowed to delete users', 'Your role needs user:delete (config.admin_permissions).', 'You are not allowed to delete users', false),
	('YOU_ARE_NOT_ALLOWED_TO_BAN_USERS', '42501', 403, 'you are not allowed to ban users', 'Your role needs user:ban (config.admin_permissions).', 'You are not allowed to ban users', false),
	('YOU_ARE_NOT_ALLOWED_TO_LIST_USERS_SESSIONS', '42501', 403, 'you are not allowed to list users sessions', 'Your role needs session:list (config.admin_permissions).', 'You are not allowed to list users sessions', false),
	('YOU_ARE_NOT_ALLOWED_TO_REVOKE_USERS_SESSIONS', '42501', 403, 'you are not allowed to revoke users sessions', 'Your role needs session:revoke (config.admin_permissions).', 'You are not allowed to revoke users sessions', false),
	('YOU_ARE_NOT_ALLOWED_TO_IMPERSONATE_USERS', '42501', 403, 'you are not allowed to impersonate users', 'Your role needs user:impersonate (config.admin_permissions).', 'You are not allowed to impersonate users', false),
	('YOU_ARE_NOT_ALLOWED_TO_GET_USER', '42501', 403, 'you are not allowed to get user', 'Your role needs user:get (config.admin_permissions).', 'You are not allowed to get user', false),
	('YOU_CANNOT_REMOVE_YOURSELF', '42501', 400, 'you cannot remove yourself', NULL, 'You cannot remove yourself', false),
	('INVALID_PERMISSION_CHECK', '22023', 400, 'invalid permission check', 'Pass permissions as {"<resource>": ["<action>", ...]}.', 'invalid permission check. no permission(s) were passed.', false),
	('YOU_ARE_NOT_ALLOWED_TO_ACCESS_THIS_ORGANIZATION', '42501', 403, 'you are not allowed to access this organization', NULL, 'You are not allowed to access this organization as an owner', false),
	('YOU_ARE_NOT_A_MEMBER_OF_THIS_ORGANIZATION', '42501', 403, 'you are not a member of this organization', NULL, 'You are not a member of this organization', false),
	('YOU_DO_NOT_HAVE_AN_ACTIVE_TEAM', '55000', 400, 'you do not have an active team', 'Pass team_id, or set an active team (set_active_team).', 'You do not have an active team', false),
	('YOU_ARE_NOT_ALLOWED_TO_READ_A_ROLE', '42501', 403, 'you are not allowed to read a role', NULL, 'You are not allowed to read a role', false),
	('BODY_MUST_BE_AN_OBJECT', '22023', 400, 'body must be an object', NULL, 'Body must be an object', false),
	('ADMIN_SESSION_NOT_FOUND', '28000', 400, 'admin session not found', 'The admin_session cookie names no live session of the admin who impersonated.', 'Failed to find admin session', false),
	('NO_FIELDS_TO_UPDATE', '22023', 400, 'no fields to update', 'Sessions have no additional fields to change.', 'No fields to update', false);

-- A catalogue text with its placeholders filled: {name} with config.name,
-- then %s with the argument (in that order, so an argument is never read
-- for placeholders).
CREATE FUNCTION neon_auth._error_text(template text, argument text) RETURNS text
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	settings jsonb;
	setting text;
	result text := template;
BEGIN
	IF strpos(result, '{') > 0 THEN
		settings := (SELECT to_jsonb(c) FROM neon_auth.config c);
		FOR setting IN SELECT DISTINCT m[1] FROM regexp_matches(template, '\{([a-z_]+)\}', 'g') AS m LOOP
			result := replace(result, '{' || setting || '}', coalesce(settings ->> setting, ''));
		END LOOP;
	END IF;
	RETURN replace(result, '%s', coalesce(argument, ''));
END
$$;

-- Raise the catalogue's error for a code. The Better Auth code is the
-- error's DETAIL; no message ever includes the caller's input. `hint`
-- replaces the catalogue's hint where only the raiser knows it.
CREATE FUNCTION neon_auth._raise(code text, argument text DEFAULT NULL, hint text DEFAULT NULL) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	e neon_auth.error_code;
BEGIN
	SELECT * INTO e FROM neon_auth.error_code c WHERE c.code = _raise.code;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unknown neon_auth error code' USING ERRCODE = 'internal_error';
	END IF;
	e.hint := neon_auth._error_text(coalesce(hint, e.hint), argument);
	IF e.hint IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = e.sqlstate, DETAIL = e.code, MESSAGE = neon_auth._error_text(e.message, argument);
	END IF;
	RAISE EXCEPTION USING ERRCODE = e.sqlstate, DETAIL = e.code, MESSAGE = neon_auth._error_text(e.message, argument),
		HINT = e.hint;
END
$$;

-- _raise for C code whose caller's statement carries a secret (verify_jwt's
-- token): SECURITY DEFINER to read the catalogue, and the statement is kept
-- out of the log.
CREATE FUNCTION neon_auth._raise_secret(code text, argument text) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
BEGIN
	PERFORM neon_auth._raise(code, argument);
END
$$;

-- An expected failure of an auth flow (wrong password, rate limit, bad
-- link). A raised error rolls back the whole transaction, and with it the
-- failure's audit row, rate-limit count and any message the flow queued;
-- PostgreSQL has no autonomous transactions. So in HTTP mode a code the
-- catalogue marks `answered` is answered, not raised: Better Auth's error
-- body {message, code}, its HTTP status in PostgREST's response.status (and
-- X-Retry-After for 429), and the transaction commits with those traces.
-- Otherwise it raises via _raise.
CREATE FUNCTION neon_auth._fail(code text, argument text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	e neon_auth.error_code;
BEGIN
	SELECT * INTO e FROM neon_auth.error_code c WHERE c.code = _fail.code AND c.answered;
	IF NOT FOUND OR NOT neon_auth._http_mode() THEN
		-- The raise rolls back this attempt's rate-limit count: say so, once
		-- per backend, unless shared counters keep it (06_rate_limits.sql).
		IF (SELECT rate_limit_enabled FROM neon_auth.config) THEN
			PERFORM neon_auth._warn_rollback_limits();
		END IF;
		PERFORM neon_auth._raise(code, argument);
	END IF;
	PERFORM set_config('response.status', e.http_status::text, true);
	IF code = 'TOO_MANY_REQUESTS' THEN
		PERFORM set_config('response.headers', json_build_array(json_build_object('X-Retry-After', argument))::text, true);
	END IF;
	RETURN jsonb_build_object('message', e.api_message, 'code', code);
END
$$;
