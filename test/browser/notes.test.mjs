// examples/notes-app driven through headless Chromium: two users sign up,
// sign out and sign in with the page's forms, and each sees only their own
// notes. The app has no identity logic, so what each user sees is what the
// database's row-level security let through. run.sh starts the app and sets
// APP_URL; screenshots of each step go to output/screenshots/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { chromium } from "playwright-core";

const base = process.env.APP_URL;
const shots = new URL("./output/screenshots/", import.meta.url).pathname;
const alice = { name: "Alice", email: "alice@example.com", password: "alice-correct-horse" };
const bob = { name: "Bob", email: "bob@example.com", password: "bob-battery-staple" };
const COOKIE = "better-auth.session_token";

let browser, context, page, shot = 0;

before(async () => {
	assert.ok(base, "APP_URL is not set (run.sh sets it)");
	await mkdir(shots, { recursive: true });
	// Debian's Chromium, not a downloaded one. As root in a sandbox without
	// network: no setuid sandbox, no GPU, nothing that phones home.
	// Playwright gives it a fresh temporary profile (--user-data-dir).
	browser = await chromium.launch({
		executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
		args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync"],
	});
	context = await browser.newContext({ viewport: { width: 900, height: 700 } });
	page = await context.newPage();
	page.setDefaultTimeout(10_000);
	await load();
});

after(() => browser?.close());

// app.js counts its finished redraws in body[data-updates]. Opens the page
// and waits for its first redraw.
async function load() {
	await page.goto(base);
	await page.waitForFunction(() => document.body.dataset.updates === "1");
}

// Runs a user action on the open page and waits until the page has redrawn after it.
async function act(action) {
	const done = Number(await page.evaluate(() => document.body.dataset.updates));
	await action();
	await page.waitForFunction((n) => Number(document.body.dataset.updates) > n, done);
}

// What the user sees.
async function view() {
	return {
		whoami: await page.locator("#whoami").textContent(),
		notes: await page.locator("#notes li").allTextContents(),
		error: await page.locator("#error").textContent(),
	};
}

const screenshot = (name) =>
	page.screenshot({ path: `${shots}${String(++shot).padStart(2, "0")}-${name}.png`, fullPage: true });

const submit = (form, fields) => act(async () => {
	for (const [name, value] of Object.entries(fields)) await page.locator(`#${form} [name=${name}]`).fill(value);
	await page.locator(`#${form} button`).click();
});

const signUp = (user) => submit("sign-up", user);
const signIn = (user) => submit("sign-in", { email: user.email, password: user.password });
const signOut = () => act(() => page.locator("#sign-out").click());
const addNote = (body) => submit("add-note", { body });
const signedIn = (user) => `Signed in as ${user.name} <${user.email}>`;

const authCookies = async () => (await context.cookies(base)).filter((c) => c.name.startsWith("better-auth."));

// The session cookie as Better Auth sets it over http, out of the page's reach.
async function assertSessionCookie() {
	const cookies = await authCookies();
	const session = cookies.find((c) => c.name === COOKIE);
	assert.ok(session, `no ${COOKIE} cookie; have ${cookies.map((c) => c.name)}`);
	assert.match(session.value, /^[A-Za-z0-9]+\.[A-Za-z0-9%]+$/, "a token and its signature, URI-encoded");
	assert.equal(session.httpOnly, true);
	assert.equal(session.sameSite, "Lax");
	assert.equal(session.path, "/");
	assert.equal(session.secure, false);
	assert.ok(session.expires * 1000 > Date.now() + 6 * 86400_000, "remembered for 7 days");
	assert.equal(await page.evaluate(() => document.cookie.includes("session_token")), false, "HttpOnly hides it from scripts");
	return session;
}

async function assertSignedOut() {
	assert.deepEqual(await view(), { whoami: "Signed out", notes: [], error: "" });
	assert.deepEqual(await authCookies(), [], "sign-out expires every Better Auth cookie");
}

// The page's own origin, as its script would call it.
const fetchJson = (path, init) => page.evaluate(async ([path, init]) => {
	const res = await fetch(path, init);
	return { status: res.status, body: await res.json() };
}, [path, init]);

test("a new visitor is signed out and sees no notes", async () => {
	assert.deepEqual(await view(), { whoami: "Signed out", notes: [], error: "" });
	assert.deepEqual(await authCookies(), []);
	await screenshot("signed-out");
});

test("Alice signs up and holds an HttpOnly session cookie", async () => {
	await signUp(alice);
	assert.deepEqual(await view(), { whoami: signedIn(alice), notes: [], error: "" });
	await assertSessionCookie();
	await screenshot("alice-signed-up");
});

test("Alice adds two notes and sees exactly those", async () => {
	await addNote("Alice's first note");
	await addNote("Alice's second note");
	assert.deepEqual((await view()).notes, ["Alice's first note", "Alice's second note"]);
	await screenshot("alice-two-notes");
});

test("Alice signs out: no notes, no cookie, and her old cookie is dead", async () => {
	const old = await assertSessionCookie();
	await signOut();
	await assertSignedOut();
	await screenshot("alice-signed-out");

	// Signed out, the database gives the caller no rows and refuses inserts.
	assert.deepEqual(await fetchJson("/api/notes"), { status: 200, body: { notes: [] } });
	const post = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ body: "anonymous" }) };
	assert.equal((await fetchJson("/api/notes", post)).status, 401);

	// Sign-out ended the session in the database, not just in the browser:
	// the same cookie, put back, identifies no one.
	await context.addCookies([old]);
	assert.deepEqual(await fetchJson("/api/notes"), { status: 200, body: { notes: [] } });
	assert.deepEqual(await fetchJson("/api/auth/get-session"), { status: 200, body: null });
	assert.deepEqual(await authCookies(), [], "get-session expires a cookie of no live session");
});

test("Bob signs up, sees none of Alice's notes, and adds his own", async () => {
	await signUp(bob);
	assert.deepEqual(await view(), { whoami: signedIn(bob), notes: [], error: "" });
	await assertSessionCookie();
	await addNote("Bob's note");
	assert.deepEqual(await view(), { whoami: signedIn(bob), notes: ["Bob's note"], error: "" });
	await screenshot("bob-one-note");
	await signOut();
	await assertSignedOut();
});

test("a wrong password signs no one in", async () => {
	await signIn({ ...alice, password: "not-alices-password" });
	assert.deepEqual(await view(), { whoami: "Signed out", notes: [], error: "Invalid email or password" });
	assert.deepEqual(await authCookies(), []);
	await screenshot("wrong-password");
});

test("Alice signs in again and sees only her two notes", async () => {
	await signIn(alice);
	assert.deepEqual(await view(), {
		whoami: signedIn(alice), notes: ["Alice's first note", "Alice's second note"], error: "",
	});
	await assertSessionCookie();
	await screenshot("alice-signed-in-again");

	// A write the database attributes to the session cookie passes its Origin
	// check: Chromium sends the page's origin, which run.sh made base_url.
	const rename = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "Alice A." }) };
	assert.deepEqual(await fetchJson("/api/auth/update-user", rename), { status: 200, body: { status: true } });
	await load();
	assert.equal((await view()).whoami, signedIn({ ...alice, name: "Alice A." }));
});
