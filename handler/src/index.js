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

const json = (status, body, headers = []) => {
	const h = new Headers({ "content-type": "application/json" });
	for (const [name, value] of headers) h.append(name, value);
	return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: h });
};

export function neonAuth(options = {}) {
	const { pool } = options;
	if (!pool || typeof pool.connect !== "function") throw new TypeError("neonAuth: options.pool must be a pg.Pool");
	const basePath = (options.basePath ?? "/api/auth").replace(/\/+$/, "");
	const cookiePrefix = options.cookiePrefix ?? "better-auth";
	const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;

	// Cookies are __Secure- and Secure when the app is served over https: the
	// baseURL if one is given, else the request's own URL.
	const isSecure = (url) => (options.baseURL ?? url).startsWith("https:");

	// Whatever goes wrong, the client gets Better Auth's bare 500, never a
	// stack trace or a message that could quote input.
	async function handler(request, context) {
		try {
			return await serve(request, context);
		} catch (err) {
			if (process.env.NEON_AUTH_DEBUG) console.error("neon_auth handler:", err?.name);
			return new Response(null, { status: 500 });
		}
	}

	async function serve(request, { ip } = {}) {
		const url = new URL(request.url);
		const path = url.pathname.startsWith(basePath + "/") ? url.pathname.slice(basePath.length) : null;
		const match = path === null ? { status: 404 } : findRoute(request.method, path);
		if (!match.route) return new Response(null, { status: match.status });
		const { route, params } = match;
		const input = await readInput(request, url, route, maxBodyBytes);
		if (input.error) return json(input.error.status, input.error.body);
		const settings = requestSettings(request, ip);
		const ctx = {
			request, url, input: { ...input.value, ...params }, cookies: settings.cookies, headers: settings.headers,
			secure: isSecure(request.url), prefix: cookiePrefix, baseURL: options.baseURL,
			cookie: (name) => readCookie(settings.cookies, name, cookiePrefix),
		};
		const refused = route.check?.(ctx, json);
		if (refused) return refused;
		if (route.local) return route.local(ctx, json);
		const args = route.args(ctx);
		const result = await callAuth(pool, route.fn, args.value, {
			request: { method: request.method, path, headers: settings.headers, cookies: settings.cookies },
			after: route.after && ((client, body, row) => route.after(client, body, ctx, row)),
		});
		return route.respond ? route.respond(result, ctx, json) : json(result.status, result.body, result.headers);
	}

	// auth.api.getSession({ headers }) as Better Auth's: {session, user} or
	// null, for integrations that take a Better Auth instance (Mastra).
	async function getSession({ headers } = {}) {
		const request = new Request(`http://localhost${basePath}/get-session`, { headers: headers ?? {} });
		const response = await handler(request);
		if (response.status !== 200) return null;
		return response.json();
	}

	handler.handler = handler;
	handler.api = { getSession };
	handler.options = { basePath, baseURL: options.baseURL, cookiePrefix };
	return handler;
}

export default neonAuth;
export const routes = ROUTES;
