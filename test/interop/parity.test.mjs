// The parity table (parity.mjs) against Better Auth and neon_auth: it lists
// exactly Better Auth's endpoints; every function it names exists and is
// callable by the API roles (add_member is the owner's, as in Better Auth
// where it is server-only); every test it names exists, and so runs in this
// suite or in test/http; and docs/better-auth-interop.md prints it.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { PARITY, markdown } from "./parity.mjs";
import { apiPaths } from "./parity-api.mjs";
import { pool, one } from "./common.mjs";

after(() => pool.end());
const here = (path) => new URL(path, import.meta.url);
const source = (path) => readFileSync(here(path), "utf8");

test("the parity table lists exactly Better Auth 1.7.25's endpoints of core, admin, organization, jwt and multiSession", async () => {
	const paths = await apiPaths();
	const listed = PARITY.map((row) => row.api);
	assert.equal(new Set(listed).size, listed.length, "each endpoint once");
	assert.deepEqual([...listed].sort(), Object.keys(paths).sort());
});

test("every function the table names exists, and the API roles may call it", async () => {
	const owners = new Set(["add_member"]);
	for (const { api, fn } of PARITY.filter((row) => row.fn)) {
		const { n, callable } = await one(`SELECT count(*)::int AS n,
		                                          bool_and(has_function_privilege('public', p.oid, 'EXECUTE')) AS callable
		                                     FROM pg_proc p WHERE p.pronamespace = 'neon_auth'::regnamespace AND p.proname = $1`, [fn]);
		assert.ok(n >= 1, `${api}: neon_auth.${fn} exists`);
		assert.equal(callable, !owners.has(fn), `${api}: neon_auth.${fn} ${owners.has(fn) ? "is the owner's" : "is granted to PUBLIC"}`);
	}
});

test("every pair the table names is run by a test", () => {
	const conformance = source("../http/conformance.test.mjs");
	const interop = source("better_auth.test.mjs") + source("plugins.test.mjs");
	for (const row of PARITY) {
		if (row.conformance) assert.ok(conformance.includes(`.at(${JSON.stringify(row.conformance)})`), `${row.api}: conformance step "${row.conformance}"`);
		else if (row.interop) assert.ok(interop.includes(`test(${JSON.stringify(row.interop)}`), `${row.api}: interop test "${row.interop}"`);
		else if (row.regression) assert.match(source(`../../sql/${row.regression}.sql`), new RegExp(`neon_auth\\.${row.fn}\\(`), `${row.api}: sql/${row.regression}.sql`);
		else assert.ok(row.none, `${row.api}: a reason`);
	}
});

test("docs/better-auth-interop.md prints the table", async () => {
	const doc = source("../../docs/better-auth-interop.md");
	assert.ok(doc.includes(markdown(await apiPaths())), "regenerate with: node test/interop/parity.mjs");
});
