// Every endpoint of Better Auth 1.7.25's core, admin, organization, jwt and
// multiSession plugins (auth.api), with the neon_auth function that mirrors
// it and the test that runs the pair on the same rows and compares the
// answers; or the reason there is no function. parity.test.mjs checks that
// this table lists exactly Better Auth's endpoints, that every function and
// every named test exists, and that docs/better-auth-interop.md prints it
// (`node test/interop/parity.mjs` prints it).
//
// Where the pair runs:
//   conformance  a step of test/http/conformance.test.mjs: Better Auth's client
//                SDK against Better Auth and against handler/, every status,
//                body and cookie compared
//   interop      a test of test/interop/*.test.mjs: rows made on one side, used
//                on the other, answers compared
//   regression   sql/<file>.sql only (the endpoint is server-only in Better
//                Auth, so no client can call both)
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

const c = (step) => ({ conformance: step });
const i = (name) => ({ interop: name });
const none = (reason) => ({ none: reason });

export const PARITY = [
	// core
	["signInSocial", null, none("social sign-in is not offered yet")],
	["callbackOAuth", null, none("social sign-in is not offered yet")],
	["getSession", "get_session", c("get session")],
	["signOut", "sign_out", c("sign out")],
	["signUpEmail", "sign_up", c("sign up")],
	["signInEmail", "sign_in", c("sign in")],
	["resetPassword", "reset_password", i("a Better Auth reset token resets in neon_auth.reset_password, and a neon_auth one in Better Auth")],
	["verifyPassword", "verify_password", c("verify password")],
	["verifyEmail", "verify_email", i("a Better Auth verification link verifies in neon_auth.verify_email, and a neon_auth link in Better Auth")],
	["sendVerificationEmail", "send_verification_email", c("send verification email")],
	["changeEmail", "change_email", c("change email")],
	["changePassword", "change_password", c("change password")],
	["setPassword", "set_password", { regression: "lifecycle" }],
	["updateSession", "update_session", c("update session")],
	["updateUser", "update_user", c("update user")],
	["deleteUser", "delete_user", c("carol deletes her account")],
	["requestPasswordReset", "request_password_reset", c("request password reset")],
	["requestPasswordResetCallback", "request_password_reset_callback", i("a Better Auth reset token resets in neon_auth.reset_password, and a neon_auth one in Better Auth")],
	["listSessions", "list_sessions", c("list sessions")],
	["revokeSession", "revoke_session", c("revoke first session")],
	["revokeSessions", "revoke_sessions", c("dave revokes his sessions")],
	["revokeOtherSessions", "revoke_other_sessions", c("revoke other sessions")],
	["linkSocialAccount", null, none("social sign-in is not offered yet")],
	["listUserAccounts", "list_user_accounts", c("list accounts")],
	["deleteUserCallback", "delete_user_callback", { regression: "lifecycle" }],
	["unlinkAccount", null, none("only the password account exists until social sign-in; Better Auth refuses to unlink the last account")],
	["refreshToken", null, none("OAuth provider tokens: social sign-in is not offered yet")],
	["getAccessToken", null, none("OAuth provider tokens: social sign-in is not offered yet")],
	["accountInfo", null, none("OAuth provider accounts: social sign-in is not offered yet")],
	["ok", null, none("the Better Auth server's health check; check the database instead")],
	["error", null, none("the Better Auth server's error page")],
	// admin
	["setRole", "set_role", c("admin: set role")],
	["getUser", "get_user", c("admin: get bob")],
	["createUser", "create_user", c("admin: create user")],
	["adminUpdateUser", "admin_update_user", c("admin: update user")],
	["listUsers", "list_users", c("admin: list users")],
	["listUserSessions", "list_user_sessions", c("admin: list bob's sessions")],
	["unbanUser", "unban_user", c("admin: unban bob")],
	["banUser", "ban_user", c("admin: ban bob")],
	["impersonateUser", "impersonate_user", c("admin: impersonate dave")],
	["stopImpersonating", "stop_impersonating", c("admin: stop impersonating")],
	["revokeUserSession", "revoke_user_session", c("admin: revoke one of bob's sessions")],
	["revokeUserSessions", "revoke_user_sessions", c("admin: revoke bob's sessions")],
	["removeUser", "remove_user", c("admin: remove bob")],
	["setUserPassword", "set_user_password", c("admin: set bob's password")],
	["userHasPermission", "user_has_permission", c("admin: has permission")],
	// jwt
	["getJwks", "jwks", i("neon_auth.token() verifies with jose against neon_auth.jwks()")],
	["getToken", "token", c("jwt")],
	["signJWT", null, none("server-only signing of any payload; a SQL function that signs what it is given would let any caller mint identities: use token()")],
	["verifyJWT", "verify_jwt", i("Better Auth's jwt plugin signs with the neon_auth key and verify_jwt accepts its tokens")],
	// organization
	["createOrganization", "create_organization", c("create organization")],
	["updateOrganization", "update_organization", c("update organization")],
	["deleteOrganization", "delete_organization", c("delete organization")],
	["setActiveOrganization", "set_active_organization", c("bob's active member")],
	["getOrganization", "get_organization", c("get organization by slug")],
	["getFullOrganization", "get_full_organization", i("neon_auth.get_full_organization returns the teams Better Auth's get-full-organization returns")],
	["listOrganizations", "list_organizations", c("list organizations")],
	["createInvitation", "invite_member", c("invite bob")],
	["cancelInvitation", "cancel_invitation", c("cancel the invitation")],
	["acceptInvitation", "accept_invitation", c("bob accepts")],
	["getInvitation", "get_invitation", c("carol gets the invitation")],
	["rejectInvitation", "reject_invitation", c("carol rejects")],
	["listInvitations", "list_invitations", c("list invitations")],
	["getActiveMember", "get_active_member", c("bob's active member")],
	["checkOrganizationSlug", "check_slug", c("check taken slug")],
	["addMember", "add_member", i("add_member and Better Auth's remove-member work on the other side's memberships")],
	["removeMember", "remove_member", c("remove bob")],
	["updateMemberRole", "update_member_role", c("make bob admin of the org")],
	["leaveOrganization", "leave_organization", c("carol leaves")],
	["listUserInvitations", "list_user_invitations", c("carol's invitations")],
	["listMembers", "list_members", c("list members")],
	["getActiveMemberRole", "get_active_member_role", c("get active member role")],
	["createTeam", "create_team", c("create team")],
	["listOrganizationTeams", "list_teams", c("list teams")],
	["removeTeam", "remove_team", c("remove team")],
	["updateTeam", "update_team", c("update team")],
	["setActiveTeam", "set_active_team", c("set active team")],
	["listUserTeams", "list_user_teams", c("list user teams")],
	["listTeamMembers", "list_team_members", c("list team members")],
	["addTeamMember", "add_team_member", c("add herself to the team")],
	["removeTeamMember", "remove_team_member", c("remove herself from the team")],
	["createOrgRole", "create_role", c("create role")],
	["deleteOrgRole", "delete_role", c("delete role")],
	["listOrgRoles", "list_roles", c("list roles")],
	["getOrgRole", "get_role", c("get role")],
	["updateOrgRole", "update_role", c("update role")],
	["hasPermission", "has_permission", c("has permission")],
	// multiSession
	["listDeviceSessions", "list_device_sessions", c("multi: list device sessions")],
	["setActiveSession", "set_active_session", c("multi: set fay active")],
	["revokeDeviceSession", "revoke_device_session", c("multi: revoke gus")],
].map(([api, fn, where]) => ({ api, fn, ...where }));

// The table as docs/better-auth-interop.md prints it.
export function markdown(paths) {
	const rows = PARITY.map(({ api, fn, conformance, interop, regression, none: reason }) => {
		const where = conformance ? `client conformance: "${conformance}"`
			: interop ? `interop: "${interop}"`
			: regression ? `regression: \`sql/${regression}.sql\` (server-only in Better Auth)`
			: reason;
		return `| \`${api}\` | \`${paths[api] ?? ""}\` | ${fn ? `\`${fn}\`` : "none"} | ${where} |`;
	});
	return ["| Better Auth `auth.api` | path | neon_auth | compared in, or why not |", "|---|---|---|---|", ...rows].join("\n");
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const { apiPaths } = await import("./parity-api.mjs");
	console.log(markdown(await apiPaths()));
}
