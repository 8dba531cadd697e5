// Client conformance: one scenario written with Better Auth's own client SDK
// (better-auth/client with the admin, organization and jwt plugin clients)
// runs twice, against a real Better Auth 1.7.25 server and against
// handler/, both on the same database. Every call's status, body (ids,
// dates, tokens and the run's tag normalised) and the cookies it set must be
// the same on both.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { createAuthClient } from "better-auth/client";
import { adminClient, jwtClient, multiSessionClient, organizationClient } from "better-auth/client/plugins";
import { startServers } from "./servers.mjs";

let servers;
let multi;
before(async () => void (servers = await startServers()));
after(async () => servers.close());

// A browser's cookie jar and Origin header, for one user of one server. Each
// response is recorded: status, body and the Set-Cookie headers.
function browser(baseURL, transcript) {
	const jar = new Map();
	let step = "";
	const customFetchImpl = async (input, init = {}) => {
		const headers = new Headers(init.headers);
		headers.set("origin", baseURL);
		if (jar.size) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
		const response = await fetch(input, { ...init, headers });
		const cookies = response.headers.getSetCookie();
		for (const c of cookies) {
			const [pair, ...attributes] = c.split("; ");
			const name = pair.slice(0, pair.indexOf("="));
			const value = pair.slice(pair.indexOf("=") + 1);
			if (attributes.includes("Max-Age=0")) jar.delete(name);
			else jar.set(name, value);
		}
		const text = await response.clone().text();
		transcript.push({
			step,
			path: new URL(input instanceof Request ? input.url : String(input)).pathname,
			status: response.status,
			body: text ? JSON.parse(text) : undefined,
			// A multiSession cookie's name holds its session's token.
			cookies: cookies.map((c) => c.replace(/^([^=;]*)=([^;]+)/, "$1=<value>").replace(/_multi-[a-z0-9]{32}=/, "_multi-<token>=")).sort(),
		});
		return response;
	};
	const client = createAuthClient({
		baseURL,
		plugins: [adminClient(), organizationClient({ teams: { enabled: true } }), jwtClient(), multiSessionClient()],
		fetchOptions: { customFetchImpl },
	});
	const cookieName = (name) => [...jar.keys()].find((k) => k.endsWith(`.${name}`)) ?? `better-auth.${name}`;
	return { client, jar, cookieName, at: (name) => void (step = name) };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

// Key order is meaningless (jsonb sorts keys); ids, dates and tokens differ
// by run; the run's tag is in every email, name and slug.
function normalise(value, tag, keyName) {
	if (Array.isArray(value)) return value.map((v) => normalise(v, tag));
	if (value && typeof value === "object") {
		return Object.fromEntries(Object.keys(value).sort().map((k) => [k, normalise(value[k], tag, k)]));
	}
	if (typeof value !== "string") return value;
	if (DATE.test(value)) return "<date>";
	// Better Auth records the x-forwarded-for header only (so "" here); the
	// handler's Node adapter records the socket's address, for the per-IP
	// rate limits. Both are addresses or empty.
	if (/^(\d+\.\d+\.\d+\.\d+)?$/.test(value) && keyName === "ipAddress") return "<ip>";
	if (/^[A-Za-z0-9]{32}$/.test(value)) return "<token>";
	if (/^[\w-]+\.[\w-]+\.[\w-]+$/.test(value) && value.length > 100) return "<jwt>";
	return value.replaceAll(tag, "<tag>").replace(UUID, "<uuid>");
}

// The scenario. `sql` runs as the database owner for what only an operator
// does (making the first admin).
async function scenario(baseURL, tag, sql, transcript) {
	const alice = browser(baseURL, transcript);
	const bob = browser(baseURL, transcript);
	const email = (who) => `${who}-${tag}@example.com`;
	const carol = browser(baseURL, transcript);
	const a = alice.client;
	const b = bob.client;
	const c = carol.client;

	alice.at("sign up");
	await a.signUp.email({ email: email("alice"), password: "alice-password-1", name: `Alice ${tag}` });
	alice.at("sign up again");
	await a.signUp.email({ email: email("alice"), password: "alice-password-1", name: "Alice" });
	alice.at("get session");
	const session = await a.getSession();
	alice.at("update user");
	await a.updateUser({ name: `Alice Liddell ${tag}` });
	alice.at("get session after update");
	await a.getSession();
	alice.at("sign out");
	await a.signOut();
	alice.at("get session signed out");
	await a.getSession();
	alice.at("wrong password");
	await a.signIn.email({ email: email("alice"), password: "wrong-password-1" });
	alice.at("sign in");
	await a.signIn.email({ email: email("alice"), password: "alice-password-1" });
	alice.at("sign in with a callback URL");
	await a.signIn.email({ email: email("alice"), password: "alice-password-1", callbackURL: "/dashboard" });
	alice.at("sign in, not remembered");
	await a.signIn.email({ email: email("alice"), password: "alice-password-1", rememberMe: false });
	alice.at("list accounts");
	await a.listAccounts();
	alice.at("list sessions");
	const sessions = await a.listSessions();
	alice.at("revoke first session");
	await a.revokeSession({ token: sessions.data?.[0]?.token });
	alice.at("list sessions after revoke");
	await a.listSessions();
	alice.at("change password, wrong current");
	await a.changePassword({ currentPassword: "nope-nope-nope", newPassword: "alice-password-2" });
	alice.at("change password");
	await a.changePassword({ currentPassword: "alice-password-1", newPassword: "alice-password-2", revokeOtherSessions: true });
	alice.at("get session after password change");
	await a.getSession();
	alice.at("jwt");
	await a.token();
	alice.at("verify password");
	await a.$fetch("/verify-password", { method: "POST", body: { password: "alice-password-2" } });
	alice.at("verify wrong password");
	await a.$fetch("/verify-password", { method: "POST", body: { password: "alice-password-9" } });
	alice.at("update session");
	await a.$fetch("/update-session", { method: "POST", body: { activeOrganizationId: null } });
	alice.at("send verification email");
	await a.sendVerificationEmail({ email: email("alice"), callbackURL: "/verified" });
	alice.at("request password reset");
	await a.requestPasswordReset({ email: email("alice"), redirectTo: "/reset" });
	alice.at("request password reset, unknown email");
	await a.requestPasswordReset({ email: email("nobody"), redirectTo: "/reset" });
	alice.at("revoke other sessions");
	await a.revokeOtherSessions();

	bob.at("bob signs up");
	await b.signUp.email({ email: email("bob"), password: "bob-password-1", name: `Bob ${tag}` });

	alice.at("create organization");
	const org = await a.organization.create({ name: `Org ${tag}`, slug: `org-${tag}`, metadata: { plan: "pro", seats: 5 } });
	alice.at("check taken slug");
	await a.organization.checkSlug({ slug: `org-${tag}` });
	alice.at("check free slug");
	await a.organization.checkSlug({ slug: `free-${tag}` });
	alice.at("list organizations");
	await a.organization.list();
	alice.at("get organization by slug");
	await a.$fetch("/organization/get-organization", { query: { organizationSlug: `org-${tag}` } });
	alice.at("get full organization by slug");
	await a.organization.getFullOrganization({ query: { organizationSlug: `org-${tag}` } });
	alice.at("get full organization, unknown slug");
	await a.organization.getFullOrganization({ query: { organizationSlug: `none-${tag}` } });
	alice.at("list members by slug");
	await a.organization.listMembers({ query: { organizationSlug: `org-${tag}` } });
	alice.at("list members, unknown slug");
	await a.organization.listMembers({ query: { organizationSlug: `none-${tag}` } });
	alice.at("set active organization by slug");
	await a.organization.setActive({ organizationSlug: `org-${tag}` });
	alice.at("set active organization, unknown slug");
	await a.organization.setActive({ organizationSlug: `none-${tag}` });
	alice.at("get organization, active");
	await a.$fetch("/organization/get-organization");
	alice.at("get organization, unknown slug");
	await a.$fetch("/organization/get-organization", { query: { organizationSlug: `none-${tag}` } });
	// Another organization's id (one that does not exist): Better Auth's codes, nothing changed.
	const nowhere = "00000000-0000-4000-8000-000000000000";
	alice.at("unknown organization: get full organization");
	await a.organization.getFullOrganization({ query: { organizationId: nowhere } });
	alice.at("unknown organization: update");
	await a.organization.update({ data: { name: "Nowhere" }, organizationId: nowhere });
	alice.at("unknown organization: set active");
	await a.organization.setActive({ organizationId: nowhere });
	alice.at("unknown organization: list members");
	await a.organization.listMembers({ query: { organizationId: nowhere } });
	alice.at("unknown organization: invite");
	await a.organization.inviteMember({ email: email("nobody"), role: "member", organizationId: nowhere });
	alice.at("unknown organization: list invitations");
	await a.organization.listInvitations({ query: { organizationId: nowhere } });
	alice.at("unknown organization: list teams");
	await a.organization.listTeams({ query: { organizationId: nowhere } });
	alice.at("unknown organization: create team");
	await a.organization.createTeam({ name: "Nowhere", organizationId: nowhere });
	alice.at("unknown organization: leave");
	await a.organization.leave({ organizationId: nowhere });
	alice.at("unknown organization: delete");
	await a.organization.delete({ organizationId: nowhere });
	alice.at("set active organization again");
	await a.organization.setActive({ organizationId: org.data?.id });
	alice.at("get active member role");
	await a.$fetch("/organization/get-active-member-role");
	alice.at("invite bob");
	const orgId = org.data?.id;
	const invitation = await a.organization.inviteMember({ email: email("bob"), role: "member", organizationId: orgId });
	bob.at("bob accepts");
	await b.organization.acceptInvitation({ invitationId: invitation.data?.id });
	alice.at("list members");
	const members = await a.organization.listMembers({ query: { organizationId: orgId } });
	const bobMember = members.data?.members.find((m) => m.user.email === email("bob"));
	alice.at("make bob admin of the org");
	await a.organization.updateMemberRole({ memberId: bobMember?.id, role: "admin", organizationId: orgId });
	alice.at("create team");
	const team = await a.organization.createTeam({ name: `Team ${tag}`, organizationId: orgId });
	alice.at("list teams");
	const teams = await a.organization.listTeams({ query: { organizationId: orgId } });
	alice.at("list user teams");
	await a.$fetch("/organization/list-user-teams");
	alice.at("list members of a team she is not in");
	await a.$fetch("/organization/list-team-members", { query: { teamId: team.data?.id } });
	alice.at("add herself to the team");
	await a.organization.addTeamMember({ teamId: team.data?.id, userId: session.data?.user.id });
	alice.at("list team members");
	await a.$fetch("/organization/list-team-members", { query: { teamId: team.data?.id } });
	alice.at("list user teams, by organization");
	await a.$fetch("/organization/list-user-teams", { query: { organizationId: orgId } });
	bob.at("bob's role, and alice's");
	await b.$fetch("/organization/get-active-member-role", { query: { organizationId: orgId } });
	await b.$fetch("/organization/get-active-member-role", { query: { organizationId: orgId, userId: session.data?.user.id } });
	await sql(`INSERT INTO neon_auth."organizationRole" ("organizationId", role, permission) VALUES ($1, 'auditor', '{"member": ["read"]}')`, [orgId]);
	alice.at("get role");
	await a.$fetch("/organization/get-role", { query: { roleName: "auditor", organizationId: orgId } });
	alice.at("get unknown role");
	await a.$fetch("/organization/get-role", { query: { roleName: "nobody", organizationId: orgId } });
	alice.at("create role");
	await a.organization.createRole({ role: "reviewer", permission: { member: ["create"] }, organizationId: orgId });
	alice.at("update role");
	await a.organization.updateRole({ roleName: "reviewer", data: { permission: { member: ["create"], invitation: ["create"] } }, organizationId: orgId });
	alice.at("delete role");
	await a.organization.deleteRole({ roleName: "reviewer", organizationId: orgId });
	alice.at("list roles");
	await a.organization.listRoles({ query: { organizationId: orgId } });
	alice.at("has permission");
	await a.organization.hasPermission({ permissions: { member: ["update"] }, organizationId: orgId });
	alice.at("update organization");
	await a.organization.update({ data: { name: `Org renamed ${tag}` }, organizationId: orgId });
	alice.at("update organization metadata");
	await a.organization.update({ data: { metadata: { plan: "team" } }, organizationId: orgId });
	alice.at("list organizations after update");
	await a.organization.list();
	alice.at("get full organization after update");
	await a.organization.getFullOrganization({ query: { organizationId: orgId } });
	alice.at("update team");
	await a.organization.updateTeam({ teamId: team.data?.id, data: { name: `Team renamed ${tag}` } });
	alice.at("update team, nothing given");
	await a.organization.updateTeam({ teamId: team.data?.id, data: {} });
	alice.at("set active team");
	await a.organization.setActiveTeam({ teamId: team.data?.id });
	alice.at("remove her active team");
	await a.organization.removeTeam({ teamId: team.data?.id, organizationId: orgId });
	alice.at("unset active team");
	await a.organization.setActiveTeam({ teamId: null });
	alice.at("remove herself from the team");
	await a.organization.removeTeamMember({ teamId: team.data?.id, userId: session.data?.user.id });
	alice.at("remove team");
	await a.organization.removeTeam({ teamId: team.data?.id, organizationId: orgId });
	carol.at("carol signs up");
	await c.signUp.email({ email: email("carol"), password: "carol-password-1", name: `Carol ${tag}` });
	await sql(`UPDATE neon_auth."user" SET "emailVerified" = true WHERE email = $1`, [email("carol")]);
	alice.at("invite carol");
	const carolInvitation = await a.organization.inviteMember({ email: email("carol"), role: "member", organizationId: orgId, teamId: teams.data?.[0]?.id });
	carol.at("carol gets the invitation");
	await c.organization.getInvitation({ query: { id: carolInvitation.data?.id } });
	carol.at("carol's invitations");
	await c.organization.listUserInvitations();
	carol.at("carol rejects");
	await c.organization.rejectInvitation({ invitationId: carolInvitation.data?.id });
	alice.at("invite carol again");
	const again = await a.organization.inviteMember({ email: email("carol"), role: "member", organizationId: orgId });
	alice.at("list invitations");
	await a.organization.listInvitations({ query: { organizationId: orgId } });
	alice.at("cancel the invitation");
	await a.organization.cancelInvitation({ invitationId: again.data?.id });
	alice.at("invite carol a third time");
	const third = await a.organization.inviteMember({ email: email("carol"), role: "member", organizationId: orgId });
	carol.at("carol accepts");
	await c.organization.acceptInvitation({ invitationId: third.data?.id });
	carol.at("carol leaves");
	await c.organization.leave({ organizationId: orgId });
	bob.at("bob's active member");
	await b.organization.setActive({ organizationId: orgId });
	await b.organization.getActiveMember();
	alice.at("remove bob");
	await a.organization.removeMember({ memberIdOrEmail: email("bob"), organizationId: orgId });
	bob.at("bob cannot delete the organization");
	await b.organization.delete({ organizationId: orgId });
	alice.at("delete organization");
	await a.organization.delete({ organizationId: orgId });

	await sql(`UPDATE neon_auth."user" SET role = 'admin' WHERE email = $1`, [email("alice")]);
	const bobId = (await sql(`SELECT id FROM neon_auth."user" WHERE email = $1`, [email("bob")])).id;
	alice.at("admin: list users");
	await a.admin.listUsers({ query: { searchValue: `bob-${tag}`, searchField: "email" } });
	alice.at("admin: get bob");
	await a.admin.getUser({ query: { id: bobId } });
	alice.at("admin: has permission");
	await a.admin.hasPermission({ permissions: { user: ["ban"], session: ["revoke"] } });
	bob.at("bob: has permission");
	await b.admin.hasPermission({ permissions: { user: ["ban"] } });
	bob.at("bob cannot get alice");
	await b.admin.getUser({ query: { id: session.data?.user.id } });
	alice.at("admin: ban bob");
	await a.admin.banUser({ userId: bobId, banReason: "spam" });
	// A new browser: Better Auth answers a sign-in that carries the cookie of
	// a revoked session by expiring the new session's cookie in the same
	// response (a quirk the handler does not copy).
	const bob2 = browser(baseURL, transcript);
	bob2.at("banned bob signs in");
	await bob2.client.signIn.email({ email: email("bob"), password: "bob-password-1" });
	alice.at("admin: unban bob");
	await a.admin.unbanUser({ userId: bobId });
	bob2.at("bob signs in again");
	await bob2.client.signIn.email({ email: email("bob"), password: "bob-password-1" });
	alice.at("admin: list bob's sessions");
	const bobSessions = await a.admin.listUserSessions({ userId: bobId });
	alice.at("admin: revoke one of bob's sessions");
	await a.admin.revokeUserSession({ sessionToken: bobSessions.data?.sessions?.[0]?.token });
	alice.at("admin: revoke an unknown session");
	await a.admin.revokeUserSession({ sessionToken: "y".repeat(32) });
	alice.at("admin: revoke bob's sessions");
	await a.admin.revokeUserSessions({ userId: bobId });
	bob2.at("bob's session is gone");
	await bob2.client.getSession();
	alice.at("admin: set bob's password");
	await a.admin.setUserPassword({ userId: bobId, newPassword: "bob-password-2" });
	alice.at("admin: create user");
	const dave = await a.admin.createUser({ email: email("dave"), password: "dave-password-1", name: `Dave ${tag}`, role: "user" });
	alice.at("admin: update user");
	await a.admin.updateUser({ userId: dave.data?.user.id, data: { name: `David ${tag}` } });
	alice.at("admin: update user's email and role");
	await a.admin.updateUser({ userId: dave.data?.user.id, data: { email: email("david"), emailVerified: true, role: "user" } });
	alice.at("admin: update user's password, refused");
	await a.admin.updateUser({ userId: dave.data?.user.id, data: { password: "nope-nope-1" } });
	alice.at("admin: update nothing");
	await a.admin.updateUser({ userId: dave.data?.user.id, data: {} });
	alice.at("admin: create user without a password");
	await a.admin.createUser({ email: email("erin"), name: `Erin ${tag}`, data: { image: "https://example.com/erin.png" } });
	alice.at("admin: set role");
	await a.admin.setRole({ userId: dave.data?.user.id, role: "user" });
	const daveBrowser = browser(baseURL, transcript);
	daveBrowser.at("dave signs in");
	await daveBrowser.client.signIn.email({ email: email("david"), password: "dave-password-1" });
	alice.at("admin: impersonate dave");
	await a.admin.impersonateUser({ userId: dave.data?.user.id });
	alice.at("admin: session while impersonating");
	await a.getSession();
	alice.at("admin: stop impersonating");
	await a.admin.stopImpersonating();
	alice.at("admin: session after impersonating");
	await a.getSession();
	daveBrowser.at("dave revokes his sessions");
	await daveBrowser.client.revokeSessions();
	alice.at("admin: remove bob");
	await a.admin.removeUser({ userId: bobId });
	carol.at("carol deletes her account");
	await c.deleteUser({ password: "carol-password-1" });
	const dana = browser(baseURL, transcript);
	dana.at("dana signs up");
	await dana.client.signUp.email({ email: email("dana"), password: "dana-password-1", name: `Dana ${tag}` });
	dana.at("change email to the same");
	await dana.client.changeEmail({ newEmail: email("dana") });
	dana.at("change email to a taken one");
	await dana.client.changeEmail({ newEmail: email("alice") });
	dana.at("change email");
	await dana.client.changeEmail({ newEmail: email("dana2"), callbackURL: "/changed" });
	dana.at("session after asking to change email");
	await dana.client.getSession();
	alice.at("sign out at the end");
	await a.signOut();
	alice.at("get session at the end");
	await a.getSession();
	assert.ok(session.data?.user, "the scenario's first session exists");
}

// multiSession: one browser signed in to two accounts, switching, signing
// in again, revoking and signing out.
async function multiSessionScenario(baseURL, tag, sql, transcript) {
	const device = browser(baseURL, transcript);
	const d = device.client;
	const email = (who) => `${who}-${tag}@example.com`;
	device.at("multi: first account");
	await d.signUp.email({ email: email("fay"), password: "fay-password-1", name: `Fay ${tag}` });
	device.at("multi: second account");
	await d.signUp.email({ email: email("gus"), password: "gus-password-1", name: `Gus ${tag}` });
	device.at("multi: list device sessions");
	const sessions = await d.multiSession.listDeviceSessions();
	const tokenOf = (who) => sessions.data?.find((s) => s.user.email === email(who))?.session.token;
	device.at("multi: set fay active");
	await d.multiSession.setActive({ sessionToken: tokenOf("fay") });
	device.at("multi: session after switching");
	await d.getSession();
	device.at("multi: set active, unknown token");
	await d.multiSession.setActive({ sessionToken: "x".repeat(32) });
	device.at("multi: fay signs in again");
	await d.signIn.email({ email: email("fay"), password: "fay-password-1" });
	device.at("multi: list after signing in again");
	const again = await d.multiSession.listDeviceSessions();
	device.at("multi: revoke gus");
	await d.multiSession.revoke({ sessionToken: tokenOf("gus") });
	device.at("multi: revoke unknown");
	await d.multiSession.revoke({ sessionToken: tokenOf("gus") });
	device.at("multi: a third account");
	await d.signUp.email({ email: email("hal"), password: "hal-password-1", name: `Hal ${tag}` });
	device.at("multi: revoke the active session");
	await d.multiSession.revoke({ sessionToken: (await d.getSession()).data?.session.token });
	device.at("multi: session after revoking the active one");
	await d.getSession();
	device.at("multi: list before signing out");
	await d.multiSession.listDeviceSessions();
	device.at("multi: sign out");
	await d.signOut();
	device.at("multi: list after signing out");
	await d.multiSession.listDeviceSessions();
	assert.ok(again.data?.length === 2, "both accounts listed");
}

// Better Auth's cookie cache: the session_data cookie set with each session
// cookie, left alone while valid, replaced when tampered with, short-lived
// for a session that is not remembered, and cleared at sign-out.
async function cookieCacheScenario(baseURL, tag, sql, transcript) {
	const user = browser(baseURL, transcript);
	const u = user.client;
	const email = `ivy-${tag}@example.com`;
	user.at("cache: sign up");
	await u.signUp.email({ email, password: "ivy-password-1", name: `Ivy ${tag}` });
	user.at("cache: get session, cached");
	await u.getSession();
	user.at("cache: update user");
	await u.updateUser({ name: `Ivy Updated ${tag}` });
	user.at("cache: get session after update");
	await u.getSession();
	user.jar.set(user.cookieName("session_data"), "tampered");
	user.at("cache: get session, tampered cache");
	await u.getSession();
	user.at("cache: get session, fresh cache");
	await u.getSession();
	user.at("cache: sign in, not remembered");
	await u.signIn.email({ email, password: "ivy-password-1", rememberMe: false });
	user.at("cache: get session, not remembered");
	await u.getSession();
	user.jar.delete(user.cookieName("session_data"));
	user.at("cache: get session, not remembered, no cache");
	await u.getSession();
	user.at("cache: sign out");
	await u.signOut();
	user.at("cache: get session, signed out");
	await u.getSession();
}

// Runs the scenario against one server; the normalised transcript is kept in
// the suite's output folder (HTTP_OUT), for a look at a failure.
async function transcriptOf(name, baseURL, tag, sql, steps = scenario) {
	const transcript = [];
	try {
		await steps(baseURL, tag, sql, transcript);
	} finally {
		const normalised = transcript.map((entry) => normalise(entry, tag));
		if (process.env.HTTP_OUT) {
			mkdirSync(process.env.HTTP_OUT, { recursive: true });
			writeFileSync(`${process.env.HTTP_OUT}/conformance-${name}.json`, JSON.stringify(normalised, null, 1));
		}
		transcript.splice(0, Infinity, ...normalised);
	}
	return transcript;
}

// The two transcripts of one scenario, request by request.
async function compare(servers, steps, name) {
	const sql = async (text, params) => (await servers.pool.query(text, params)).rows[0];
	const stamp = Date.now().toString(36);
	const fromBetterAuth = await transcriptOf(`better-auth${name}`, servers.ba.url, `ba${stamp}`, sql, steps);
	const fromHandler = await transcriptOf(`handler${name}`, servers.neon.url, `na${stamp}`, sql, steps);
	assert.equal(fromHandler.length, fromBetterAuth.length, "the same number of requests");
	const differences = [];
	for (let i = 0; i < fromBetterAuth.length; i++) {
		try {
			assert.deepEqual(fromHandler[i], fromBetterAuth[i]);
		} catch (err) {
			differences.push(`request ${i + 1}: ${fromBetterAuth[i].step} (${fromBetterAuth[i].path})\n${err.message}`);
		}
	}
	assert.equal(differences.length, 0, differences.join("\n\n"));
	return fromHandler.length;
}

test("Better Auth's client SDK gets the same answers from handler/ as from Better Auth", async () => {
	assert.ok(await compare(servers, scenario, "") > 40, "the whole scenario ran");
});

// multiSession changes every sign-in (a device cookie; signing in again ends
// the same user's older session), so it has its own pair of servers:
// Better Auth with multiSession(), neon_auth with config.multi_session.
test("multiSession: the same answers and device cookies from handler/ as from Better Auth", async () => {
	multi = await startServers({ multiSession: true });
	try {
		assert.ok(await compare(multi, multiSessionScenario, "-multi-session") >= 15, "the whole scenario ran");
	} finally {
		await multi.pool.query("SELECT neon_auth.configure('{\"multi_session\": false}')");
		await multi.close();
	}
});

// The cookie cache changes the cookies of every session answer, so it too
// has its own pair: Better Auth with session.cookieCache (maxAge 300),
// neon_auth with config.cookie_cache_max_age 300.
test("cookie cache: the same session_data cookies from handler/ as from Better Auth", async () => {
	const cached = await startServers({ cookieCache: 300 });
	try {
		assert.ok(await compare(cached, cookieCacheScenario, "-cookie-cache") >= 11, "the whole scenario ran");
	} finally {
		await cached.pool.query("SELECT neon_auth.configure('{\"cookie_cache_max_age\": 0}')");
		await cached.close();
	}
});
