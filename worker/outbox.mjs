#!/usr/bin/env node
// neon_auth's outbox worker: delivers the messages the database queues
// (verification, email-change and password-reset links).
//
// It LISTENs on channel neon_auth_outbox, and also polls every
// NEON_AUTH_WORKER_POLL_MS (default 30000) for retries that come due. Each
// round claims messages with neon_auth.outbox_claim() (a lease: a worker that
// dies mid-delivery leaves them to be claimed again later), sends each one,
// and records the result with outbox_delivered() or outbox_failed().
//
// Configuration (environment):
//   PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD or DATABASE_URL
//       a role that may execute neon_auth.outbox_claim/_delivered/_failed
//       (the extension owner, or a role it granted EXECUTE on them);
//   NEON_AUTH_MAIL   where messages go: smtp://user:pass@host:port (or
//       smtps://), file:/path/to/messages.jsonl (one JSON object per line),
//       or stdout (the default; for development);
//   NEON_AUTH_MAIL_FROM   the From address (default no-reply@localhost);
//   NEON_AUTH_SMS   where text messages (kind 'sms') go: an http(s):// webhook
//       that gets POST {"to", "text"} as JSON (with NEON_AUTH_SMS_TOKEN as a
//       bearer token, when set), file:/path/to/sms.jsonl, or stdout (default);
//   NEON_AUTH_WORKER_POLL_MS   the polling interval.
// Flags: --once delivers what is due and exits (for cron or tests).
import { realpathSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import process from "node:process";
import nodemailer from "nodemailer";
import pg from "pg";

const CHANNEL = "neon_auth_outbox";
const pollMs = Number(process.env.NEON_AUTH_WORKER_POLL_MS ?? 30000);
const from = process.env.NEON_AUTH_MAIL_FROM ?? "no-reply@localhost";
const once = process.argv.includes("--once");

// The text of each kind of message. Link tokens appear only in the body.
const templates = {
	"verify-email": (d) => ({
		subject: "Verify your email address",
		text: `Hello ${d.name ?? ""},\n\nConfirm your email address by opening this link:\n\n${d.url}\n\nIt expires at ${d.expires_at}.\n`,
	}),
	"change-email": (d) => ({
		subject: "Confirm your new email address",
		text: `Hello ${d.name ?? ""},\n\nConfirm ${d.new_email} as your new email address by opening this link:\n\n${d.url}\n\nIt expires at ${d.expires_at}.\n`,
	}),
	invitation: (d) => ({
		subject: `${d.inviter ?? "Someone"} invited you to ${d.organization}`,
		text: `Hello,\n\n${d.inviter ?? "Someone"} invited you to join ${d.organization} as ${d.role}. Accept the invitation here:\n\n${d.url}\n\nIt expires at ${d.expires_at}.\n`,
	}),
	"email-otp": (d) => ({
		subject: d.type === "sign-in" ? "Your sign-in code" : d.type === "forget-password" ? "Your password reset code"
			: d.type === "change-email" ? "Confirm your new email address" : "Verify your email address",
		text: `Hello ${d.name ?? ""},\n\nYour code is ${d.otp}. It expires at ${d.expires_at}. If you did not ask for it, ignore this message.\n`,
	}),
	"magic-link": (d) => ({
		subject: "Your sign-in link",
		text: `Hello ${d.name ?? ""},\n\nSign in with this link:\n\n${d.url}\n\nIt works once and expires at ${d.expires_at}. If you did not ask for it, ignore this message.\n`,
	}),
	"two-factor-otp": (d) => ({
		subject: "Your sign-in code",
		text: `Hello ${d.name ?? ""},\n\nYour sign-in code is ${d.otp}. It expires at ${d.expires_at}.\nIf you did not try to sign in, change your password.\n`,
	}),
	"delete-account": (d) => ({
		subject: "Confirm deleting your account",
		text: `Hello ${d.name ?? ""},\n\nTo delete your account and everything in it, open this link while signed in:\n\n${d.url}\n\nIt expires at ${d.expires_at}. If you did not ask for this, ignore this message and change your password.\n`,
	}),
	"reset-password": (d) => ({
		subject: "Reset your password",
		text: `Hello ${d.name ?? ""},\n\nReset your password with this link:\n\n${d.url}\n\nIt expires at ${d.expires_at}. If you did not ask for it, ignore this message.\n`,
	}),
};

// Text messages: the code, what it is for, and a warning against passing it
// on (the usual phishing: "read me the code we just sent you").
const smsTexts = {
	verify: (d) => `Your sign-in code is ${d.code}. Do not share it with anyone. It expires at ${d.expires_at}.`,
	"reset-password": (d) => `Your password reset code is ${d.code}. Do not share it with anyone. It expires at ${d.expires_at}.`,
};

export function render(message) {
	if (message.kind === "sms") {
		const text = (smsTexts[message.data.purpose] ?? smsTexts.verify)(message.data);
		return { sms: true, to: message.recipient, text };
	}
	const template = templates[message.kind];
	if (!template) throw new Error(`unknown message kind ${JSON.stringify(message.kind)}`);
	return { from, to: message.recipient, ...template(message.data) };
}

// The SMS transport: an https webhook (any SMS provider's, or a function in
// front of one; plain http only to this machine), a file, or stdout. Without
// NEON_AUTH_SMS, texts go to stdout only while mail does too (development):
// a worker whose mail goes to a real server must not print sign-in codes to
// its log, so there each text fails, saying why, until NEON_AUTH_SMS is set.
export function smsTransportFor(target = process.env.NEON_AUTH_SMS, token = process.env.NEON_AUTH_SMS_TOKEN,
                                mail = process.env.NEON_AUTH_MAIL ?? "stdout") {
	if (target === undefined || target === "") {
		if (mail === "stdout") return transportFor("stdout");
		return { send: async () => { throw new Error("NEON_AUTH_SMS is not set: no way to send text messages"); }, close() {} };
	}
	if (/^https:\/\//.test(target) || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(target)) {
		return {
			send: async (sms) => {
				const response = await fetch(target, {
					method: "POST",
					headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
					body: JSON.stringify({ to: sms.to, text: sms.text }),
					redirect: "error",
					signal: AbortSignal.timeout(10000),
				});
				if (!response.ok) throw new Error(`SMS webhook answered ${response.status}`);
			},
			close() {},
		};
	}
	if (target === "stdout" || target.startsWith("file:")) return transportFor(target);
	throw new Error("NEON_AUTH_SMS must be https://…, http://localhost…, file:/path or stdout");
}

// A transport: send(mail) resolves when the message is accepted.
export function transportFor(target = process.env.NEON_AUTH_MAIL ?? "stdout") {
	if (target === "stdout") {
		return { send: async (mail) => void process.stdout.write(JSON.stringify(mail) + "\n"), close() {} };
	}
	if (target.startsWith("file:")) {
		const path = target.slice("file:".length);
		return { send: (mail) => appendFile(path, JSON.stringify(mail) + "\n"), close() {} };
	}
	if (/^smtps?:\/\//.test(target)) {
		const smtp = nodemailer.createTransport(target);
		return { send: (mail) => smtp.sendMail(mail), close: () => smtp.close() };
	}
	throw new Error("NEON_AUTH_MAIL must be smtp://…, smtps://…, file:/path or stdout");
}

// Claims and delivers until nothing is due. Returns the number delivered.
export async function drain(db, transport, log = console.error, sms = smsTransport ?? smsTransportFor()) {
	let delivered = 0;
	for (;;) {
		const { rows } = await db.query("SELECT * FROM neon_auth.outbox_claim(10)");
		if (rows.length === 0) return delivered;
		for (const message of rows) {
			try {
				const rendered = render(message);
				await (rendered.sms ? sms : transport).send(rendered);
				await db.query("SELECT neon_auth.outbox_delivered($1)", [message.id]);
				delivered++;
			} catch (err) {
				// The error text goes to the row for an operator; never the link.
				const reason = String(err?.message ?? err).slice(0, 1000);
				await db.query("SELECT neon_auth.outbox_failed($1, $2)", [message.id, reason]);
				log(`neon_auth outbox: message ${message.id} (${message.kind}) attempt ${message.attempts} failed: ${reason}`);
			}
		}
	}
}

// Made once, at start-up, so that a wrong NEON_AUTH_SMS stops the worker
// before it claims anything, rather than in the middle of a round.
let smsTransport;

async function main() {
	const transport = transportFor();
	smsTransport = smsTransportFor();
	const db = new pg.Client(process.env.DATABASE_URL ? { connectionString: process.env.DATABASE_URL } : {});
	await db.connect();
	if (once) {
		await drain(db, transport);
		await db.end();
		transport.close();
		return;
	}
	// One round at a time; a notification during a round asks for another.
	let running = false;
	let again = false;
	const round = async () => {
		if (running) return void (again = true);
		running = true;
		try {
			do {
				again = false;
				await drain(db, transport);
			} while (again);
		} catch (err) {
			console.error(`neon_auth outbox: ${err.message}`);
			process.exitCode = 1;
			await shutdown();
		} finally {
			running = false;
		}
	};
	const listener = new pg.Client(process.env.DATABASE_URL ? { connectionString: process.env.DATABASE_URL } : {});
	await listener.connect();
	listener.on("notification", (n) => n.channel === CHANNEL && round());
	await listener.query(`LISTEN ${CHANNEL}`);
	const timer = setInterval(round, pollMs);
	let stopping = false;
	async function shutdown() {
		if (stopping) return;
		stopping = true;
		clearInterval(timer);
		await Promise.allSettled([listener.end(), db.end()]);
		transport.close();
	}
	process.on("SIGTERM", shutdown);
	process.on("SIGINT", shutdown);
	// A lost connection ends the worker; a supervisor restarts it.
	for (const c of [db, listener]) c.on("error", (err) => { console.error(`neon_auth outbox: ${err.message}`); process.exitCode = 1; shutdown(); });
	console.error(`neon_auth outbox: listening on ${CHANNEL}`);
	await round();
}

// Run when executed (directly or through the package's bin symlink), not
// when imported.
const invoked = process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invoked) {
	main().catch((err) => {
		console.error(`neon_auth outbox: ${err.message}`);
		process.exit(1);
	});
}
