// Better Auth 1.7's REST paths and the neon_auth function each one calls.
//
// A route names its method, path and function, and the fields it reads
// (Better Auth's camelCase names, "type" or "type!" when required) from the
// JSON body of a POST or the query of a GET. Each field becomes the
// function's argument of the same name in snake_case (callbackURL ->
// callback_url); `rename` maps the others, and `extra` adds arguments taken
// from the request itself (the session cookie). `after` runs in the call's
// transaction once it succeeded (cookie signing); `respond` turns the
// function's answer into Better Auth's response.
import { clearCookie, clearCookieNamed, safeDecode, setCookie } from "./cookies.js";

const snake = (name) => name.replace(/URL$/, "Url").replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

// The session credential the request carries, in the database's order: a
// bearer token that is not a JWT (Better Auth's bearer plugin), else Better
// Auth's session cookie.
export function sessionCredential(ctx) {
	const bearer = /^Bearer\s+(\S+)$/i.exec(ctx.headers.authorization ?? "")?.[1];
	if (bearer && bearer.split(".").length !== 3) return bearer;
	return ctx.cookie("session_token");
}

// ---------------------------------------------------------------------------
// Cookies, as Better Auth sets them. Signed values come from the database.
// ---------------------------------------------------------------------------

// Sets the session cookie for the new session `token` (and the dont_remember
// cookie for a rememberMe = false session), in the call's transaction: the
// database signs them and says how long they last.
async function sessionCookieValues(client, token, dontRemember) {
	const { rows } = await client.query({
		name: "neon_auth_session_cookies",
		text: "SELECT neon_auth.session_cookies($1, $2) AS c",
		values: [token, dontRemember],
	});
	return rows[0].c;
}
async function signSessionCookies(client, token, ctx, dontRemember) {
	if (!token) return [];
	const c = await sessionCookieValues(client, token, dontRemember);
	if (!c) return [];
	const options = { secure: ctx.secure, prefix: ctx.prefix };
	const headers = [setCookie("session_token", c.value, { ...options, maxAge: c.dontRemember ? undefined : c.maxAge })];
	if (c.dontRemember) headers.push(setCookie("dont_remember", c.dontRemember, options));
	// config.multi_session: the device's cookie for this session, and the
	// cookies of the same user's sessions it replaced (ended by the database).
	// A session that is not remembered gets a device cookie that is not either.
	if (c.multi?.set) headers.push(setCookie(c.multi.name, c.multi.set, { ...options, maxAge: c.dontRemember ? undefined : c.maxAge }));
	// config.cookie_cache_max_age: Better Auth's cookie cache for this session.
	if (c.sessionData) headers.push(setCookie("session_data", c.sessionData, { ...options, maxAge: c.dontRemember ? undefined : c.sessionDataMaxAge }));
	for (const name of c.multi?.expire ?? []) headers.push(clearCookieNamed(name, options));
	// Better Auth's bearer plugin hands the signed value to clients without cookies.
	headers.push(["set-auth-token", c.value], ["Access-Control-Expose-Headers", "set-auth-token"]);
	return headers;
}

const rememberMe = (ctx) => ctx.input.rememberMe === false;

// Better Auth's multiSession cookie of a session: "<session cookie>_multi-<token in lower case>".
const deviceCookie = (token) => `session_token_multi-${String(token).toLowerCase()}`;
// The request's multi-session cookies, by their full names.
const deviceCookieNames = (ctx) => Object.keys(ctx.cookies).filter((name) => name.includes("_multi-"));

// Better Auth sets the caller's session cookie again after some changes
// (update-user, set-active): same session, same rememberMe choice.
const reissue = (client, body, ctx) => {
	const credential = ctx.cookie("session_token");
	return credential ? signSessionCookies(client, safeDecode(credential), ctx, Boolean(ctx.cookie("dont_remember")))
		.then((headers) => headers.filter(([name]) => name === "Set-Cookie")) : [];
};

// The admin_session cookie: the admin's signed session value and whether that
// session is not remembered.
// Better Auth's format, so either server can stop an impersonation the other
// started: the signed "<token>:<'true' when not remembered>". The database
// checks the signature (stop_impersonating); the flag read here only picks
// the restored cookie's lifetime.
function adminSession(ctx) {
	const raw = ctx.cookie("admin_session");
	if (!raw) return null;
	const signed = safeDecode(raw);
	const dot = signed.lastIndexOf(".");
	const [token, flag] = (dot < 0 ? signed : signed.slice(0, dot)).split(":");
	return { signed, token, dontRemember: flag === "true" };
}

// The bare token of the request's session cookie.
const cookieToken = (ctx) => safeDecode(ctx.cookie("session_token") ?? "").split(".")[0];
const withSessionCookies = (tokenOf, dontRemember = () => false) =>
	(client, body, ctx) => signSessionCookies(client, tokenOf(body), ctx, dontRemember(ctx));

// POST /multi-session/revoke: the revoked session's cookie is expired; when
// it was the active session, the next live one of the device becomes active,
// or the device is signed out.
async function revokeDeviceSession(client, body, ctx) {
	const options = { secure: ctx.secure, prefix: ctx.prefix };
	const headers = [clearCookie(deviceCookie(ctx.input.sessionToken), options)];
	if (ctx.input.sessionToken.toLowerCase() !== cookieToken(ctx).toLowerCase()) return headers;
	const { rows } = await client.query("SELECT neon_auth.list_device_sessions() -> 0 -> 'session' ->> 'token' AS token");
	if (!rows[0].token) return [...headers, ...signedOutCookies(ctx)];
	return [...headers, ...await signSessionCookies(client, rows[0].token, ctx, Boolean(ctx.cookie("dont_remember")))];
}

// Better Auth's deleteSessionCookie.
const signedOutCookies = (ctx) =>
	["session_token", "session_data", "dont_remember"].map((n) => clearCookie(n, { secure: ctx.secure, prefix: ctx.prefix }));

const onSuccess = (extraHeaders) => (result, ctx, json) =>
	json(result.status, result.body, result.ok ? [...result.headers, ...extraHeaders(ctx, result)] : result.headers);

// ---------------------------------------------------------------------------
// Responses that differ from the function's answer.
// ---------------------------------------------------------------------------

// sign_in answers a two-factor user with the challenge and the signed value
// of Better Auth's two_factor cookie, which goes into the cookie (10
// minutes, as Better Auth's) and not into the body.
function signInResponse(result, ctx, json) {
	const body = result.body;
	const options = { secure: ctx.secure, prefix: ctx.prefix };
	if (result.ok && body?.twoFactorRedirect) {
		const { twoFactorCookie, dontRememberCookie, ...challenge } = body;
		const headers = [...result.headers, setCookie("two_factor", twoFactorCookie, { ...options, maxAge: 600 })];
		// rememberMe: false travels through the challenge in this cookie, as Better Auth's.
		if (dontRememberCookie) headers.push(setCookie("dont_remember", dontRememberCookie, options));
		return json(200, challenge, headers);
	}
	// With a callbackURL Better Auth answers 200 with the URL in the body and in Location.
	const location = result.ok && body?.redirect && typeof body.url === "string" ? [["Location", body.url]] : [];
	return json(result.status, result.ok ? withoutTrustCookie(body) : body,
		result.ok ? [...result.headers, ...location, ...trustCookieHeaders(body, ctx)] : result.headers);
}

// A trusted device's new cookie (30 days, as Better Auth's), set from the
// value the database answered and kept out of the body.
const TRUST_DEVICE_MAX_AGE = 2592000;
const trustCookieHeaders = (body, ctx) => (body?.trustDeviceCookie
	? [setCookie("trust_device", body.trustDeviceCookie, { secure: ctx.secure, prefix: ctx.prefix, maxAge: TRUST_DEVICE_MAX_AGE })] : []);
const withoutTrustCookie = (body) => {
	if (!body || typeof body !== "object" || !("trustDeviceCookie" in body)) return body;
	const { trustDeviceCookie, ...rest } = body;
	return rest;
};

// The verify endpoints: when they finish a sign-in (a new token, not the
// caller's own), the session cookie is set and the challenge cookie expired,
// in the call's transaction; a trusted device gets its cookie.
const twoFactorVerify = {
	after: async (client, body, ctx) => {
		if (!body?.token || body.token === cookieToken(ctx)) return [];
		const headers = await signSessionCookies(client, body.token, ctx, Boolean(ctx.cookie("dont_remember")) && !ctx.input.trustDevice);
		return [...headers, clearCookie("two_factor", { secure: ctx.secure, prefix: ctx.prefix })];
	},
	respond: (result, ctx, json) => json(result.status, result.ok ? withoutTrustCookie(result.body) : result.body,
		result.ok ? [...result.headers, ...trustCookieHeaders(result.body, ctx)] : result.headers),
};

// get-session: Better Auth's no-store headers; after a sliding refresh the
// session cookie is set again with its new lifetime, as Better Auth does
// (same signed value, so the database need not sign it again). Whether this
// call refreshed the session is read in the same statement (the session's
// updatedAt is the transaction's time, its createdAt is not), so the answer
// goes out as the JSON text the database sent, never parsed. With Better
// Auth's cookie cache on, get_session says in response.session_data what to
// do with the session_data cookie.
const refreshColumns = `, CASE WHEN r.body #>> '{session,updatedAt}' = to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
	                    AND r.body #>> '{session,createdAt}' <> r.body #>> '{session,updatedAt}'
	               THEN round(extract(epoch FROM (r.body #>> '{session,expiresAt}')::timestamptz - now()))::int END AS refreshed_max_age,
	                    nullif(current_setting('response.session_data', true), '')::jsonb AS session_data`;

function getSessionResponse(result, ctx, json, passThrough) {
	const headers = [["Cache-Control", "no-store"], ["Pragma", "no-cache"]];
	if (!result.ok) return json(result.status, result.body, [...result.headers, ...headers]);
	const cookie = ctx.cookie("session_token");
	const maxAge = result.row?.refreshed_max_age;
	if (cookie && maxAge) headers.push(setCookie("session_token", safeDecode(cookie), { secure: ctx.secure, prefix: ctx.prefix, maxAge }));
	// config.cookie_cache_max_age: Better Auth's session_data cookie, expired
	// when invalid and set again when missing (the database decides).
	const cache = result.row?.session_data;
	if (cache?.expire) headers.push(clearCookie("session_data", { secure: ctx.secure, prefix: ctx.prefix }));
	if (cache?.set) headers.push(setCookie("session_data", cache.set, { secure: ctx.secure, prefix: ctx.prefix, maxAge: cache.maxAge }));
	// A session cookie that names no live session is expired, as Better Auth
	// does (it also does so only for a validly signed one; the handler cannot
	// tell, and expiring a forged cookie does no harm).
	if (cookie && (result.text === "null" || result.text === null)) headers.push(...signedOutCookies(ctx));
	return passThrough(result, headers);
}

// Where Better Auth answers an error with a message and no code.
const messageOnly = (code) => (result, ctx, json) =>
	json(result.status, result.body?.code === code ? { message: result.body.message } : result.body, result.headers);

// Better Auth answers USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION with 403 on
// set-active, get-organization and get-full-organization (400 elsewhere, the
// catalogue's status).
function notMemberAs403(result, ctx, json, passThrough) {
	if (result.body?.code === "USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION") return json(403, result.body, result.headers);
	return result.text === undefined ? json(result.status, result.body, result.headers) : passThrough(result);
}

// Better Auth answers a bad username with 400 on sign-up and update-user
// (422 on its own username paths, the catalogue's status).
const USERNAME_CODES = new Set(["USERNAME_TOO_SHORT", "USERNAME_TOO_LONG", "INVALID_USERNAME"]);
const usernameAs400 = (result, ctx, json) =>
	json(USERNAME_CODES.has(result.body?.code) ? 400 : result.status, result.body, result.headers);

// GET /magic-link/verify: JSON without a callbackURL; with one, Better
// Auth's redirect there (to newUserCallbackURL for a new user), or to the
// error callback with ?error=<code>. The database has checked every
// callback URL against the trusted origins before this runs.
function magicLinkResponse(result, ctx, json) {
	const { callbackURL, newUserCallbackURL, errorCallbackURL } = ctx.input;
	const body = result.body;
	if (result.ok && body?.twoFactorRedirect) return signInResponse(result, ctx, json);
	if (!callbackURL || (!result.ok && body?.code === "INVALID_CALLBACK_URL")) {
		if (!result.ok || !body) return json(result.status, body, result.headers);
		const { isNewUser, ...rest } = body;
		return json(result.status, rest, result.headers);
	}
	const location = result.ok ? (body.isNewUser && newUserCallbackURL) || callbackURL
		: withQuery(errorCallbackURL || callbackURL, "error", body?.code ?? "INVALID_TOKEN");
	return { status: 302, headers: [["Location", location], ...result.headers], body: undefined };
}

// A function's answer of SQL NULL (token() without a session) is Better
// Auth's 401.
const unauthorized = { status: 401, body: { code: "UNAUTHORIZED", message: "Unauthorized" } };

// ---------------------------------------------------------------------------
// The table.
// ---------------------------------------------------------------------------

const r = (method, path, fn, fields = {}, more = {}) => ({ method, path, fn, fields, ...more });

export const ROUTES = [
	// core
	r("POST", "/sign-up/email", "sign_up",
		{ name: "string!", email: "string!", password: "string!", image: "string", rememberMe: "boolean", callbackURL: "string",
			username: "string", displayUsername: "string" },
		{ form: true, after: withSessionCookies((b) => b?.token, rememberMe), respond: usernameAs400 }),
	r("POST", "/sign-in/email", "sign_in",
		{ email: "string!", password: "string!", rememberMe: "boolean", callbackURL: "string" },
		{ form: true, after: withSessionCookies((b) => !b?.twoFactorRedirect && b?.token, rememberMe), respond: signInResponse }),
	r("POST", "/sign-out", "sign_out", {},
		{
			extra: (ctx) => ({ token: sessionCredential(ctx) ?? null }),
			// multiSession: the database ended the sessions of the device's cookies.
			respond: onSuccess((ctx) => [...signedOutCookies(ctx),
				...deviceCookieNames(ctx).map((name) => clearCookieNamed(name, { secure: ctx.secure }))]),
		}),
	r("GET", "/get-session", "get_session", { disableCookieCache: "boolean", disableRefresh: "boolean" },
		{ skip: ["disableCookieCache", "disableRefresh"], extra: (ctx) => ({ token: sessionCredential(ctx) ?? null }),
			columns: refreshColumns, respond: getSessionResponse, prepare: true }),
	r("POST", "/send-verification-email", "send_verification_email", { email: "string!", callbackURL: "string" }),
	r("GET", "/verify-email", "verify_email", { token: "string!", callbackURL: "string" },
		{ skip: ["callbackURL"], check: (ctx, json) => (ctx.input.callbackURL === undefined || safeRedirect(ctx.input.callbackURL, ctx) ? null : invalidCallback(json)),
			respond: verifyEmailResponse }),
	r("POST", "/request-password-reset", "request_password_reset", { email: "string!", redirectTo: "string" }),
	r("GET", "/reset-password/:token", "request_password_reset_callback", { callbackURL: "string!" },
		{ extra: (ctx) => ({ token: ctx.input.token }), respond: resetPasswordLink }),
	r("POST", "/reset-password", "reset_password", { newPassword: "string!", token: "string!" }, { query: ["token"] }),
	r("POST", "/change-password", "change_password",
		{ currentPassword: "string!", newPassword: "string!", revokeOtherSessions: "boolean" },
		{ after: withSessionCookies((b) => b?.token, (ctx) => Boolean(ctx.cookie("dont_remember"))) }),
	r("POST", "/set-password", "set_password", { newPassword: "string!" }),
	r("POST", "/verify-password", "verify_password", { password: "string!" }),
	// The body's fields are session fields to change; sessions have none that
	// can. Better Auth's "No fields to update" error has no code.
	r("POST", "/update-session", "update_session", {}, {
		extra: () => ({ data: {} }),
		respond: (result, ctx, json) =>
			json(result.status, result.body?.code === "NO_FIELDS_TO_UPDATE" ? { message: result.body.message } : result.body, result.headers),
	}),
	r("POST", "/update-user", "update_user",
		{ name: "string", image: "string|null", username: "string", displayUsername: "string" },
		{ after: reissue, respond: usernameAs400 }),
	// username plugin
	r("POST", "/sign-in/username", "sign_in_username",
		{ username: "string!", password: "string!", rememberMe: "boolean", callbackURL: "string" },
		{ after: withSessionCookies((b) => !b?.twoFactorRedirect && b?.token, rememberMe), respond: signInResponse }),
	r("POST", "/is-username-available", "is_username_available", { username: "string!" }),
	r("POST", "/change-email", "change_email", { newEmail: "string!", callbackURL: "string" }, { respond: messageOnly("EMAIL_IS_THE_SAME") }),
	r("POST", "/delete-user", "delete_user", { password: "string", callbackURL: "string", token: "string" },
		{ respond: onSuccess((ctx, result) => (result.body?.message === "User deleted" ? signedOutCookies(ctx) : [])) }),
	r("GET", "/delete-user/callback", "delete_user_callback", { token: "string!", callbackURL: "string" },
		{ respond: deleteUserLink }),
	r("GET", "/list-sessions", "list_sessions"),
	// multiSession: the database reads and checks the multi-session cookies.
	r("GET", "/multi-session/list-device-sessions", "list_device_sessions"),
	r("POST", "/multi-session/set-active", "set_active_session", { sessionToken: "string!" },
		{ after: withSessionCookies((b) => b?.session?.token, (ctx) => Boolean(ctx.cookie("dont_remember"))) }),
	r("POST", "/multi-session/revoke", "revoke_device_session", { sessionToken: "string!" }, { after: revokeDeviceSession }),
	r("GET", "/list-accounts", "list_user_accounts"),
	r("POST", "/revoke-session", "revoke_session", { token: "string!" },
		{ respond: onSuccess((ctx) => (ctx.input.token === cookieToken(ctx) ? signedOutCookies(ctx) : [])) }),
	r("POST", "/revoke-sessions", "revoke_sessions", {}, { respond: onSuccess(signedOutCookies) }),
	r("POST", "/revoke-other-sessions", "revoke_other_sessions"),
	// twoFactor plugin
	r("POST", "/two-factor/enable", "enable_two_factor", { password: "string!", issuer: "string" }),
	r("POST", "/two-factor/disable", "disable_two_factor", { password: "string!" },
		{ respond: onSuccess((ctx) => (ctx.cookie("trust_device") ? [clearCookie("trust_device", { secure: ctx.secure, prefix: ctx.prefix })] : [])) }),
	r("POST", "/two-factor/get-totp-uri", "get_totp_uri", { password: "string!" }),
	r("POST", "/two-factor/verify-totp", "verify_totp", { code: "string!", trustDevice: "boolean" }, twoFactorVerify),
	r("POST", "/two-factor/send-otp", "send_two_factor_otp", { trustDevice: "boolean" }),
	r("POST", "/two-factor/verify-otp", "verify_two_factor_otp", { code: "string!", trustDevice: "boolean" },
		twoFactorVerify),
	r("POST", "/two-factor/verify-backup-code", "verify_backup_code",
		{ code: "string!", disableSession: "boolean", trustDevice: "boolean" }, twoFactorVerify),
	r("POST", "/two-factor/generate-backup-codes", "generate_backup_codes", { password: "string!" }),
	// anonymous plugin
	r("POST", "/sign-in/anonymous", "sign_in_anonymous", {}, { after: withSessionCookies((b) => b?.token) }),
	r("POST", "/delete-anonymous-user", "delete_anonymous_user", {}, { respond: onSuccess(signedOutCookies) }),
	// magicLink plugin
	r("POST", "/sign-in/magic-link", "sign_in_magic_link",
		{ email: "string!", name: "string", callbackURL: "string", newUserCallbackURL: "string", errorCallbackURL: "string", metadata: "object" },
		{ skip: ["metadata"] }),
	r("GET", "/magic-link/verify", "magic_link_verify",
		{ token: "string!", callbackURL: "string", errorCallbackURL: "string", newUserCallbackURL: "string" },
		{ after: withSessionCookies((b) => !b?.twoFactorRedirect && b?.token), respond: magicLinkResponse }),
	// phoneNumber plugin
	r("POST", "/sign-in/phone-number", "sign_in_phone_number", { phoneNumber: "string!", password: "string!", rememberMe: "boolean" },
		{ after: withSessionCookies((b) => !b?.twoFactorRedirect && b?.token, rememberMe), respond: signInResponse }),
	r("POST", "/phone-number/send-otp", "send_phone_number_otp", { phoneNumber: "string!" }),
	r("POST", "/phone-number/verify", "verify_phone_number",
		{ phoneNumber: "string!", code: "string!", disableSession: "boolean", updatePhoneNumber: "boolean" },
		// With updatePhoneNumber the caller keeps the session it came with: no new cookie.
		{ after: (client, body, ctx) => withSessionCookies((b) => !ctx.input.updatePhoneNumber && !b?.twoFactorRedirect && b?.token)(client, body, ctx),
		  respond: signInResponse }),
	r("POST", "/phone-number/request-password-reset", "request_password_reset_phone_number", { phoneNumber: "string!" }),
	r("POST", "/phone-number/reset-password", "reset_password_phone_number",
		{ phoneNumber: "string!", otp: "string!", newPassword: "string!" }),
	// emailOTP plugin
	r("POST", "/email-otp/send-verification-otp", "send_verification_otp", { email: "string!", type: "string!" }),
	r("POST", "/email-otp/check-verification-otp", "check_verification_otp", { email: "string!", type: "string!", otp: "string!" }),
	r("POST", "/email-otp/verify-email", "verify_email_otp", { email: "string!", otp: "string!" }),
	r("POST", "/sign-in/email-otp", "sign_in_email_otp", { email: "string!", otp: "string!", name: "string", image: "string" },
		{ after: withSessionCookies((b) => !b?.twoFactorRedirect && b?.token), respond: signInResponse }),
	r("POST", "/email-otp/request-password-reset", "request_password_reset_email_otp", { email: "string!" }),
	r("POST", "/forget-password/email-otp", "forget_password_email_otp", { email: "string!" }),
	r("POST", "/email-otp/reset-password", "reset_password_email_otp", { email: "string!", otp: "string!", password: "string!" }),
	r("POST", "/email-otp/request-email-change", "request_email_change_email_otp", { newEmail: "string!" }),
	r("POST", "/email-otp/change-email", "change_email_email_otp", { newEmail: "string!", otp: "string!" }, { after: reissue }),
	// oneTimeToken plugin: verifying sets the session cookie, as Better Auth's does
	r("GET", "/one-time-token/generate", "generate_one_time_token"),
	r("POST", "/one-time-token/verify", "verify_one_time_token", { token: "string!" },
		{ after: withSessionCookies((b) => b?.session?.token) }),
	// jwt plugin
	r("GET", "/token", "token", {}, {
		extra: (ctx) => ({ session_token: sessionCredential(ctx) ?? null }),
		respond: (result, ctx, json) => (result.ok && result.body === null
			? json(unauthorized.status, unauthorized.body) : json(result.status, result.ok ? { token: result.body } : result.body, result.headers)),
	}),
	r("GET", "/jwks", "jwks"),
	// organization plugin
	r("POST", "/organization/create", "create_organization",
		{ name: "string!", slug: "string!", logo: "string", metadata: "object", keepCurrentActiveOrganization: "boolean" }),
	r("POST", "/organization/update", "update_organization", { data: "object!", organizationId: "string" }),
	r("POST", "/organization/delete", "delete_organization", { organizationId: "string!" }),
	r("POST", "/organization/set-active", "set_active_organization", { organizationId: "string|null", organizationSlug: "string" },
		{ extra: (ctx) => ({ organization_id: ctx.input.organizationId ?? null }), after: reissue, respond: notMemberAs403 }),
	r("GET", "/organization/get-full-organization", "get_full_organization", { organizationId: "string", organizationSlug: "string" },
		{ respond: notMemberAs403 }),
	r("GET", "/organization/get-organization", "get_organization", { organizationId: "string", organizationSlug: "string" },
		{ respond: notMemberAs403 }),
	r("GET", "/organization/list", "list_organizations"),
	r("POST", "/organization/check-slug", "check_slug", { slug: "string!" }),
	r("POST", "/organization/invite-member", "invite_member",
		{ email: "string!", role: "string|array!", organizationId: "string", resend: "boolean", teamId: "string|array" },
		{ extra: (ctx) => ({ role: [].concat(ctx.input.role).join(","),
			...(ctx.input.teamId === undefined ? {} : { team_id: [].concat(ctx.input.teamId).join(",") }) }) }),
	r("POST", "/organization/accept-invitation", "accept_invitation", { invitationId: "string!" }),
	r("POST", "/organization/reject-invitation", "reject_invitation", { invitationId: "string!" }),
	r("POST", "/organization/cancel-invitation", "cancel_invitation", { invitationId: "string!" }),
	r("GET", "/organization/get-invitation", "get_invitation", { id: "string!" }, { rename: { id: "invitation_id" } }),
	r("GET", "/organization/list-invitations", "list_invitations", { organizationId: "string" },
		{ respond: messageOnly("YOU_ARE_NOT_A_MEMBER_OF_THIS_ORGANIZATION") }),
	r("GET", "/organization/list-user-invitations", "list_user_invitations"),
	r("POST", "/organization/remove-member", "remove_member", { memberIdOrEmail: "string!", organizationId: "string" }),
	r("POST", "/organization/update-member-role", "update_member_role",
		{ memberId: "string!", role: "string|array!", organizationId: "string" },
		{ extra: (ctx) => ({ role: [].concat(ctx.input.role).join(",") }) }),
	r("GET", "/organization/get-active-member", "get_active_member"),
	r("GET", "/organization/get-active-member-role", "get_active_member_role",
		{ userId: "string", organizationId: "string", organizationSlug: "string" }),
	r("POST", "/organization/leave", "leave_organization", { organizationId: "string!" }),
	r("GET", "/organization/list-members", "list_members",
		{ organizationId: "string", organizationSlug: "string", limit: "number", offset: "number" }),
	r("POST", "/organization/has-permission", "has_permission",
		{ organizationId: "string", permissions: "object!", permission: "object" },
		{
			skip: ["permission"],
			extra: (ctx) => ({ permissions: ctx.input.permissions ?? ctx.input.permission, organization_id: ctx.input.organizationId ?? null }),
			respond: (result, ctx, json) => json(result.status, result.ok ? { error: null, success: result.body === true } : result.body, result.headers),
		}),
	r("POST", "/organization/create-team", "create_team", { name: "string!", organizationId: "string" }),
	r("POST", "/organization/update-team", "update_team", { teamId: "string!", data: "object!" },
		{ skip: ["data"], extra: (ctx) => ({ name: ctx.input.data?.name, organization_id: ctx.input.data?.organizationId }) }),
	r("POST", "/organization/remove-team", "remove_team", { teamId: "string!", organizationId: "string" },
		{ skip: ["organizationId"] }),
	r("GET", "/organization/list-teams", "list_teams", { organizationId: "string" }),
	r("GET", "/organization/list-user-teams", "list_user_teams", { organizationId: "string", userId: "string" }),
	r("GET", "/organization/list-team-members", "list_team_members", { teamId: "string" }),
	r("POST", "/organization/set-active-team", "set_active_team", { teamId: "string|null" },
		{ extra: (ctx) => ({ team_id: ctx.input.teamId ?? null }), after: reissue }),
	r("POST", "/organization/add-team-member", "add_team_member", { teamId: "string!", userId: "string!" }),
	r("POST", "/organization/remove-team-member", "remove_team_member", { teamId: "string!", userId: "string!" }),
	r("POST", "/organization/create-role", "create_role",
		{ role: "string!", permission: "object!", organizationId: "string" }),
	r("POST", "/organization/update-role", "update_role",
		{ roleName: "string!", data: "object!", organizationId: "string" },
		{ skip: ["roleName", "data"], extra: (ctx) => ({ role: ctx.input.roleName, permission: ctx.input.data?.permission }) }),
	r("POST", "/organization/delete-role", "delete_role", { roleName: "string!", organizationId: "string" },
		{ rename: { roleName: "role" } }),
	r("GET", "/organization/list-roles", "list_roles", { organizationId: "string" }),
	r("GET", "/organization/get-role", "get_role", { roleName: "string", roleId: "string", organizationId: "string" }),
	// admin plugin
	r("POST", "/admin/create-user", "create_user",
		{ email: "string!", password: "string", name: "string!", role: "string|array", data: "object" },
		{
			// password has no default in SQL (name follows it): none given is an explicit NULL.
			extra: (ctx) => ({
				password: ctx.input.password ?? null,
				...(ctx.input.role === undefined ? {} : { role: [].concat(ctx.input.role).join(",") }),
			}),
		}),
	r("GET", "/admin/list-users", "list_users", {
		searchValue: "string", searchField: "string", searchOperator: "string", limit: "number", offset: "number",
		sortBy: "string", sortDirection: "string", filterField: "string", filterValue: "string|number|boolean",
		filterOperator: "string",
	}, {
		extra: (ctx) => (ctx.input.filterValue === undefined ? {} : { filter_value: String(ctx.input.filterValue) }),
		// Better Auth echoes limit and offset only when given and not 0.
		respond: (result, ctx, json) => {
			const body = result.ok && result.body ? { ...result.body } : result.body;
			if (result.ok && body) for (const k of ["limit", "offset"]) if (!Number(ctx.input[k])) delete body[k];
			return json(result.status, body, result.headers);
		},
	}),
	r("POST", "/admin/list-user-sessions", "list_user_sessions", { userId: "string!" }),
	r("POST", "/admin/set-role", "set_role", { userId: "string!", role: "string|array!" },
		{ extra: (ctx) => ({ role: [].concat(ctx.input.role).join(",") }) }),
	r("POST", "/admin/ban-user", "ban_user", { userId: "string!", banReason: "string", banExpiresIn: "number" }),
	r("POST", "/admin/unban-user", "unban_user", { userId: "string!" }),
	r("POST", "/admin/impersonate-user", "impersonate_user", { userId: "string!" }, {
		after: async (client, body, ctx) => {
			const options = { secure: ctx.secure, prefix: ctx.prefix };
			// As Better Auth: the old session cookies are expired, then the
			// impersonation session's are set (it is never remembered).
			const headers = [clearCookie("session_token", options), clearCookie("session_data", options), clearCookie("dont_remember", options),
				...await signSessionCookies(client, body?.session?.token, ctx, true)];
			// The admin's own session is kept aside in Better Auth's
			// admin_session cookie (signed by the database), so either server's
			// stop-impersonating can restore it, with its rememberMe choice.
			const own = ctx.cookie("session_token");
			const { rows } = own ? await client.query("SELECT neon_auth.admin_session_cookie($1, $2) AS c",
				[safeDecode(own), Boolean(ctx.cookie("dont_remember"))]) : { rows: [{}] };
			if (rows[0].c) headers.push(setCookie("admin_session", rows[0].c.value, { ...options, maxAge: rows[0].c.maxAge }));
			return headers.filter(([name]) => name === "Set-Cookie");
		},
	}),
	r("POST", "/admin/stop-impersonating", "stop_impersonating", {}, {
		// The admin's own session, kept aside at impersonate-user: its {session, user} is the answer.
		extra: (ctx) => (adminSession(ctx) ? { admin_session_token: adminSession(ctx).signed } : {}),
		after: async (client, body, ctx) => {
			// The session the database found for the cookie (its answer), not the cookie's text.
			const admin = adminSession(ctx);
			const headers = admin && body?.session?.token ? await signSessionCookies(client, body.session.token, ctx, admin.dontRemember) : [];
			const options = { secure: ctx.secure, prefix: ctx.prefix };
			return [...headers.filter(([name]) => name === "Set-Cookie"),
				...(ctx.cookie("dont_remember") && !admin?.dontRemember ? [clearCookie("dont_remember", options)] : []),
				clearCookie("admin_session", options),
				...(admin ? [] : [clearCookie("session_token", options)])];
		},
	}),
	r("POST", "/admin/revoke-user-session", "revoke_user_session", { sessionToken: "string!" }),
	r("POST", "/admin/revoke-user-sessions", "revoke_user_sessions", { userId: "string!" }),
	r("POST", "/admin/remove-user", "remove_user", { userId: "string!" }),
	r("POST", "/admin/set-user-password", "set_user_password", { userId: "string!", newPassword: "string!" }),
	r("POST", "/admin/update-user", "admin_update_user", { userId: "string!", data: "object!" }),
	r("GET", "/admin/get-user", "get_user", { id: "string!" }),
	r("POST", "/admin/has-permission", "user_has_permission",
		{ userId: "string", role: "string", permissions: "object", permission: "object" },
		{ skip: ["permission", "permissions"], extra: (ctx) => ({ permissions: ctx.input.permissions ?? ctx.input.permission ?? null }) }),
];

// A redirect target the handler may send a browser to: a path on this site
// ("/x", not "//x" or "/\\x") or a URL of the site's own origin. Other origins
// are refused as Better Auth refuses untrusted ones, so that no link of ours
// is an open redirect. (config.trusted_origins is checked by the database for
// the URLs it puts into emailed links.)
export function safeRedirect(target, ctx) {
	if (typeof target !== "string" || target === "" || /[\u0000-\u001f\u007f]/.test(target)) return false;
	if (/^\/(?![\/\\])/.test(target)) return true;
	try {
		const origin = new URL(target).origin;
		return origin === ctx.url.origin || (ctx.baseURL && origin === new URL(ctx.baseURL).origin);
	} catch {
		return false;
	}
}

const invalidCallback = (json) => json(403, { message: "Invalid callbackURL", code: "INVALID_CALLBACK_URL" });
const withQuery = (url, name, value) => `${url}${url.includes("?") ? "&" : "?"}${name}=${encodeURIComponent(value)}`;

// verify-email: with a callbackURL Better Auth redirects there (adding
// ?error=<code> on failure); without one it answers JSON.
function verifyEmailResponse(result, ctx, json) {
	const callback = ctx.input.callbackURL;
	// Better Auth answers a bad verification link with 401 (a bad reset token with 400).
	if (!callback) return json(result.body?.code === "INVALID_TOKEN" ? 401 : result.status, result.body, result.headers);
	const location = result.ok ? callback : withQuery(callback, "error", result.body?.code ?? "INVALID_TOKEN");
	return { status: 302, headers: [["Location", location], ...result.headers], body: undefined };
}

// GET /reset-password/:token, the link of the password-reset email (the
// default config.reset_password_url): Better Auth redirects to the
// callbackURL with the token, or with error=INVALID_TOKEN for a token that is
// not live; request_password_reset_callback decides which.
// GET /delete-user/callback: the user is gone, and so are its cookies; with a
// callbackURL Better Auth redirects there.
function deleteUserLink(result, ctx, json) {
	if (!result.ok) return json(result.status, result.body, result.headers);
	const headers = [...result.headers, ...signedOutCookies(ctx)];
	if (ctx.input.callbackURL) return { status: 302, headers: [["Location", ctx.input.callbackURL], ...headers], body: undefined };
	return json(200, result.body, headers);
}

function resetPasswordLink(result, ctx, json) {
	if (result.ok) return { status: 302, headers: [["Location", result.body.url], ...result.headers], body: undefined };
	if (result.body?.code === "INVALID_CALLBACK_URL") return invalidCallback(json);
	return json(result.status, result.body, result.headers);
}

// Every route's argument builder: the fields given, in snake_case or renamed,
// and the route's extra arguments.
for (const route of ROUTES) {
	const skip = new Set(route.skip ?? []);
	route.args = (ctx) => {
		const value = {};
		for (const name of Object.keys(route.fields)) {
			if (skip.has(name) || ctx.input[name] === undefined) continue;
			value[route.rename?.[name] ?? snake(name)] = ctx.input[name];
		}
		return { value: { ...value, ...(route.extra?.(ctx) ?? {}) } };
	};
}

const byPath = new Map(ROUTES.filter((route) => !route.path.includes(":")).map((route) => [route.path, route]));
const withParams = ROUTES.filter((route) => route.path.includes(":")).map((route) => ({
	route,
	names: route.path.match(/:\w+/g).map((p) => p.slice(1)),
	pattern: new RegExp(`^${route.path.replace(/:\w+/g, "([^/]+)")}$`),
}));

// The route for a request. Better Auth answers an unknown path, and a known
// path with another method, with 404 and no body.
export function findRoute(method, path) {
	let route = byPath.get(path);
	const params = {};
	if (!route) {
		for (const candidate of withParams) {
			const m = candidate.pattern.exec(path);
			if (!m) continue;
			route = candidate.route;
			candidate.names.forEach((name, i) => void (params[name] = safeDecode(m[i + 1])));
			break;
		}
	}
	if (!route || route.method !== method) return { status: 404 };
	return { route, params };
}
