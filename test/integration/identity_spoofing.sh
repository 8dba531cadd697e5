#!/usr/bin/env bash
# An ordinary login role tries to make requesting_user_id() trust claims it
# wrote itself: by setting neon_auth.trust_jwt_claims before the library is
# loaded in its backend (a placeholder), or with set_config afterwards. Each
# attempt runs in a fresh connection, so the library is not loaded yet.
. "$(dirname "$0")/lib.sh"
db=neon_auth_spoofing
fresh_db $db
psql -X -q -d postgres -c "DROP ROLE IF EXISTS spoofer" -c "CREATE ROLE spoofer LOGIN PASSWORD 'spoofer'"
victim=$(q $db "SELECT neon_auth.sign_up('victim@example.com', 'victim-password', 'V') #>> '{user,id}'")
as_spoofer() { PGUSER=spoofer PGPASSWORD=spoofer psql -X -q -At -d $db "$@" 2>"$work/stderr"; }

out=$(as_spoofer -c "SET neon_auth.trust_jwt_claims = on" \
	-c "SELECT set_config('request.jwt.claims', '{\"sub\":\"$victim\"}', false) IS NOT NULL" \
	-c "SELECT coalesce(neon_auth.requesting_user_id()::text, 'nobody')" -c "SHOW neon_auth.trust_jwt_claims")
check "placeholder set before load: nobody is identified" "t nobody off" "$(echo $out)"
check "and PostgreSQL says why" 1 "$(grep -c 'permission denied to set parameter "neon_auth.trust_jwt_claims"' "$work/stderr")"

as_spoofer -c "SELECT neon_auth.requesting_user_id()" -c "SET neon_auth.trust_jwt_claims = on" >/dev/null || true
check "set after load: refused" 1 "$(grep -c 'permission denied to set parameter' "$work/stderr")"

out=$(as_spoofer -c "SELECT set_config('request.jwt.claims', '{\"sub\":\"$victim\"}', false) IS NOT NULL" \
	-c "SELECT coalesce(neon_auth.requesting_user_id()::text, 'nobody')")
check "claims alone identify nobody" "t nobody" "$(echo $out)"

# The control: the same claims do identify the victim once a superuser trusts them.
psql -X -q -d postgres -c "ALTER ROLE spoofer SET neon_auth.trust_jwt_claims = on" 2>/dev/null
out=$(as_spoofer -c "SELECT set_config('request.jwt.claims', '{\"sub\":\"$victim\"}', false) IS NOT NULL" \
	-c "SELECT coalesce(neon_auth.requesting_user_id()::text, 'nobody')")
check "control: trusted by a superuser's ALTER ROLE, the claims count" "t $victim" "$(echo $out)"
psql -X -q -d postgres -c "DROP DATABASE $db" -c "DROP ROLE spoofer"
finish
