// A request's input as Better Auth reads it: the JSON or form body of a
// POST, the query string of a GET, checked against the route's fields with
// Better Auth's status, code and message for each kind of bad input.
// `request` is the handler's plain request (index.js): lower-cased header
// names and readBody(maxBytes), which gives null for a body over the limit.

const error = (status, code, message) => ({ error: { status, body: { message, code } } });

// The body of a POST: {} when there is none; JSON, or for the routes that
// allow it form-urlencoded, as Better Auth's router (415 for any other type,
// 400 for bad JSON).
async function bodyOf(request, maxBytes, allowForm) {
	const declared = Number(request.headers["content-length"]);
	if (declared > maxBytes) return error(413, "PAYLOAD_TOO_LARGE", "Request body is too large");
	const text = await request.readBody(maxBytes);
	if (text === null) return error(413, "PAYLOAD_TOO_LARGE", "Request body is too large");
	if (text === "") return { value: {} };
	const allowed = allowForm ? "application/x-www-form-urlencoded, application/json" : "application/json";
	const header = request.headers["content-type"];
	if (!header) return error(415, "UNSUPPORTED_MEDIA_TYPE", `Content-Type is required. Allowed types: ${allowed}`);
	const type = header.split(";")[0].trim().toLowerCase();
	if (type === "application/json") {
		try {
			const value = JSON.parse(text);
			return { value: value && typeof value === "object" && !Array.isArray(value) ? value : {} };
		} catch {
			return error(400, "BAD_REQUEST", "Invalid JSON in request body");
		}
	}
	if (allowForm && type === "application/x-www-form-urlencoded") return { value: Object.fromEntries(new URLSearchParams(text)) };
	return error(415, "UNSUPPORTED_MEDIA_TYPE",
		`Content-Type "${header.slice(0, 200)}" is not allowed. Allowed types: ${allowed}`);
}

const typeName = (v) => (v === undefined ? "undefined" : v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

// Query values arrive as strings; the route's field types say what to make
// of them, as Better Auth's coercing query schemas do.
function coerce(value, type) {
	if (typeof value !== "string") return value;
	if (type === "number" && value.trim() !== "" && !Number.isNaN(Number(value))) return Number(value);
	if (type === "boolean" && (value === "true" || value === "false")) return value === "true";
	return value;
}

// Checks the input against the route's fields ({ name: "type" or "type!" for
// required }) and keeps only those fields. Unknown fields are dropped, as
// Better Auth's schemas drop them.
function validate(raw, fields, where) {
	const value = {};
	const problems = [];
	for (const [name, spec] of Object.entries(fields)) {
		const required = spec.endsWith("!");
		const types = spec.replace(/!$/, "").split("|");
		const v = where === "query" ? coerce(raw[name], types[0]) : raw[name];
		if (v === undefined || (v === null && !required)) {
			if (required) problems.push(`[${where}.${name}] Invalid input: expected ${types[0]}, received ${typeName(v)}`);
			continue;
		}
		if (!types.includes(typeName(v)) && !types.includes("any")) {
			problems.push(`[${where}.${name}] Invalid input: expected ${types[0]}, received ${typeName(v)}`);
			continue;
		}
		value[name] = v;
	}
	if (problems.length) return error(400, "VALIDATION_ERROR", problems.join("; "));
	return { value };
}

export async function readInput(request, url, route, maxBytes) {
	if (request.method === "GET") return validate(Object.fromEntries(url.searchParams), route.fields, "query");
	const body = await bodyOf(request, maxBytes, route.form);
	if (body.error) return body;
	// A POST reads its body; only the fields a route lists in `query` may come
	// from the query string too (reset-password's token, as Better Auth's), so
	// that no password travels in a URL.
	const fromQuery = {};
	for (const name of route.query ?? []) if (url.searchParams.has(name)) fromQuery[name] = url.searchParams.get(name);
	return validate({ ...fromQuery, ...body.value }, route.fields, "body");
}
