// The plugins both sides implement, checked in both directions against a real
// Better Auth 1.7 server driven through its HTTP handler (auth.handler with a
// Request, Bearer tokens through the bearer plugin): organizations, members,
// roles and teams; the admin plugin's roles and bans; anonymous sign-in;
// usernames; and Better Auth's JWTs in neon_auth's RLS identity. Run by run.sh
// after better_auth.test.mjs, against the same throwaway database.
// Two-factor: a user who turned it on over Better Auth gets Better Auth's
// challenge from neon_auth.sign_in, finished over Better Auth.
import { createHmac } from "node:crypto";
import { betterAuth } from "better-auth";
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { auth, baseURL, mailbox, pool, one, run, unique, email, call, ba, baSignUp, sqlSignUp, neon, secret } from "./common.mjs";

after(() => pool.end());

// Better Auth lists a user's invitations only for a verified address.
const markVerified = (user) => pool.query(`UPDATE neon_auth."user" SET "emailVerified" = true WHERE id = $1`, [user.user.id]);

// Runs fn(q) in a transaction in which `credential` (session token, signed
// cookie value or JWT) is the request's identity: given to
// neon_auth.authenticate(), as an application server connected directly does.
async function asCaller(credential, fn) {
	const client = await pool.connect();
	try {
		await client.query("BEGIN");
		await client.query("SELECT neon_auth.authenticate($1)", [credential]);
		return await fn(async (sql, params) => (await client.query(`SELECT ${sql} AS j`, params)).rows[0].j);
	} finally {
		await client.query("ROLLBACK");
		client.release();
	}
}
// The same, with the per-request settings PostgREST makes for a request that
// carries `Authorization: Bearer <jwt>` (its first statement in the
// transaction; the role switch is left out, the test database has no
// `authenticated` role).
async function asPostgrest(jwt, claims, fn) {
	const client = await pool.connect();
	try {
		await client.query("BEGIN");
		await client.query(`SELECT set_config('request.jwt.claims', $1, true), set_config('request.method', 'GET', true),
			set_config('request.path', '/rpc/whoami', true), set_config('request.headers', $2, true),
			set_config('request.cookies', '{}', true)`,
			[JSON.stringify(claims), JSON.stringify({ authorization: `Bearer ${jwt}`, "user-agent": "interop" })]);
		return await fn(async (sql, params) => (await client.query(`SELECT ${sql} AS j`, params)).rows[0].j);
	} finally {
		await client.query("ROLLBACK");
		client.release();
	}
}
const sqlError = (code, detail) => (e) => e.code === code && e.detail === detail;
const ids = (rows) => rows.map((r) => r.id).sort();
const parsed = (metadata) => (typeof metadata === "string" ? JSON.parse(metadata) : metadata);

// ---------------------------------------------------------------------------
// Organizations

test("an organization created over Better Auth is read by neon_auth", async () => {
	const owner = await baSignUp("ba-org-owner");
	const slug = unique("ba-org");
	const created = await ba("POST", "/organization/create", { token: owner.token, body: { name: "BA Org", slug, metadata: { plan: "pro" } } });
	assert.equal(created.slug, slug);
	const theirs = await ba("GET", "/organization/get-full-organization", { token: owner.token, query: { organizationId: created.id } });
	const [defaultTeam] = theirs.teams;
	assert.ok(defaultTeam?.id, "Better Auth made the default team");

	const ours = await neon("neon_auth.get_full_organization($1::uuid, $2)", [created.id, owner.token]);
	for (const k of ["id", "name", "slug", "logo", "createdAt"]) assert.equal(ours[k], created[k], k);
	// As Better Auth answers get-full-organization: the stored JSON text.
	assert.equal(ours.metadata, theirs.metadata);
	assert.deepEqual(JSON.parse(ours.metadata), { plan: "pro" });
	assert.deepEqual(ours.members, theirs.members, "the same members, with the same ids, roles and users");
	assert.equal(ours.members[0].role, "owner");
	assert.equal(ours.members[0].user.email, owner.user.email);
	assert.deepEqual(ours.invitations, []);

	const baList = await ba("GET", "/organization/list", { token: owner.token });
	assert.deepEqual(ids(await neon("neon_auth.list_organizations($1)", [owner.token])), ids(baList));
	assert.deepEqual(ids(baList), [created.id]);

	const ourTeams = await neon("neon_auth.list_teams($1::uuid, $2)", [created.id, owner.token]);
	assert.deepEqual(ids(ourTeams), ids(await ba("GET", "/organization/list-teams", { token: owner.token, query: { organizationId: created.id } })));
	// list_teams leaves memberCount out, as Better Auth's list-teams; the column is kept for both sides.
	assert.equal((await one(`SELECT "memberCount" FROM neon_auth.team WHERE id = $1`, [ourTeams[0].id])).memberCount, 1);

	// Better Auth made the organization and its default team active in the session.
	const session = (await neon("neon_auth.get_session($1)", [owner.token])).session;
	assert.equal(session.activeOrganizationId, created.id);
	assert.equal(session.activeTeamId, defaultTeam.id);
	assert.equal((await neon("neon_auth.get_active_member($1)", [owner.token])).id, created.members[0].id);

	// The RLS helpers, with Better Auth's session as the request's credential.
	await asCaller(owner.token, async (q) => {
		assert.equal(await q("neon_auth.requesting_user_id()"), owner.user.id);
		assert.deepEqual(await q("neon_auth.organization_ids()"), [created.id]);
		assert.equal(await q("neon_auth.is_member($1::uuid)", [created.id]), true);
		assert.equal(await q("neon_auth.member_role($1::uuid)", [created.id]), "owner");
		assert.equal(await q("neon_auth.active_organization_id()"), created.id);
		assert.equal(await q("neon_auth.has_permission($1::uuid, $2)", [created.id, { organization: ["delete"] }]), true);
		assert.equal(await q("neon_auth.has_permission($1::uuid, $2)", [created.id, { project: ["delete"] }]), false);
	});
	// Someone else is no member.
	const stranger = await sqlSignUp("ba-org-stranger");
	await asCaller(stranger.token, async (q) => {
		assert.deepEqual(await q("neon_auth.organization_ids()"), []);
		assert.equal(await q("neon_auth.is_member($1::uuid)", [created.id]), false);
		assert.equal(await q("neon_auth.member_role($1::uuid)", [created.id]), null);
	});
	await assert.rejects(neon("neon_auth.get_full_organization($1::uuid, $2)", [created.id, stranger.token]),
		sqlError("42501", "USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION"));
});

test("an organization created by neon_auth is read over Better Auth", async () => {
	const owner = await sqlSignUp("sql-org-owner");
	const slug = unique("sql-org");
	const created = await neon("neon_auth.create_organization($1, $2, metadata => $3, session_token => $4)",
		["SQL Org", slug, { tier: 2, tags: ["a"] }, owner.token]);
	const ourFull = await neon("neon_auth.get_full_organization($1::uuid, $2)", [created.id, owner.token]);
	const ourTeams = await neon("neon_auth.list_teams($1::uuid, $2)", [created.id, owner.token]);
	assert.equal(ourTeams.length, 1, "neon_auth made the default team");

	const theirs = await ba("GET", "/organization/get-full-organization", { token: owner.token, query: { organizationId: created.id } });
	for (const k of ["id", "name", "slug", "logo", "createdAt"]) assert.equal(theirs[k], created[k], k);
	assert.deepEqual(parsed(theirs.metadata), { tier: 2, tags: ["a"] });
	assert.deepEqual(theirs.members, ourFull.members);
	assert.deepEqual(theirs.invitations, []);
	assert.deepEqual(ids(theirs.teams), ids(ourTeams));
	assert.equal(theirs.teams[0].name, "SQL Org");
	assert.equal(theirs.teams[0].memberCount, 1);

	// The active organization neon_auth set, and the rest of the owner's view.
	const active = await ba("GET", "/organization/get-full-organization", { token: owner.token });
	assert.equal(active?.id, created.id, "Better Auth sees the active organization neon_auth set");
	assert.deepEqual(ids(await ba("GET", "/organization/list", { token: owner.token })), [created.id]);
	const members = await ba("GET", "/organization/list-members", { token: owner.token, query: { organizationId: created.id } });
	assert.equal(members.total, 1);
	assert.equal(members.members[0].id, created.members[0].id);
	assert.equal(members.members[0].role, "owner");
	assert.equal(members.members[0].user.email, owner.user.email);
	const activeMember = await ba("GET", "/organization/get-active-member", { token: owner.token });
	assert.equal(activeMember.id, created.members[0].id);
	assert.equal(activeMember.role, "owner");
	assert.deepEqual(await ba("POST", "/organization/has-permission", { token: owner.token, body: { organizationId: created.id, permissions: { organization: ["delete"] } } }),
		{ error: null, success: true });
	const teamMembers = await ba("GET", "/organization/list-team-members", { token: owner.token, query: { teamId: ourTeams[0].id } });
	assert.deepEqual(teamMembers.map((m) => m.userId), [owner.user.id], "the team membership neon_auth wrote");

	// A slug taken on one side is taken on the other.
	assert.equal((await call("POST", "/organization/check-slug", { token: owner.token, body: { slug } })).json?.code, "ORGANIZATION_SLUG_ALREADY_TAKEN");
});

test("neon_auth.create_organization makes the default team active, as Better Auth's /organization/create does", async () => {
	// Better Auth 1.7.25 (crud-org: setActiveTeam after setActiveOrganization)
	// sets session.activeTeamId to the team it creates with the organization;
	// the first test checks that on a Better Auth-made organization.
	const owner = await sqlSignUp("sql-team-owner");
	const created = await neon("neon_auth.create_organization($1, $2, session_token => $3)", ["Team Org", unique("team-org"), owner.token]);
	const [team] = await neon("neon_auth.list_teams($1::uuid, $2)", [created.id, owner.token]);
	const ours = (await neon("neon_auth.get_session($1)", [owner.token])).session;
	assert.equal(ours.activeOrganizationId, created.id);
	assert.equal(ours.activeTeamId, team.id, "the first team is active, as Better Auth makes it");
});

test("neon_auth.get_full_organization returns the teams Better Auth's get-full-organization returns", async () => {
	// With teams enabled, Better Auth 1.7.25 answers get-full-organization with
	// {...organization, members, invitations, teams}.
	const owner = await baSignUp("full-org-owner");
	const created = await ba("POST", "/organization/create", { token: owner.token, body: { name: "Full Org", slug: unique("full-org") } });
	const theirs = await ba("GET", "/organization/get-full-organization", { token: owner.token, query: { organizationId: created.id } });
	const ours = await neon("neon_auth.get_full_organization($1::uuid, $2)", [created.id, owner.token]);
	assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort());
	assert.deepEqual(ours.teams, theirs.teams);
});

test("neon_auth.list_user_invitations refuses an unverified address, as Better Auth's list-user-invitations does", async () => {
	// Better Auth 1.7.25 answers list-user-invitations for a session whose
	// email is not verified with 403 EMAIL_VERIFICATION_REQUIRED_FOR_INVITATION,
	// so that an address someone signed up with but does not own shows no invitations.
	const owner = await baSignUp("uv-ba-owner");
	const org = await ba("POST", "/organization/create", { token: owner.token, body: { name: "Unverified", slug: unique("unverified") } });
	const invitee = await sqlSignUp("uv-sql-invitee");
	await ba("POST", "/organization/invite-member", { token: owner.token, body: { email: invitee.user.email, role: "member", organizationId: org.id } });
	const theirs = await call("GET", "/organization/list-user-invitations", { token: invitee.token });
	assert.equal(theirs.status, 403);
	assert.equal(theirs.json.code, "EMAIL_VERIFICATION_REQUIRED_FOR_INVITATION");
	await assert.rejects(neon("neon_auth.list_user_invitations($1)", [invitee.token]),
		(e) => e.detail === "EMAIL_VERIFICATION_REQUIRED_FOR_INVITATION",
		"neon_auth refuses an unverified address too");
});

// Members, invitations and roles: an owner and an organization on each side.
const m = {};

test("a Better Auth invitation is accepted in neon_auth, with its role seen on both sides", async () => {
	m.baOwner = await baSignUp("m-ba-owner");
	m.baOrg = await ba("POST", "/organization/create", { token: m.baOwner.token, body: { name: "BA Members", slug: unique("ba-members") } });
	m.sqlUser = await sqlSignUp("m-sql-user");
	await markVerified(m.sqlUser);

	const inv = await ba("POST", "/organization/invite-member", { token: m.baOwner.token, body: { email: m.sqlUser.user.email, role: "admin", organizationId: m.baOrg.id } });
	assert.equal(inv.status, "pending");
	const listed = await neon("neon_auth.list_user_invitations($1)", [m.sqlUser.token]);
	assert.deepEqual(listed.map((i) => [i.id, i.role, i.organizationId, i.organizationName]), [[inv.id, "admin", m.baOrg.id, "BA Members"]]);
	assert.deepEqual(listed, await ba("GET", "/organization/list-user-invitations", { token: m.sqlUser.token }));
	const ourInv = await neon("neon_auth.get_invitation($1::uuid, $2)", [inv.id, m.sqlUser.token]);
	const theirInv = await ba("GET", "/organization/get-invitation", { token: m.sqlUser.token, query: { id: inv.id } });
	assert.deepEqual(ourInv, theirInv, "get_invitation and Better Auth's get-invitation agree on a Better Auth invitation");

	const accepted = await neon("neon_auth.accept_invitation($1::uuid, $2)", [inv.id, m.sqlUser.token]);
	assert.equal(accepted.invitation.status, "accepted");
	assert.equal(accepted.member.role, "admin");
	m.sqlMemberId = accepted.member.id;

	const members = await ba("GET", "/organization/list-members", { token: m.baOwner.token, query: { organizationId: m.baOrg.id } });
	assert.equal(members.total, 2);
	const seen = members.members.find((x) => x.userId === m.sqlUser.user.id);
	assert.equal(seen?.id, accepted.member.id);
	assert.equal(seen.role, "admin");
	const activeMember = await ba("GET", "/organization/get-active-member", { token: m.sqlUser.token });
	assert.equal(activeMember.organizationId, m.baOrg.id, "accept_invitation made the organization active");
	assert.equal(activeMember.role, "admin");
	const full = await ba("GET", "/organization/get-full-organization", { token: m.baOwner.token, query: { organizationId: m.baOrg.id } });
	assert.equal(full.invitations.find((i) => i.id === inv.id)?.status, "accepted");
	// Accepting twice fails on both sides.
	await assert.rejects(neon("neon_auth.accept_invitation($1::uuid, $2)", [inv.id, m.sqlUser.token]), sqlError("55000", "INVITATION_NOT_PENDING"));
	assert.equal((await call("POST", "/organization/accept-invitation", { token: m.sqlUser.token, body: { invitationId: inv.id } })).status, 400);
});

test("a neon_auth invitation is accepted over Better Auth, with its role seen on both sides", async () => {
	m.sqlOwner = await sqlSignUp("m-sql-owner");
	m.sqlOrg = await neon("neon_auth.create_organization($1, $2, session_token => $3)", ["SQL Members", unique("sql-members"), m.sqlOwner.token]);
	m.baUser = await baSignUp("m-ba-user");
	await markVerified(m.baUser);

	const inv = await neon("neon_auth.invite_member($1, $2, $3::uuid, session_token => $4)", [m.baUser.user.email, "member", m.sqlOrg.id, m.sqlOwner.token]);
	const listed = await ba("GET", "/organization/list-user-invitations", { token: m.baUser.token });
	assert.deepEqual(listed.map((i) => [i.id, i.role, i.organizationId]), [[inv.id, "member", m.sqlOrg.id]]);
	const theirInv = await ba("GET", "/organization/get-invitation", { token: m.baUser.token, query: { id: inv.id } });
	assert.deepEqual(theirInv, await neon("neon_auth.get_invitation($1::uuid, $2)", [inv.id, m.baUser.token]),
		"Better Auth's get-invitation and get_invitation agree on a neon_auth invitation");

	const accepted = await ba("POST", "/organization/accept-invitation", { token: m.baUser.token, body: { invitationId: inv.id } });
	assert.equal(accepted.member.role, "member");
	m.baMemberId = accepted.member.id;

	const ours = await neon("neon_auth.get_full_organization($1::uuid, $2)", [m.sqlOrg.id, m.sqlOwner.token]);
	const seen = ours.members.find((x) => x.userId === m.baUser.user.id);
	assert.equal(seen?.id, accepted.member.id);
	assert.equal(seen.role, "member");
	assert.equal(ours.invitations.find((i) => i.id === inv.id)?.status, "accepted");
	const theirs = await ba("GET", "/organization/get-full-organization", { token: m.sqlOwner.token, query: { organizationId: m.sqlOrg.id } });
	assert.deepEqual(ours.members, theirs.members);
	assert.deepEqual(ours.invitations, theirs.invitations);
	const ourMembers = await neon("neon_auth.list_members($1::uuid, session_token => $2)", [m.sqlOrg.id, m.baUser.token]);
	assert.equal(ourMembers.total, 2);
	assert.deepEqual(ourMembers, await ba("GET", "/organization/list-members", { token: m.baUser.token, query: { organizationId: m.sqlOrg.id } }));
	assert.equal((await neon("neon_auth.get_active_member($1)", [m.baUser.token])).organizationId, m.sqlOrg.id,
		"Better Auth made the organization active");
	await asCaller(m.baUser.token, async (q) => {
		assert.deepEqual(await q("neon_auth.organization_ids()"), [m.sqlOrg.id]);
		assert.equal(await q("neon_auth.member_role($1::uuid)", [m.sqlOrg.id]), "member");
		assert.equal(await q("neon_auth.has_permission($1::uuid, $2)", [m.sqlOrg.id, { member: ["delete"] }]), false);
	});
});

test("a role update on either side is seen on the other", async () => {
	// Better Auth demotes the neon_auth user it invited as admin.
	const perm = { member: ["delete"] };
	await asCaller(m.sqlUser.token, async (q) => assert.equal(await q("neon_auth.has_permission($1::uuid, $2)", [m.baOrg.id, perm]), true));
	const updated = await ba("POST", "/organization/update-member-role", { token: m.baOwner.token, body: { memberId: m.sqlMemberId, role: "member", organizationId: m.baOrg.id } });
	assert.equal(updated.role, "member");
	await asCaller(m.sqlUser.token, async (q) => {
		assert.equal(await q("neon_auth.member_role($1::uuid)", [m.baOrg.id]), "member");
		assert.equal(await q("neon_auth.has_permission($1::uuid, $2)", [m.baOrg.id, perm]), false);
	});
	await assert.rejects(neon("neon_auth.invite_member($1, 'member', $2::uuid, session_token => $3)", [email("m-nobody"), m.baOrg.id, m.sqlUser.token]),
		sqlError("42501", "YOU_ARE_NOT_ALLOWED_TO_INVITE_USERS_TO_THIS_ORGANIZATION"));

	// neon_auth promotes the Better Auth user it invited as member, to a role list.
	const hasPerm = (token) => ba("POST", "/organization/has-permission", { token, body: { organizationId: m.sqlOrg.id, permissions: perm } });
	assert.equal((await hasPerm(m.baUser.token)).success, false);
	const promoted = await neon("neon_auth.update_member_role($1::uuid, $2, $3::uuid, $4)", [m.baMemberId, "member,admin", m.sqlOrg.id, m.sqlOwner.token]);
	assert.equal(promoted.role, "member,admin");
	assert.equal((await ba("GET", "/organization/get-active-member", { token: m.baUser.token })).role, "member,admin");
	const listed = await ba("GET", "/organization/list-members", { token: m.baUser.token, query: { organizationId: m.sqlOrg.id } });
	assert.equal(listed.members.find((x) => x.id === m.baMemberId)?.role, "member,admin");
	assert.equal((await hasPerm(m.baUser.token)).success, true, "Better Auth grants admin's permissions for the role neon_auth set");
});

test("add_member and Better Auth's remove-member work on the other side's memberships", async () => {
	// neon_auth.add_member (owner-only function; acts with the Better Auth owner's session).
	const extra = await baSignUp("m-extra");
	const added = await neon("neon_auth.add_member($1::uuid, 'member', $2::uuid, $3)", [extra.user.id, m.baOrg.id, m.baOwner.token]);
	const listed = await ba("GET", "/organization/list-members", { token: m.baOwner.token, query: { organizationId: m.baOrg.id } });
	assert.equal(listed.members.find((x) => x.userId === extra.user.id)?.id, added.id);
	assert.deepEqual(ids(await ba("GET", "/organization/list", { token: extra.token })), [m.baOrg.id]);

	// Better Auth removes the member neon_auth accepted; neon_auth stops counting them.
	const removed = await ba("POST", "/organization/remove-member", { token: m.baOwner.token, body: { memberIdOrEmail: m.sqlUser.user.email, organizationId: m.baOrg.id } });
	assert.equal(removed.member.id, m.sqlMemberId);
	await asCaller(m.sqlUser.token, async (q) => {
		assert.deepEqual(await q("neon_auth.organization_ids()"), []);
		assert.equal(await q("neon_auth.is_member($1::uuid)", [m.baOrg.id]), false);
	});
	await assert.rejects(neon("neon_auth.get_full_organization($1::uuid, $2)", [m.baOrg.id, m.sqlUser.token]),
		sqlError("42501", "USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION"));

	// neon_auth removes the member Better Auth accepted; Better Auth stops counting them.
	await neon("neon_auth.remove_member($1, $2::uuid, $3)", [m.baUser.user.email, m.sqlOrg.id, m.sqlOwner.token]);
	assert.deepEqual(await ba("GET", "/organization/list", { token: m.baUser.token }), []);
	const r = await call("GET", "/organization/list-members", { token: m.baUser.token, query: { organizationId: m.sqlOrg.id } });
	assert.equal(r.status, 403, `Better Auth no longer counts the removed member: ${JSON.stringify(r.json)}`);
});

test("teams: made and joined on either side, seen on the other", async () => {
	const owner = await baSignUp("t-ba-owner");
	const org = await ba("POST", "/organization/create", { token: owner.token, body: { name: "Teams Org", slug: unique("teams-org") } });
	const member = await sqlSignUp("t-sql-member");
	await neon("neon_auth.add_member($1::uuid, 'member', $2::uuid, $3)", [member.user.id, org.id, owner.token]);

	// A Better Auth team with a Better Auth team member: neon_auth lists it and lets the member make it active.
	const baTeam = await ba("POST", "/organization/create-team", { token: owner.token, body: { name: "Rocketry", organizationId: org.id } });
	await ba("POST", "/organization/add-team-member", { token: owner.token, body: { teamId: baTeam.id, userId: member.user.id } });
	const ourTeams = await neon("neon_auth.list_teams($1::uuid, $2)", [org.id, member.token]);
	const ourBaTeam = ourTeams.find((t) => t.id === baTeam.id);
	assert.equal(ourBaTeam?.name, "Rocketry");
	assert.equal((await one(`SELECT "memberCount" FROM neon_auth.team WHERE id = $1`, [baTeam.id])).memberCount, 1,
		"the memberCount Better Auth keeps");
	const activeTeam = await neon("neon_auth.set_active_team($1::uuid, $2)", [baTeam.id, member.token]);
	assert.equal(activeTeam.id, baTeam.id);
	const baSession = await ba("GET", "/get-session", { token: member.token });
	assert.equal(baSession.session.activeTeamId, baTeam.id);
	assert.equal(baSession.session.activeOrganizationId, org.id);

	// A neon_auth team with a neon_auth team member: Better Auth lists its members and lets the member make it active.
	const sqlTeam = await neon("neon_auth.create_team($1, $2::uuid, $3)", ["Ops", org.id, owner.token]);
	const baMember = await baSignUp("t-ba-member");
	await neon("neon_auth.add_member($1::uuid, 'member', $2::uuid, $3)", [baMember.user.id, org.id, owner.token]);
	await neon("neon_auth.add_team_member($1::uuid, $2::uuid, $3)", [sqlTeam.id, baMember.user.id, owner.token]);
	const teamMembers = await ba("GET", "/organization/list-team-members", { token: baMember.token, query: { teamId: sqlTeam.id } });
	assert.deepEqual(teamMembers.map((x) => x.userId), [baMember.user.id]);
	assert.ok((await ba("GET", "/organization/list-user-teams", { token: baMember.token })).some((t) => t.id === sqlTeam.id));
	assert.equal((await ba("POST", "/organization/set-active", { token: baMember.token, body: { organizationId: org.id } })).id, org.id);
	assert.equal((await ba("POST", "/organization/set-active-team", { token: baMember.token, body: { teamId: sqlTeam.id } })).id, sqlTeam.id);
	assert.equal((await neon("neon_auth.get_session($1)", [baMember.token])).session.activeTeamId, sqlTeam.id);
	const baTeams = await ba("GET", "/organization/get-full-organization", { token: owner.token, query: { organizationId: org.id } });
	assert.equal(baTeams.teams.find((t) => t.id === sqlTeam.id)?.memberCount, 1, "the memberCount neon_auth keeps");
});

test("a Better Auth invitation to a team, accepted in neon_auth, adds the user to the team", async () => {
	// Better Auth 1.7.25's accept-invitation adds the user to the invitation's
	// teamId and makes that team the session's active team (checked first, with
	// an invitation accepted over Better Auth); neon_auth.accept_invitation
	// should do the same with a Better Auth invitation that names a team.
	const owner = await baSignUp("ti-ba-owner");
	const org = await ba("POST", "/organization/create", { token: owner.token, body: { name: "Team Invites", slug: unique("team-invites") } });
	const team = await ba("POST", "/organization/create-team", { token: owner.token, body: { name: "Blue", organizationId: org.id } });
	const invite = (user) => ba("POST", "/organization/invite-member", { token: owner.token, body: { email: user.user.email, role: "member", organizationId: org.id, teamId: team.id } });
	const teamMembers = async (token) => (await ba("GET", "/organization/list-team-members", { token, query: { teamId: team.id } })).map((x) => x.userId).sort();

	const baInvitee = await baSignUp("ti-ba-invitee");
	await ba("POST", "/organization/accept-invitation", { token: baInvitee.token, body: { invitationId: (await invite(baInvitee)).id } });
	assert.deepEqual(await teamMembers(baInvitee.token), [baInvitee.user.id], "Better Auth added its invitee to the team");
	assert.equal((await neon("neon_auth.get_session($1)", [baInvitee.token])).session.activeTeamId, team.id);

	const invitee = await sqlSignUp("ti-sql-invitee");
	const inv = await invite(invitee);
	assert.equal(inv.teamId, team.id);
	await neon("neon_auth.accept_invitation($1::uuid, $2)", [inv.id, invitee.token]);
	assert.deepEqual(await teamMembers(baInvitee.token), [baInvitee.user.id, invitee.user.id].sort(),
		"neon_auth.accept_invitation did not add the user to the invitation's team");
	assert.equal((await neon("neon_auth.get_session($1)", [invitee.token])).session.activeTeamId, team.id);
});

// ---------------------------------------------------------------------------
// Admin plugin. An admin is a user whose role is 'admin'.

async function makeAdmin(prefix) {
	const admin = await sqlSignUp(prefix);
	await pool.query(`UPDATE neon_auth."user" SET role = 'admin' WHERE id = $1`, [admin.user.id]);
	return admin;
}
const baSignIn = (user) => call("POST", "/sign-in/email", { body: { email: user.user.email, password: user.password } });

test("a Better Auth ban ends the user's neon_auth sessions and JWTs, and neon_auth.sign_in refuses with BANNED_USER", async () => {
	const admin = await makeAdmin("ban-admin");
	const victim = await baSignUp("ban-victim");
	const sqlSession = await neon("neon_auth.sign_in($1, $2)", [victim.user.email, victim.password]);
	const jwt = await neon("neon_auth.token($1)", [sqlSession.token]);
	const claims = await neon("neon_auth.verify_jwt($1)", [jwt]);
	assert.equal(await neon("neon_auth.verify_session($1)", [sqlSession.token]), victim.user.id);
	await asPostgrest(jwt, claims, async (q) => assert.equal(await q("neon_auth.requesting_user_id()"), victim.user.id));

	const banned = await ba("POST", "/admin/ban-user", { token: admin.token, body: { userId: victim.user.id, banReason: "spam" } });
	assert.equal(banned.user.banned, true);

	for (const t of [sqlSession.token, victim.token]) {
		assert.equal(await neon("neon_auth.verify_session($1)", [t]), null);
		assert.deepEqual(await neon("neon_auth.get_session($1)", [t]), null);
	}
	await asPostgrest(jwt, claims, async (q) => assert.equal(await q("neon_auth.requesting_user_id()"), null, "a JWT issued before the ban identifies nobody"));
	await assert.rejects(neon("neon_auth.sign_in($1, $2)", [victim.user.email, victim.password]), sqlError("28000", "BANNED_USER"));

	// Answered (HTTP mode), neon_auth gives Better Auth's status and body.
	const theirs = await baSignIn(victim);
	assert.equal(theirs.status, 403);
	assert.equal(theirs.json.code, "BANNED_USER");
	const client = await pool.connect();
	try {
		await client.query("BEGIN");
		await client.query("SET LOCAL neon_auth.json_errors = on");
		const ours = (await client.query("SELECT neon_auth.sign_in($1, $2) AS j, current_setting('response.status', true) AS status",
			[victim.user.email, victim.password])).rows[0];
		assert.deepEqual(ours.j, { code: theirs.json.code, message: theirs.json.message });
		assert.equal(Number(ours.status), theirs.status);
	} finally {
		await client.query("ROLLBACK");
		client.release();
	}

	// Better Auth lifts the ban; neon_auth lets the user in again.
	await ba("POST", "/admin/unban-user", { token: admin.token, body: { userId: victim.user.id } });
	const again = await neon("neon_auth.sign_in($1, $2)", [victim.user.email, victim.password]);
	assert.equal(await neon("neon_auth.verify_session($1)", [again.token]), victim.user.id);
});

test("neon_auth's set_role and ban_user are seen by Better Auth", async () => {
	const admin = await makeAdmin("sqlban-admin");
	const target = await baSignUp("sqlban-target");
	const getUser = async () => (await ba("GET", "/admin/get-user", { token: admin.token, query: { id: target.user.id } }));

	const { user: withRole } = await neon("neon_auth.set_role($1::uuid, $2, $3)", [target.user.id, "user,support", admin.token]);
	assert.equal(withRole.role, "user,support");
	assert.equal((await getUser()).role, "user,support");
	assert.equal((await ba("GET", "/get-session", { token: target.token })).user.role, "user,support");

	const before = Date.now();
	const { user: banned } = await neon("neon_auth.ban_user($1::uuid, $2, $3, $4)", [target.user.id, "abuse", 3600, admin.token]);
	assert.equal(banned.banned, true);
	const seen = await getUser();
	assert.equal(seen.banned, true);
	assert.equal(seen.banReason, "abuse");
	const expires = new Date(seen.banExpires).getTime();
	assert.ok(expires >= before + 3599_000 && expires <= Date.now() + 3601_000, `banExpires ${seen.banExpires}`);
	assert.equal(await ba("GET", "/get-session", { token: target.token }), null, "neon_auth ended the Better Auth session");
	const refused = await baSignIn(target);
	assert.equal(refused.status, 403);
	assert.equal(refused.json.code, "BANNED_USER");

	await neon("neon_auth.unban_user($1::uuid, $2)", [target.user.id, admin.token]);
	const signedIn = await baSignIn(target);
	assert.equal(signedIn.status, 200);
	assert.equal(signedIn.json.user.id, target.user.id);
	assert.equal((await getUser()).banned, false);
});

test("a role Better Auth's admin plugin sets decides who is an admin in neon_auth, and the other way round", async () => {
	const admin = await makeAdmin("role-admin");
	const user = await sqlSignUp("role-user");
	const listUsers = (token) => neon("neon_auth.list_users(search_value => $1, session_token => $2)", [user.user.email, token]);
	await assert.rejects(listUsers(user.token), sqlError("42501", "YOU_ARE_NOT_ALLOWED_TO_LIST_USERS"));

	assert.equal((await ba("POST", "/admin/set-role", { token: admin.token, body: { userId: user.user.id, role: "admin" } })).user.role, "admin");
	assert.equal((await neon("neon_auth.get_session($1)", [user.token])).user.role, "admin");
	const listed = await listUsers(user.token);
	assert.deepEqual(listed.users.map((u) => u.id), [user.user.id], "neon_auth takes the role Better Auth set as admin");

	await ba("POST", "/admin/set-role", { token: admin.token, body: { userId: user.user.id, role: "user" } });
	await assert.rejects(listUsers(user.token), sqlError("42501", "YOU_ARE_NOT_ALLOWED_TO_LIST_USERS"));

	// An admin made by the database owner with neon_auth.set_role is an admin to Better Auth.
	const other = await sqlSignUp("role-other");
	assert.equal((await call("GET", "/admin/list-users", { token: other.token })).status, 403);
	await neon("neon_auth.set_role($1::uuid, 'admin')", [other.user.id]);
	const theirList = await ba("GET", "/admin/list-users", { token: other.token, query: { searchValue: user.user.email, searchField: "email" } });
	assert.deepEqual(theirList.users.map((u) => u.id), [user.user.id]);
});

// Better Auth's admin_session cookie: an impersonation started on either
// server is stopped on the other, back to the admin's own session.
test("an impersonation started by Better Auth stops in neon_auth, and one started by neon_auth stops in Better Auth", async () => {
	const admin = await makeAdmin("imp-admin");
	const target = await sqlSignUp("imp-target");
	// Better Auth -> neon_auth.
	const started = await call("POST", "/admin/impersonate-user", { token: admin.token, body: { userId: target.user.id } });
	assert.equal(started.status, 200, JSON.stringify(started.json));
	const adminCookie = started.headers.getSetCookie().map((c) => c.split(";")[0]).find((c) => c.startsWith("better-auth.admin_session="));
	assert.ok(adminCookie, "Better Auth set admin_session");
	const back = await neon("neon_auth.stop_impersonating($1, $2)", [started.json.session.token, decodeURIComponent(adminCookie.split("=")[1])]);
	assert.equal(back.session.token, admin.token);
	assert.equal(back.user.id, admin.user.id);
	assert.equal(await neon("neon_auth.verify_session($1)", [started.json.session.token]), null, "the impersonation session ended");
	// neon_auth -> Better Auth.
	const ours = await neon("neon_auth.impersonate_user($1::uuid, $2)", [target.user.id, admin.token]);
	const kept = await neon("neon_auth.admin_session_cookie($1)", [admin.token]);
	const stopped = await call("POST", "/admin/stop-impersonating", {
		token: ours.session.token, cookie: `better-auth.admin_session=${encodeURIComponent(kept.value)}`,
	});
	assert.equal(stopped.status, 200, JSON.stringify(stopped.json));
	assert.equal(stopped.json.session.token, admin.token);
	// A forged admin_session restores nothing.
	const again = await neon("neon_auth.impersonate_user($1::uuid, $2)", [target.user.id, admin.token]);
	await assert.rejects(neon("neon_auth.stop_impersonating($1, $2)", [again.session.token, `${admin.token}:.forged`]),
		sqlError("28000", "ADMIN_SESSION_NOT_FOUND"));
});

// ---------------------------------------------------------------------------
// Anonymous and username plugins

test("a Better Auth anonymous session verifies in neon_auth, with isAnonymous", async () => {
	const r = await call("POST", "/sign-in/anonymous", {});
	assert.equal(r.status, 200, JSON.stringify(r.json));
	const { token, user } = r.json;
	assert.equal(user.isAnonymous, true);
	assert.equal(await neon("neon_auth.verify_session($1)", [token]), user.id);
	assert.equal(await neon("neon_auth.verify_session($1)", [r.headers.get("set-auth-token")]), user.id, "the signed value from set-auth-token");

	const ours = await neon("neon_auth.get_session($1)", [token]);
	const theirs = await ba("GET", "/get-session", { token });
	assert.equal(ours.user.isAnonymous, true);
	assert.deepEqual(ours.user, theirs.user);
	assert.deepEqual(ours.session, theirs.session);

	const jwt = await neon("neon_auth.token($1)", [token]);
	const claims = await neon("neon_auth.verify_jwt($1)", [jwt]);
	assert.equal(claims.sub, user.id);
	assert.equal(claims.isAnonymous, true);
	await asCaller(token, async (q) => assert.equal(await q("neon_auth.requesting_user_id()"), user.id));
});

test("usernames set through Better Auth read the same in neon_auth.get_session", async () => {
	const name = `Rocket_Fan_${run}`;
	const signed = await baSignUp("uname", { username: name });
	assert.equal(signed.user.username, name.toLowerCase());
	assert.equal(signed.user.displayUsername, name);
	const check = async (token, username, displayUsername) => {
		const ours = (await neon("neon_auth.get_session($1)", [token])).user;
		const theirs = (await ba("GET", "/get-session", { token })).user;
		assert.deepEqual([ours.username, ours.displayUsername], [theirs.username, theirs.displayUsername]);
		assert.deepEqual([ours.username, ours.displayUsername], [username, displayUsername]);
		assert.deepEqual(ours, theirs);
	};
	await check(signed.token, name.toLowerCase(), name);

	// Changed with update-user, username and displayUsername separately (a new
	// username alone leaves displayUsername as it was).
	await ba("POST", "/update-user", { token: signed.token, body: { username: `Moon_${run}` } });
	await check(signed.token, `moon_${run}`, name);
	await ba("POST", "/update-user", { token: signed.token, body: { displayUsername: `The Moon ${run}` } });
	await check(signed.token, `moon_${run}`, `The Moon ${run}`);

	// A neon_auth user given a username signs in with it over Better Auth, with the password neon_auth hashed.
	const sqlUser = await sqlSignUp("uname-sql");
	await ba("POST", "/update-user", { token: sqlUser.token, body: { username: `Sql_${run}`, displayUsername: `Sql_${run}` } });
	const viaUsername = await ba("POST", "/sign-in/username", { body: { username: `sql_${run}`, password: sqlUser.password } });
	assert.equal(viaUsername.user.id, sqlUser.user.id);
	await check(viaUsername.token, `sql_${run}`, `Sql_${run}`);
	assert.equal((await neon("neon_auth.sign_in($1, $2)", [sqlUser.user.email, sqlUser.password])).user.username, `sql_${run}`);
});

// ---------------------------------------------------------------------------
// JWTs from Better Auth's /token in neon_auth's RLS identity

test("a JWT from Better Auth's /token identifies its user in neon_auth, as PostgREST passes it", async () => {
	const user = await baSignUp("jwt-user");
	const org = await ba("POST", "/organization/create", { token: user.token, body: { name: "JWT Org", slug: unique("jwt-org") } });
	const res = await call("GET", "/token", { token: user.token });
	assert.equal(res.status, 200);
	const { token: jwt } = res.json;

	const claims = await neon("neon_auth.verify_jwt($1)", [jwt]);
	assert.equal(claims.sub, user.user.id);
	assert.equal(claims.email, user.user.email);
	assert.equal(claims.iss, baseURL);

	await asPostgrest(jwt, claims, async (q) => {
		assert.equal(await q("neon_auth.requesting_user_id()"), user.user.id);
		assert.equal((await q("neon_auth.jwt()")).sub, user.user.id);
		assert.deepEqual(await q("neon_auth.organization_ids()"), [org.id]);
		assert.equal(await q("neon_auth.member_role($1::uuid)", [org.id]), "owner");
		assert.equal(await q("neon_auth.has_permission($1::uuid, $2)", [org.id, { member: ["create"] }]), true);
	});
	await asCaller(jwt, async (q) => {
		assert.equal(await q("neon_auth.requesting_user_id()"), user.user.id, "through neon_auth.authenticate()");
		// Transaction-local, and readable by superusers only (the test pool's role is one).
		assert.equal(await q("current_setting('neon_auth.credential')"), jwt);
	});

	// A tampered Better Auth JWT identifies nobody.
	const i = jwt.length - 10;
	const tampered = jwt.slice(0, i) + (jwt[i] === "A" ? "B" : "A") + jwt.slice(i + 1);
	await asPostgrest(tampered, claims, async (q) => assert.equal(await q("neon_auth.requesting_user_id()"), null));
	// Signing the user out over Better Auth leaves the JWT valid until it expires (it is not tied to the session).
	await ba("POST", "/sign-out", { token: user.token });
	await asPostgrest(jwt, claims, async (q) => assert.equal(await q("neon_auth.requesting_user_id()"), user.user.id));
});

// RFC 6238 TOTP (SHA-1, 6 digits, 30 s), Better Auth's defaults, from the
// base32 secret in the otpauth:// URI Better Auth hands out.
function totp(uri, at = Date.now()) {
	const b32 = new URL(uri).searchParams.get("secret").replace(/=+$/, "").toUpperCase();
	let bits = "";
	for (const c of b32) bits += "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".indexOf(c).toString(2).padStart(5, "0");
	const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
	const counter = Buffer.alloc(8);
	counter.writeBigUInt64BE(BigInt(Math.floor(at / 30000)));
	const h = createHmac("sha1", key).update(counter).digest();
	const o = h[h.length - 1] & 15;
	return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, "0");
}

test("username: users made on either side sign in by username on the other, with the same answers", async () => {
	const name = (prefix) => unique(prefix).replaceAll("-", "_");
	// Made by Better Auth, signed in by neon_auth.
	const baName = name("Ba_User");
	const baUser = await baSignUp("un-ba", { username: baName });
	assert.equal(baUser.user.username, baName.toLowerCase());
	assert.equal(baUser.user.displayUsername, baName);
	const ours = await neon("neon_auth.sign_in_username($1, $2)", [baName.toUpperCase(), baUser.password]);
	assert.equal(await neon("neon_auth.verify_session($1)", [ours.token]), baUser.user.id);
	const theirs = await ba("POST", "/sign-in/username", { body: { username: baName, password: baUser.password } });
	const comparable = (r) => ({ redirect: r.redirect, user: { ...r.user, createdAt: 0, updatedAt: 0 } });
	assert.deepEqual(comparable(ours), comparable(theirs), "the bodies agree field by field");

	// Made by neon_auth, signed in by Better Auth.
	const sqlName = name("Sql_User");
	const password = "sql-user-password-1";
	const made = await neon("neon_auth.sign_up($1, $2, 'Sql', username => $3)", [email("un-sql"), password, sqlName]);
	assert.equal(made.user.username, sqlName.toLowerCase());
	const overBa = await ba("POST", "/sign-in/username", { body: { username: sqlName, password } });
	assert.equal(overBa.user.id, made.user.id);
	assert.equal(overBa.user.displayUsername, sqlName);

	// Failures and availability answer alike.
	const baWrong = await call("POST", "/sign-in/username", { body: { username: sqlName, password: "wrong-password-1" } });
	assert.equal(baWrong.status, 401);
	assert.equal(baWrong.json.code, "INVALID_USERNAME_OR_PASSWORD");
	await assert.rejects(one("SELECT neon_auth.sign_in_username($1, $2)", [sqlName, "wrong-password-1"]),
		(e) => e.detail === baWrong.json.code);
	for (const candidate of [sqlName.toUpperCase(), name("free"), "ab", "bad-name", "x".repeat(31)]) {
		const r = await call("POST", "/is-username-available", { body: { username: candidate } });
		const mine = await one("SELECT neon_auth.is_username_available($1) AS j", [candidate])
			.then((row) => ({ status: 200, json: row.j }), (e) => ({ status: 422, json: { code: e.detail } }));
		assert.deepEqual({ status: mine.status, code: mine.json.code, available: mine.json.available },
			{ status: r.status, code: r.json.code, available: r.json.available }, candidate);
	}
	// A username taken on one side is taken on the other.
	const taken = await call("POST", "/sign-up/email", { body: { email: email("un-dup"), password, name: "Dup", username: sqlName } });
	assert.equal(taken.json.code, "USERNAME_IS_ALREADY_TAKEN");
	await assert.rejects(one("SELECT neon_auth.sign_up($1, $2, 'Dup', username => $3)", [email("un-dup2"), password, baName]),
		(e) => e.detail === "USERNAME_IS_ALREADY_TAKEN");
});

test("one-time tokens: made on either side, exchanged on the other, once", async () => {
	const u = await baSignUp("ott");
	// Better Auth makes one; neon_auth exchanges it for the same session.
	const { token: baToken } = await ba("GET", "/one-time-token/generate", { token: u.token });
	const ours = await neon("neon_auth.verify_one_time_token($1)", [baToken]);
	assert.equal(ours.session.token, u.token);
	const baAgain = await call("POST", "/one-time-token/verify", { body: { token: baToken } });
	assert.equal(baAgain.status, 400, "used up on the other side too");
	// neon_auth makes one; Better Auth exchanges it.
	const { token: ourToken } = await neon("neon_auth.generate_one_time_token($1)", [u.token]);
	const theirs = await ba("POST", "/one-time-token/verify", { body: { token: ourToken } });
	assert.equal(theirs.session.token, u.token);
	const strip = (r) => ({ session: { ...r.session, createdAt: 0, updatedAt: 0, expiresAt: 0 }, user: { ...r.user, createdAt: 0, updatedAt: 0 } });
	assert.deepEqual(Object.keys(strip(ours).session).sort(), Object.keys(strip(theirs).session).sort());
	assert.deepEqual(strip(ours).user, strip(theirs).user, "the same user object");
	await assert.rejects(neon("neon_auth.verify_one_time_token($1)", [ourToken]), (e) => e.detail === "INVALID_TOKEN",
		"Better Auth used it up");
});

test("anonymous users: made on either side, linked and removed when they sign up on the other", async () => {
	// Better Auth's anonymous user is a user neon_auth knows; signing up through neon_auth from its session removes it.
	const baAnon = await ba("POST", "/sign-in/anonymous", {});
	assert.equal(baAnon.user.isAnonymous, true);
	assert.equal(await neon("neon_auth.verify_session($1)", [baAnon.token]), baAnon.user.id);
	const client = await pool.connect();
	try {
		await client.query("BEGIN");
		await client.query("SELECT set_config('request.cookies', $1, true)",
			[JSON.stringify({ "better-auth.session_token": baAnon.token })]);
		await client.query("SELECT neon_auth.sign_up($1, 'anon-password-1', 'Anon')", [email("anon-sql")]);
		await client.query("COMMIT");
	} finally {
		client.release();
	}
	assert.equal((await one('SELECT count(*)::int AS n FROM neon_auth."user" WHERE id = $1', [baAnon.user.id])).n, 0);
	// neon_auth's anonymous user, in Better Auth's format, is linked by Better Auth's sign-up.
	const ours = await neon("neon_auth.sign_in_anonymous()");
	const theirs = await ba("POST", "/sign-in/anonymous", {});
	assert.match(ours.user.email, /^[a-z0-9]{32}@anonymous\.placeholder\.invalid$/);
	assert.deepEqual({ name: ours.user.name, isAnonymous: ours.user.isAnonymous, domain: ours.user.email.split("@")[1] },
		{ name: theirs.user.name, isAnonymous: theirs.user.isAnonymous, domain: theirs.user.email.split("@")[1] });
	const cookie = await neon("neon_auth.session_cookie($1)", [ours.token]);
	const res = await auth.handler(new Request(`${baseURL}/api/auth/sign-up/email`, { method: "POST",
		headers: { origin: baseURL, "content-type": "application/json", cookie: `better-auth.session_token=${encodeURIComponent(cookie)}` },
		body: JSON.stringify({ email: email("anon-ba"), password: "anon-password-1", name: "Anon" }) }));
	assert.equal(res.status, 200);
	assert.equal((await one('SELECT count(*)::int AS n FROM neon_auth."user" WHERE id = $1', [ours.user.id])).n, 0,
		"Better Auth removed neon_auth's anonymous user");
});

test("magic links: sent by either side, verified by the other, once", async () => {
	// Better Auth sends the link; neon_auth signs the user up with it.
	const address = email("ml-ba").toLowerCase();
	await ba("POST", "/sign-in/magic-link", { body: { email: address, name: "Mia" } });
	const ours = await neon("neon_auth.magic_link_verify($1)", [mailbox[`magic:${address}`]]);
	assert.equal(ours.user.email, address);
	assert.equal(ours.user.name, "Mia");
	assert.equal(ours.user.emailVerified, true);
	assert.equal(ours.isNewUser, true);
	const again = await call("GET", "/magic-link/verify", { query: { token: mailbox[`magic:${address}`] } });
	assert.notEqual(again.status, 200, "used up for Better Auth too");
	// neon_auth sends the link; Better Auth signs the same user in with it.
	await neon("neon_auth.sign_in_magic_link($1)", [address]);
	const { data } = await one("SELECT data FROM neon_auth.outbox WHERE kind = 'magic-link' AND recipient = $1 ORDER BY id DESC LIMIT 1", [address]);
	assert.equal(new URL(data.url).searchParams.get("token"), data.token);
	const theirs = await ba("GET", "/magic-link/verify", { query: { token: data.token } });
	assert.equal(theirs.user.id, ours.user.id);
	assert.equal(await neon("neon_auth.verify_session($1)", [theirs.token]), ours.user.id);
	await assert.rejects(neon("neon_auth.magic_link_verify($1)", [data.token]), (e) => e.detail === "INVALID_TOKEN");
});

test("codes by email: sent by either side, used on the other, with the same tries", async () => {
	const u = await baSignUp("eo");
	const address = u.user.email;
	// Better Auth sends a sign-in code; neon_auth signs in with it.
	await ba("POST", "/email-otp/send-verification-otp", { body: { email: address, type: "sign-in" } });
	const ours = await neon("neon_auth.sign_in_email_otp($1, $2)", [address, mailbox[`sign-in:${address}`]]);
	assert.equal(await neon("neon_auth.verify_session($1)", [ours.token]), u.user.id);
	// neon_auth sends one; a wrong try in neon_auth counts for Better Auth, which then signs in with the code.
	await neon("neon_auth.send_verification_otp($1, 'sign-in')", [address]);
	const { data } = await one("SELECT data FROM neon_auth.outbox WHERE kind = 'email-otp' AND recipient = $1 ORDER BY id DESC LIMIT 1", [address]);
	assert.equal((await neon("neon_auth.check_verification_otp($1, 'sign-in', '000000')", [address])).code, "INVALID_OTP");
	const row = await one("SELECT value FROM neon_auth.verification WHERE identifier = $1", [`sign-in-otp-${address}`]);
	assert.equal(row.value, `${data.otp}:1`, "one try counted, in Better Auth's format");
	const theirs = await ba("POST", "/sign-in/email-otp", { body: { email: address, otp: data.otp } });
	assert.equal(theirs.user.id, u.user.id);
	// Both sides refuse the used code the same way.
	const baAgain = await call("POST", "/sign-in/email-otp", { body: { email: address, otp: data.otp } });
	const oursAgain = await neon("neon_auth.sign_in_email_otp($1, $2)", [address, data.otp]);
	assert.deepEqual({ code: oursAgain.code, message: oursAgain.message }, baAgain.json);
	// A password reset code from Better Auth works in neon_auth.
	await ba("POST", "/email-otp/request-password-reset", { body: { email: address } });
	assert.deepEqual(await neon("neon_auth.reset_password_email_otp($1, $2, 'eo-password-2')", [address, mailbox[`forget-password:${address}`]]),
		{ success: true });
	assert.ok((await ba("POST", "/sign-in/email", { body: { email: address, password: "eo-password-2" } })).token);
});

test("phone numbers: codes sent by either side, used on the other, with the same tries", async () => {
	const u = await baSignUp("pn");
	const phone = `+1555${String(Date.now() % 1e7).padStart(7, "0")}`;
	// Better Auth texts a code to a new number; the signed-in user takes it in neon_auth.
	await ba("POST", "/phone-number/send-otp", { body: { phoneNumber: phone } });
	const taken = await neon("neon_auth.verify_phone_number($1, $2, false, true, $3)", [phone, mailbox[`sms:${phone}`], u.token]);
	assert.deepEqual({ phoneNumber: taken.user.phoneNumber, verified: taken.user.phoneNumberVerified }, { phoneNumber: phone, verified: true });
	// Better Auth signs in by that number and password.
	const baSignIn = await ba("POST", "/sign-in/phone-number", { body: { phoneNumber: phone, password: u.password } });
	assert.equal(baSignIn.user.id, u.user.id);
	// neon_auth texts one; a wrong try in neon_auth counts for Better Auth, which then signs in with the code.
	await neon("neon_auth.send_phone_number_otp($1)", [phone]);
	const { data } = await one("SELECT data FROM neon_auth.outbox WHERE kind = 'sms' AND recipient = $1 ORDER BY id DESC LIMIT 1", [phone]);
	assert.equal((await neon("neon_auth.verify_phone_number($1, '000000')", [phone])).code, "INVALID_OTP");
	const row = await one("SELECT value FROM neon_auth.verification WHERE identifier = $1", [`phone-number-otp-${phone}`]);
	assert.equal(row.value, `${data.code}:1`, "one try counted, in Better Auth's format");
	const theirs = await ba("POST", "/phone-number/verify", { body: { phoneNumber: phone, code: data.code } });
	assert.equal(theirs.user.id, u.user.id);
	// Both sides refuse the used code the same way, and a wrong password alike.
	const baAgain = await call("POST", "/phone-number/verify", { body: { phoneNumber: phone, code: data.code } });
	const oursAgain = await neon("neon_auth.verify_phone_number($1, $2)", [phone, data.code]);
	assert.deepEqual({ code: oursAgain.code, message: oursAgain.message }, baAgain.json);
	const baWrong = await call("POST", "/sign-in/phone-number", { body: { phoneNumber: phone, password: "wrong-password-1" } });
	await assert.rejects(neon("neon_auth.sign_in_phone_number($1, 'wrong-password-1')", [phone]),
		(e) => e.detail === baWrong.json.code);
	// A password reset code from Better Auth works in neon_auth, and one from neon_auth in Better Auth.
	await ba("POST", "/phone-number/request-password-reset", { body: { phoneNumber: phone } });
	assert.deepEqual(await neon("neon_auth.reset_password_phone_number($1, $2, 'pn-password-2')", [phone, mailbox[`sms-reset:${phone}`]]),
		{ status: true });
	await neon("neon_auth.request_password_reset_phone_number($1)", [phone]);
	const reset = await one("SELECT data FROM neon_auth.outbox WHERE kind = 'sms' AND recipient = $1 ORDER BY id DESC LIMIT 1", [phone]);
	await ba("POST", "/phone-number/reset-password", { body: { phoneNumber: phone, otp: reset.data.code, newPassword: "pn-password-3" } });
	assert.ok((await neon("neon_auth.sign_in_phone_number($1, 'pn-password-3')", [phone])).token);
});

// TOTP from the secret as stored: the key is the bytes of the decrypted
// secret string (what Better Auth's otpauth:// URI encodes in base32).
async function totpOfStored(userId, at = Date.now()) {
	const { s } = await one(`SELECT neon_auth._symmetric_decrypt((SELECT value FROM neon_auth.secret), secret) AS s
	                           FROM neon_auth."twoFactor" WHERE "userId" = $1`, [userId]);
	const b32 = [...Buffer.from(s)].map((b) => b.toString(2).padStart(8, "0")).join("").match(/.{1,5}/g)
		.map((c) => "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[parseInt(c.padEnd(5, "0"), 2)]).join("");
	return totp(`otpauth://totp/x?secret=${b32}`, at);
}
// A request to Better Auth's handler with cookies; answers status, body and the cookies it set.
async function baWithCookies(path, body, cookies = {}) {
	const cookie = Object.entries(cookies).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("; ");
	const res = await auth.handler(new Request(`${baseURL}/api/auth${path}`, { method: "POST",
		headers: { origin: baseURL, "content-type": "application/json", ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) }));
	const set = Object.fromEntries(res.headers.getSetCookie().map((c) => c.split(";")[0].split("="))
		.map(([k, v]) => [k, decodeURIComponent(v ?? "")]));
	return { status: res.status, body: await res.json().catch(() => null), cookies: set };
}
// neon_auth.sign_in with the request's cookies set, as PostgREST or the handler passes them.
async function sqlSignInWithCookies(u, cookies) {
	const client = await pool.connect();
	try {
		await client.query("BEGIN");
		await client.query("SELECT set_config('request.cookies', $1, true)", [JSON.stringify(cookies)]);
		const { rows } = await client.query("SELECT neon_auth.sign_in($1, $2) AS j", [u.user.email, u.password]);
		await client.query("COMMIT");
		return rows[0].j;
	} finally {
		client.release();
	}
}

test("two-factor enabled over Better Auth: neon_auth finishes sign-ins with a TOTP code and a backup code", async () => {
	const u = await baSignUp("tf-ba");
	const { backupCodes } = await ba("POST", "/two-factor/enable", { token: u.token, body: { password: u.password } });
	await ba("POST", "/two-factor/verify-totp", { token: u.token, body: { code: await totpOfStored(u.user.id) } });

	const challenge = (await neon("neon_auth.sign_in($1, $2)", [u.user.email, u.password])).twoFactorCookie;
	const signedIn = await neon("neon_auth.verify_totp($1, false, $2)", [await totpOfStored(u.user.id), challenge]);
	assert.equal(await neon("neon_auth.verify_session($1)", [signedIn.token]), u.user.id);

	const challenge2 = (await neon("neon_auth.sign_in($1, $2)", [u.user.email, u.password])).twoFactorCookie;
	const byBackup = await neon("neon_auth.verify_backup_code($1, false, false, $2)", [backupCodes[0], challenge2]);
	assert.equal(await neon("neon_auth.verify_session($1)", [byBackup.token]), u.user.id);
	// The code neon_auth used up is refused by Better Auth.
	const baChallenge = await baWithCookies("/sign-in/email", { email: u.user.email, password: u.password });
	const reuse = await baWithCookies("/two-factor/verify-backup-code", { code: backupCodes[0] },
		{ "better-auth.two_factor": baChallenge.cookies["better-auth.two_factor"] });
	assert.equal(reuse.status, 401);
	assert.equal(reuse.body.code, "INVALID_BACKUP_CODE");
	// An unused one works there, and is then refused by neon_auth.
	const baBackup = await baWithCookies("/two-factor/verify-backup-code", { code: backupCodes[1] },
		{ "better-auth.two_factor": baChallenge.cookies["better-auth.two_factor"] });
	assert.equal(baBackup.status, 200);
	const challenge3 = (await neon("neon_auth.sign_in($1, $2)", [u.user.email, u.password])).twoFactorCookie;
	// A wrong code is answered, not raised, so that its count commits.
	assert.equal((await neon("neon_auth.verify_backup_code($1, false, false, $2)", [backupCodes[1], challenge3])).code,
		"INVALID_BACKUP_CODE");
});

test("two-factor enabled in neon_auth: Better Auth finishes the sign-in with its code, and knows the used backup codes", async () => {
	const u = await sqlSignUp("tf-sql");
	const enabled = await neon("neon_auth.enable_two_factor($1, NULL, $2)", [u.password, u.token]);
	assert.equal((await neon("neon_auth.verify_totp($1, false, NULL, $2)", [totp(enabled.totpURI), u.token])).user.twoFactorEnabled, true);

	const baChallenge = await baWithCookies("/sign-in/email", { email: u.user.email, password: u.password });
	assert.deepEqual(baChallenge.body, { twoFactorRedirect: true, twoFactorMethods: ["totp", "otp"] });
	const finished = await baWithCookies("/two-factor/verify-totp", { code: totp(enabled.totpURI) },
		{ "better-auth.two_factor": baChallenge.cookies["better-auth.two_factor"] });
	assert.equal(finished.status, 200);
	assert.equal(await neon("neon_auth.verify_session($1)", [finished.body.token]), u.user.id);

	await neon("neon_auth.verify_backup_code($1, true, false, NULL, $2)", [enabled.backupCodes[0], u.token]);
	const again = await baWithCookies("/sign-in/email", { email: u.user.email, password: u.password });
	const used = await baWithCookies("/two-factor/verify-backup-code", { code: enabled.backupCodes[0] },
		{ "better-auth.two_factor": again.cookies["better-auth.two_factor"] });
	assert.equal(used.body.code, "INVALID_BACKUP_CODE");
	// Better Auth's get-totp-uri reads the secret neon_auth stored.
	const uri = await ba("POST", "/two-factor/get-totp-uri", { token: finished.body.token, body: { password: u.password } });
	assert.equal(new URL(uri.totpURI).searchParams.get("secret"), new URL(enabled.totpURI).searchParams.get("secret"));
});

test("two-factor: a trusted device made on one side skips the challenge on the other", async () => {
	const u = await baSignUp("tf-trust");
	await ba("POST", "/two-factor/enable", { token: u.token, body: { password: u.password } });
	await ba("POST", "/two-factor/verify-totp", { token: u.token, body: { code: await totpOfStored(u.user.id) } });

	// Trusted over Better Auth, honoured by neon_auth (which renews the cookie).
	const baChallenge = await baWithCookies("/sign-in/email", { email: u.user.email, password: u.password });
	const baTrusted = await baWithCookies("/two-factor/verify-totp", { code: await totpOfStored(u.user.id), trustDevice: true },
		{ "better-auth.two_factor": baChallenge.cookies["better-auth.two_factor"] });
	const baCookie = baTrusted.cookies["better-auth.trust_device"];
	assert.ok(baCookie, "Better Auth set the trust_device cookie");
	const ours = await sqlSignInWithCookies(u, { "better-auth.trust_device": baCookie });
	assert.ok(ours.token, "no challenge for a device Better Auth trusts");
	assert.equal(await neon("neon_auth.verify_session($1)", [ours.token]), u.user.id);

	// Trusted in neon_auth, honoured by Better Auth.
	const challenge = (await neon("neon_auth.sign_in($1, $2)", [u.user.email, u.password])).twoFactorCookie;
	const trusted = await neon("neon_auth.verify_totp($1, true, $2)", [await totpOfStored(u.user.id), challenge]);
	const theirs = await baWithCookies("/sign-in/email", { email: u.user.email, password: u.password },
		{ "better-auth.trust_device": trusted.trustDeviceCookie });
	assert.equal(theirs.status, 200);
	assert.ok(theirs.body.token, "no challenge for a device neon_auth trusts");
	assert.equal(theirs.body.twoFactorRedirect, undefined);
});

test("two-factor: neon_auth.sign_in gives Better Auth's challenge, finished over Better Auth's verify-totp", async () => {
	const u = await baSignUp("tfa");
	const { totpURI } = await ba("POST", "/two-factor/enable", { token: u.token, body: { password: u.password } });
	await ba("POST", "/two-factor/verify-totp", { token: u.token, body: { code: totp(totpURI) } });
	assert.equal((await one('SELECT "twoFactorEnabled" AS e FROM neon_auth."user" WHERE id = $1', [u.user.id])).e, true);

	const sessions = async () => Number((await one('SELECT count(*) AS n FROM neon_auth.session WHERE "userId" = $1', [u.user.id])).n);
	const before = await sessions();
	const ours = await neon("neon_auth.sign_in($1, $2)", [u.user.email, u.password]);
	assert.equal(await sessions(), before, "the password alone makes no session");
	assert.equal(ours.token, undefined);
	const theirs = await ba("POST", "/sign-in/email", { body: { email: u.user.email, password: u.password } });
	assert.deepEqual({ twoFactorRedirect: ours.twoFactorRedirect, twoFactorMethods: ours.twoFactorMethods }, theirs);
	await assert.rejects(one("SELECT neon_auth.sign_in($1, $2)", [u.user.email, "wrong-password-1"]),
		(e) => e.detail === "INVALID_EMAIL_OR_PASSWORD", "a wrong password is still refused first");

	// The challenge cookie neon_auth signed finishes the sign-in over Better Auth.
	const url = `${baseURL}/api/auth/two-factor/verify-totp`;
	const finish = (cookie, code) => auth.handler(new Request(url, { method: "POST",
		headers: { origin: baseURL, "content-type": "application/json", cookie: `better-auth.two_factor=${encodeURIComponent(cookie)}` },
		body: JSON.stringify({ code }) }));
	const forged = await finish(ours.twoFactorCookie.replace(/.$/, (c) => (c === "A" ? "B" : "A")), totp(totpURI));
	assert.notEqual(forged.status, 200, "a forged challenge cookie is refused");
	const res = await finish(ours.twoFactorCookie, totp(totpURI));
	assert.equal(res.status, 200);
	const { token } = await res.json();
	assert.equal(await neon("neon_auth.verify_session($1)", [token]), u.user.id, "the session Better Auth made verifies in neon_auth");
	assert.equal((await finish(ours.twoFactorCookie, totp(totpURI))).status === 200, false, "the challenge works once");
});

// multiSession: the device cookies one side sets are read by the other (same
// secret, same names, same signed values).
test("multiSession: Better Auth's device cookies list in neon_auth, and neon_auth's in Better Auth", async () => {
	const deviceCookie = (setCookies) => setCookies.map((c) => c.split(";")[0]).find((c) => c.includes("_multi-"));
	const emails = (list) => list.map((d) => d.user.email).sort();
	// Better Auth -> neon_auth: two sign-ups, their device cookies in PostgREST's request.cookies.
	const ann = await call("POST", "/sign-up/email", { body: { email: email("ms-ann"), password: "ann-password-1", name: "Ann" } });
	const ben = await call("POST", "/sign-up/email", { body: { email: email("ms-ben"), password: "ben-password-1", name: "Ben" } });
	const cookies = [deviceCookie(ann.headers.getSetCookie()), deviceCookie(ben.headers.getSetCookie())];
	assert.ok(cookies.every(Boolean), "Better Auth set a device cookie for each sign-up");
	const client = await pool.connect();
	try {
		await client.query("BEGIN");
		const jar = Object.fromEntries(cookies.map((c) => [c.slice(0, c.indexOf("=")), c.slice(c.indexOf("=") + 1)]));
		await client.query("SELECT set_config('request.cookies', $1, true)", [JSON.stringify(jar)]);
		const { rows } = await client.query("SELECT neon_auth.list_device_sessions() AS j");
		assert.deepEqual(emails(rows[0].j), [ann.json.user.email, ben.json.user.email].sort());
		await client.query("ROLLBACK");
	} finally {
		client.release();
	}
	// neon_auth -> Better Auth: the device cookies session_cookies issues.
	await one(`SELECT neon_auth.configure('{"multi_session": true}')`);
	try {
		const a = await sqlSignUp("ms-cy");
		const b = await sqlSignUp("ms-di");
		const header = [];
		for (const token of [a.token, b.token]) {
			const c = await neon("neon_auth.session_cookies($1) -> 'multi' ->> 'set'", [token]);
			header.push(`better-auth.session_token_multi-${token.toLowerCase()}=${encodeURIComponent(c)}`);
		}
		const listed = await ba("GET", "/multi-session/list-device-sessions", { cookie: header.join("; ") });
		assert.deepEqual(emails(listed), [a.user.email, b.user.email].sort());
		const active = await ba("POST", "/multi-session/set-active", { body: { sessionToken: b.token }, cookie: header.join("; ") });
		assert.equal(active.user.email, b.user.email);
	} finally {
		await one(`SELECT neon_auth.configure('{"multi_session": false}')`);
	}
});

// Better Auth's cookie cache (session.cookieCache, compact): neon_auth's
// session_data value is trusted by a Better Auth server with the cache on,
// and Better Auth's passes neon_auth's check.
test("cookie cache: Better Auth answers from neon_auth's session_data, and neon_auth accepts Better Auth's", async () => {
	const cached = betterAuth({
		database: pool, secret, baseURL, advanced: { database: { generateId: "uuid" } },
		emailAndPassword: { enabled: true }, session: { cookieCache: { enabled: true, maxAge: 300 } },
	});
	const getSession = (cookie) =>
		cached.handler(new Request(`${baseURL}/api/auth/get-session`, { headers: { cookie, origin: baseURL } })).then((r) => r.json());
	await one(`SELECT neon_auth.configure('{"cookie_cache_max_age": 300}')`);
	try {
		// neon_auth -> Better Auth: after a rename behind the cache's back, Better
		// Auth still answers the cached name, so it read neon_auth's value.
		const user = await sqlSignUp("cache-neon");
		const c = await neon("neon_auth.session_cookies($1)", [user.token]);
		assert.ok(c.sessionData, "session_cookies answers a session_data value");
		await one(`UPDATE neon_auth."user" SET name = 'Renamed' WHERE id = $1`, [user.user.id]);
		const sessionCookie = `better-auth.session_token=${encodeURIComponent(c.value)}`;
		assert.equal((await getSession(`${sessionCookie}; better-auth.session_data=${c.sessionData}`)).user.name, "cache-neon");
		assert.equal((await getSession(sessionCookie)).user.name, "Renamed", "without the cache, the database");
		const forged = c.sessionData.slice(0, -2) + (c.sessionData.endsWith("AA") ? "BB" : "AA");
		assert.equal((await getSession(`${sessionCookie}; better-auth.session_data=${forged}`)).user.name, "Renamed");

		// Better Auth -> neon_auth: its value checks out here, for its session.
		const signUp = await cached.handler(new Request(`${baseURL}/api/auth/sign-up/email`, {
			method: "POST", headers: { "content-type": "application/json", origin: baseURL },
			body: JSON.stringify({ email: email("cache-ba"), password: "cache-ba-password-1", name: "Cache BA" }),
		}));
		const body = await signUp.json();
		const value = signUp.headers.getSetCookie().map((x) => x.split(";")[0]).find((x) => x.startsWith("better-auth.session_data="))?.split("=")[1];
		assert.ok(value, "Better Auth set session_data");
		const decoded = JSON.parse((await one("SELECT neon_auth._cookie_cache_decode($1, value) AS d FROM neon_auth.secret", [value])).d);
		assert.equal(decoded.session.token, body.token);
		assert.equal(decoded.user.email, body.user.email);
		// get_session leaves a valid cache alone (nothing to set), and replaces a forged one.
		const client = await pool.connect();
		try {
			const action = async (cookie) => {
				await client.query("BEGIN");
				await client.query("SELECT set_config('request.cookies', $1, true)", [JSON.stringify({ "better-auth.session_data": cookie })]);
				await client.query("SELECT neon_auth.get_session($1)", [body.token]);
				const { rows } = await client.query("SELECT current_setting('response.session_data', true) AS a");
				await client.query("ROLLBACK");
				return rows[0].a;
			};
			assert.equal(await action(value), "");
			const replaced = JSON.parse(await action(value.slice(0, -2) + (value.endsWith("AA") ? "BB" : "AA")));
			assert.equal(replaced.expire, true);
			assert.ok(replaced.set);
		} finally {
			client.release();
		}
	} finally {
		await one(`SELECT neon_auth.configure('{"cookie_cache_max_age": 0}')`);
	}
});
