#!/usr/bin/env bash
# pg_dump (custom and plain) and CREATE DATABASE ... TEMPLATE carry the whole
# auth state: in each copy the users sign in, existing sessions and signed
# cookies verify, the secret, config and audit trail are the original's (and
# new audit rows get new ids), and writes in the copy do not show in the
# original.
. "$(dirname "$0")/lib.sh"
src=neon_auth_dump_src
fresh_db $src
q $src "SELECT neon_auth.set_secret('dump-restore-secret-0123456789abcdefghij')" >/dev/null
q $src "UPDATE neon_auth.config SET session_expires_in = 1209600, base_url = 'https://app.example.com'"
for u in alice bob carol; do
	q $src "SELECT neon_auth.sign_up('$u@example.com', '$u-password-1', '$u')" >/dev/null
done
tok=$(q $src "SELECT neon_auth.sign_in('alice@example.com', 'alice-password-1') ->> 'token'")
cookie=$(q $src "SELECT neon_auth.session_cookie('$tok')")
alice=$(q $src "SELECT id FROM neon_auth.\"user\" WHERE email = 'alice@example.com'")

pg_dump -Fc -d $src -f "$work/auth.dump"
pg_dump -Fp -d $src -f "$work/auth.sql"
for copy in custom plain template; do
	db=neon_auth_dump_$copy
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
	check "$copy: the audit trail came along (3 sign-ups, 1 sign-in)" "3 1" \
		"$(q $db "SELECT count(*) FILTER (WHERE event = 'sign_up') || ' ' || count(*) FILTER (WHERE event = 'sign_in') FROM neon_auth.audit_log")"
	for u in alice bob carol; do
		check "$copy: $u signs in" t \
			"$(q $db "SELECT (neon_auth.sign_in('$u@example.com', '$u-password-1') ->> 'token') IS NOT NULL")"
	done
	check "$copy: wrong password still refused" 28P01 \
		"$(psql -X -q -At -d $db -c "\\set VERBOSITY sqlstate" -c "SELECT neon_auth.sign_in('bob@example.com', 'nope-nope-nope')" 2>&1 | sed 's/^ERROR: *//')"
	check "$copy: the original session token verifies" "$alice" "$(q $db "SELECT neon_auth.verify_session('$tok')")"
	check "$copy: the original signed cookie verifies" "$alice" "$(q $db "SELECT neon_auth.verify_session('$cookie')")"
	check "$copy: one secret row, the original's" "1 true" \
		"$(q $db "SELECT count(*) || ' ' || bool_and(value = 'dump-restore-secret-0123456789abcdefghij') FROM neon_auth.secret")"
	check "$copy: one config row, the original's" "1 1209600 https://app.example.com" \
		"$(q $db "SELECT count(*) || ' ' || max(session_expires_in) || ' ' || max(base_url) FROM neon_auth.config")"
	q $db "SELECT neon_auth.sign_up('only-in-$copy@example.com', 'copy-password-1', 'Copy')" >/dev/null
	check "$copy: a user added in the copy is not in the original" 0 \
		"$(q $src "SELECT count(*) FROM neon_auth.\"user\" WHERE email = 'only-in-$copy@example.com'")"
done
finish
