// One HTTP server for bench/http.sh, chosen by the first argument:
//   handler      handler/ (neonAuth behind its Node adapter)
//   better-auth  Better Auth 1.7.25's own node:http server (better-auth/node)
//   bare         node:http answering a constant: the HTTP limit of this machine
//   direct       node:http calling neon_auth.get_session through pg.Pool with
//                no routing or cookies: the handler's floor
// It prints its port once it listens. One process, as one app server is.
import http from "node:http";
import pg from "pg";

const kind = process.argv[2];
const database = process.env.BENCH_DB;
const pool = new pg.Pool({ database, max: 4, options: kind === "better-auth" ? "-c search_path=neon_auth" : undefined });
let listener;
if (kind === "handler") {
	const { neonAuth } = await import("@neon-auth/handler");
	const { toNodeHandler } = await import("@neon-auth/handler/node");
	listener = toNodeHandler(neonAuth({ pool }));
} else if (kind === "better-auth") {
	const { betterAuth } = await import("better-auth");
	const { toNodeHandler } = await import("better-auth/node");
	const auth = betterAuth({
		database: pool, secret: process.env.BENCH_SECRET, baseURL: "http://127.0.0.1",
		advanced: { database: { generateId: "uuid" } }, emailAndPassword: { enabled: true },
	});
	listener = toNodeHandler(auth);
} else if (kind === "bare") {
	listener = (req, res) => res.setHeader("content-type", "application/json").end("null");
} else if (kind === "direct") {
	listener = async (req, res) => {
		const cookie = /better-auth\.session_token=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
		const { rows } = await pool.query({ name: "gs", text: "SELECT neon_auth.get_session($1) AS s", values: [cookie] });
		res.setHeader("content-type", "application/json").end(JSON.stringify(rows[0].s));
	};
} else {
	throw new Error(`unknown server kind ${kind}`);
}
const server = http.createServer(listener);
server.keepAliveTimeout = 60000;
process.on("SIGINT", () => process.exit(0));
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
