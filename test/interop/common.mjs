// The Better Auth server both interop test files run against: betterAuth()
// with the plugins whose columns neon_auth's schema carries, on the same
// database and with the same secret as neon_auth.
import { betterAuth } from "better-auth";
import { admin, anonymous, bearer, emailOTP, jwt, magicLink, multiSession, oneTimeToken, organization, phoneNumber, twoFactor, username } from "better-auth/plugins";
import assert from "node:assert/strict";
import pg from "pg";

export const secret = "interop-secret-0123456789abcdefghijklmnop";
export const baseURL = "http://localhost:3000";
// The last link token Better Auth "emailed" to each address.
export const mailbox = {};
export const pool = new pg.Pool({ database: process.env.INTEROP_DB, options: "-c search_path=neon_auth" });

export const auth = betterAuth({
	database: pool,
	secret,
	baseURL,
	advanced: { database: { generateId: "uuid" } },
	emailAndPassword: { enabled: true, sendResetPassword: async ({ user, token }) => void (mailbox[user.email] = token) },
	emailVerification: { sendVerificationEmail: async ({ user, token }) => void (mailbox[user.email] = token) },
	plugins: [admin(), anonymous(), bearer(), jwt(), organization({ teams: { enabled: true } }),
		phoneNumber({ sendOTP: async ({ phoneNumber, code }) => void (mailbox[`sms:${phoneNumber}`] = code),
			sendPasswordResetOTP: async ({ phoneNumber, code }) => void (mailbox[`sms-reset:${phoneNumber}`] = code) }),
		twoFactor({ otpOptions: { sendOTP: async ({ user, otp }) => void (mailbox[`otp:${user.email}`] = otp) } }), username(),
		oneTimeToken(), emailOTP({ sendVerificationOTP: async ({ email, otp, type }) => void (mailbox[`${type}:${email}`] = otp) }),
		magicLink({ sendMagicLink: async ({ email, token }) => void (mailbox[`magic:${email}`] = token) }), multiSession()],
});

export const one = async (sql, params) => (await pool.query(sql, params)).rows[0];
await one("SELECT neon_auth.set_secret($1)", [secret]);

// Helpers of the interop tests.
// One suffix per run keeps emails and slugs unique if the file runs twice on a database.
export const run = Date.now().toString(36);
let seq = 0;
export const unique = (prefix) => `${prefix}-${run}-${++seq}`;
export const email = (prefix) => `${unique(prefix)}@example.com`;

// A request to Better Auth's handler, as a browser or app server would send it.
export async function call(method, path, { token, body, query, cookie } = {}) {
	const url = new URL(`${baseURL}/api/auth${path}`);
	for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
	const headers = new Headers({ origin: baseURL });
	if (token) headers.set("authorization", `Bearer ${token}`);
	if (cookie) headers.set("cookie", cookie);
	if (body !== undefined) headers.set("content-type", "application/json");
	const res = await auth.handler(new Request(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
	const text = await res.text();
	let json = null;
	try { json = text ? JSON.parse(text) : null; } catch { json = text; }
	return { status: res.status, json, headers: res.headers };
}
// The same, expecting 200; returns the JSON body.
export async function ba(method, path, opts) {
	const r = await call(method, path, opts);
	assert.equal(r.status, 200, `${method} ${path} answered ${r.status}: ${JSON.stringify(r.json)}`);
	return r.json;
}

// Users made on either side; both return { token, user, password }.
export async function baSignUp(prefix, extra = {}) {
	const password = `${prefix}-password-1`;
	const r = await ba("POST", "/sign-up/email", { body: { email: email(prefix), password, name: prefix, ...extra } });
	assert.ok(r.token && r.user?.id, "Better Auth made a user and a session");
	return { ...r, password };
}
export async function sqlSignUp(prefix) {
	const password = `${prefix}-password-1`;
	const { j } = await one("SELECT neon_auth.sign_up($1, $2, $3) AS j", [email(prefix), password, prefix]);
	return { ...j, password };
}
export const neon = async (sql, params) => (await one(`SELECT ${sql} AS j`, params)).j;
