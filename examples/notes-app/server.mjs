// The notes example: one page, Better Auth's REST API served by neon_auth at
// /api/auth/*, and /api/notes, whose rows the database filters by the
// signed-in user (row-level security, see setup.sql).
//
// There is no identity logic here. The server passes the browser's cookies
// to the database as PostgREST would, and the database verifies the session
// cookie and decides whose rows a query sees and what it may insert.
//
//   DATABASE_URL=postgres://... PORT=3000 node server.mjs
import http from "node:http";
import { readFile } from "node:fs/promises";
import pg from "pg";
import { neonAuth, requestSettings } from "@neon-auth/handler";
import { toNodeHandler } from "@neon-auth/handler/node";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
const auth = toNodeHandler(neonAuth({ pool }));

// The only files served: a fixed list, so no path from a request reaches the file system.
const pages = {
	"/": ["index.html", "text/html; charset=utf-8"],
	"/app.js": ["app.js", "text/javascript; charset=utf-8"],
};

function send(res, status, body) {
	res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
	res.end(JSON.stringify(body));
}

async function readJson(req, limit = 64 * 1024) {
	let text = "";
	for await (const chunk of req) {
		text += chunk;
		if (text.length > limit) throw Object.assign(new Error("body too large"), { status: 413 });
	}
	try {
		return JSON.parse(text || "{}");
	} catch {
		throw Object.assign(new Error("invalid JSON"), { status: 400 });
	}
}

// Runs one query as the caller, in one transaction: as the unprivileged role
// notes_user (RLS applies to it), with the request's method, path, headers
// and cookies in the settings PostgREST uses, which is where
// neon_auth.requesting_user_id() finds the session cookie. All of it is
// transaction-local (SET LOCAL, set_config(..., true)), so nothing outlives
// the request on the pooled connection.
async function asCaller(req, text, values = []) {
	const s = requestSettings(req);
	const client = await pool.connect();
	try {
		await client.query("BEGIN");
		await client.query("SET LOCAL ROLE notes_user");
		await client.query(
			`SELECT set_config('request.method', $1, true), set_config('request.path', $2, true),
			        set_config('request.headers', $3, true), set_config('request.cookies', $4, true)`,
			[s.method, s.path, JSON.stringify(s.headers), JSON.stringify(s.cookies)],
		);
		const { rows } = await client.query(text, values);
		await client.query("COMMIT");
		return rows;
	} catch (err) {
		await client.query("ROLLBACK").catch(() => {});
		throw err;
	} finally {
		client.release();
	}
}

async function notes(req, res) {
	if (req.method === "GET") {
		// No WHERE clause: the policy leaves only the caller's rows (none when signed out).
		return send(res, 200, { notes: await asCaller(req, "SELECT id, body FROM public.notes ORDER BY id") });
	}
	if (req.method !== "POST") return send(res, 405, { message: "Method not allowed" });
	// JSON only: a cross-site HTML form cannot send it, and a cross-site fetch
	// with it needs a CORS preflight this server never grants (on top of the
	// session cookie's SameSite=Lax).
	if (!/^application\/json\s*(;|$)/i.test(req.headers["content-type"] ?? "")) {
		return send(res, 415, { message: "Send JSON" });
	}
	const { body } = await readJson(req);
	if (typeof body !== "string" || !body.trim() || body.length > 1000) {
		return send(res, 400, { message: "A note is 1 to 1000 characters" });
	}
	try {
		// owner_id is left to its default, the caller as the database sees it.
		const [note] = await asCaller(req, "INSERT INTO public.notes (body) VALUES ($1) RETURNING id, body", [body.trim()]);
		return send(res, 201, note);
	} catch (err) {
		// 42501: the policy refused the row. Signed out, owner_id defaults to NULL, which matches no one.
		if (err.code === "42501") return send(res, 401, { message: "Sign in to add notes" });
		throw err;
	}
}

const server = http.createServer(async (req, res) => {
	const { pathname } = new URL(req.url, "http://localhost");
	try {
		if (pathname.startsWith("/api/auth/")) return await auth(req, res);
		if (pathname === "/api/notes") return await notes(req, res);
		const page = pages[pathname];
		if (!page || req.method !== "GET") return send(res, 404, { message: "Not found" });
		res.writeHead(200, {
			"content-type": page[1],
			"content-security-policy": "default-src 'self'; style-src 'self' 'unsafe-inline'",
		});
		res.end(await readFile(new URL(`public/${page[0]}`, import.meta.url)));
	} catch (err) {
		if (err.status) return send(res, err.status, { message: err.message });
		console.error(err);
		if (!res.headersSent) send(res, 500, { message: "Internal error" });
	}
});

server.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? "127.0.0.1", () => {
	const { address, port } = server.address();
	console.log(`notes app listening on http://${address}:${port}`);
});

for (const signal of ["SIGINT", "SIGTERM"]) {
	process.on(signal, () => {
		server.close(() => pool.end().then(() => process.exit(0)));
		server.closeAllConnections();   // a browser's keep-alive connections would hold close() open
	});
}
