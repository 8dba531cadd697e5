// docs/app-server.md, as a new user would use it: the app shown there is
// examples/app-server/server.mjs byte for byte, and that server, started on
// examples/app-server/setup.sql, signs users in, answers wrong passwords with
// Better Auth's 401, counts them (the 429 after the limit proves the counts
// committed), and shows each caller only their own notes.
//
// Runs on the database in HTTP_DB (server in PGHOST/PGPORT, as the owner in
// PGUSER). It turns the rate limits on for its own test and off again at the
// end, as the other suites of this database expect them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../..");
const example = join(root, "examples/app-server");
const database = process.env.HTTP_DB;
const tag = `${process.pid}-${Date.now().toString(36)}`;
const email = (who) => `${who}-${tag}@example.com`;
const PASSWORD = "correct horse battery";

let owner;     // the database owner, for setup and for what only an operator sees
let server;    // the example's process
let base;      // its URL
let tmp;
let baseUrlBefore;

async function startExample() {
	// The example resolves pg and the handler from its own node_modules once
	// `npm ci` ran there. Otherwise (scripts/test.sh installs test/http's
	// only) the same file runs from a directory whose node_modules is this
	// suite's, which pins the same pg and the same handler.
	let dir = example;
	if (!existsSync(join(example, "node_modules"))) {
		dir = tmp = mkdtempSync(join(tmpdir(), "neon-auth-app-server-"));
		copyFileSync(join(example, "server.mjs"), join(dir, "server.mjs"));
		symlinkSync(join(here, "node_modules"), join(dir, "node_modules"), "dir");
	}
	const env = { ...process.env, PGDATABASE: database, PGUSER: "app_server", PGPASSWORD: "change-me", PORT: "0" };
	delete env.DATABASE_URL;
	const child = spawn(process.execPath, ["server.mjs"], { cwd: dir, env, stdio: ["ignore", "pipe", "inherit"] });
	const url = await new Promise((resolve, reject) => {
		let out = "";
		child.stdout.on("data", (chunk) => {
			out += chunk;
			const port = /listening on http:\/\/localhost:(\d+)/.exec(out)?.[1];
			if (port) resolve(`http://127.0.0.1:${port}`);
		});
		child.once("exit", (code) => reject(new Error(`server.mjs exited with ${code}: ${out}`)));
	});
	return { child, url };
}

before(async () => {
	owner = new pg.Pool({ database, max: 2 });
	await owner.query("SELECT neon_auth.configure('{\"rate_limit_enabled\": false}')");
	await owner.query("DROP TABLE IF EXISTS public.notes");
	await owner.query(readFileSync(join(example, "setup.sql"), "utf8"));
	for (const who of ["alice", "bob", "carol"]) {
		await owner.query("SELECT neon_auth.sign_up($1, $2, $3)", [email(who), PASSWORD, who]);
	}
	await owner.query(
		`INSERT INTO public.notes (owner_id, body)
		 SELECT u.id, n.body FROM (VALUES ($1, 'alice 1'), ($1, 'alice 2'), ($2, 'bob 1')) n(email, body)
		   JOIN neon_auth."user" u ON u.email = n.email`,
		[email("alice"), email("bob")],
	);
	({ child: server, url: base } = await startExample());
	// The browser's Origin is the app's: sign_in checks it against base_url (login CSRF).
	baseUrlBefore = (await owner.query("SELECT base_url FROM neon_auth.config")).rows[0].base_url;
	await owner.query("SELECT neon_auth.configure(jsonb_build_object('base_url', $1::text))", [base]);
});

after(async () => {
	server?.kill();
	if (tmp) rmSync(tmp, { recursive: true, force: true });
	await owner?.query("SELECT neon_auth.configure('{\"rate_limit_enabled\": false}')");
	if (baseUrlBefore) await owner.query("SELECT neon_auth.configure(jsonb_build_object('base_url', $1::text))", [baseUrlBefore]);
	await owner?.query("DROP TABLE IF EXISTS public.notes");
	await owner?.end();
});

// A browser's sign-in form: JSON, with the page's Origin.
const signIn = (address, password = PASSWORD, headers = {}) =>
	fetch(`${base}/sign-in`, {
		method: "POST",
		headers: { "content-type": "application/json", origin: base, ...headers },
		body: JSON.stringify({ email: address, password }),
	});

async function notes(headers = {}) {
	const response = await fetch(`${base}/notes`, { headers });
	assert.equal(response.status, 200);
	return (await response.json()).map((n) => n.body).sort();
}

// The session cookie from a sign-in, as the browser sends it back.
function sessionCookie(response) {
	const cookie = response.headers.getSetCookie().find((c) => c.startsWith("better-auth.session_token="));
	assert.ok(cookie, "sign-in sets better-auth.session_token");
	assert.match(cookie, /; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/);
	return cookie.split(";")[0];
}

test("docs/app-server.md shows examples/app-server/server.mjs, byte for byte", () => {
	const doc = readFileSync(join(root, "docs/app-server.md"), "utf8");
	const block = /^```js\n([\s\S]*?)^```$/m.exec(doc)?.[1];
	assert.ok(block, "docs/app-server.md has a ```js block (its first is the app)");
	assert.equal(block, readFileSync(join(example, "server.mjs"), "utf8"));
});

test("sign-in sets the session cookie, and GET /notes returns only the caller's notes", async () => {
	const alice = await signIn(email("alice"));
	assert.equal(alice.status, 200);
	const body = await alice.json();
	assert.equal(body.user.email, email("alice"));
	const aliceCookie = sessionCookie(alice);

	const bob = await signIn(email("bob"));
	assert.equal(bob.status, 200);
	const bobCookie = sessionCookie(bob);

	assert.deepEqual(await notes({ cookie: aliceCookie }), ["alice 1", "alice 2"]);
	assert.deepEqual(await notes({ cookie: bobCookie }), ["bob 1"]);
	// The bare token from the body works as a bearer token (clients without cookies).
	assert.deepEqual(await notes({ authorization: `Bearer ${body.token}` }), ["alice 1", "alice 2"]);
	// Nobody, and a forged cookie, see nothing.
	assert.deepEqual(await notes(), []);
	assert.deepEqual(await notes({ cookie: `${aliceCookie.split(".")[0]}.forged` }), []);
	// The session recorded the client's address: the socket's, appended by the app.
	const { rows } = await owner.query(`SELECT "ipAddress" FROM neon_auth."session" WHERE "token" = $1`, [body.token]);
	assert.equal(rows[0].ipAddress, "127.0.0.1");
});

test("wrong passwords are answered 401 and committed: after the limit comes 429 with X-Retry-After", async () => {
	await owner.query("SELECT neon_auth.configure('{\"rate_limit_enabled\": true}')");
	try {
		// Counts of earlier runs on this address would refuse the first attempt.
		await owner.query(`DELETE FROM neon_auth."rateLimit" WHERE "key" LIKE '%|/sign-in/email'`);
		// /sign-in/email allows 3 calls in 10 seconds per client IP and per email.
		for (let i = 0; i < 3; i++) {
			const response = await signIn(email("carol"), "wrong horse battery");
			assert.equal(response.status, 401);
			assert.deepEqual(await response.json(), { code: "INVALID_EMAIL_OR_PASSWORD", message: "Invalid email or password" });
			assert.equal(response.headers.get("x-retry-after"), null);
		}
		// Each of the three was its own transaction; only committed counts refuse the fourth, right password or not.
		const refused = await signIn(email("carol"));
		assert.equal(refused.status, 429);
		assert.deepEqual(await refused.json(), { code: "TOO_MANY_REQUESTS", message: "Too many requests. Please try again later." });
		const retry = Number(refused.headers.get("x-retry-after"));
		assert.ok(retry >= 1 && retry <= 10, `X-Retry-After: ${refused.headers.get("x-retry-after")}`);
		assert.equal(refused.headers.getSetCookie().length, 0);

		// The per-IP key is the socket's address: another address in x-forwarded-for does not escape it.
		const otherEmail = await signIn(email("nobody"), "wrong horse battery", { "x-forwarded-for": "203.0.113.9" });
		assert.equal(otherEmail.status, 429);
		assert.ok(Number(otherEmail.headers.get("x-retry-after")) >= 1);

		// The failures' audit rows committed too.
		const { rows } = await owner.query(
			`SELECT event, outcome, count(*)::int AS n FROM neon_auth.audit_log
			  WHERE email = $1 AND event <> 'sign_up' GROUP BY 1, 2 ORDER BY 1, 2`,
			[email("carol")],
		);
		assert.deepEqual(rows, [
			{ event: "rate_limited", outcome: "TOO_MANY_REQUESTS", n: 1 },
			{ event: "sign_in", outcome: "INVALID_EMAIL_OR_PASSWORD", n: 3 },
		]);
	} finally {
		await owner.query("SELECT neon_auth.configure('{\"rate_limit_enabled\": false}')");
	}
});
