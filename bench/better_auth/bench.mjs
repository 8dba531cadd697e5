// Better Auth 1.7 vs neon_auth on the same database, machine and run
// (run by ../better_auth.sh, which made the database, 1000 users with one
// session each and the sign-in user bench@example.com):
//   session checks: Better Auth getSession in-process, through auth.handler,
//     and over HTTP (a node:http server in a child process, fetch with
//     keep-alive) vs SELECT neon_auth.get_session($1) / verify_session($1);
//   email sign-in: Better Auth signInEmail in-process and through the
//     handler vs SELECT neon_auth.sign_in($1, $2).
// Every measure keeps CONCURRENCY requests in flight for SECS seconds; the
// measures take turns in ROUNDS rounds and the medians are printed.
// Usage: BENCH_DB=db node bench.mjs [seconds]   (connection from PGHOST etc.)
import { fork } from "node:child_process";
import { createServer } from "node:http";
import { availableParallelism } from "node:os";
import { betterAuth } from "better-auth";
import { toNodeHandler } from "better-auth/node";
import { bearer } from "better-auth/plugins";
import pg from "pg";

const SECS = Number(process.argv[2] ?? 10);
const CONCURRENCY = 8; // requests in flight, and the size of every pool
const ROUNDS = 3;
const secret = "bench-secret-0123456789abcdefghijklmnopq";
const baseURL = "http://localhost:3000";
const email = "bench@example.com", password = "bench-password-1";

// Configured as in test/interop. Better Auth's cookie cache (session.cookieCache)
// stays off, its default, so every getSession reads the session and user rows
// from the database as neon_auth.get_session does. Its rate limiter is off as
// neon_auth's is (the sign-in measures sign one user in again and again).
function makeAuth() {
	const pool = new pg.Pool({ database: process.env.BENCH_DB, max: CONCURRENCY, options: "-c search_path=neon_auth" });
	const auth = betterAuth({
		database: pool, secret, baseURL,
		advanced: { database: { generateId: "uuid" } },
		emailAndPassword: { enabled: true },
		rateLimit: { enabled: false },
		plugins: [bearer()],
	});
	return { pool, auth };
}

// The child process: Better Auth's node:http server, so that its event loop
// is not the one driving the requests.
if (process.argv[2] === "serve") {
	const { auth } = makeAuth();
	const server = createServer(toNodeHandler(auth)).listen(0, "127.0.0.1", () => process.send(server.address().port));
	process.on("disconnect", () => process.exit(0));
} else {
	await main();
}

async function main() {
	const { pool: baPool, auth } = makeAuth();
	const pool = new pg.Pool({ database: process.env.BENCH_DB, max: CONCURRENCY });
	await pool.query("SELECT neon_auth.set_secret($1)", [secret]);
	const tokens = (await pool.query(`SELECT token FROM neon_auth.session s JOIN neon_auth."user" u ON u.id = s."userId"
	                                   WHERE u.email LIKE 'u%@example.com' ORDER BY s.id`)).rows.map((r) => r.token);
	const tok = (i) => tokens[i % tokens.length];
	const bearerOf = (i) => ({ authorization: `Bearer ${tok(i)}` });

	const child = fork(new URL(import.meta.url).pathname, ["serve"]);
	const port = await new Promise((resolve) => child.once("message", resolve));
	const http = `http://127.0.0.1:${port}/api/auth`;

	// Each call throws unless it got a session, so a failure cannot pass for speed.
	const must = (v, what) => { if (!v) throw new Error(`${what}: no session`); return v; };
	const viaHandler = async (path, init) => {
		const res = await auth.handler(new Request(`${baseURL}/api/auth${path}`, init));
		return must(res.ok && (await res.json()), `handler ${path} ${res.status}`);
	};
	const viaHttp = async (path, init) => {
		const res = await fetch(`${http}${path}`, init);
		return must(res.ok && (await res.json()), `http ${path} ${res.status}`);
	};
	const signInInit = { method: "POST", headers: { "content-type": "application/json", origin: baseURL },
		body: JSON.stringify({ email, password }) };
	const sql = async (text, values) => must((await pool.query(text, values)).rows[0].r, text);

	const session = {
		"Better Auth auth.api.getSession": (i) => auth.api.getSession({ headers: new Headers(bearerOf(i)) }).then((v) => must(v, "getSession")),
		"Better Auth auth.handler GET /get-session": (i) => viaHandler("/get-session", { headers: bearerOf(i) }),
		"Better Auth node:http + fetch /get-session": (i) => viaHttp("/get-session", { headers: bearerOf(i) }),
		"neon_auth.get_session($1) via pg.Pool": (i) => sql("SELECT neon_auth.get_session($1) AS r", [tok(i)]),
		"neon_auth.verify_session($1) via pg.Pool": (i) => sql("SELECT neon_auth.verify_session($1) AS r", [tok(i)]),
	};
	// Same scrypt parameters and hash format on both sides, but different code:
	// neon_auth runs libsodium's scrypt, Better Auth Node's (OpenSSL's, on
	// libuv's 4 threads), so the KDF alone need not cost the same.
	const signIn = {
		"Better Auth auth.api.signInEmail": () => auth.api.signInEmail({ body: { email, password } }).then((v) => must(v.token, "signInEmail")),
		"Better Auth auth.handler POST /sign-in/email": () => viaHandler("/sign-in/email", signInInit),
		"neon_auth.sign_in($1, $2) via pg.Pool": () => sql("SELECT neon_auth.sign_in($1, $2) ->> 'token' AS r", [email, password]),
	};
	const all = { ...session, ...signIn };

	// Keeps CONCURRENCY calls in flight for secs; returns ops/s and mean ms.
	async function measure(fn, secs) {
		let n = 0, next = 0, busy = 0;
		const t0 = performance.now(), end = t0 + secs * 1000;
		await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
			while (performance.now() < end) {
				const t = performance.now();
				await fn(next++);
				busy += performance.now() - t;
				n++;
			}
		}));
		return { ops: n / ((performance.now() - t0) / 1000), ms: busy / n };
	}

	// Warm-up: JIT, connections, plan caches, the server's first requests.
	for (const fn of Object.values(all)) await measure(fn, 1);
	const results = Object.fromEntries(Object.keys(all).map((k) => [k, []]));
	for (let r = 1; r <= ROUNDS; r++) {
		process.stderr.write(`round ${r}/${ROUNDS}\n`);
		for (const [name, fn] of Object.entries(all)) results[name].push(await measure(fn, SECS));
	}
	child.disconnect();
	await Promise.all([pool.end(), baPool.end()]);

	const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
	const med = (name, k) => median(results[name].map((x) => x[k]));
	// Ratio per round (the two ran minutes apart at most), then the median.
	const ratio = (a, b) => median(results[a].map((x, r) => x.ops / results[b][r].ops));
	const row = (name) => console.log(`${name.padEnd(46)} ${med(name, "ops").toFixed(1).padStart(10)} ${med(name, "ms").toFixed(2).padStart(9)}`);

	console.log(`\n${ROUNDS} rounds of ${SECS}s per measure, ${CONCURRENCY} in flight, pools of ${CONCURRENCY}, ` +
		`${tokens.length} sessions round-robin (Bearer <token>); medians`);
	console.log(`${"session check".padEnd(46)} ${"ops/s".padStart(10)} ${"mean ms".padStart(9)}`);
	Object.keys(session).forEach(row);
	console.log(`${"email sign-in (scrypt N=16384 r=16 p=1)".padEnd(46)} ${"ops/s".padStart(10)} ${"mean ms".padStart(9)}`);
	Object.keys(signIn).forEach(row);

	const [baApi, baHandler, baHttp, getSession, verifySession] = Object.keys(session);
	const [baSignIn, baSignInHandler, signInSql] = Object.keys(signIn);
	const line = (label, a, b, goal = "") => console.log(`${label.padEnd(46)} ${ratio(a, b).toFixed(2).padStart(8)}x ${goal}`);
	console.log("\nthroughput ratios, neon_auth / Better Auth (median of per-round ratios)");
	line("get_session / auth.api.getSession", getSession, baApi, " (goal >= 5x)");
	line("get_session / auth.handler", getSession, baHandler);
	line("get_session / node:http server", getSession, baHttp);
	line("verify_session / auth.api.getSession", verifySession, baApi);
	line("verify_session / node:http server", verifySession, baHttp);
	line("sign_in / auth.api.signInEmail", signInSql, baSignIn, " (same scrypt parameters: expect ~1x)");
	line("sign_in / auth.handler POST", signInSql, baSignInHandler);
	const perRound = (a, b) => results[a].map((x, r) => (x.ops / results[b][r].ops).toFixed(2)).join(" ");
	console.log(`per-round get_session / getSession: ${perRound(getSession, baApi)};  sign_in / signInEmail: ${perRound(signInSql, baSignIn)}`);
	console.log(`\ncaveat: ${availableParallelism()} cores shared by everything: the Node client, ` +
		"Better Auth (in-process or its server process) and the PostgreSQL backends compete for them, " +
		"so absolute figures are low and only ratios within this run mean much.");
}
