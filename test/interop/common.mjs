// The Better Auth server both interop test files run against: betterAuth()
// with the plugins whose columns neon_auth's schema carries, on the same
// database and with the same secret as neon_auth.
import { betterAuth } from "better-auth";
import { admin, anonymous, bearer, emailOTP, jwt, magicLink, oneTimeToken, organization, phoneNumber, twoFactor, username } from "better-auth/plugins";
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
		magicLink({ sendMagicLink: async ({ email, token }) => void (mailbox[`magic:${email}`] = token) })],
});

export const one = async (sql, params) => (await pool.query(sql, params)).rows[0];
await one("SELECT neon_auth.set_secret($1)", [secret]);
