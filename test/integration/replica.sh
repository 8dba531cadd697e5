#!/usr/bin/env bash
# On a streaming hot standby (a second cluster on this machine): sessions,
# JWTs, requesting_user_id(), the RLS helpers and an RLS policy work and
# never write; functions that must write fail with one clear read-only error
# (25006, READ_ONLY_DATABASE) naming the function; and a sign-out or ban on
# the primary reaches a standby connection that had the identity cached.
. "$(dirname "$0")/lib.sh"
db=neon_auth_replica
fresh_db $db
psql -X -q -d postgres -c "DO \$\$ BEGIN CREATE ROLE authenticated NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$"
for u in alice bob; do
	q $db "SELECT neon_auth.sign_up('$u@example.com', '$u-password-1', '$u')" >/dev/null
done
alice=$(q $db "SELECT id FROM neon_auth.\"user\" WHERE email = 'alice@example.com'")
tok=$(q $db "SELECT neon_auth.sign_in('alice@example.com', 'alice-password-1') ->> 'token'")
bob_tok=$(q $db "SELECT neon_auth.sign_in('bob@example.com', 'bob-password-1') ->> 'token'")
cookie=$(q $db "SELECT neon_auth.session_cookie('$tok')")
jwt=$(q $db "SELECT neon_auth.token('$tok')")
org=$(q $db "SELECT neon_auth.create_organization('Acme', 'acme', session_token => '$tok') ->> 'id'")
psql -X -q -v ON_ERROR_STOP=1 -d $db >/dev/null <<SQL
CREATE TABLE notes (owner uuid NOT NULL, body text NOT NULL);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON notes TO authenticated USING (owner = (SELECT neon_auth.requesting_user_id()));
GRANT SELECT ON notes TO authenticated;
INSERT INTO notes SELECT id, 'note of ' || name FROM neon_auth."user";
SQL

second_cluster standby $((PGPORT + 102)) standby
conn=$cluster_conn
sb="$conn dbname=$db"
caught_up() { # wait until the standby has replayed everything the primary has written
	local lsn
	lsn=$(q $db "SELECT pg_current_wal_lsn()")
	for _ in $(seq 1 300); do
		[ "$(q "$sb" "SELECT pg_last_wal_replay_lsn() >= '$lsn'")" = t ] && return 0
		sleep 0.1
	done
	echo "standby did not catch up" >&2
	return 1
}
caught_up
sqlstate_message() { # sqlstate_message SQL: "SQLSTATE message" of the error on the standby
	local err
	err=$(psql -X -q -At -d "$sb" -c "\\set VERBOSITY verbose" -c "$1" 2>&1 >/dev/null || true)
	sed -n 's/^ERROR: *\([0-9A-Z]*\): \(.*\)$/\1 \2/p' <<<"$err"
}

check "the standby is in recovery" t "$(q "$sb" "SELECT pg_is_in_recovery()")"
check "verify_session: token" "$alice" "$(q "$sb" "SELECT neon_auth.verify_session('$tok')")"
check "verify_session: signed cookie" "$alice" "$(q "$sb" "SELECT neon_auth.verify_session('$cookie')")"
check "get_session answers (and does not refresh)" "alice@example.com" "$(q "$sb" "SELECT neon_auth.get_session('$tok') #>> '{user,email}'")"
check "verify_jwt" "$alice" "$(q "$sb" "SELECT neon_auth.verify_jwt('$jwt') ->> 'sub'")"
check "token() signs with the replicated key" "$alice" "$(q "$sb" "SELECT neon_auth.verify_jwt(neon_auth.token('$tok')) ->> 'sub'")"
check "jwks() and fork_status() (a standby is no copy)" "1 false" \
	"$(q "$sb" "SELECT jsonb_array_length(neon_auth.jwks() -> 'keys') || ' ' || (neon_auth.fork_status() ->> 'unforked_copy')")"
check "requesting_user_id() from a PostgREST request (Bearer JWT)" "$alice" \
	"$(q "$sb" "SELECT set_config('request.headers', '{\"authorization\": \"Bearer $jwt\"}', false) IS NULL, neon_auth.requesting_user_id()" | cut -d'|' -f2)"
check "RLS helpers" "$org|t|owner|t" \
	"$(q "$sb" "BEGIN; SELECT neon_auth.authenticate('$tok') IS NULL; SELECT array_to_string(neon_auth.organization_ids(), ','), neon_auth.is_member('$org'), neon_auth.member_role('$org'), neon_auth.has_permission('$org', '{\"member\": [\"create\"]}'); COMMIT" | tail -1)"
check "an RLS policy as the app role shows only the caller's rows" "note of alice" \
	"$(q "$sb" "BEGIN; SELECT neon_auth.authenticate('$tok') IS NULL; SET LOCAL ROLE authenticated; SELECT string_agg(body, ',') FROM notes; COMMIT" | tail -1)"
check "list_sessions (sign-up and sign-in), get_full_organization, list_organizations" "2 Acme 1" \
	"$(q "$sb" "SELECT jsonb_array_length(neon_auth.list_sessions('$tok')) || ' ' || (neon_auth.get_full_organization('$org', '$tok') ->> 'name') || ' ' || jsonb_array_length(neon_auth.list_organizations('$tok'))")"
check "get_session through PostgREST on the standby (HTTP mode)" "$alice" \
	"$(q "$sb" "SELECT set_config('request.method', 'GET', false) IS NULL, neon_auth.get_session('$tok') #>> '{user,id}'" | cut -d'|' -f2)"

for call in "sign_in|neon_auth.sign_in('alice@example.com', 'alice-password-1')" \
	"sign_up|neon_auth.sign_up('carol@example.com', 'carol-password-1', 'carol')" \
	"sign_out|neon_auth.sign_out('$tok')" \
	"create_organization|neon_auth.create_organization('Other', 'other', session_token => '$tok')" \
	"revoke_other_sessions|neon_auth.revoke_other_sessions('$tok')" \
	"send_verification_email|neon_auth.send_verification_email('alice@example.com')" \
	"outbox_claim|neon_auth.outbox_claim()"; do
	fn=${call%%|*}
	check "$fn refuses with a clear read-only error" "25006 neon_auth.$fn needs a writable database" "$(sqlstate_message "SELECT ${call#*|}")"
done
hint=$(psql -X -q -At -d "$sb" -c "SELECT neon_auth.sign_in('alice@example.com', 'alice-password-1')" 2>&1 || true)
check "and says where to go" yes \
	"$(case $hint in *"HINT:  This server is a read-only standby. Send this call to the primary"*) echo yes ;; *) echo no ;; esac)"

# One standby connection caches alice's identity; the primary signs her out
# and bans bob; after replay the same connection sees both.
cat >"$work/on_primary.sh" <<SH
psql -X -q -d $db -c "SELECT neon_auth.sign_out('$tok')" -c "UPDATE neon_auth.\"user\" SET banned = true WHERE email = 'bob@example.com'" >/dev/null
lsn=\$(psql -X -q -At -d $db -c "SELECT pg_current_wal_lsn()")
for _ in \$(seq 1 300); do
	[ "\$(psql -X -q -At -d "$sb" -c "SELECT pg_last_wal_replay_lsn() >= '\$lsn'")" = t ] && exit 0
	sleep 0.1
done
exit 1
SH
out=$(psql -X -q -At -d "$sb" -v ON_ERROR_STOP=1 \
	-c "SELECT coalesce(neon_auth.verify_session('$tok')::text, 'none'), coalesce(neon_auth.verify_session('$bob_tok')::text, 'none')" \
	-c "\\! bash $work/on_primary.sh" \
	-c "SELECT coalesce(neon_auth.verify_session('$tok')::text, 'none'), coalesce(neon_auth.verify_session('$bob_tok')::text, 'none')")
check "a standby connection sees the primary's sign-out and ban after replay" "$alice|$(q $db "SELECT id FROM neon_auth.\"user\" WHERE email = 'bob@example.com'") none|none" "$(echo $out)"
finish
