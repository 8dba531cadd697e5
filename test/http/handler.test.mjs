// handler/ on its own: bad input answered as Better Auth answers it (sent
// to both servers and compared), its error catalogue against the installed
// extension, a database that is down or read-only, cookies over https, the
// two-factor challenge and impersonation cookies, the reset link, and the
// integrations that take a Better Auth instance (Hono's mount, Mastra's
// MastraAuthBetterAuth, auth.api.getSession).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Hono } from "hono";
import { MastraAuthBetterAuth } from "@mastra/auth-better-auth";
import { neonAuth, ERROR_CODES, ROUTES } from "@neon-auth/handler";
import pg from "pg";
import { readFileSync } from "node:fs";
import { startServers, database } from "./servers.mjs";

let servers;
before(async () => void (servers = await startServers()));
after(async () => servers.close());

const sql = async (text, params) => (await servers.pool.query(text, params)).rows;
const post = (url, path, body, headers = {}) => fetch(`${url}/api/auth${path}`, {
	method: "POST",
	headers: { "content-type": "application/json", origin: url, ...headers },
	body: typeof body === "string" ? body : JSON.stringify(body),
});
const answer = async (response) => ({ status: response.status, body: await response.text() });
let serial = 0;
const newEmail = () => `h${Date.now().toString(36)}${serial++}@example.com`;

test("bad input gets Better Auth's status and body", async () => {
	const cases = [
		["unknown path", "GET", "/no-such-path"],
		["wrong method", "GET", "/sign-in/email"],
		["HEAD", "HEAD", "/get-session"],
		["OPTIONS", "OPTIONS", "/get-session"],
		["trailing slash", "GET", "/get-session/"],
		["malformed JSON", "POST", "/sign-in/email", "{bad", { "content-type": "application/json" }],
		["text/plain", "POST", "/sign-in/email", "hello", { "content-type": "text/plain" }],
		["text/plain elsewhere", "POST", "/change-password", "hello", { "content-type": "text/plain" }],
		["no content type", "POST", "/change-password", "{}", {}],
		["missing fields", "POST", "/sign-in/email", "{}", { "content-type": "application/json" }],
		["wrong types", "POST", "/sign-up/email", JSON.stringify({ email: 5, password: true, name: null }), { "content-type": "application/json" }],
		["wrong password", "POST", "/sign-in/email", JSON.stringify({ email: "nobody@example.com", password: "whatever-1" }), { "content-type": "application/json" }],
		["short password", "POST", "/sign-up/email", JSON.stringify({ email: newEmail(), password: "short", name: "S" }), { "content-type": "application/json" }],
		["no session", "GET", "/list-sessions"],
		["no session, POST", "POST", "/update-user", JSON.stringify({ name: "x" }), { "content-type": "application/json" }],
		["no body", "POST", "/sign-out"],
		["verify-email without token", "GET", "/verify-email"],
		["verify-email, bad token", "GET", "/verify-email?token=not-a-token"],
		["outside the base path", "GET", "/get-session", undefined, {}, "/api/other"],
	];
	for (const [name, method, path, body, headers = {}, base = "/api/auth"] of cases) {
		const send = (url) => fetch(`${url}${base}${path}`, { method, headers, body });
		const [ba, na] = [await send(servers.ba.url), await send(servers.neon.url)];
		const [baAnswer, naAnswer] = [await answer(ba), await answer(na)];
		assert.deepEqual({ status: naAnswer.status, body: naAnswer.body && JSON.parse(naAnswer.body) },
			{ status: baAnswer.status, body: baAnswer.body && JSON.parse(baAnswer.body) }, name);
		assert.deepEqual(na.headers.getSetCookie(), ba.headers.getSetCookie(), `${name}: cookies`);
	}
});

test("an oversized body is refused before it is read to the end", async () => {
	const response = await post(servers.neon.url, "/sign-in/email", { email: "a@example.com", password: "x".repeat(2 * 1024 * 1024) });
	assert.equal(response.status, 413);
	assert.deepEqual(await response.json(), { code: "PAYLOAD_TOO_LARGE", message: "Request body is too large" });
});

test("the handler's error catalogue is the installed extension's", async () => {
	const rows = await sql("SELECT code, http_status, api_message FROM neon_auth.error_code ORDER BY code");
	assert.deepEqual(ERROR_CODES, Object.fromEntries(rows.map((r) => [r.code, [r.http_status, r.api_message]])));
});

test("every route calls a function the extension has, with arguments it takes", async () => {
	for (const route of ROUTES.filter((r) => r.fn)) {
		const rows = await sql(`SELECT coalesce(array_agg(a) FILTER (WHERE a IS NOT NULL), '{}') AS args
			FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace LEFT JOIN LATERAL unnest(p.proargnames) a ON true
			WHERE n.nspname = 'neon_auth' AND p.proname = $1 GROUP BY p.oid`, [route.fn]);
		assert.equal(rows.length, 1, `${route.path}: neon_auth.${route.fn} exists, once`);
		const ctx = { input: Object.fromEntries(Object.keys(route.fields).map((f) => [f, "x"])), cookie: () => undefined, headers: {} };
		for (const arg of Object.keys(route.args(ctx).value)) {
			assert.ok(rows[0].args.includes(arg), `${route.path}: neon_auth.${route.fn} takes ${arg}`);
		}
	}
	const readme = readFileSync(new URL("../../handler/README.md", import.meta.url), "utf8");
	for (const route of ROUTES) assert.ok(readme.includes(`| \`${route.method} ${route.path}\``), `README lists ${route.path}`);
});

test("a database that is down: 500 with no body and no cookie", async () => {
	const pool = new pg.Pool({ host: "127.0.0.1", port: 1, database, connectionTimeoutMillis: 2000 });
	const auth = neonAuth({ pool });
	const response = await auth(new Request("http://localhost/api/auth/sign-in/email", {
		method: "POST", headers: { "content-type": "application/json" },
		body: JSON.stringify({ email: "alice@example.com", password: "secret-password-1" }),
	}));
	assert.equal(response.status, 500);
	assert.equal(await response.text(), "");
	assert.deepEqual(response.headers.getSetCookie(), []);
	await pool.end();
});

test("a read-only database: READ_ONLY_DATABASE, nothing written, no cookie; reads still work", async () => {
	const email = newEmail();
	await post(servers.neon.url, "/sign-up/email", { email, password: "password-123", name: "R" });
	const pool = new pg.Pool({ database, options: "-c default_transaction_read_only=on", max: 2 });
	const auth = neonAuth({ pool });
	const response = await auth(new Request("http://localhost/api/auth/sign-in/email", {
		method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password: "password-123" }),
	}));
	assert.equal(response.status, ERROR_CODES.READ_ONLY_DATABASE[0]);
	assert.deepEqual(await response.json(), { code: "READ_ONLY_DATABASE", message: ERROR_CODES.READ_ONLY_DATABASE[1] });
	assert.deepEqual(response.headers.getSetCookie(), []);
	assert.equal((await auth(new Request("http://localhost/api/auth/jwks"))).status, 200);
	await pool.end();
});

test("a failed call sets no cookie, and a raised error leaves nothing written", async () => {
	const email = newEmail();
	const before = (await sql("SELECT count(*)::int AS n FROM neon_auth.\"user\""))[0].n;
	const response = await post(servers.neon.url, "/sign-up/email", { email, password: "pw", name: "Short" });
	assert.equal(response.status, 400);
	assert.equal((await response.json()).code, "PASSWORD_TOO_SHORT");
	assert.deepEqual(response.headers.getSetCookie(), []);
	assert.equal((await sql("SELECT count(*)::int AS n FROM neon_auth.\"user\""))[0].n, before);
});

test("over https the cookies are __Secure- and Secure, as Better Auth's", async () => {
	const auth = neonAuth({ pool: servers.pool });
	const email = newEmail();
	const response = await auth(new Request("https://app.example.com/api/auth/sign-up/email", {
		method: "POST", headers: { "content-type": "application/json" },
		body: JSON.stringify({ email, password: "password-123", name: "S", rememberMe: false }),
	}));
	const cookies = response.headers.getSetCookie();
	assert.equal(cookies.length, 2);
	assert.match(cookies[0], /^__Secure-better-auth\.session_token=[A-Za-z0-9]{32}\.[A-Za-z0-9%]+; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
	assert.match(cookies[1], /^__Secure-better-auth\.dont_remember=true\.[A-Za-z0-9%]+; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
	const session = await auth(new Request("https://app.example.com/api/auth/get-session", {
		headers: { cookie: cookies.map((c) => c.split(";")[0]).join("; ") },
	}));
	assert.equal((await session.json()).user.email, email);
});

test("a two-factor user gets Better Auth's challenge and two_factor cookie, and no session", async () => {
	const email = newEmail();
	await post(servers.neon.url, "/sign-up/email", { email, password: "password-123", name: "T" });
	await sql(`UPDATE neon_auth."user" SET "twoFactorEnabled" = true WHERE email = $1`, [email]);
	const response = await post(servers.neon.url, "/sign-in/email", { email, password: "password-123" });
	assert.equal(response.status, 200);
	const body = await response.json();
	assert.equal(body.twoFactorRedirect, true);
	assert.ok(Array.isArray(body.twoFactorMethods));
	assert.equal(body.twoFactorCookie, undefined, "the challenge value is in the cookie only");
	assert.equal(body.token, undefined);
	const cookies = response.headers.getSetCookie();
	assert.equal(cookies.length, 1);
	assert.match(cookies[0], /^better-auth\.two_factor=.+; Max-Age=600; Path=\/; HttpOnly; SameSite=Lax$/);
});

test("impersonation swaps the session cookie and stop-impersonating restores the admin's", async () => {
	const [adminEmail, userEmail] = [newEmail(), newEmail()];
	const signUp = async (email) => (await post(servers.neon.url, "/sign-up/email", { email, password: "password-123", name: "I" }));
	const adminCookie = (await signUp(adminEmail)).headers.getSetCookie()[0].split(";")[0];
	await signUp(userEmail);
	await sql(`UPDATE neon_auth."user" SET role = 'admin' WHERE email = $1`, [adminEmail]);
	const userId = (await sql(`SELECT id FROM neon_auth."user" WHERE email = $1`, [userEmail]))[0].id;
	const started = await post(servers.neon.url, "/admin/impersonate-user", { userId }, { cookie: adminCookie });
	assert.equal(started.status, 200);
	const cookies = started.headers.getSetCookie();
	const jar = cookies.map((c) => c.split(";")[0]).filter((c) => !c.endsWith("=")).join("; ");
	const as = await fetch(`${servers.neon.url}/api/auth/get-session`, { headers: { cookie: jar } });
	assert.equal((await as.json()).user.email, userEmail);
	const stopped = await post(servers.neon.url, "/admin/stop-impersonating", {}, { cookie: jar });
	assert.equal(stopped.status, 200);
	const restored = stopped.headers.getSetCookie().map((c) => c.split(";")[0]).filter((c) => !c.endsWith("="));
	const back = await fetch(`${servers.neon.url}/api/auth/get-session`, { headers: { cookie: restored.join("; ") } });
	assert.equal((await back.json()).user.email, adminEmail);
});

test("the reset link redirects to the app's page with the token, and only to this site", async () => {
	const address = newEmail();
	await post(servers.neon.url, "/sign-up/email", { email: address, password: "password-123", name: "Reset" });
	await post(servers.neon.url, "/request-password-reset", { email: address, redirectTo: "/reset" });
	const [{ data }] = await sql("SELECT data FROM neon_auth.outbox WHERE kind = 'reset-password' AND recipient = $1 ORDER BY id DESC LIMIT 1", [address]);
	const link = (callback, token = data.token) =>
		fetch(`${servers.neon.url}/api/auth/reset-password/${token}?callbackURL=${encodeURIComponent(callback)}`, { redirect: "manual" });
	const ok = await link("/reset?x=1");
	assert.equal(ok.status, 302);
	assert.equal(ok.headers.get("location"), `${servers.neon.url}/reset?x=1&token=${data.token}`);
	const dead = await link("/reset", "tok123");
	assert.equal(dead.headers.get("location"), `${servers.neon.url}/reset?error=INVALID_TOKEN`, "a token that is not live");
	for (const evil of ["https://evil.example/", "//evil.example/", "/\\evil.example"]) {
		const refused = await link(evil);
		assert.equal(refused.status, 403, evil);
		assert.deepEqual(await refused.json(), { message: "Invalid callbackURL", code: "INVALID_CALLBACK_URL" });
	}
});

test("Hono mounts the handler unchanged, and auth.api.getSession answers as Better Auth's", async () => {
	const auth = neonAuth({ pool: servers.pool });
	const app = new Hono();
	app.on(["GET", "POST"], "/api/auth/*", (c) => auth.handler(c.req.raw));
	const email = newEmail();
	const signedUp = await app.request("/api/auth/sign-up/email", {
		method: "POST", headers: { "content-type": "application/json" },
		body: JSON.stringify({ email, password: "password-123", name: "Hono" }),
	});
	assert.equal(signedUp.status, 200);
	const cookie = signedUp.headers.getSetCookie()[0].split(";")[0];
	const session = await app.request("/api/auth/get-session", { headers: { cookie } });
	assert.equal((await session.json()).user.email, email);
	const viaApi = await auth.api.getSession({ headers: new Headers({ cookie }) });
	assert.equal(viaApi.user.email, email);
	assert.equal(await auth.api.getSession({ headers: new Headers() }), null);
});

test("Mastra's MastraAuthBetterAuth takes the object neonAuth() returns", async () => {
	const auth = neonAuth({ pool: servers.pool });
	const mastra = new MastraAuthBetterAuth({ auth });
	const email = newEmail();
	const signedUp = await post(servers.neon.url, "/sign-up/email", { email, password: "password-123", name: "Mastra" });
	const { token } = await signedUp.json();
	const request = new Request("http://localhost/api/agents", { headers: { authorization: `Bearer ${token}` } });
	const user = await mastra.authenticateToken(token, request);
	assert.equal(user.user.email, email);
	assert.equal(await mastra.authorizeUser(user), true);
	assert.equal(await mastra.authenticateToken("not-a-session-token", request), null);
	const cookie = signedUp.headers.getSetCookie()[0].split(";")[0];
	const current = await mastra.getCurrentUser(new Request("http://localhost/", { headers: { cookie } }));
	assert.equal(current.email, email);
});

test("get-session sets the cookie again after a sliding refresh, as Better Auth does", async () => {
	const email = newEmail();
	const signedUp = await post(servers.neon.url, "/sign-up/email", { email, password: "password-123", name: "Slide" });
	const cookie = signedUp.headers.getSetCookie()[0].split(";")[0];
	const get = () => fetch(`${servers.neon.url}/api/auth/get-session`, { headers: { cookie } });
	const fresh = await get();
	assert.deepEqual(fresh.headers.getSetCookie(), [], "no refresh is due for a new session");
	// Two days old: past Better Auth's updateAge of one day.
	await sql(`UPDATE neon_auth.session SET "createdAt" = "createdAt" - interval '2 days', "updatedAt" = "updatedAt" - interval '2 days',
		"expiresAt" = "expiresAt" - interval '2 days' WHERE "userId" = (SELECT id FROM neon_auth."user" WHERE email = $1)`, [email]);
	const refreshed = await get();
	const body = await refreshed.json();
	assert.equal(body.user.email, email);
	assert.ok(Date.parse(body.session.expiresAt) > Date.now() + 6.9 * 86400e3, "the expiry slid forward");
	const cookies = refreshed.headers.getSetCookie();
	assert.equal(cookies.length, 1);
	assert.match(cookies[0], new RegExp(`^${cookie.replace(/[.+%]/g, "\\$&")}; Max-Age=60480\\d; Path=/; HttpOnly; SameSite=Lax$`));
	assert.deepEqual((await get()).headers.getSetCookie(), [], "refreshed once");
});

test("the Node adapter routes by the request target, never by a Host header", async () => {
	const { request } = await import("node:http");
	const raw = (path, host) => new Promise((resolve, reject) => {
		const req = request(`${servers.neon.url}${path}`, { headers: { host } }, (res) => {
			res.resume();
			res.on("end", () => resolve(res.statusCode));
		});
		req.on("error", reject);
		req.end();
	});
	assert.equal(await raw("/not-auth", "a/api/auth/jwks#"), 404);
	assert.equal(await raw("/api/auth/ok", "x/api/auth/jwks?"), 404);
	assert.equal(await raw("/api/auth/jwks", "evil.example/api"), 200, "a bad Host is replaced, the target still routes");
});

test("the Web handler drops a client's x-forwarded-for unless the proxy is trusted", async () => {
	const address = async (options, context) => {
		const auth = neonAuth({ pool: servers.pool, ...options });
		const signUp = await auth(new Request("http://localhost/api/auth/sign-up/email", {
			method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.9" },
			body: JSON.stringify({ email: newEmail(), password: "password-123", name: "Ip" }),
		}), context);
		const cookie = signUp.headers.getSetCookie()[0].split(";")[0];
		return (await auth.api.getSession({ headers: new Headers({ cookie }) })).session.ipAddress;
	};
	assert.equal(await address({}), "");
	assert.equal(await address({}, { ip: "192.0.2.5" }), "192.0.2.5");
	assert.equal(await address({ trustProxy: true }), "203.0.113.9");
});

test("redirect targets with control characters are refused, not crashed on", async () => {
	const auth = neonAuth({ pool: servers.pool });
	for (const target of ["http://localhost/%0d%0aSet-Cookie:x=1", "/ok%0d%0aSet-Cookie:x=1"]) {
		const response = await auth(new Request(`http://localhost/api/auth/reset-password/abc?callbackURL=${target}`));
		assert.equal(response.status, 403, target);
	}
});

test("a POST takes its password from the body only, never from the URL", async () => {
	const email = newEmail();
	await post(servers.neon.url, "/sign-up/email", { email, password: "password-123", name: "Q" });
	const response = await fetch(`${servers.neon.url}/api/auth/sign-in/email?email=${encodeURIComponent(email)}&password=password-123`,
		{ method: "POST" });
	assert.equal(response.status, 400);
	assert.equal((await response.json()).code, "VALIDATION_ERROR");
});

test("a cookie prefix names the cookies, and the database finds the session by config.cookie_prefix", async () => {
	const auth = neonAuth({ pool: servers.pool, cookiePrefix: "myapp" });
	await sql(`SELECT neon_auth.configure('{"cookie_prefix": "myapp"}')`);
	try {
		const signUp = await auth(new Request("http://localhost/api/auth/sign-up/email", {
			method: "POST", headers: { "content-type": "application/json" },
			body: JSON.stringify({ email: newEmail(), password: "password-123", name: "Prefix" }),
		}));
		const cookie = signUp.headers.getSetCookie()[0].split(";")[0];
		assert.match(cookie, /^myapp\.session_token=/);
		const list = await auth(new Request("http://localhost/api/auth/list-sessions", { headers: { cookie } }));
		assert.equal(list.status, 200);
		assert.equal((await list.json()).length, 1);
		// Under the default name the cookie identifies nobody: only the configured prefix counts.
		const renamed = cookie.replace(/^myapp\./, "better-auth.");
		const nobody = await auth(new Request("http://localhost/api/auth/list-sessions", { headers: { cookie: renamed } }));
		assert.equal(nobody.status, 401);
	} finally {
		await sql(`SELECT neon_auth.configure('{"cookie_prefix": "better-auth"}')`);
	}
});


test("the impersonated user does not see the admin's impersonation session", async () => {
	const [adminEmail, userEmail] = [newEmail(), newEmail()];
	const signUp = async (email) => (await post(servers.neon.url, "/sign-up/email", { email, password: "password-123", name: "L" }));
	const adminCookie = (await signUp(adminEmail)).headers.getSetCookie()[0].split(";")[0];
	const userCookie = (await signUp(userEmail)).headers.getSetCookie()[0].split(";")[0];
	await sql(`UPDATE neon_auth."user" SET role = 'admin' WHERE email = $1`, [adminEmail]);
	const userId = (await sql(`SELECT id FROM neon_auth."user" WHERE email = $1`, [userEmail]))[0].id;
	assert.equal((await post(servers.neon.url, "/admin/impersonate-user", { userId }, { cookie: adminCookie })).status, 200);
	const sessions = await (await fetch(`${servers.neon.url}/api/auth/list-sessions`, { headers: { cookie: userCookie } })).json();
	assert.equal(sessions.length, 1);
	assert.equal(sessions[0].impersonatedBy, null);
});

test("two-factor through the handler: enrol, the challenge cookie, a trusted device", async () => {
	const { createHmac } = await import("node:crypto");
	const totp = (uri) => {
		const bits = [...new URL(uri).searchParams.get("secret")].map((c) => "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".indexOf(c).toString(2).padStart(5, "0")).join("");
		const counter = Buffer.alloc(8);
		counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000)));
		const h = createHmac("sha1", Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)))).update(counter).digest();
		return String((h.readUInt32BE(h[19] & 15) & 0x7fffffff) % 1000000).padStart(6, "0");
	};
	const jar = (response, cookies = {}) => {
		for (const c of response.headers.getSetCookie()) {
			const [pair] = c.split(";");
			const name = pair.slice(0, pair.indexOf("="));
			if (/Max-Age=0/.test(c)) delete cookies[name];
			else cookies[name] = pair.slice(pair.indexOf("=") + 1);
		}
		return cookies;
	};
	const header = (cookies) => Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join("; ");
	const email = newEmail();
	const browser = jar(await post(servers.neon.url, "/sign-up/email", { email, password: "password-123", name: "Tfa" }));
	const enable = await post(servers.neon.url, "/two-factor/enable", { password: "password-123" }, { cookie: header(browser) });
	assert.equal(enable.status, 200);
	const { totpURI, backupCodes } = await enable.json();
	assert.equal(backupCodes.length, 10);
	const wrong = await post(servers.neon.url, "/two-factor/verify-totp", { code: "000000" }, { cookie: header(browser) });
	assert.deepEqual([wrong.status, (await wrong.json()).code], [401, "INVALID_CODE"]);
	const enrolled = await post(servers.neon.url, "/two-factor/verify-totp", { code: totp(totpURI) }, { cookie: header(browser) });
	assert.equal((await enrolled.json()).user.twoFactorEnabled, true);

	// A new browser signs in: the challenge, then the code with trustDevice.
	const second = jar(await post(servers.neon.url, "/sign-in/email", { email, password: "password-123" }));
	assert.deepEqual(Object.keys(second), ["better-auth.two_factor"]);
	const finished = await post(servers.neon.url, "/two-factor/verify-totp", { code: totp(totpURI), trustDevice: true },
		{ cookie: header(second) });
	assert.equal(finished.status, 200);
	const body = await finished.json();
	assert.equal(body.trustDeviceCookie, undefined, "the trust cookie's value is not in the body");
	jar(finished, second);
	assert.deepEqual(Object.keys(second).sort(), ["better-auth.session_token", "better-auth.trust_device"]);
	const session = await fetch(`${servers.neon.url}/api/auth/get-session`, { headers: { cookie: header(second) } });
	assert.equal((await session.json()).user.email, email);

	// The trusted browser signs in again without a challenge; a backup code works once.
	delete second["better-auth.session_token"];
	const again = await post(servers.neon.url, "/sign-in/email", { email, password: "password-123" }, { cookie: header(second) });
	assert.ok((await again.json()).token, "no challenge on a trusted device");
	const third = jar(await post(servers.neon.url, "/sign-in/email", { email, password: "password-123" }));
	const backup = await post(servers.neon.url, "/two-factor/verify-backup-code", { code: backupCodes[0] }, { cookie: header(third) });
	assert.equal(backup.status, 200);
	const fourth = jar(await post(servers.neon.url, "/sign-in/email", { email, password: "password-123" }));
	const reused = await post(servers.neon.url, "/two-factor/verify-backup-code", { code: backupCodes[0] }, { cookie: header(fourth) });
	assert.deepEqual([reused.status, (await reused.json()).code], [401, "INVALID_BACKUP_CODE"]);
	assert.deepEqual(reused.headers.getSetCookie(), [], "a failed code sets no cookie");
});

test("username and one-time-token routes: Better Auth's answers, cookies from the database", async () => {
	const username = `Hu_${Date.now().toString(36)}`;
	const signUp = await post(servers.neon.url, "/sign-up/email", { email: newEmail(), password: "password-123", name: "U", username });
	assert.equal((await signUp.json()).user.displayUsername, username);
	const bad = await post(servers.neon.url, "/sign-up/email", { email: newEmail(), password: "password-123", name: "U", username: "bad-name" });
	assert.deepEqual([bad.status, (await bad.json()).code], [400, "INVALID_USERNAME"], "400 on sign-up, as Better Auth");
	const badSignIn = await post(servers.neon.url, "/sign-in/username", { username: "bad-name", password: "password-123" });
	assert.deepEqual([badSignIn.status, (await badSignIn.json()).code], [422, "INVALID_USERNAME"], "422 on sign-in, as Better Auth");
	const available = await post(servers.neon.url, "/is-username-available", { username: username.toUpperCase() });
	assert.deepEqual(await available.json(), { available: false });

	const signIn = await post(servers.neon.url, "/sign-in/username", { username: username.toLowerCase(), password: "password-123" });
	assert.equal(signIn.status, 200);
	const cookie = signIn.headers.getSetCookie()[0].split(";")[0];
	assert.match(cookie, /^better-auth\.session_token=/);
	const wrong = await post(servers.neon.url, "/sign-in/username", { username, password: "wrong-password-1" });
	assert.deepEqual([wrong.status, (await wrong.json()).code], [401, "INVALID_USERNAME_OR_PASSWORD"]);

	const generated = await fetch(`${servers.neon.url}/api/auth/one-time-token/generate`, { headers: { cookie } });
	const { token } = await generated.json();
	const verified = await post(servers.neon.url, "/one-time-token/verify", { token });
	assert.equal(verified.status, 200);
	assert.match(verified.headers.getSetCookie()[0], /^better-auth\.session_token=.+; Max-Age=604800; Path=\/; HttpOnly; SameSite=Lax$/);
	assert.equal((await verified.json()).user.username, username.toLowerCase());
	const again = await post(servers.neon.url, "/one-time-token/verify", { token });
	assert.deepEqual([again.status, again.headers.getSetCookie()], [400, []]);
	const nobody = await fetch(`${servers.neon.url}/api/auth/one-time-token/generate`);
	assert.equal(nobody.status, 401);
});

test("anonymous routes: a visitor's session, linked when it signs up", async () => {
	const anon = await post(servers.neon.url, "/sign-in/anonymous", undefined);
	assert.equal(anon.status, 200);
	const { user } = await anon.json();
	assert.equal(user.isAnonymous, true);
	const cookie = anon.headers.getSetCookie()[0].split(";")[0];
	const again = await post(servers.neon.url, "/sign-in/anonymous", undefined, { cookie });
	assert.deepEqual([again.status, (await again.json()).code], [400, "ANONYMOUS_USERS_CANNOT_SIGN_IN_AGAIN_ANONYMOUSLY"]);
	const signUp = await post(servers.neon.url, "/sign-up/email", { email: newEmail(), password: "password-123", name: "Was Anon" }, { cookie });
	assert.equal(signUp.status, 200);
	assert.equal((await sql(`SELECT count(*)::int AS n FROM neon_auth."user" WHERE id = $1`, [user.id]))[0].n, 0);
	const other = await post(servers.neon.url, "/sign-in/anonymous", undefined);
	const otherCookie = other.headers.getSetCookie()[0].split(";")[0];
	const deleted = await post(servers.neon.url, "/delete-anonymous-user", undefined, { cookie: otherCookie });
	assert.equal(deleted.status, 200);
	assert.ok(deleted.headers.getSetCookie().some((c) => /^better-auth\.session_token=; Max-Age=0/.test(c)));
});

test("magic links through the handler: the link signs up and redirects with the session cookie", async () => {
	const address = newEmail();
	const sent = await post(servers.neon.url, "/sign-in/magic-link", { email: address, name: "Mo", callbackURL: "/welcome", newUserCallbackURL: "/onboarding" });
	assert.deepEqual(await sent.json(), { status: true });
	const [{ data }] = await sql("SELECT data FROM neon_auth.outbox WHERE kind = 'magic-link' AND recipient = $1 ORDER BY id DESC LIMIT 1", [address]);
	const link = new URL(data.url);
	assert.equal(link.pathname, "/api/auth/magic-link/verify");
	const verified = await fetch(`${servers.neon.url}${link.pathname}${link.search}`, { redirect: "manual" });
	assert.equal(verified.status, 302);
	assert.equal(verified.headers.get("location"), "/onboarding", "a new user goes to the new-user callback");
	assert.match(verified.headers.getSetCookie()[0], /^better-auth\.session_token=/);
	const reused = await fetch(`${servers.neon.url}${link.pathname}${link.search}`, { redirect: "manual" });
	assert.equal(reused.headers.get("location"), "/welcome?error=INVALID_TOKEN");
	assert.deepEqual(reused.headers.getSetCookie(), []);
	const json = await fetch(`${servers.neon.url}/api/auth/magic-link/verify?token=nope`);
	assert.deepEqual([json.status, (await json.json()).code], [400, "INVALID_TOKEN"]);
});

test("codes by email through the handler: send, a wrong try, sign in with the session cookie", async () => {
	const address = newEmail();
	const sent = await post(servers.neon.url, "/email-otp/send-verification-otp", { email: address, type: "sign-in" });
	assert.deepEqual(await sent.json(), { success: true });
	const [{ data }] = await sql("SELECT data FROM neon_auth.outbox WHERE kind = 'email-otp' AND recipient = $1 ORDER BY id DESC LIMIT 1", [address]);
	const wrong = await post(servers.neon.url, "/sign-in/email-otp", { email: address, otp: data.otp === "000000" ? "111111" : "000000" });
	assert.deepEqual([wrong.status, await wrong.json()], [400, { code: "INVALID_OTP", message: "Invalid OTP" }]);
	assert.deepEqual(wrong.headers.getSetCookie(), []);
	const signedIn = await post(servers.neon.url, "/sign-in/email-otp", { email: address, otp: data.otp, name: "Otto" });
	assert.equal(signedIn.status, 200);
	assert.equal((await signedIn.json()).user.name, "Otto");
	assert.match(signedIn.headers.getSetCookie()[0], /^better-auth\.session_token=/);
	const badType = await post(servers.neon.url, "/email-otp/send-verification-otp", { email: address, type: "change-email" });
	assert.deepEqual([badType.status, (await badType.json()).message], [400, "Invalid OTP type"]);
});

test("phone numbers through the handler: a signed-in user takes a number, then signs in with it", async () => {
	const password = "password-123";
	const up = await post(servers.neon.url, "/sign-up/email", { email: newEmail(), password, name: "Phil" });
	const cookie = up.headers.getSetCookie()[0].split(";")[0];
	const phone = `+1666${String(Date.now() % 1e7).padStart(7, "0")}`;
	const sms = async () => (await sql("SELECT kind, data FROM neon_auth.outbox WHERE recipient = $1 ORDER BY id DESC LIMIT 1", [phone]))[0];
	// Without a session, a number nobody has gets no SMS (a decoy), and the same answer.
	const anonymous = await post(servers.neon.url, "/phone-number/send-otp", { phoneNumber: phone });
	assert.deepEqual([anonymous.status, await anonymous.json()], [200, { message: "code sent" }]);
	assert.equal(await sms(), undefined);
	const sent = await post(servers.neon.url, "/phone-number/send-otp", { phoneNumber: phone }, { cookie });
	assert.deepEqual(await sent.json(), { message: "code sent" });
	const { kind, data } = await sms();
	assert.equal(kind, "sms");
	const taken = await post(servers.neon.url, "/phone-number/verify", { phoneNumber: phone, code: data.code, updatePhoneNumber: true }, { cookie });
	assert.equal(taken.status, 200);
	assert.equal((await taken.json()).user.phoneNumber, phone);
	assert.deepEqual(taken.headers.getSetCookie(), [], "the caller keeps its session");
	const wrong = await post(servers.neon.url, "/sign-in/phone-number", { phoneNumber: phone, password: "wrong-password-1" });
	assert.deepEqual([wrong.status, (await wrong.json()).code], [401, "INVALID_PHONE_NUMBER_OR_PASSWORD"]);
	const signedIn = await post(servers.neon.url, "/sign-in/phone-number", { phoneNumber: phone, password });
	assert.equal(signedIn.status, 200);
	assert.match(signedIn.headers.getSetCookie()[0], /^better-auth\.session_token=/);
	const invalid = await post(servers.neon.url, "/sign-in/phone-number", { phoneNumber: "555-0100", password });
	assert.deepEqual([invalid.status, (await invalid.json()).code], [400, "INVALID_PHONE_NUMBER"]);
});
