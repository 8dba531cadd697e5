// Better Auth's cookies: their names, attributes and values. The handler
// never signs anything itself: signed values come from the database
// (neon_auth.session_cookies), which holds the secret.

// The request's cookies as an object, as PostgREST passes them in
// request.cookies. Values stay as sent (URI-encoded): neon_auth decodes
// signed values itself. The first of repeated names wins, as in browsers'
// ordering of the more specific path first.
export function parseCookieHeader(header) {
	const cookies = {};
	if (!header) return cookies;
	for (const part of String(header).split(";")) {
		const eq = part.indexOf("=");
		if (eq < 0) continue;
		const name = part.slice(0, eq).trim();
		if (name && !(name in cookies)) cookies[name] = part.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1");
	}
	return cookies;
}

// A cookie or path value URI-decoded, or as it is when it is no valid
// encoding (a client's malformed % must not become an error).
export function safeDecode(text) {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

// Better Auth names its cookies "<prefix>.<name>", with "__Secure-" in front
// when the base URL is https, and marks them Secure there.
export function cookieName(name, secure, prefix = "better-auth") {
	return `${secure ? "__Secure-" : ""}${prefix}.${name}`;
}

// A Set-Cookie value with Better Auth's attributes: HttpOnly, SameSite=Lax,
// Path=/, Secure over https. maxAge undefined makes a browser-session cookie.
export function setCookie(name, value, { secure, maxAge, prefix } = {}) {
	let cookie = `${cookieName(name, secure, prefix)}=${encodeURIComponent(value)}`;
	if (maxAge !== undefined && maxAge !== null) cookie += `; Max-Age=${Math.floor(maxAge)}`;
	cookie += "; Path=/; HttpOnly; SameSite=Lax";
	if (secure) cookie += "; Secure";
	return ["Set-Cookie", cookie];
}

// Expires a cookie as Better Auth's deleteSessionCookie does.
export function clearCookie(name, options = {}) {
	return setCookie(name, "", { ...options, maxAge: 0 });
}

// Expires a cookie by its full name, as it came in the request (Better
// Auth's expireCookie of a multi-session cookie).
export function clearCookieNamed(fullName, { secure } = {}) {
	return ["Set-Cookie", `${fullName}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`];
}

// The value of one of Better Auth's cookies in a request, under its secure or
// plain name.
export function readCookie(cookies, name, prefix = "better-auth") {
	return cookies[cookieName(name, true, prefix)] ?? cookies[cookieName(name, false, prefix)];
}
