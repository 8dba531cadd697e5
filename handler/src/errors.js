// neon_auth's error catalogue (the table neon_auth.error_code, listed in
// docs/errors.md) as the handler needs it: Better Auth's HTTP status and
// message for each code. test/http checks that it equals the installed
// catalogue, so a code added to the extension must be added here too.
export const ERROR_CODES = {
	ACCOUNT_TEMPORARILY_LOCKED: [429, "Too many failed verification attempts. Your account is temporarily locked. Please try again later."],
	BACKUP_CODES_NOT_ENABLED: [400, "Backup codes aren't enabled"],
	BANNED_USER: [403, "You have been banned from this application. Please contact support if you believe this is an error."],
	CANNOT_DELETE_A_PRE_DEFINED_ROLE: [400, "Cannot delete a pre-defined role"],
	CREDENTIAL_ACCOUNT_NOT_FOUND: [400, "Credential account not found"],
	CROSS_SITE_NAVIGATION_LOGIN_BLOCKED: [403, "Cross-site navigation login blocked. This request appears to be a CSRF attack."],
	EMAIL_CAN_NOT_BE_UPDATED: [400, "Email can not be updated"],
	EMAIL_NOT_VERIFIED: [403, "Email not verified"],
	EMAIL_VERIFICATION_REQUIRED_FOR_INVITATION: [403, "Email verification required to view or list invitations for the session email"],
	FIELD_NOT_UPDATABLE: [400, "Only name, image and emailVerified can be changed here"],
	INVALID_BACKUP_CODE: [401, "Invalid backup code"],
	INVALID_BAN_EXPIRY: [400, "ban_expires_in must be a positive number of seconds"],
	INVALID_CALLBACK_URL: [403, "Invalid callbackURL"],
	INVALID_CODE: [401, "Invalid code"],
	INVALID_CONFIG: [400, "Invalid configuration"],
	INVALID_EMAIL: [400, "Invalid email"],
	INVALID_EMAIL_OR_PASSWORD: [401, "Invalid email or password"],
	INVALID_FORK_MODE: [400, "Invalid fork mode"],
	INVALID_ORIGIN: [403, "Invalid origin"],
	INVALID_PASSWORD: [400, "Invalid password"],
	INVALID_PERMISSIONS: [400, "Invalid permissions"],
	INVALID_QUERY: [400, "Invalid list query"],
	INVALID_ROLE: [400, "Invalid role"],
	INVALID_ROLE_NAME: [400, "Invalid role name"],
	INVALID_SLUG: [400, "Invalid organization slug"],
	INVALID_TOKEN: [400, "Invalid token"],
	INVALID_TWO_FACTOR_COOKIE: [401, "Invalid two factor cookie"],
	INVALID_USERNAME: [422, "Username is invalid"],
	INVALID_USERNAME_OR_PASSWORD: [401, "Invalid username or password"],
	INVITATION_EXPIRED: [400, "Invitation expired"],
	INVITATION_NOT_FOUND: [400, "Invitation not found"],
	INVITATION_NOT_PENDING: [400, "Invitation is no longer pending"],
	JWT_EXPIRED: [401, "JWT expired"],
	JWT_INVALID_AUDIENCE: [401, "Invalid JWT audience"],
	JWT_INVALID_CLAIMS: [400, "Invalid JWT claims"],
	JWT_INVALID_ISSUER: [401, "Invalid JWT issuer"],
	JWT_INVALID_SIGNATURE: [401, "Invalid JWT signature"],
	JWT_MALFORMED: [400, "Malformed JWT"],
	JWT_NOT_YET_VALID: [401, "JWT not yet valid"],
	JWT_TOO_LARGE: [400, "JWT too large"],
	JWT_UNKNOWN_KEY: [401, "Unknown JWT signing key"],
	JWT_UNSUPPORTED_ALG: [400, "Unsupported JWT algorithm"],
	MEMBER_NOT_FOUND: [400, "Member not found"],
	MISSING_OR_NULL_ORIGIN: [403, "Missing or null Origin"],
	NOT_A_COPY: [400, "This database is not a copy"],
	NOT_IMPERSONATING: [400, "This session is not an impersonation"],
	NO_ACTIVE_ORGANIZATION: [400, "No active organization"],
	ORGANIZATION_NOT_FOUND: [400, "Organization not found"],
	ORGANIZATION_SLUG_ALREADY_TAKEN: [400, "Organization slug already taken"],
	OTP_HAS_EXPIRED: [400, "OTP has expired"],
	OTP_NOT_CONFIGURED: [400, "OTP isn't configured"],
	PASSWORD_ALREADY_SET: [400, "User already has a password set"],
	PASSWORD_TOO_LONG: [400, "Password too long"],
	PASSWORD_TOO_SHORT: [400, "Password too short"],
	PREVIEW_PASSWORD_NEEDS_REKEY: [400, "preview_password needs mode rekey"],
	READ_ONLY_DATABASE: [503, "The database is read-only"],
	ROLE_IS_ASSIGNED_TO_MEMBERS: [400, "Cannot delete a role that is assigned to members. Please reassign the members to a different role first"],
	ROLE_NAME_IS_ALREADY_TAKEN: [400, "That role name is already taken"],
	ROLE_NOT_FOUND: [400, "Role not found"],
	SESSION_NOT_FRESH: [403, "Session is not fresh"],
	SIGNING_KEY_UNREADABLE: [500, "Failed to sign the token"],
	TEAM_NOT_FOUND: [400, "Team not found"],
	TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE: [400, "Too many attempts. Please request a new code."],
	TOO_MANY_REQUESTS: [429, "Too many requests. Please try again later."],
	TOTP_ALREADY_ENABLED: [400, "TOTP is already enabled"],
	TOTP_NOT_ENABLED: [400, "TOTP not enabled"],
	TWO_FACTOR_NOT_ENABLED: [400, "Two factor isn't enabled"],
	UNABLE_TO_REMOVE_LAST_TEAM: [400, "Unable to remove last team"],
	UNAUTHORIZED: [401, "Unauthorized"],
	UNSUPPORTED_SIGNING_ALGORITHM: [400, "Unsupported signing algorithm"],
	USERNAME_IS_ALREADY_TAKEN: [400, "Username is already taken. Please try another."],
	USERNAME_TOO_LONG: [422, "Username is too long"],
	USERNAME_TOO_SHORT: [422, "Username is too short"],
	USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: [422, "User already exists. Use another email."],
	USER_IS_ALREADY_A_MEMBER_OF_THIS_ORGANIZATION: [400, "User is already a member of this organization"],
	USER_IS_ALREADY_INVITED_TO_THIS_ORGANIZATION: [400, "User is already invited to this organization"],
	USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION: [400, "User is not a member of the organization"],
	USER_IS_NOT_A_MEMBER_OF_THE_TEAM: [400, "User is not a member of the team"],
	USER_NOT_FOUND: [404, "User not found"],
	VALIDATION_ERROR: [400, "Validation Error"],
	YOU_ARE_NOT_ALLOWED_TO_CANCEL_THIS_INVITATION: [403, "You are not allowed to cancel this invitation"],
	YOU_ARE_NOT_ALLOWED_TO_CREATE_A_NEW_TEAM_MEMBER: [403, "You are not allowed to create a new member"],
	YOU_ARE_NOT_ALLOWED_TO_CREATE_A_ROLE: [403, "You are not allowed to create a role"],
	YOU_ARE_NOT_ALLOWED_TO_CREATE_TEAMS_IN_THIS_ORGANIZATION: [403, "You are not allowed to create teams in this organization"],
	YOU_ARE_NOT_ALLOWED_TO_DELETE_A_ROLE: [403, "You are not allowed to delete a role"],
	YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_MEMBER: [401, "You are not allowed to delete this member"],
	YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_ORGANIZATION: [403, "You are not allowed to delete this organization"],
	YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_TEAM: [403, "You are not allowed to delete this team"],
	YOU_ARE_NOT_ALLOWED_TO_INVITE_USERS_TO_THIS_ORGANIZATION: [403, "You are not allowed to invite users to this organization"],
	YOU_ARE_NOT_ALLOWED_TO_INVITE_USER_WITH_THIS_ROLE: [403, "You are not allowed to invite a user with this role"],
	YOU_ARE_NOT_ALLOWED_TO_LIST_A_ROLE: [403, "You are not allowed to list a role"],
	YOU_ARE_NOT_ALLOWED_TO_LIST_INVITATIONS: [403, "You are not allowed to list invitations for this organization"],
	YOU_ARE_NOT_ALLOWED_TO_PERFORM_THIS_ACTION: [403, "You are not allowed to perform this action"],
	YOU_ARE_NOT_ALLOWED_TO_REMOVE_A_TEAM_MEMBER: [403, "You are not allowed to remove a team member"],
	YOU_ARE_NOT_ALLOWED_TO_UPDATE_A_ROLE: [403, "You are not allowed to update a role"],
	YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_MEMBER: [403, "You are not allowed to update this member"],
	YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_ORGANIZATION: [403, "You are not allowed to update this organization"],
	YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_TEAM: [403, "You are not allowed to update this team"],
	YOU_ARE_NOT_THE_RECIPIENT_OF_THE_INVITATION: [403, "You are not the recipient of the invitation"],
	YOU_CANNOT_ACT_ON_ANOTHER_ADMIN: [403, "Only the database owner can do this to an admin"],
	YOU_CANNOT_BAN_YOURSELF: [400, "You cannot ban yourself"],
	YOU_CANNOT_IMPERSONATE_ADMINS: [403, "You cannot impersonate admins"],
	YOU_CANNOT_LEAVE_THE_ORGANIZATION_AS_THE_ONLY_OWNER: [400, "You cannot leave the organization as the only owner"],
	YOU_CANNOT_LEAVE_THE_ORGANIZATION_WITHOUT_AN_OWNER: [400, "You cannot leave the organization without an owner"],
};

// Better Auth's body and status for an error the database raised. A raised
// neon_auth error carries its code as DETAIL. Anything else (the database
// is down, a timeout, a bug) is a 500 whose body says nothing about the
// cause: error messages can quote a statement's values.
export function errorFor(err) {
	const known = err && typeof err.detail === "string" ? ERROR_CODES[err.detail] : undefined;
	if (known) {
		const [status, message] = known;
		return { ok: false, status, body: { code: err.detail, message }, headers: [] };
	}
	return internalError(err);
}

export function internalError(err) {
	// The SQLSTATE only: messages can quote a value of the statement.
	if (process.env.NEON_AUTH_DEBUG) console.error("neon_auth handler: database error", err?.code ?? err?.name);
	return { ok: false, status: 500, body: undefined, headers: [] };
}
