#!/usr/bin/env bash
# A server crash loses no acknowledged call and leaves nothing half-written.
# A cluster of the test's own (fsync on, synchronous_commit on) gets a few
# users and sessions, then 4 clients run sign-ups, sign-ins and organization
# creations, each logging a call only once psql has returned its answer. In
# the middle the server is killed with SIGKILL, twice: first the postmaster
# alone (its backends finish their statement and exit, as they do when the
# postmaster dies), then the postmaster with every backend at once (the
# transactions in flight are cut). After each restart (crash recovery):
# every acknowledged sign-up has its user and credential account, every
# acknowledged session verifies, every acknowledged organization has its
# owner and team; no row anywhere lacks its parent; the users from before the
# crash and the last acknowledged sign-up of each client sign in; the
# indexes pass amcheck.
. "$(dirname "$0")/lib.sh"
dir=$work/crash
port=$((PGPORT + 111))
clients=4
own_cluster crash $port "fsync = on" "synchronous_commit = on" "full_page_writes = on" "max_connections = 40"
srv=$cluster_conn
cleanups+=('kill $(jobs -p)')
c="$srv dbname=neon_auth_crash"
psql -X -q -v ON_ERROR_STOP=1 -d "$srv dbname=postgres" -c "CREATE DATABASE neon_auth_crash ENCODING 'UTF8' TEMPLATE template0"
q "$c" "CREATE EXTENSION neon_auth" >/dev/null
q "$c" "CREATE EXTENSION amcheck" >/dev/null
q "$c" "SELECT neon_auth.configure('{\"rate_limit_enabled\": false}')" >/dev/null
check "the test's own server runs with fsync and synchronous_commit on" "on|on" "$(q "$c" "SELECT current_setting('fsync'), current_setting('synchronous_commit')")"

# Acknowledged calls, one per line: kind, email or slug, token or organization id, user id.
acks=$work/acks.tsv
ack() { printf '%s\t%s\t%s\t%s\n' "$@"; }
sql_user_token() { echo "SELECT r ->> 'token', r #>> '{user,id}' FROM neon_auth.$1 r"; }

# Before the crash: 3 users, each with its sign-up session and a sign-in session.
for u in 1 2 3; do
	email=pre-$u@crash.example
	out=$(q "$c" "$(sql_user_token "sign_up('$email', 'pre-$u-crash-password', 'Pre $u')")")
	ack sign_up "$email" "${out%%|*}" "${out#*|}" >>"$work/pre.tsv"
	out=$(q "$c" "$(sql_user_token "sign_in('$email', 'pre-$u-crash-password')")")
	ack sign_in "$email" "${out%%|*}" "${out#*|}" >>"$work/pre.tsv"
done
tok=$(awk -F'\t' 'NR == 2 { print $3 }' "$work/pre.tsv")
out=$(q "$c" "SELECT r ->> 'id', r #>> '{members,0,userId}' FROM neon_auth.create_organization('Pre', 'pre-org', session_token => '$tok') r")
ack org pre-org "${out%%|*}" "${out#*|}" >>"$work/pre.tsv"

# client ROUND K: until a call fails (the server is gone), at most 300 rounds
# and 20 s: sign up a new user, sign in, create an organization with that
# session, sign in one of the users from before the crash. A line is logged
# only after psql answered.
client() {
	local r=$1 k=$2 log=$work/r$1-client$2.tsv err=$work/r$1-client$2.err i email pre out deadline=$((SECONDS + 20))
	: >"$log"
	call() { PGCONNECT_TIMEOUT=5 psql -X -q -At -v ON_ERROR_STOP=1 -d "$c" -c "$1" 2>>"$err"; }
	for i in $(seq 1 300); do
		[ $SECONDS -lt $deadline ] || { echo "stopped by the time limit" >>"$err"; return 0; }
		email=r$r-c$k-$i@crash.example
		out=$(call "$(sql_user_token "sign_up('$email', 'r$r-c$k-$i-crash-password', 'Client $k/$i')")") || return 0
		ack sign_up "$email" "${out%%|*}" "${out#*|}" >>"$log"
		out=$(call "$(sql_user_token "sign_in('$email', 'r$r-c$k-$i-crash-password')")") || return 0
		ack sign_in "$email" "${out%%|*}" "${out#*|}" >>"$log"
		out=$(call "SELECT r ->> 'id', r #>> '{members,0,userId}' FROM neon_auth.create_organization('Org $k/$i', 'r$r-c$k-o$i', session_token => '${out%%|*}') r") || return 0
		ack org "r$r-c$k-o$i" "${out%%|*}" "${out#*|}" >>"$log"
		pre=$(((i + k) % 3 + 1))
		out=$(call "$(sql_user_token "sign_in('pre-$pre@crash.example', 'pre-$pre-crash-password')")") || return 0
		ack sign_in "pre-$pre@crash.example" "${out%%|*}" "${out#*|}" >>"$log"
	done
	echo "stopped by the round limit" >>"$err"
}

# crash ROUND MODE: clients run for a few seconds, then SIGKILL. MODE
# postmaster: the postmaster alone; all: the postmaster and every backend.
crash() {
	local r=$1 mode=$2 pids=() k p pm kids alive
	for k in $(seq 1 $clients); do
		client "$r" "$k" &
		pids+=($!)
	done
	sleep 5
	pm=$(head -1 "$dir/data/postmaster.pid")
	kill -STOP "$pm" # no fork from here on, so the list of its processes is complete
	for _ in $(seq 1 50); do
		[ "$(awk '{ print $3 }' "/proc/$pm/stat")" = T ] && break
		sleep 0.02
	done
	kids=$(pgrep -P "$pm" | tr '\n' ' ')
	if [ "$mode" = all ]; then
		# shellcheck disable=SC2086
		kill -9 "$pm" $kids
	else
		kill -9 "$pm"
	fi
	wait "${pids[@]}"
	for _ in $(seq 1 300); do # the backends notice the postmaster is gone and exit
		alive=0
		for p in $kids; do if kill -0 "$p" 2>/dev/null; then alive=1; fi; done
		[ $alive -eq 1 ] || break
		sleep 0.1
	done
	cluster_start crash
}

# verify LABEL ROUND: the checks, on every call acknowledged so far.
verify() {
	local l=$1 r=$2 n_up n_tok n_org lost
	check "$l: all $clients clients were still running when the server was killed" 0 \
		"$(cat "$work"/r"$r"-client*.err | grep -c 'stopped by the' || true)"
	check "$l: the clients lost their connections, no call failed otherwise" 0 \
		"$(cat "$work"/r"$r"-client*.err | grep -c '^ERROR:' || true)"
	check "$l: every client had acknowledged sign-ups and organizations" "$clients $clients" \
		"$(for f in "$work"/r"$r"-client*.tsv; do grep -q '^sign_up' "$f" && grep -q '^org' "$f" && echo ok; done | wc -l) $clients"
	check "$l: the restart ran crash recovery" "$r" "$(grep -c 'automatic recovery in progress' "$dir/log" || true)"
	q "$c" "SET client_min_messages = warning; DROP TABLE IF EXISTS ack; CREATE TABLE ack (kind text, key text, value text, uid uuid, pre boolean DEFAULT false)"
	cat "$work"/r*-client*.tsv >"$work/clients.tsv"
	psql -X -q -v ON_ERROR_STOP=1 -d "$c" -c "\\copy ack (kind, key, value, uid) FROM '$work/pre.tsv'" \
		-c "UPDATE ack SET pre = true" -c "\\copy ack (kind, key, value, uid) FROM '$work/clients.tsv'"
	cat "$work/pre.tsv" "$work/clients.tsv" >"$acks"
	n_up=$(grep -c '^sign_up' "$acks")
	n_tok=$(grep -cE '^sign_(up|in)' "$acks")
	n_org=$(grep -c '^org' "$acks")
	check "$l: all $n_up acknowledged sign-ups have their user and credential account" "$n_up" \
		"$(q "$c" "SELECT count(*) FROM ack a
		            JOIN neon_auth.\"user\" u ON u.id = a.uid AND u.email = a.key
		           WHERE a.kind = 'sign_up'
		             AND (SELECT count(*) FROM neon_auth.account ac WHERE ac.\"userId\" = u.id AND ac.\"providerId\" = 'credential'
		                     AND ac.\"accountId\" = u.id::text AND ac.password ~ '^[0-9a-f]{32}:[0-9a-f]{128}\$') = 1")"
	check "$l: all $n_tok acknowledged sessions (sign-ups and sign-ins) verify as their user" "$n_tok" \
		"$(q "$c" "SELECT count(*) FROM ack WHERE kind IN ('sign_up', 'sign_in') AND neon_auth.verify_session(value) = uid")"
	check "$l: all $n_org acknowledged organizations exist with their owner, first team and team member" "$n_org" \
		"$(q "$c" "SELECT count(*) FROM ack a JOIN neon_auth.organization o ON o.id = a.value::uuid AND o.slug = a.key
		           WHERE a.kind = 'org'
		             AND EXISTS (SELECT FROM neon_auth.member m WHERE m.\"organizationId\" = o.id AND m.\"userId\" = a.uid AND m.role = 'owner')
		             AND EXISTS (SELECT FROM neon_auth.team t JOIN neon_auth.\"teamMember\" tm ON tm.\"teamId\" = t.id
		                          WHERE t.\"organizationId\" = o.id AND tm.\"userId\" = a.uid)")"
	q "$c" "SELECT a.kind || ' ' || a.key || ' ' || a.value FROM ack a
	         WHERE a.kind = 'sign_up' AND NOT EXISTS (SELECT FROM neon_auth.account ac WHERE ac.\"userId\" = a.uid AND ac.\"providerId\" = 'credential')
	            OR a.kind IN ('sign_up', 'sign_in') AND neon_auth.verify_session(a.value) IS DISTINCT FROM a.uid
	            OR a.kind = 'org' AND NOT EXISTS (SELECT FROM neon_auth.member m WHERE m.\"organizationId\"::text = a.value AND m.\"userId\" = a.uid)
	         LIMIT 20" | sed 's/^/# acknowledged but missing after recovery: /'
	check "$l: every user has exactly one credential account, with a password hash" 0 \
		"$(q "$c" "SELECT count(*) FROM neon_auth.\"user\" u
		           WHERE (SELECT count(*) FROM neon_auth.account ac WHERE ac.\"userId\" = u.id AND ac.\"providerId\" = 'credential'
		                     AND ac.password ~ '^[0-9a-f]{32}:[0-9a-f]{128}\$') <> 1")"
	check "$l: no account, session, member, team or team member without its parent row" "0 0 0 0 0 0" \
		"$(q "$c" "SELECT (SELECT count(*) FROM neon_auth.account x WHERE NOT EXISTS (SELECT FROM neon_auth.\"user\" u WHERE u.id = x.\"userId\"))
		     || ' ' || (SELECT count(*) FROM neon_auth.session x WHERE NOT EXISTS (SELECT FROM neon_auth.\"user\" u WHERE u.id = x.\"userId\"))
		     || ' ' || (SELECT count(*) FROM neon_auth.member x WHERE NOT EXISTS (SELECT FROM neon_auth.organization o WHERE o.id = x.\"organizationId\"))
		     || ' ' || (SELECT count(*) FROM neon_auth.member x WHERE NOT EXISTS (SELECT FROM neon_auth.\"user\" u WHERE u.id = x.\"userId\"))
		     || ' ' || (SELECT count(*) FROM neon_auth.team x WHERE NOT EXISTS (SELECT FROM neon_auth.organization o WHERE o.id = x.\"organizationId\"))
		     || ' ' || (SELECT count(*) FROM neon_auth.\"teamMember\" x WHERE NOT EXISTS (SELECT FROM neon_auth.team t WHERE t.id = x.\"teamId\")
		                                                              OR NOT EXISTS (SELECT FROM neon_auth.\"user\" u WHERE u.id = x.\"userId\"))")"
	check "$l: every organization has one owner and one team whose member count is right" 0 \
		"$(q "$c" "SELECT count(*) FROM neon_auth.organization o
		           WHERE (SELECT count(*) FROM neon_auth.member m WHERE m.\"organizationId\" = o.id AND m.role = 'owner') <> 1
		              OR (SELECT count(*) FROM neon_auth.team t WHERE t.\"organizationId\" = o.id) <> 1
		              OR EXISTS (SELECT FROM neon_auth.team t WHERE t.\"organizationId\" = o.id
		                            AND t.\"memberCount\" <> (SELECT count(*) FROM neon_auth.\"teamMember\" tm WHERE tm.\"teamId\" = t.id))")"
	check "$l: the $(grep -c '^sign' "$work/pre.tsv") sessions and the organization from before the crash are there" "$(grep -c . "$work/pre.tsv")" \
		"$(q "$c" "SELECT count(*) FROM ack a WHERE a.pre
		             AND CASE a.kind WHEN 'org' THEN EXISTS (SELECT FROM neon_auth.organization o WHERE o.id = a.value::uuid)
		                             ELSE neon_auth.verify_session(a.value) = a.uid END")"
	check "$l: the 3 users from before the crash sign in with their passwords" "3" \
		"$(q "$c" "SELECT count(*) FROM generate_series(1, 3) u
		           WHERE neon_auth.sign_in('pre-' || u || '@crash.example', 'pre-' || u || '-crash-password') #>> '{user,id}'
		                 = (SELECT uid::text FROM ack WHERE kind = 'sign_up' AND key = 'pre-' || u || '@crash.example')")"
	check "$l: the last acknowledged sign-up of each client signs in with its password" "$clients" \
		"$(for f in "$work"/r"$r"-client*.tsv; do
			email=$(awk -F'\t' '$1 == "sign_up" { e = $2 } END { print e }' "$f")
			q "$c" "SELECT neon_auth.sign_in('$email', '${email%@*}-crash-password') #>> '{user,email}'"
		done | grep -c '@crash.example$' || true)"
	check "$l: every neon_auth btree index passes amcheck (heapallindexed)" ok \
		"$(q "$c" "DO \$\$ DECLARE i regclass; BEGIN
		             FOR i IN SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am a ON a.oid = c.relam
		                       WHERE n.nspname = 'neon_auth' AND c.relkind = 'i' AND a.amname = 'btree' LOOP
		               PERFORM bt_index_check(i, true);
		             END LOOP; END \$\$; SELECT 'ok'")"
	lost=$(q "$c" "SELECT count(*) FROM neon_auth.\"user\" u WHERE u.email LIKE 'r$r-%' AND NOT EXISTS (SELECT FROM ack WHERE kind = 'sign_up' AND key = u.email)")
	echo "# $l: $(grep -c "^sign_up	r$r-" "$acks") sign-ups, $(cat "$work"/r"$r"-client*.tsv | grep -c "^sign_in") sign-ins, $(grep -c "^org	r$r-" "$acks") organizations acknowledged; $lost sign-ups committed whose answer the crash lost"
}

crash 1 postmaster
verify "postmaster killed" 1
crash 2 all
verify "postmaster and backends killed" 2
finish
