// The two servers the HTTP suites compare, on the same database: a real
// Better Auth 1.7.25 (betterAuth() behind better-auth/node's toNodeHandler)
// and handler/ (neonAuth() behind its Node adapter), each on its own
// loopback port.
import http from "node:http";
import { betterAuth } from "better-auth";
import { toNodeHandler as betterAuthNode } from "better-auth/node";
import { admin, bearer, jwt, multiSession, organization, twoFactor, username, anonymous, phoneNumber } from "better-auth/plugins";
// Dynamic access control (custom roles) needs the access-control instance.
import { defaultAc, defaultRoles } from "better-auth/plugins/organization/access";
import { neonAuth } from "@neon-auth/handler";
import { toNodeHandler } from "@neon-auth/handler/node";
import pg from "pg";

export const secret = "http-suite-secret-0123456789abcdefghijklmn";
export const database = process.env.HTTP_DB;

export async function listen(listener) {
	const server = http.createServer(listener);
	await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
	const url = `http://127.0.0.1:${server.address().port}`;
	return { server, url, close: () => new Promise((resolve) => server.close(resolve)) };
}

// Better Auth with the plugins whose tables and columns neon_auth carries,
// so that both servers answer with the same user and session fields.
// multiSession (config.multi_session on the handler's side) and the cookie
// cache (config.cookie_cache_max_age) where asked.
export function betterAuthServer(pool, baseURL, { multiSession: withMultiSession = false, cookieCache = 0 } = {}) {
	return betterAuth({
		database: pool,
		secret,
		baseURL,
		advanced: { database: { generateId: "uuid" } },
		// Mail goes nowhere: the handler's side queues it in the outbox.
		emailAndPassword: { enabled: true, sendResetPassword: async () => {} },
		emailVerification: { sendVerificationEmail: async () => {} },
		user: { deleteUser: { enabled: true }, changeEmail: { enabled: true } },
		...(cookieCache ? { session: { cookieCache: { enabled: true, maxAge: cookieCache } } } : {}),
		plugins: [admin(), anonymous(), bearer(), jwt(), organization({ teams: { enabled: true }, dynamicAccessControl: { enabled: true }, ac: defaultAc, roles: defaultRoles }),
			phoneNumber({ sendOTP: async () => {} }), twoFactor(), username(), ...(withMultiSession ? [multiSession()] : [])],
	});
}

// Starts both servers. neon_auth's base_url is the handler's origin, so its
// origin checks accept the handler's clients, as Better Auth's accept its own.
export async function startServers(options = {}) {
	const pool = new pg.Pool({ database, max: 8 });
	const baPool = new pg.Pool({ database, options: "-c search_path=neon_auth", max: 8 });
	await pool.query("SELECT neon_auth.set_secret($1)", [secret]);
	let auth;
	const ba = await listen((req, res) => betterAuthNode(auth)(req, res));
	auth = betterAuthServer(baPool, ba.url, options);
	const neon = await listen(toNodeHandler(neonAuth({ pool })));
	await pool.query("SELECT neon_auth.configure(jsonb_build_object('base_url', $1::text, 'rate_limit_enabled', false, " +
		"'multi_session', $2::boolean, 'cookie_cache_max_age', $3::integer))", [neon.url, Boolean(options.multiSession), options.cookieCache ?? 0]);
	return {
		pool, ba, neon, auth,
		close: async () => {
			await ba.close();
			await neon.close();
			await baPool.end();
			await pool.end();
		},
	};
}
