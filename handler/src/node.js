// The Node adapter: toNodeHandler(auth) is a (req, res) listener for
// node:http, Express and Connect, as Better Auth's better-auth/node.
//
//   import http from "node:http";
//   http.createServer(toNodeHandler(neonAuth({ pool }))).listen(3000);
//
// It passes the socket's address as the client IP (neon_auth's per-IP rate
// limits key on it). Behind a proxy, that is the proxy's address; set
// `trustProxy: true` to keep the x-forwarded-for header the proxy sent, whose
// last entry is then the client as the proxy saw it. Without it a client's
// own x-forwarded-for header is dropped.
import { Readable } from "node:stream";

export function toWebRequest(req, { trustProxy = false } = {}) {
	const secure = req.socket?.encrypted || (trustProxy && req.headers["x-forwarded-proto"] === "https");
	const host = req.headers.host ?? "localhost";
	const headers = new Headers();
	for (const [name, value] of Object.entries(req.headers)) {
		if (value === undefined || (!trustProxy && name === "x-forwarded-for")) continue;
		for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
	}
	const hasBody = req.method !== "GET" && req.method !== "HEAD";
	return new Request(`${secure ? "https" : "http"}://${host}${req.url}`, {
		method: req.method,
		headers,
		body: hasBody ? Readable.toWeb(req) : undefined,
		duplex: hasBody ? "half" : undefined,
	});
}

export async function sendWebResponse(res, response) {
	const cookies = response.headers.getSetCookie();
	for (const [name, value] of response.headers) if (name !== "set-cookie") res.setHeader(name, value);
	if (cookies.length) res.setHeader("set-cookie", cookies);
	res.statusCode = response.status;
	res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined);
}

export function toNodeHandler(auth, options = {}) {
	const handler = typeof auth === "function" ? auth : auth.handler;
	return async (req, res) => {
		try {
			// Behind a trusted proxy, the last x-forwarded-for entry (the proxy's
			// view of the client) stays last; otherwise the socket is the client.
			const ip = options.trustProxy ? undefined : req.socket?.remoteAddress;
			const response = await handler(toWebRequest(req, options), { ip });
			// A body the handler refused to read to the end (413) would be
			// taken for the next request on a kept-alive connection: close it.
			if (!req.complete) res.setHeader("connection", "close");
			await sendWebResponse(res, response);
		} catch {
			// Never a stack trace to the client.
			if (!res.headersSent) res.statusCode = 500;
			res.end();
		}
	};
}

export { neonAuth } from "./index.js";
