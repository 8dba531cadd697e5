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
// own x-forwarded-for header is dropped. It passes plain objects to the
// handler's serve(), not Web Request and Response objects, which cost as
// much as the rest of a get-session.
// The request as the handler's plain object (index.js), without building a
// Web Request. A client's own x-forwarded-for is dropped unless the proxy in
// front is trusted to have written it.
export function fromNodeRequest(req, { trustProxy = false } = {}) {
	const secure = req.socket?.encrypted || (trustProxy && req.headers["x-forwarded-proto"] === "https");
	const headers = {};
	for (const [name, value] of Object.entries(req.headers)) {
		if (value === undefined || (!trustProxy && name === "x-forwarded-for")) continue;
		headers[name] = Array.isArray(value) ? value.join(", ") : value;
	}
	// The route comes from the request target alone: a Host header is checked
	// to be a host[:port], so that it cannot carry a path of its own.
	const host = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(req.headers.host ?? "") ? req.headers.host : "localhost";
	const target = req.url.startsWith("/") && !req.url.startsWith("//") ? req.url : "/";
	return {
		method: req.method,
		url: `${secure ? "https" : "http"}://${host}${target}`,
		headers,
		// Behind a trusted proxy the last x-forwarded-for entry (the proxy's
		// view of the client) stays last; otherwise the socket is the client.
		ip: trustProxy ? undefined : req.socket?.remoteAddress,
		readBody: (maxBytes) => readNodeBody(req, maxBytes),
	};
}

function readNodeBody(req, maxBytes) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		const onData = (chunk) => {
			size += chunk.length;
			if (size > maxBytes) {
				req.off("data", onData);
				req.pause();
				resolve(null);
				return;
			}
			chunks.push(chunk);
		};
		req.on("data", onData);
		req.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
		req.once("error", reject);
	});
}

export function sendResponse(res, { status, headers, body }) {
	const cookies = [];
	for (const [name, value] of headers) {
		if (name.toLowerCase() === "set-cookie") cookies.push(value);
		else res.setHeader(name, value);
	}
	if (cookies.length) res.setHeader("set-cookie", cookies);
	res.statusCode = status;
	res.end(body);
}

export function toNodeHandler(auth, options = { trustProxy: auth.options?.trustProxy }) {
	const serve = auth.serve;
	return async (req, res) => {
		try {
			const response = await serve(fromNodeRequest(req, options));
			// A body the handler refused to read to the end (413) would be
			// taken for the next request on a kept-alive connection: close it.
			if (!req.complete) res.setHeader("connection", "close");
			sendResponse(res, response);
		} catch {
			// Never a stack trace to the client.
			if (!res.headersSent) res.statusCode = 500;
			res.end();
		}
	};
}

export { neonAuth } from "./index.js";
