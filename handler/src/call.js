// The per-request helper the handler is built on, exported for application
// servers that call neon_auth's functions without the handler's routing.
//
// One call is one transaction on one pooled connection. It first sets what
// PostgREST sets for a request (request.method, request.path,
// request.headers, request.cookies), so the database sees the caller's
// cookies, client address and user agent, runs in HTTP mode (expected
// failures are answered and commit their rate-limit count and audit row),
// and checks the Origin of cookie-authenticated writes. Then it calls one
// function, and reads back the status and headers the function set.
import { errorFor, internalError } from "./errors.js";
import { parseCookieHeader } from "./cookies.js";

// SQL identifiers come from the route table only, never from a request.
const IDENT = /^[a-z_][a-z0-9_]*$/;

// Turns a Web Request (or a plain description of one) into the four
// settings. `ip`, when known (the Node adapter passes the socket's
// address), is appended to x-forwarded-for as a proxy would append it:
// neon_auth keys its per-IP rate limits on that last entry, which the client
// cannot choose.
export function requestSettings(request = {}, ip) {
	const url = request.url ? new URL(request.url, "http://localhost") : null;
	const headers = {};
	const source = request.headers;
	if (source && typeof source.forEach === "function" && !(source instanceof Array)) {
		source.forEach((value, name) => void (headers[name.toLowerCase()] = value));
	} else if (source) {
		for (const [name, value] of Object.entries(source)) {
			if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
		}
	}
	const address = ip ?? request.ip;
	if (address) {
		const plain = String(address).replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
		headers["x-forwarded-for"] = headers["x-forwarded-for"] ? `${headers["x-forwarded-for"]}, ${plain}` : plain;
	}
	const cookies = request.cookies ?? parseCookieHeader(headers.cookie);
	return {
		method: request.method ?? "POST",
		path: request.path ?? url?.pathname ?? "/",
		headers,
		cookies,
	};
}

function sqlCall(fn, names, columns = "") {
	if (!IDENT.test(fn) || !names.every((n) => IDENT.test(n))) throw new Error(`bad SQL name in route table: ${fn}`);
	const args = names.map((n, i) => `"${n}" => $${i + 5}`).join(", ");
	// The settings are made in a materialized CTE, so they are in place before
	// the function runs; OFFSET 0 keeps the call below the reads of
	// response.status and response.headers, which it sets. `columns` are a
	// route's own expressions over the answer r.body (from the route table).
	return `WITH req AS MATERIALIZED (SELECT set_config('request.method', $1, true), set_config('request.path', $2, true),
	                set_config('request.headers', $3, true), set_config('request.cookies', $4, true))
	SELECT to_jsonb(r.body)::text AS body, current_setting('response.status', true) AS status,
	       current_setting('response.headers', true) AS headers${columns}
	  FROM (SELECT neon_auth.${fn}(${args}) AS body FROM req OFFSET 0) r`;
}

// Each distinct call is a named prepared statement on each connection.
const statements = new Map();
function statementFor(fn, names, columns) {
	const key = `${fn}(${names.join(",")})${columns ?? ""}`;
	let statement = statements.get(key);
	if (!statement) statements.set(key, (statement = { name: `neon_auth_${statements.size}`, text: sqlCall(fn, names, columns) }));
	return statement;
}

// jsonb arguments are passed as JSON text; everything else as its string
// form, typed by the function's signature.
function param(value) {
	if (value === undefined || value === null) return null;
	if (typeof value === "object") return JSON.stringify(value);
	return value;
}

function responseHeaders(text) {
	if (!text) return [];
	try {
		const list = JSON.parse(text);
		return Array.isArray(list) ? list.flatMap((h) => Object.entries(h)) : [];
	} catch {
		return [];
	}
}

// The function's answer. The body arrives as JSON text and is parsed only if
// someone reads it: a route that passes it through (get-session) sends the
// text as it came, which saves a parse and a serialisation per request.
function answer(ok, status, text, headers, row) {
	let parsed;
	return {
		ok, status, headers, row, text,
		get body() {
			if (parsed === undefined) parsed = text === null ? null : JSON.parse(text);
			return parsed;
		},
	};
}

// callAuth(pool, fn, args, { request, ip, after })
//   fn: the neon_auth function ("sign_in"); args: { argument_name: value }
//   (only non-undefined values are passed; the others take the function's
//   defaults). `after(client, result)` runs in the same transaction once the
//   call succeeded (the handler signs cookies there) and may return extra
//   response headers. Resolves to { ok, status, body, headers } and never
//   throws for a failure the database reports: raised errors become Better
//   Auth's status and {code, message}. Nothing is committed for a raised
//   error, and nothing `after` would set is returned for any failure.
export async function callAuth(pool, fn, args = {}, { request, ip, after, columns, prepare = false } = {}) {
	const names = Object.keys(args).filter((k) => args[k] !== undefined);
	const settings = requestSettings(request, ip);
	const values = [settings.method, settings.path, JSON.stringify(settings.headers), JSON.stringify(settings.cookies),
		...names.map((n) => param(args[n]))];
	let client;
	try {
		client = await pool.connect();
	} catch (err) {
		return internalError(err);
	}
	let failed = false;
	try {
		// Without a follow-up step the call is one statement, which is its own
		// transaction: one round trip on the hot path (get-session).
		if (after) await client.query("BEGIN");
		// Prepared only where asked (the hot path): every combination of given
		// arguments is a statement of its own, kept on each connection.
		const statement = statementFor(fn, names, columns);
		const { rows } = await client.query({ name: prepare ? statement.name : undefined, text: statement.text, values });
		const row = rows[0];
		const status = Number(row.status) || 200;
		const headers = responseHeaders(row.headers);
		const ok = status < 400;
		const result = answer(ok, status, row.body, headers, row);
		if (after) {
			if (ok) headers.push(...((await after(client, result.body, row)) ?? []));
			await client.query("COMMIT");
		}
		return result;
	} catch (err) {
		failed = true;
		if (after) await client.query("ROLLBACK").catch(() => {});
		return errorFor(err);
	} finally {
		// A connection that failed below SQL (a dropped socket) is not reused.
		client.release(failed && !client._queryable ? true : undefined);
	}
}

// The answered failure body and status, as a Web Response.
export function toResponse({ status, body, headers }, extraHeaders = []) {
	const h = new Headers({ "content-type": "application/json" });
	for (const [name, value] of [...headers, ...extraHeaders]) h.append(name, value);
	return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: h });
}
