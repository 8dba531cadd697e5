#!/usr/bin/env bash
# No credential set during one request is seen by another request on the
# same connection: PostgREST's pool (the request settings replayed on one
# psql connection, both directions of the review's attack) and an
# application's node-postgres Pool, which does not reset a connection
# between checkouts.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
db=neon_auth_pooled
fresh_db $db
psql -X -q -v ON_ERROR_STOP=1 -d $db <<-'SQL'
	DO $$ BEGIN CREATE ROLE anon NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
	DO $$ BEGIN CREATE ROLE authenticated NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
	CREATE TABLE notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	                    owner uuid DEFAULT neon_auth.requesting_user_id() NOT NULL, body text NOT NULL);
	ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
	CREATE POLICY own ON notes USING (owner = neon_auth.requesting_user_id())
		WITH CHECK (owner = neon_auth.requesting_user_id());
	GRANT SELECT, INSERT ON notes TO anon, authenticated;
SQL
mallory=$(q $db "SELECT neon_auth.sign_up('mallory@example.com', 'mallory-password', 'Mallory') ->> 'token'")
bob_token=$(q $db "SELECT neon_auth.sign_up('bob@example.com', 'bob-password-1', 'Bob') ->> 'token'")
bob_jwt=$(q $db "SELECT neon_auth.token('$bob_token')")
mallory_id=$(q $db "SELECT id FROM neon_auth.\"user\" WHERE email = 'mallory@example.com'")
bob_id=$(q $db "SELECT id FROM neon_auth.\"user\" WHERE email = 'bob@example.com'")

# PostgREST's first statement of a request: role, method, headers, all local.
request() { # request ROLE HEADERS_JSON
	echo "BEGIN; SELECT set_config('role', '$1', true), set_config('request.method', 'POST', true), set_config('request.headers', '$2', true);"
}

# 1. The attacker's request first, then Bob's on the same connection.
out=$(psql -X -q -At -d $db 2>&1 <<-SQL
	$(request anon '{}')
	SELECT neon_auth.authenticate('$mallory', true);
	ROLLBACK;
	$(request anon '{}')
	SELECT neon_auth.requesting_user_id() IS NULL;
	SELECT set_config('neon_auth.credential', '$mallory', false);
	ROLLBACK;
	$(request anon '{}')
	SELECT 'attacker identified as ' || neon_auth.authenticate('$mallory');
	COMMIT;
	$(request authenticated "{\"authorization\": \"Bearer $bob_jwt\"}")
	SELECT 'next request: ' || coalesce(neon_auth.requesting_user_id()::text, 'nobody');
	INSERT INTO notes (body) VALUES ('bob''s secret') RETURNING 'note owner: ' || owner;
	COMMIT;
	SELECT 'owner after: ' || owner FROM notes;
SQL
)
check "the session-wide form of authenticate() is gone" yes \
	"$(grep -q 'function neon_auth.authenticate(unknown, boolean) does not exist' <<<"$out" && echo yes || echo no)"
check "an app role cannot set neon_auth.credential itself" yes \
	"$(grep -q 'permission denied to set parameter "neon_auth.credential"' <<<"$out" && echo yes || echo no)"
# Set before the library is loaded, the value is a placeholder, which the
# library drops when it loads (PostgreSQL remembers who set it).
check "a placeholder set by an app role before the library loads identifies nobody" "WARNING|" \
	"$(psql -X -q -At -d $db -c "SELECT set_config('role', 'anon', false) IS NULL, set_config('neon_auth.credential', '$mallory', false) IS NULL" \
		-c "SELECT neon_auth.requesting_user_id()" 2>&1 | sed -n -e 's/^\(WARNING\):  permission denied to set parameter "neon_auth.credential"$/\1/p' -e '/^$/p' -e '/^[0-9a-f-]\{36\}$/p' | paste -sd'|')"
check "the attacker's request is identified, in its own transaction" "attacker identified as $mallory_id" \
	"$(grep '^attacker identified' <<<"$out")"
check "the next request on the connection is Bob's, not the attacker's" "next request: $bob_id" \
	"$(grep '^next request' <<<"$out")"
check "Bob's insert is owned by Bob" "note owner: $bob_id|owner after: $bob_id" \
	"$(grep -E '^(note owner|owner after)' <<<"$out" | paste -sd'|')"

# 2. A legitimate client authenticates in its request; the next, anonymous
# request on the connection gets nobody and no session tokens.
out=$(psql -X -q -At -d $db 2>&1 <<-SQL
	$(request authenticated '{}')
	SELECT 'bob identified as ' || neon_auth.authenticate('$bob_token');
	SELECT 'bob sees ' || jsonb_array_length(neon_auth.list_sessions()) || ' sessions';
	COMMIT;
	$(request anon '{}')
	SELECT 'next request: ' || coalesce(neon_auth.requesting_user_id()::text, 'nobody');
	SELECT 'list_sessions: ' || neon_auth.list_sessions()::text;
	SELECT 'notes visible: ' || count(*) FROM notes;
	COMMIT;
SQL
)
check "Bob's own request is Bob's" "bob identified as $bob_id|bob sees 1 sessions" \
	"$(grep -E '^bob ' <<<"$out" | paste -sd'|')"
check "the next anonymous request is nobody" "next request: nobody" "$(grep '^next request' <<<"$out")"
check "and list_sessions() answers UNAUTHORIZED, with no token" 'list_sessions: {"code": "UNAUTHORIZED", "message": "Unauthorized"}' \
	"$(grep '^list_sessions' <<<"$out")"
check "and sees none of Bob's notes" "notes visible: 0" "$(grep '^notes visible' <<<"$out")"

# 3. node-postgres Pool (one connection, reused): the first checkout
# authenticates, the second has no credential.
[ -d "$root/test/interop/node_modules/pg" ] || (cd "$root/test/interop" && npm ci --silent --no-audit --no-fund >/dev/null)
out=$(NODE_PATH="$root/test/interop/node_modules" BOB="$bob_token" DB=$db node - <<-'JS'
	const { Pool } = require("pg");
	const pool = new Pool({ database: process.env.DB, max: 1 });
	pool.on("connect", (c) => c.query("SET ROLE authenticated"));
	(async () => {
		let c = await pool.connect();
		await c.query("BEGIN");
		await c.query("SELECT neon_auth.authenticate($1)", [process.env.BOB]);
		await c.query("INSERT INTO notes (body) VALUES ('bob''s pooled note')");
		console.log("first checkout sees " + (await c.query("SELECT count(*) FROM notes")).rows[0].count);
		await c.query("COMMIT");
		// Outside a transaction, authenticate() lasts for its own statement only.
		await c.query("SELECT neon_auth.authenticate($1)", [process.env.BOB]);
		console.log("a later statement sees " + (await c.query("SELECT count(*) FROM notes")).rows[0].count);
		c.release();
		c = await pool.connect();
		console.log("second checkout is " + ((await c.query("SELECT neon_auth.requesting_user_id() AS u")).rows[0].u ?? "nobody"));
		console.log("second checkout sees " + (await c.query("SELECT count(*) FROM notes")).rows[0].count);
		c.release();
		await pool.end();
	})().catch((e) => { console.log("error: " + e.message); process.exit(1); });
JS
)
check "node-postgres: the authenticated checkout sees Bob's notes" "first checkout sees 2" "$(grep '^first checkout' <<<"$out")"
check "node-postgres: an autocommit authenticate() does not carry to the next statement" "a later statement sees 0" \
	"$(grep '^a later statement' <<<"$out")"
check "node-postgres: the next checkout of the same connection is nobody" "second checkout is nobody" \
	"$(grep '^second checkout is' <<<"$out")"
check "node-postgres: and reads none of Bob's notes" "second checkout sees 0" "$(grep '^second checkout sees' <<<"$out")"
finish
