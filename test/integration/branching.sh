#!/usr/bin/env bash
# A copy of the database carries the whole auth state, and fork() makes a
# copy its own. Copies: CREATE DATABASE ... TEMPLATE, pg_dump custom and
# plain, and a pg_basebackup started as a second cluster. In each copy,
# before fork(): users sign in, the original's session, signed cookie and
# JWT verify, config, secret, organizations and the audit trail are the
# original's, fork_status() reports the copy and the first call of a
# connection warns. Then each copy is forked in another mode and checked
# against what docs/operations.md promises; writes in a copy never show in
# the original.
. "$(dirname "$0")/lib.sh"
src=neon_auth_branch_src
fresh_db $src
q $src "SELECT neon_auth.set_secret('branching-secret-0123456789abcdefghijklm')" >/dev/null
q $src "UPDATE neon_auth.config SET session_expires_in = 1209600, base_url = 'https://app.example.com'"
for u in alice bob carol; do
	q $src "SELECT neon_auth.sign_up('$u@example.com', '$u-password-1', '$u')" >/dev/null
done
tok=$(q $src "SELECT neon_auth.sign_in('alice@example.com', 'alice-password-1') ->> 'token'")
cookie=$(q $src "SELECT neon_auth.session_cookie('$tok')")
jwt=$(q $src "SELECT neon_auth.token('$tok')")
alice=$(q $src "SELECT id FROM neon_auth.\"user\" WHERE email = 'alice@example.com'")
bob=$(q $src "SELECT id FROM neon_auth.\"user\" WHERE email = 'bob@example.com'")
org=$(q $src "SELECT neon_auth.create_organization('Acme', 'acme', session_token => '$tok') ->> 'id'")
q $src "SELECT neon_auth.add_member('$bob', 'admin', '$org', '$tok')" >/dev/null
q $src "SELECT neon_auth.invite_member('carol@example.com', 'member', '$org', session_token => '$tok')" >/dev/null
kid=$(q $src "SELECT string_agg(id::text, ',') FROM neon_auth.jwks")
# carol also signs in with GitHub: a live third-party token a preview must not keep.
q $src "INSERT INTO neon_auth.account (\"accountId\", \"providerId\", \"userId\", \"accessToken\", \"refreshToken\", \"createdAt\", \"updatedAt\")
        SELECT '4242', 'github', id, 'gho_live_access_token', 'ghr_live_refresh_token', now(), now() FROM neon_auth.\"user\" WHERE email = 'carol@example.com'" >/dev/null

sqlstate() { # sqlstate DB SQL: the error's SQLSTATE, or "no error"
	local err
	err=$(psql -X -q -At -d "$1" -c "\\set VERBOSITY sqlstate" -c "$2" 2>&1 >/dev/null || true)
	err=$(sed -n 's/^ERROR: *//p' <<<"$err")
	echo "${err:-no error}"
}
first_call_warns() { # first_call_warns DB: does a new connection's first sign-in warn about the copy?
	local out
	out=$(psql -X -q -At -d "$1" -c "SELECT neon_auth.sign_in('bob@example.com', 'bob-password-1') IS NOT NULL" 2>&1)
	case $out in *"WARNING:  neon_auth is running in a copy of its database that was not forked"*) echo yes ;; *) echo no ;; esac
}
status() { q "$1" "SELECT neon_auth.fork_status() ->> '$2'"; }

check "original: not a copy" false "$(status $src unforked_copy)"
check "original: no warning" no "$(first_call_warns $src)"
check "original: fork() refused there (NOT_A_COPY)" 55000 "$(sqlstate $src "SELECT neon_auth.fork('rekey')")"
check "original: a neon.timeline_id placeholder any role can set neither fakes nor hides a copy" false \
	"$(q $src "SET neon.timeline_id = '00000000000000000000000000000000'; SELECT neon_auth.fork_status() ->> 'unforked_copy'")"

# Checks that hold in any copy before fork(): the original's state works.
carried() { # carried LABEL DB
	local c=$1 db=$2
	check "$c: the audit trail came along" "3 2" \
		"$(q $db "SELECT count(*) FILTER (WHERE event = 'sign_up') || ' ' || count(*) FILTER (WHERE event = 'sign_in') FROM neon_auth.audit_log")"
	for u in alice carol; do
		check "$c: $u signs in" t "$(q $db "SELECT (neon_auth.sign_in('$u@example.com', '$u-password-1') ->> 'token') IS NOT NULL")"
	done
	check "$c: wrong password still refused" 28P01 "$(sqlstate $db "SELECT neon_auth.sign_in('bob@example.com', 'nope-nope-nope')")"
	check "$c: the original session token verifies" "$alice" "$(q $db "SELECT neon_auth.verify_session('$tok')")"
	check "$c: the original signed cookie verifies" "$alice" "$(q $db "SELECT neon_auth.verify_session('$cookie')")"
	check "$c: the original JWT verifies against the copy's keys" "$alice" "$(q $db "SELECT neon_auth.verify_jwt('$jwt') ->> 'sub'")"
	check "$c: the secret and config are the original's" "1 true 1209600" \
		"$(q $db "SELECT count(*) || ' ' || bool_and(s.value = 'branching-secret-0123456789abcdefghijklm') || ' ' || max(c.session_expires_in) FROM neon_auth.secret s, neon_auth.config c")"
	check "$c: the organization, its members and invitation came along" "acme owner,admin 1" \
		"$(q $db "SELECT o.slug || ' ' || string_agg(m.role, ',' ORDER BY m.role DESC) || ' ' || (SELECT count(*) FROM neon_auth.invitation) FROM neon_auth.organization o JOIN neon_auth.member m ON m.\"organizationId\" = o.id GROUP BY o.slug")"
	check "$c: get_full_organization with the original's session" "Acme 2" \
		"$(q $db "SELECT j ->> 'name' || ' ' || jsonb_array_length(j -> 'members') FROM neon_auth.get_full_organization('$org', '$tok') j")"
}

pg_dump -Fc -d $src -f "$work/auth.dump"
pg_dump -Fp -d $src -f "$work/auth.sql"
for copy in custom plain template; do
	db=neon_auth_branch_$copy
	psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db"
	case $copy in
	custom)
		psql -X -q -d postgres -c "CREATE DATABASE $db ENCODING 'UTF8' TEMPLATE template0"
		pg_restore --exit-on-error -d $db "$work/auth.dump" ;;
	plain)
		psql -X -q -d postgres -c "CREATE DATABASE $db ENCODING 'UTF8' TEMPLATE template0"
		psql -X -q -v ON_ERROR_STOP=1 -d $db -f "$work/auth.sql" >/dev/null ;;
	template)
		psql -X -q -d postgres -c "CREATE DATABASE $db TEMPLATE $src" ;;
	esac
	check "$copy: fork_status() reports an unforked copy" true "$(status $db unforked_copy)"
	check "$copy: the reason is the database oid" yes \
		"$(status $db reason | grep -Eq '^database oid [0-9]+, recorded [0-9]+$' && echo yes || echo no)"
	carried "$copy" $db
	check "$copy: a connection's first sign-in warns" yes "$(first_call_warns $db)"
	q $db "SELECT neon_auth.sign_up('only-in-$copy@example.com', 'copy-password-1', 'Copy')" >/dev/null
	check "$copy: a user added in the copy is not in the original" 0 \
		"$(q $src "SELECT count(*) FROM neon_auth.\"user\" WHERE email = 'only-in-$copy@example.com'")"
done

# keep: the preview mirrors the original; the copy is now its own instance.
db=neon_auth_branch_custom
check "keep: a shared preview password is refused without rekey" 22023 \
	"$(sqlstate $db "SELECT neon_auth.fork('keep', preview_password => 'preview-password-1')")"
check "keep: fork() changes nothing but the record (the unsent invitation email stays)" "keep 1" \
	"$(q $db "SELECT j ->> 'mode' FROM neon_auth.fork('keep') j") $(q $db "SELECT count(*) FROM neon_auth.outbox WHERE delivered_at IS NULL")"
check "keep: no longer a copy" "false keep" "$(status $db unforked_copy) $(status $db fork_mode)"
check "keep: no warning any more" no "$(first_call_warns $db)"
check "keep: OAuth tokens kept" 1 "$(q $db "SELECT count(*) FROM neon_auth.account WHERE \"accessToken\" = 'gho_live_access_token'")"
check "keep: the original session still verifies" "$alice" "$(q $db "SELECT neon_auth.verify_session('$tok')")"
check "keep: the original JWT still verifies" "$alice" "$(q $db "SELECT neon_auth.verify_jwt('$jwt') ->> 'sub'")"
check "keep: a second fork() is refused" 55000 "$(sqlstate $db "SELECT neon_auth.fork('keep')")"
check "keep: audited with the identifiers" "fork success keep true" \
	"$(q $db "SELECT event || ' ' || outcome || ' ' || (detail ->> 'mode') || ' ' || ((detail #>> '{from,database_oid}') <> (detail #>> '{to,database_oid}')) FROM neon_auth.audit_log WHERE event = 'fork'")"

# rekey + scrub + one preview password.
db=neon_auth_branch_plain
fake=$(q $db "SELECT neon_auth._fake_email('alice@example.com', 'branching-secret-0123456789abcdefghijklm')")
check "rekey: an unknown mode is refused" 22023 "$(sqlstate $db "SELECT neon_auth.fork('rekey-ish')")"
check "rekey: a too-short preview password is refused, nothing changed" "22023 true" \
	"$(sqlstate $db "SELECT neon_auth.fork('rekey', preview_password => 'short')") $(status $db unforked_copy)"
q $db "SELECT neon_auth.fork('rekey', scrub => true, preview_password => 'preview-password-1')" >/dev/null
check "rekey: the original session is revoked" "" "$(q $db "SELECT neon_auth.verify_session('$tok')")"
check "rekey: the original signed cookie fails" "" "$(q $db "SELECT neon_auth.verify_session('$cookie')")"
check "rekey: the original JWT fails (unknown key)" 28000 "$(sqlstate $db "SELECT neon_auth.verify_jwt('$jwt')")"
check "rekey: a new secret and a new signing key" "false 1 false" \
	"$(q $db "SELECT (SELECT value = 'branching-secret-0123456789abcdefghijklm' FROM neon_auth.secret) || ' ' || count(*) || ' ' || bool_or(id::text = ANY (string_to_array('$kid', ','))) FROM neon_auth.jwks")"
check "scrub: emails are deterministic fakes" "$fake" "$(q $db "SELECT email FROM neon_auth.\"user\" WHERE id = '$alice'")"
check "scrub: no address or name of the original in users, invitations or the audit trail" "0 0 0" \
	"$(q $db "SELECT count(*) FROM neon_auth.\"user\" WHERE email LIKE '%@example.com' OR name IN ('alice', 'bob', 'carol')") $(q $db "SELECT count(*) FROM neon_auth.invitation WHERE email LIKE '%@example.com'") $(q $db "SELECT count(*) FROM neon_auth.audit_log WHERE email LIKE '%@example.com' OR detail::text LIKE '%@example.com%'")" 
check "scrub: the invitation email is its user's fake" "$(q $db "SELECT neon_auth._fake_email('carol@example.com', 'branching-secret-0123456789abcdefghijklm')")" \
	"$(q $db "SELECT email FROM neon_auth.invitation")"
check "rekey: the fake address signs in with the preview password" "$alice" \
	"$(q $db "SELECT neon_auth.sign_in('$fake', 'preview-password-1') #>> '{user,id}'")"
check "rekey: the old password is gone" 28P01 "$(sqlstate $db "SELECT neon_auth.sign_in('$fake', 'alice-password-1')")"
check "rekey: a new session gets a JWT that verifies here" "$alice" \
	"$(q $db "SELECT neon_auth.verify_jwt(neon_auth.token(neon_auth.sign_in('$fake', 'preview-password-1') ->> 'token')) ->> 'sub'")"
check "rekey: no message, link or OAuth token of the original is left" "0 0 0" \
	"$(q $db "SELECT (SELECT count(*) FROM neon_auth.outbox) || ' ' || (SELECT count(*) FROM neon_auth.verification) || ' ' || (SELECT count(*) FROM neon_auth.account WHERE \"accessToken\" IS NOT NULL)")"
check "rekey: the original is untouched" "alice@example.com $alice" \
	"$(q $src "SELECT email FROM neon_auth.\"user\" WHERE id = '$alice'") $(q $src "SELECT neon_auth.verify_session('$tok')")"

# reset_sessions: sessions go, keys and secret stay (so an unexpired JWT still verifies).
db=neon_auth_branch_template
check "reset_sessions: every session revoked" "t" \
	"$(q $db "SELECT (neon_auth.fork('reset_sessions') ->> 'sessions_revoked')::int > 0")"
check "reset_sessions: none left, the original's fails" "0 " \
	"$(q $db "SELECT count(*) FROM neon_auth.session") $(q $db "SELECT neon_auth.verify_session('$tok')")"
check "reset_sessions: the signing keys stay, so the JWT verifies until it expires" "$alice" \
	"$(q $db "SELECT neon_auth.verify_jwt('$jwt') ->> 'sub'")"
check "reset_sessions: OAuth tokens cleared" 0 "$(q $db "SELECT count(*) FROM neon_auth.account WHERE \"refreshToken\" IS NOT NULL")"
check "reset_sessions: passwords kept" t "$(q $db "SELECT (neon_auth.sign_in('bob@example.com', 'bob-password-1') ->> 'token') IS NOT NULL")"

# A physical copy (pg_basebackup) keeps every identifier, as a promoted
# standby does: it is not reported, and fork() needs force.
second_cluster basebackup $((PGPORT + 101))
conn=$cluster_conn
db="$conn dbname=$src"
check "basebackup: same system identifier and database oid, not reported" "false" "$(status "$db" unforked_copy)"
check "basebackup: users sign in" t "$(q "$db" "SELECT (neon_auth.sign_in('carol@example.com', 'carol-password-1') ->> 'token') IS NOT NULL")"
check "basebackup: the original session verifies" "$alice" "$(q "$db" "SELECT neon_auth.verify_session('$tok')")"
check "basebackup: fork() without force is refused" 55000 "$(sqlstate "$db" "SELECT neon_auth.fork('rekey')")"
check "basebackup: fork(force => true) rekeys" "rekey " \
	"$(q "$db" "SELECT neon_auth.fork('rekey', force => true) ->> 'mode'") $(q "$db" "SELECT neon_auth.verify_session('$tok')")"
q "$db" "SELECT neon_auth.sign_up('only-in-basebackup@example.com', 'copy-password-1', 'Copy')" >/dev/null
check "basebackup: the original's session and users are untouched" "$alice 0" \
	"$(q $src "SELECT neon_auth.verify_session('$tok')") $(q $src "SELECT count(*) FROM neon_auth.\"user\" WHERE email LIKE 'only-in-basebackup%'")"
finish
