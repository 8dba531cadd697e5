#!/usr/bin/env bash
# ALTER EXTENSION neon_auth UPDATE from every released version. A database
# made with the frozen install script of an old version (and the library of
# this tree, as after a package upgrade) gets users, sessions, a signed
# cookie, a JWT and an organization; the library must serve it as it is.
# Then it is updated, and (a) its schema equals a fresh install's: pg_dump
# (--binary-upgrade, the one mode that dumps an extension's members) and the
# catalog's function definitions, privileges and settings; (b) the old users
# sign in, the old session, cookie and JWT still verify, the organization
# answers, and errors come from the new catalogue.
. "$(dirname "$0")/lib.sh"
current=$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$(dirname "$0")/../../neon_auth.control")

# The schema of a database's neon_auth, without what differs between any two
# databases (oids, relfrozenxid, dump-session settings).
schema_of() {
	pg_dump --binary-upgrade --schema-only "$1" |
		grep -v -e '^\\\(un\)\?restrict' -e '^--' -e 'binary_upgrade_set_next_' -e '^SELECT pg_catalog.setval' |
		sed -E -e "s/(relfrozenxid|relminmxid|oid) = '[0-9]+'/\1 = N/g" \
			-e "s/(binary_upgrade_create_empty_extension\('neon_auth', '[a-z_]+', false, '[0-9.]+'), '\{[0-9,]+\}'/\1, OIDS/" |
		cat -s
	q "$1" "SELECT extconfig::regclass[] FROM pg_extension WHERE extname = 'neon_auth'"
}
functions_of() {
	q "$1" "SELECT string_agg(format('%s %s %s', p.oid::regprocedure, p.proacl, pg_get_functiondef(p.oid)), E'\n' ORDER BY 1)
	          FROM pg_proc p WHERE p.pronamespace = 'neon_auth'::regnamespace"
}

fresh=neon_auth_upgrade_fresh
fresh_db $fresh
check "a fresh install is version $current" "$current" "$(q $fresh "SELECT extversion FROM pg_extension WHERE extname = 'neon_auth'")"
schema_of $fresh >"$work/fresh.schema"
functions_of $fresh >"$work/fresh.functions"

for old in $(cd "$(pg_config --sharedir)/extension" && ls neon_auth--*.sql | sed -n 's/^neon_auth--\([0-9.]*\)\.sql$/\1/p' | sort -V); do
	[ "$old" != "$current" ] || continue
	db=neon_auth_upgrade_from_$old
	db=${db//./_}
	psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" \
		-c "CREATE DATABASE $db ENCODING 'UTF8' TEMPLATE template0"
	q $db "CREATE EXTENSION neon_auth VERSION '$old'" >/dev/null
	q $db "SELECT neon_auth.configure('{\"rate_limit_enabled\": false, \"base_url\": \"https://app.example.com\"}')" >/dev/null

	# The old version's data, made through its own functions with the new library.
	for u in alice bob carol; do
		q $db "SELECT neon_auth.sign_up('$u@example.com', '$u-password-1', '$u')" >/dev/null
	done
	tok=$(q $db "SELECT neon_auth.sign_in('alice@example.com', 'alice-password-1') ->> 'token'")
	cookie=$(q $db "SELECT neon_auth.session_cookie('$tok')")
	jwt=$(q $db "SELECT neon_auth.token('$tok')")
	alice=$(q $db "SELECT id FROM neon_auth.\"user\" WHERE email = 'alice@example.com'")
	bob=$(q $db "SELECT id FROM neon_auth.\"user\" WHERE email = 'bob@example.com'")
	org=$(q $db "SELECT neon_auth.create_organization('Acme', 'acme', session_token => '$tok') ->> 'id'")
	q $db "SELECT neon_auth.add_member('$bob', 'admin', '$org', '$tok')" >/dev/null
	q $db "SELECT neon_auth.create_team('Platform', '$org', '$tok')" >/dev/null
	q $db "SELECT neon_auth.invite_member('carol@example.com', 'member', '$org', session_token => '$tok')" >/dev/null
	check "$old with this library: the session verifies" "$alice" "$(q $db "SELECT neon_auth.verify_session('$tok')")"
	check "$old with this library: the JWT identifies alice in RLS" "$alice" \
		"$(q $db "BEGIN; SELECT set_config('request.headers', json_build_object('authorization', 'Bearer $jwt')::text, true); SELECT neon_auth.requesting_user_id(); COMMIT" | tail -1)"

	q $db "ALTER EXTENSION neon_auth UPDATE" >/dev/null
	check "$old updates to $current" "$current" "$(q $db "SELECT extversion FROM pg_extension WHERE extname = 'neon_auth'")"
	schema_of $db >"$work/$db.schema"
	functions_of $db >"$work/$db.functions"
	if diff -u "$work/fresh.schema" "$work/$db.schema" >"$work/$db.schema.diff"; then d=same; else d=different; fi
	check "$old updated: pg_dump of the schema equals a fresh install's" same $d
	[ $d = same ] || head -60 "$work/$db.schema.diff" | sed 's/^/#   /'
	if diff -u "$work/fresh.functions" "$work/$db.functions" >"$work/$db.functions.diff"; then d=same; else d=different; fi
	check "$old updated: function definitions, privileges and settings equal a fresh install's" same $d
	[ $d = same ] || head -60 "$work/$db.functions.diff" | sed 's/^/#   /'

	check "$old updated: an old user signs in" t \
		"$(q $db "SELECT neon_auth.sign_in('bob@example.com', 'bob-password-1') ? 'token'")"
	check "$old updated: the old session token verifies" "$alice" "$(q $db "SELECT neon_auth.verify_session('$tok')")"
	check "$old updated: the old signed cookie verifies" "$alice" "$(q $db "SELECT neon_auth.verify_session('$cookie')")"
	check "$old updated: the old JWT verifies" "$alice" "$(q $db "SELECT neon_auth.verify_jwt('$jwt') ->> 'sub'")"
	check "$old updated: the old JWT identifies alice in RLS" "$alice" \
		"$(q $db "BEGIN; SELECT set_config('request.headers', json_build_object('authorization', 'Bearer $jwt')::text, true); SELECT neon_auth.requesting_user_id(); COMMIT" | tail -1)"
	check "$old updated: the organization answers with its members, teams and invitation" "2 2 1" \
		"$(q $db "SELECT concat_ws(' ', jsonb_array_length(o -> 'members'), jsonb_array_length(o -> 'teams'), jsonb_array_length(o -> 'invitations'))
		            FROM neon_auth.get_full_organization('$org', '$tok') o")"
	check "$old updated: a member's permission check answers" t \
		"$(q $db "BEGIN; SELECT neon_auth.authenticate('$tok'); SELECT neon_auth.has_permission('$org', '{\"member\": [\"create\"]}'); COMMIT" | tail -1)"
	err=$(psql -X -q -At -d $db -c "\\set VERBOSITY verbose" -c "SELECT neon_auth.sign_in('bob@example.com', 'wrong-password')" 2>&1 || true)
	check "$old updated: a wrong password raises INVALID_EMAIL_OR_PASSWORD (28P01)" "28P01 INVALID_EMAIL_OR_PASSWORD" \
		"$(sed -n 's/^ERROR: *\([0-9A-Z]\{5\}\):.*/\1/p' <<<"$err") $(sed -n 's/^DETAIL: *//p' <<<"$err")"
	check "$old updated: an organization error comes from the catalogue" "P0002 ORGANIZATION_NOT_FOUND" \
		"$(psql -X -q -At -d $db -c "\\set VERBOSITY verbose" -c "SELECT neon_auth.get_full_organization(gen_random_uuid(), '$tok')" 2>&1 |
			sed -n -e 's/^ERROR: *\([0-9A-Z]\{5\}\):.*/\1/p' -e 's/^DETAIL: *//p' | paste -sd' ')"
done
finish
