#!/usr/bin/env bash
# examples/notes-app in headless Chromium (notes.test.mjs), on the PostgreSQL
# server in PGHOST/PGPORT (scripts/test.sh runs this inside pg_virtualenv).
# Needs Debian's chromium package; playwright-core downloads no browser.
# Screenshots of each step go to test/browser/output/screenshots/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
app=$(cd "$here/../../examples/notes-app" && pwd)
db=neon_auth_browser
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || { echo "no Chromium at $CHROMIUM: apt-get install chromium" >&2; exit 1; }

(cd "$here" && npm ci --silent --no-audit --no-fund >/dev/null)
(cd "$app" && npm ci --silent --no-audit --no-fund >/dev/null)
rm -rf "$here/output"
mkdir -p "$here/output/screenshots"

psql() { PGOPTIONS="-c client_min_messages=warning" command psql -X -q -v ON_ERROR_STOP=1 "$@"; }
psql -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db ENCODING 'UTF8' TEMPLATE template0"
psql -d $db -c "CREATE EXTENSION neon_auth" -c "SELECT neon_auth.configure('{\"rate_limit_enabled\": false}')" >/dev/null
# Twice: setup.sql says it is idempotent.
psql -d $db -f "$app/setup.sql" -f "$app/setup.sql"

# The app on a port the kernel picks; it prints its URL once listening. pg
# reads PGHOST, PGPORT, PGUSER and PGDATABASE when DATABASE_URL is unset.
log=$here/output/server.log
PGDATABASE=$db PORT=0 node "$app/server.mjs" >"$log" 2>&1 &
server=$!
cleanup() {
	local status=$?
	kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
	[ "$status" -eq 0 ] || { echo "--- server log:"; cat "$log"; } >&2
	exit "$status"
}
trap cleanup EXIT
url=
for _ in $(seq 100); do
	url=$(grep -o 'http://[0-9.]*:[0-9]*' "$log" || true)
	[ -n "$url" ] && break
	kill -0 "$server" 2>/dev/null || { echo "the app exited" >&2; exit 1; }
	sleep 0.1
done
[ -n "$url" ] || { echo "the app did not start" >&2; exit 1; }

# The database checks the Origin of cookie-authenticated writes (sign-out)
# against base_url: the origin the browser loads the page from.
psql -d $db -v url="$url" <<<"SELECT neon_auth.configure(jsonb_build_object('base_url', :'url'::text))" >/dev/null

APP_URL=$url node --test --test-reporter=spec "$here/notes.test.mjs"

# What the pages showed came from rows the database owns: Alice's two, Bob's one.
rows=$(psql -d $db -tA -c "SELECT count(*) || ' notes of ' || count(DISTINCT owner_id) || ' users' FROM public.notes")
[ "$rows" = "3 notes of 2 users" ] || { echo "public.notes holds $rows, expected 3 notes of 2 users" >&2; exit 1; }
echo "public.notes: $rows"
