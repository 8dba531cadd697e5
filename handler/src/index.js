// neonAuth({ pool }): Better Auth's REST API (the paths under /api/auth)
// served by the neon_auth extension. Each request is one call of one SQL
// function in one transaction (see call.js); the handler keeps no state
// between requests and holds no secret.
import { callAuth, requestSettings } from "./call.js";
import { readCookie } from "./cookies.js";
import { ROUTES, findRoute } from "./routes.js";
import { readInput } from "./input.js";

export { callAuth, requestSettings } from "./call.js";
export { ERROR_CODES } from "./errors.js";
export { ROUTES } from "./routes.js";

// The handler works on plain objects, so that the Node adapter need not make
// Web Request and Response objects (half the cost of a get-session):
//   request:  { method, url, headers: { lower-case name: value }, readBody(max), ip }
//   response: { status, headers: [[name, value]], body: string | undefined }
const json = (status, body, headers = []) => ({
	status,
	headers: [["Content-Type", "application/json"], ...headers],
	body: body === undefined ? undefined : JSON.stringify(body),
});
// A function's answer passed through as the JSON text the database sent.
const passThrough = (result, extraHeaders = []) => ({
	status: result.status,
	headers: [["Content-Type", "application/json"], ...result.headers, ...extraHeaders],
	body: result.text ?? "null",
});

// A Web Request's body as text, or null once it passes maxBytes.
async function readWebBody(request, maxBytes) {
	const reader = request.body?.getReader();
	if (!reader) return "";
	const chunks = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > maxBytes) {
			await reader.cancel().catch(() => {});
			return null;
		}
		chunks.push(value);
	}
	return Buffer.concat(chunks).toString("utf8");
}

// x-forwarded-for is kept only from a trusted proxy: otherwise its last
// entry, which neon_auth's per-IP rate limits key on, would be the client's
// own choice.
export function fromWebRequest(request, ip, trustProxy = false) {
	const headers = {};
	request.headers.forEach((value, name) => void (headers[name] = value));
	if (!trustProxy) delete headers["x-forwarded-for"];
	return { method: request.method, url: request.url, headers, ip, readBody: (max) => readWebBody(request, max) };
}

export function toWebResponse({ status, headers, body }) {
	const h = new Headers();
	for (const [name, value] of headers) h.append(name, value);
	return new Response(body ?? null, { status, headers: h });
}

export function neonAuth(options = {}) {
	const { pool } = options;
	if (!pool || typeof pool.connect !== "function") throw new TypeError("neonAuth: options.pool must be a pg.Pool");
	const basePath = (options.basePath ?? "/api/auth").replace(/\/+$/, "");
	const cookiePrefix = options.cookiePrefix ?? "better-auth";
	const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;

	// Cookies are __Secure- and Secure when the app is served over https: the
	// baseURL if one is given, else the request's own URL.
	const trustProxy = options.trustProxy ?? false;
	const isSecure = (request) => (options.baseURL ?? request.url).startsWith("https:") ||
		(trustProxy && request.headers["x-forwarded-proto"] === "https");
	let warned = false;
	// Without the client's address only the per-email rate limits apply: say so once.
	const warnNoAddress = (request) => {
		if (warned || request.internal || request.ip || request.headers["x-forwarded-for"]) return;
		warned = true;
		console.warn("neon_auth handler: no client address (pass { ip } to auth.handler, or trustProxy: true behind a proxy " +
			"that sets x-forwarded-for); per-IP rate limits are off for such requests");
	};

	// Whatever goes wrong, the client gets Better Auth's bare 500, never a
	// stack trace or a message that could quote input.
	async function serve(request) {
		try {
			return await route(request);
		} catch (err) {
			if (process.env.NEON_AUTH_DEBUG) console.error("neon_auth handler:", err?.name, err?.code ?? "");
			return { status: 500, headers: [], body: undefined };
		}
	}

	async function route(request) {
		const url = new URL(request.url);
		const path = url.pathname.startsWith(basePath + "/") ? url.pathname.slice(basePath.length) : null;
		const match = path === null ? { status: 404 } : findRoute(request.method, path);
		if (!match.route) return { status: match.status, headers: [], body: undefined };
		const { route, params } = match;
		const input = await readInput(request, url, route, maxBodyBytes);
		if (input.error) return json(input.error.status, input.error.body);
		warnNoAddress(request);
		const settings = requestSettings({ method: request.method, path, headers: request.headers }, request.ip);
		// The database finds the session cookie by config.cookie_prefix, which
		// must be this handler's cookiePrefix (docs/http.md).
		const forDatabase = settings;
		const ctx = {
			request, url, input: { ...input.value, ...params }, cookies: settings.cookies, headers: settings.headers,
			secure: isSecure(request), prefix: cookiePrefix, baseURL: options.baseURL,
			cookie: (name) => readCookie(settings.cookies, name, cookiePrefix),
		};
		const refused = route.check?.(ctx, json);
		if (refused) return refused;
		if (route.local) return route.local(ctx, json);
		const result = await callAuth(pool, route.fn, route.args(ctx).value, {
			request: forDatabase,
			after: route.after && ((client, body, row) => route.after(client, body, ctx, row)),
			columns: route.columns,
			prepare: route.prepare,
		});
		if (route.respond) return route.respond(result, ctx, json, passThrough);
		return result.text === undefined ? json(result.status, result.body, result.headers) : passThrough(result);
	}

	// The Web-standard handler: (Request) => Promise<Response>.
	async function handler(request, { ip } = {}) {
		try {
			return toWebResponse(await serve(fromWebRequest(request, ip, trustProxy)));
		} catch {
			return new Response(null, { status: 500 });
		}
	}

	// auth.api.getSession({ headers }) as Better Auth's: {session, user} or
	// null, for integrations that take a Better Auth instance (Mastra).
	async function getSession({ headers } = {}) {
		const request = fromWebRequest(new Request(`http://localhost${basePath}/get-session`, { headers: headers ?? {} }));
		const response = await serve({ ...request, internal: true });
		return response.status === 200 ? JSON.parse(response.body) : null;
	}

	handler.handler = handler;
	handler.serve = serve;   // the plain-object form, for the Node adapter
	handler.api = { getSession };
	handler.options = { basePath, baseURL: options.baseURL, cookiePrefix, trustProxy };
	return handler;
}

export default neonAuth;
export const routes = ROUTES;
