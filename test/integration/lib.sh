# Shared helpers for the integration suites. Sourced; expects PGHOST/PGPORT/
# PGUSER of a throwaway server in the environment (pg_virtualenv sets them).
set -euo pipefail
checks=0
failures=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

check() { # check DESCRIPTION EXPECTED ACTUAL
	checks=$((checks + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $checks - $1"
	else
		failures=$((failures + 1))
		echo "not ok $checks - $1"
		echo "#   expected: $2"
		echo "#   actual:   $3"
	fi
}

q() { # q DB SQL: one value, unaligned
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"
}

fresh_db() { # fresh_db NAME: an empty UTF8 database with neon_auth
	psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS \"$1\"" \
		-c "CREATE DATABASE \"$1\" ENCODING 'UTF8' TEMPLATE template0"
	q "$1" "CREATE EXTENSION neon_auth" >/dev/null
	q "$1" "SELECT neon_auth.configure('{\"rate_limit_enabled\": false}')" >/dev/null
}

finish() {
	echo "1..$checks"
	if [ "$failures" -ne 0 ]; then
		echo "# $failures of $checks checks failed"
		exit 1
	fi
}
