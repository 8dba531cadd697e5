// A real Better Auth 1.7 server (common.mjs: betterAuth() with the plugins whose
// columns neon_auth's schema carries) on the same database as neon_auth: users,
// passwords, session tokens and signed cookies made by either side are
// accepted by the other. Run by run.sh against a throwaway server.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { betterAuth } from "better-auth";
import { bearer, jwt } from "better-auth/plugins";
import { createLocalJWKSet, jwtVerify } from "jose";
import { auth, mailbox, one, pool, secret } from "./common.mjs";

after(() => pool.end());

test("a Better Auth sign-up signs in through neon_auth.sign_in", async () => {
	const r = await auth.api.signUpEmail({ body: { email: "BA-User@Example.com", password: "better-auth-pw-1", name: "BA" } });
	assert.equal(r.user.email, "ba-user@example.com");
	const s = await one("SELECT neon_auth.sign_in($1, $2) AS j", ["BA-USER@example.com", "better-auth-pw-1"]);
	assert.equal(s.j.user.id, r.user.id);
	await assert.rejects(one("SELECT neon_auth.sign_in($1, $2)", ["ba-user@example.com", "wrong-password-1"]),
		(e) => e.code === "28P01" && e.detail === "INVALID_EMAIL_OR_PASSWORD");
	const v = await one("SELECT neon_auth.verify_session($1) AS u", [r.token]);
	assert.equal(v.u, r.user.id, "Better Auth's session token verifies in SQL");
});

test("a neon_auth sign-up signs in over Better Auth", async () => {
	await one("SELECT neon_auth.sign_up($1, $2, $3)", ["sql-user@example.com", "sql-user-pw-1", "SQL"]);
	const res = await auth.api.signInEmail({ body: { email: "sql-user@example.com", password: "sql-user-pw-1" }, asResponse: true });
	assert.equal(res.status, 200);
	const cookie = decodeURIComponent(/better-auth\.session_token=([^;]+)/.exec(res.headers.get("set-cookie"))[1]);
	const v = await one("SELECT neon_auth.verify_session($1) AS u", [cookie]);
	assert.ok(v.u, "Better Auth's signed cookie verifies in SQL");
	const bad = await auth.api.signInEmail({ body: { email: "sql-user@example.com", password: "wrong-password-1" }, asResponse: true });
	assert.equal(bad.status, 401);
});

test("a neon_auth session is accepted by Better Auth's getSession", async () => {
	const s = await one("SELECT neon_auth.sign_in($1, $2) ->> 'token' AS t", ["sql-user@example.com", "sql-user-pw-1"]);
	const { c } = await one("SELECT neon_auth.session_cookie($1) AS c", [s.t]);
	const viaCookie = await auth.api.getSession({ headers: new Headers({ cookie: `better-auth.session_token=${encodeURIComponent(c)}` }) });
	assert.equal(viaCookie?.user?.email, "sql-user@example.com");
	const viaBearer = await auth.api.getSession({ headers: new Headers({ authorization: `Bearer ${c}` }) });
	assert.equal(viaBearer?.session?.token, s.t);
	const forged = await auth.api.getSession({ headers: new Headers({ cookie: `better-auth.session_token=${encodeURIComponent(s.t + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")}` }) });
	assert.equal(forged, null);
});

test("get_session returns the fields Better Auth's getSession returns", async () => {
	const s = await one("SELECT neon_auth.sign_in($1, $2) ->> 'token' AS t", ["sql-user@example.com", "sql-user-pw-1"]);
	const ours = (await one("SELECT neon_auth.get_session($1) AS j", [s.t])).j;
	const theirs = await auth.api.getSession({ headers: new Headers({ authorization: `Bearer ${s.t}` }) });
	assert.deepEqual(Object.keys(ours.user).sort(), Object.keys(theirs.user).sort());
	assert.deepEqual(Object.keys(ours.session).sort(), Object.keys(theirs.session).sort());
	for (const k of ["id", "email", "name", "emailVerified", "role", "banned"]) assert.equal(ours.user[k], theirs.user[k], k);
	assert.equal(new Date(ours.user.createdAt).getTime(), new Date(theirs.user.createdAt).getTime());
	assert.equal(ours.session.expiresAt, new Date(theirs.session.expiresAt).toISOString());
});

test("Better Auth signs out a neon_auth session", async () => {
	const s = await one("SELECT neon_auth.sign_in($1, $2) ->> 'token' AS t", ["sql-user@example.com", "sql-user-pw-1"]);
	await auth.api.signOut({ headers: new Headers({ authorization: `Bearer ${s.t}` }) });
	assert.equal((await one("SELECT neon_auth.verify_session($1) AS u", [s.t])).u, null);
});

test("neon_auth.token() verifies with jose against neon_auth.jwks()", async () => {
	const s = await one("SELECT neon_auth.sign_in($1, $2) ->> 'token' AS t", ["sql-user@example.com", "sql-user-pw-1"]);
	const { jwt } = await one("SELECT neon_auth.token($1) AS jwt", [s.t]);
	const { keys } = (await one("SELECT neon_auth.jwks() AS j", [])).j;
	const jwks = createLocalJWKSet({ keys });
	const { payload, protectedHeader } = await jwtVerify(jwt, jwks, { issuer: "http://localhost:3000", audience: "http://localhost:3000" });
	assert.equal(protectedHeader.alg, "EdDSA");
	assert.equal(payload.email, "sql-user@example.com");
	assert.equal(payload.role, "authenticated");
	assert.equal(payload.exp - payload.iat, 900);
	// Change one signature character for certain (a fixed replacement could equal the original).
	const i = jwt.length - 10;
	const tampered = jwt.slice(0, i) + (jwt[i] === "A" ? "B" : "A") + jwt.slice(i + 1);
	await assert.rejects(jwtVerify(tampered, jwks), "a tampered token fails in jose too");
});

test("Better Auth's jwt plugin signs with the neon_auth key and verify_jwt accepts its tokens", async () => {
	const signIn = await auth.api.signInEmail({ body: { email: "sql-user@example.com", password: "sql-user-pw-1" } });
	const { token: baJwt } = await auth.api.getToken({ headers: new Headers({ authorization: `Bearer ${signIn.token}` }) });
	const header = JSON.parse(Buffer.from(baJwt.split(".")[0], "base64url"));
	const ourKids = (await one("SELECT neon_auth.jwks() AS j", [])).j.keys.map((k) => k.kid);
	assert.ok(ourKids.includes(header.kid), "Better Auth decrypted and used the key neon_auth stored");
	const claims = (await one("SELECT neon_auth.verify_jwt($1) AS c", [baJwt])).c;
	assert.equal(claims.email, "sql-user@example.com");
	// Better Auth's /jwks and neon_auth.jwks() publish the same keys.
	const baJwks = await auth.api.getJwks();
	assert.deepEqual(baJwks.keys.map((k) => k.kid).sort(), [...ourKids].sort());
});

// ES256 and RS256 (for verifiers without EdDSA), in both directions: after
// rotate_signing_key(alg), token() verifies with jose against jwks(), and
// Better Auth's jwt plugin configured for that algorithm signs with the key
// neon_auth made, which verify_jwt accepts.
for (const alg of ["ES256", "RS256"]) {
	test(`${alg}: neon_auth tokens verify in jose, Better Auth's ${alg} tokens verify in neon_auth`, async () => {
		const rotated = (await one("SELECT neon_auth.rotate_signing_key($1) AS k", [alg])).k;
		assert.equal(rotated.alg, alg);
		const s = await one("SELECT neon_auth.sign_in($1, $2) ->> 'token' AS t", ["sql-user@example.com", "sql-user-pw-1"]);
		const { ourJwt } = await one("SELECT neon_auth.token($1) AS \"ourJwt\"", [s.t]);
		const jwks = createLocalJWKSet({ keys: (await one("SELECT neon_auth.jwks() AS j", [])).j.keys });
		const { payload, protectedHeader } = await jwtVerify(ourJwt, jwks, { issuer: "http://localhost:3000", audience: "http://localhost:3000", algorithms: [alg] });
		assert.equal(protectedHeader.alg, alg);
		assert.equal(protectedHeader.kid, rotated.kid);
		assert.equal(payload.email, "sql-user@example.com");

		const baAuth = betterAuth({
			database: pool, secret, baseURL: "http://localhost:3000",
			advanced: { database: { generateId: "uuid" } },
			emailAndPassword: { enabled: true },
			plugins: [bearer(), jwt({ jwks: { keyPairConfig: alg === "RS256" ? { alg, modulusLength: 2048 } : { alg } } })],
		});
		const signIn = await baAuth.api.signInEmail({ body: { email: "sql-user@example.com", password: "sql-user-pw-1" } });
		const { token: baJwt } = await baAuth.api.getToken({ headers: new Headers({ authorization: `Bearer ${signIn.token}` }) });
		const header = JSON.parse(Buffer.from(baJwt.split(".")[0], "base64url"));
		assert.equal(header.alg, alg);
		assert.equal(header.kid, rotated.kid, "Better Auth decrypted and used the key neon_auth made");
		assert.equal((await one("SELECT neon_auth.verify_jwt($1) AS c", [baJwt])).c.email, "sql-user@example.com");
	});
}

test("back to EdDSA: earlier ES256/RS256 tokens keep verifying through the grace period", async () => {
	const s = await one("SELECT neon_auth.sign_in($1, $2) ->> 'token' AS t", ["sql-user@example.com", "sql-user-pw-1"]);
	const { jwt: rsJwt } = await one("SELECT neon_auth.token($1) AS jwt", [s.t]);
	assert.equal((await one("SELECT neon_auth.rotate_signing_key('EdDSA') AS k", [])).k.alg, "EdDSA");
	const { ourJwt } = await one("SELECT neon_auth.token($1) AS \"ourJwt\"", [s.t]);
	assert.equal(JSON.parse(Buffer.from(ourJwt.split(".")[0], "base64url")).alg, "EdDSA");
	assert.equal((await one("SELECT neon_auth.verify_jwt($1) AS c", [rsJwt])).c.email, "sql-user@example.com");
});

// Email verification and password reset links: a token made by either side
// works on the other (the HS256 verification JWT, the reset-password row).
const outboxToken = async (email, kind) =>
	(await one("SELECT data ->> 'token' AS t FROM neon_auth.outbox WHERE recipient = $1 AND kind = $2 ORDER BY id DESC LIMIT 1", [email, kind])).t;
const verified = async (email) => (await one('SELECT "emailVerified" AS v FROM neon_auth."user" WHERE email = $1', [email])).v;

test("a Better Auth verification link verifies in neon_auth.verify_email, and a neon_auth link in Better Auth", async () => {
	await auth.api.signUpEmail({ body: { email: "ba-verify@example.com", password: "ba-verify-pw-1", name: "V" } });
	await auth.api.sendVerificationEmail({ body: { email: "ba-verify@example.com" } });
	assert.ok(mailbox["ba-verify@example.com"], "Better Auth made a link token");
	const fromNeon = (await one("SELECT neon_auth.verify_email($1) AS r", [mailbox["ba-verify@example.com"]])).r;
	assert.equal(await verified("ba-verify@example.com"), true);

	await one("SELECT neon_auth.sign_up($1, $2, $3)", ["sql-verify@example.com", "sql-verify-pw-1", "S"]);
	await one("SELECT neon_auth.send_verification_email($1)", ["sql-verify@example.com"]);
	const token = await outboxToken("sql-verify@example.com", "verify-email");
	const fromBetterAuth = await auth.api.verifyEmail({ query: { token } });
	assert.equal(await verified("sql-verify@example.com"), true, "Better Auth accepted neon_auth's link token");
	// The same answer on both sides: {status: true, user: null}.
	assert.deepEqual(fromNeon, fromBetterAuth);
	assert.deepEqual(fromNeon, { status: true, user: null });
});

test("a Better Auth reset token resets in neon_auth.reset_password, and a neon_auth one in Better Auth", async () => {
	await auth.api.requestPasswordReset({ body: { email: "sql-verify@example.com", redirectTo: "/reset" } });
	const baToken = mailbox["sql-verify@example.com"];
	assert.match(baToken, /^[A-Za-z0-9]{24}$/);
	// The emailed link's redirect, live and dead, is the same on both sides.
	for (const token of [baToken, "not-a-live-token"]) {
		const res = await auth.handler(new Request(`http://localhost:3000/api/auth/reset-password/${token}?callbackURL=%2Freset%3Fx%3D1`,
			{ headers: { origin: "http://localhost:3000" } }));
		const ours = await one("SELECT neon_auth.request_password_reset_callback($1, '/reset?x=1') AS j", [token]);
		assert.deepEqual([res.status, res.headers.get("location")], [302, ours.j.url], token);
	}
	await one("SELECT neon_auth.reset_password($1, $2)", ["reset-by-sql-1", baToken]);
	assert.ok((await one("SELECT neon_auth.sign_in($1, $2) ->> 'token' AS t", ["sql-verify@example.com", "reset-by-sql-1"])).t);

	await one("SELECT neon_auth.request_password_reset($1)", ["sql-verify@example.com"]);
	const token = await outboxToken("sql-verify@example.com", "reset-password");
	await auth.api.resetPassword({ body: { newPassword: "reset-by-ba-1", token } });
	assert.ok((await one("SELECT neon_auth.sign_in($1, $2) ->> 'token' AS t", ["sql-verify@example.com", "reset-by-ba-1"])).t,
		"Better Auth consumed neon_auth's reset row and set a password neon_auth accepts");
	await assert.rejects(one("SELECT neon_auth.reset_password($1, $2)", ["again-pw-1", token]), /invalid or expired token/);
});
