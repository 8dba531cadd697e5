# Shared helpers for the integration suites. Sourced; expects PGHOST/PGPORT/
# PGUSER of a throwaway server in the environment (pg_virtualenv sets them).
set -euo pipefail
checks=0
failures=0
work=$(mktemp -d)
chmod 711 "$work" # a second cluster's files live below, owned by the server's user
cleanups=()
trap 'for c in "${cleanups[@]}"; do eval "$c" >/dev/null 2>&1 || true; done; rm -rf "$work"' EXIT

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

# as_server COMMAND...: run as the user the test server runs as (pg_virtualenv
# run as root starts it as postgres; a data directory must belong to it).
as_server() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# second_cluster NAME PORT [standby]: a physical copy of the test server
# (pg_basebackup), started as a second server on PORT with its socket in
# $work/NAME. With "standby" it is a hot standby streaming from the test
# server; without, a separate cluster of its own. Sets $cluster_conn to its
# conninfo prefix, to put before dbname= (not in a $(...) subshell, which
# would lose the stop it adds to $cleanups).
second_cluster() {
	local dir=$work/$1 port=$2 bin
	bin=$(pg_config --bindir)
	mkdir -p "$dir/sock"
	# The copy trusts local connections: only its owner may reach the socket.
	chmod 700 "$dir/sock"
	[ "$(id -u)" -ne 0 ] || chown -R postgres: "$dir"
	as_server "$bin/pg_basebackup" -d "host=${PGHOST:-localhost} port=$PGPORT user=$PGUSER" -D "$dir/data" \
		-X stream -c fast ${3:+-R} >&2
	# Debian keeps a cluster's configuration outside its data directory; the copy gets its own.
	as_server sh -c "cat >'$dir/data/postgresql.conf'" <<-CONF
		port = $port
		listen_addresses = ''
		unix_socket_directories = '$dir/sock'
		hot_standby = on
		shared_buffers = 32MB
	CONF
	as_server sh -c "echo 'local all all trust' >'$dir/data/pg_hba.conf' && : >'$dir/data/pg_ident.conf'"
	as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 start >&2
	cleanups+=("as_server '$bin/pg_ctl' -D '$dir/data' -m immediate stop")
	cluster_conn="host=$dir/sock port=$port user=$PGUSER"
}

# own_cluster NAME PORT [SETTING...]: a new cluster of the test's own
# (initdb), for what a test must not do to the shared server (kill it,
# preload the library), with the settings given ("fsync = on") and its socket
# in $work/NAME. Starts it (cluster_start NAME starts it again) and sets
# $cluster_conn to its conninfo prefix, to put before dbname=. Not in a
# $(...) subshell: the stop it adds to $cleanups would be lost.
own_cluster() {
	local dir=$work/$1 port=$2 bin
	bin=$(pg_config --bindir)
	shift 2
	mkdir -p "$dir/sock"
	chmod 700 "$dir/sock" # the cluster trusts local connections: only its owner may reach the socket
	[ "$(id -u)" -ne 0 ] || chown -R postgres: "$dir"
	as_server "$bin/initdb" -D "$dir/data" -U "$PGUSER" -E UTF8 --locale=C -A trust >/dev/null
	printf '%s\n' "port = $port" "listen_addresses = ''" "unix_socket_directories = '$dir/sock'" \
		"shared_buffers = 32MB" "$@" | as_server sh -c "cat >>'$dir/data/postgresql.conf'"
	cleanups+=("as_server '$bin/pg_ctl' -D '$dir/data' -m immediate stop")
	cluster_start "$(basename "$dir")"
	cluster_conn="host=$dir/sock port=$port user=$PGUSER"
}
cluster_start() { # cluster_start NAME: after a crash pg_ctl warns; show its words only if it fails
	local dir=$work/$1
	as_server "$(pg_config --bindir)/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 start >"$dir/pg_ctl.out" 2>&1 ||
		{ cat "$dir/pg_ctl.out" "$dir/log" >&2; return 1; }
}

finish() {
	echo "1..$checks"
	if [ "$failures" -ne 0 ]; then
		echo "# $failures of $checks checks failed"
		exit 1
	fi
}
