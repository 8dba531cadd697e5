#!/usr/bin/env bash
# The InsForge / self-hosted Supabase flow without a bridge route: PostgREST
# verifies HS256 with its jwt-secret, so neon_auth signs token() with that
# secret. A Better Auth session cookie goes to token(); the HS256 JWT it
# answers is checked with openssl as PostgREST checks it (HMAC-SHA256 with
# the secret); then PostgREST's request settings carry it, and RLS sees the
# user: through the bearer header that neon_auth verifies itself, and through
# request.jwt.claims where a superuser trusts PostgREST's verification.
# Tokens signed with another secret or with the JWKS public key see nothing.
. "$(dirname "$0")/lib.sh"
db=neon_auth_hs256
fresh_db $db
pgrst_secret="insforge-jwt-secret-0123456789abcdefghijklmnop"
psql -X -q -v ON_ERROR_STOP=1 -d $db <<-SQL
	DO \$\$ BEGIN CREATE ROLE anon NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$;
	DO \$\$ BEGIN CREATE ROLE authenticated NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$;
	DROP ROLE IF EXISTS hs256_authenticator;
	CREATE ROLE hs256_authenticator LOGIN NOINHERIT PASSWORD 'authenticator';
	GRANT anon, authenticated TO hs256_authenticator;
	CREATE TABLE notes (owner uuid DEFAULT neon_auth.requesting_user_id() NOT NULL, body text NOT NULL);
	ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
	CREATE POLICY own ON notes USING (owner = neon_auth.requesting_user_id());
	GRANT SELECT ON notes TO anon, authenticated;
	SELECT neon_auth.set_postgrest_secret('$pgrst_secret');
	SELECT neon_auth.configure('{"jwt_hs256": true, "jwt_hs256_audience": "authenticated"}');
SQL
alice=$(q $db "SELECT neon_auth.sign_up('alice@example.com', 'alice-password-1', 'Alice') #>> '{user,id}'")
bob=$(q $db "SELECT neon_auth.sign_up('bob@example.com', 'bob-password-1', 'Bob') #>> '{user,id}'")
q $db "INSERT INTO notes VALUES ('$alice', 'alice''s note'), ('$bob', 'bob''s note')" >/dev/null
# Alice's Better Auth session cookie: the signed value the browser holds.
session=$(q $db "SELECT neon_auth.sign_in('alice@example.com', 'alice-password-1') ->> 'token'")
cookie=$(q $db "SELECT neon_auth.session_cookie('$session')")

# token(), called as PostgREST calls /rpc/token for the browser: the cookie in request.cookies.
jwt=$(PGUSER=hs256_authenticator PGPASSWORD=authenticator psql -X -q -At -v ON_ERROR_STOP=1 -d $db <<-SQL | tail -1
	BEGIN;
	SELECT set_config('role', 'anon', true), set_config('request.method', 'GET', true), set_config('request.path', '/rpc/token', true),
	       set_config('request.headers', '{}', true),
	       set_config('request.cookies', json_build_object('better-auth.session_token', '$cookie')::text, true);
	SELECT neon_auth.token('$cookie');
	COMMIT;
SQL
)
IFS=. read -r header payload signature <<<"$jwt"
b64url_json() { local s=$1; while [ $((${#s} % 4)) -ne 0 ]; do s="$s="; done; echo "$s" | tr -- '-_' '+/' | base64 -d; }
check "token() answers an HS256 JWT" '{"alg":"HS256","typ":"JWT"}' "$(b64url_json "$header")"
claims=$(b64url_json "$payload")
check "its claims: sub, role and aud as PostgREST deployments expect" "$alice authenticated authenticated" \
	"$(q $db "SELECT concat_ws(' ', c ->> 'sub', c ->> 'role', c ->> 'aud') FROM (SELECT '$claims'::jsonb AS c) x")"
expected_sig=$(printf '%s' "$header.$payload" | openssl dgst -sha256 -hmac "$pgrst_secret" -binary | base64 | tr '+/' '-_' | tr -d '=')
check "openssl verifies it with PostgREST's secret, as PostgREST does" "$expected_sig" "$signature"

# The request PostgREST makes after verifying the JWT: role from its claim,
# the claims (plus role) in request.jwt.claims, the bearer header.
request() { # request JWT CLAIMS_JSON
	cat <<-SQL
		BEGIN;
		SELECT set_config('search_path', 'public', true), set_config('role', 'authenticated', true),
		       set_config('request.jwt.claims', '$2', true), set_config('request.method', 'GET', true),
		       set_config('request.path', '/notes', true),
		       set_config('request.headers', json_build_object('authorization', 'Bearer $1')::text, true),
		       set_config('request.cookies', '{}', true);
		SELECT coalesce(string_agg(body, ',' ORDER BY body), 'none') FROM notes;
		COMMIT;
	SQL
}
as_authenticator() { PGUSER=hs256_authenticator PGPASSWORD=authenticator psql -X -q -At -v ON_ERROR_STOP=1 -d $db | tail -1; }
check "RLS sees alice's rows through the bearer JWT" "alice's note" "$(request "$jwt" "$claims" | as_authenticator)"

forged=$(q $db "SELECT neon_auth._jwt_sign_hs256('$claims', 'another-secret-0123456789abcdefghijklmnopqr')")
check "a token signed with another secret: no rows" none "$(request "$forged" "$claims" | as_authenticator)"
public_jwk=$(q $db "SELECT \"publicKey\" FROM neon_auth.jwks ORDER BY \"createdAt\" DESC LIMIT 1")
confused=$(q $db "SELECT neon_auth._jwt_sign_hs256('$claims', \$k\$$public_jwk\$k\$)")
check "a token MACed with the JWKS public key: no rows" none "$(request "$confused" "$claims" | as_authenticator)"
bob_claims=$(q $db "SELECT jsonb_set('$claims'::jsonb, '{sub}', to_jsonb('$bob'::text))::text")
check "claims without a JWT that carries them: no rows" none "$(request "$forged" "$bob_claims" | as_authenticator)"

# Where a superuser trusts PostgREST's verification, the claims it sets count.
psql -X -q -d postgres -c "ALTER ROLE hs256_authenticator IN DATABASE $db SET neon_auth.trust_jwt_claims = on"
check "trusted claims: RLS sees alice's rows" "alice's note" "$(request "" "$claims" | as_authenticator)"

# Without the secret, the same JWT identifies nobody.
q $db "SELECT neon_auth.set_postgrest_secret(NULL)" >/dev/null
psql -X -q -d postgres -c "ALTER ROLE hs256_authenticator IN DATABASE $db RESET neon_auth.trust_jwt_claims"
check "secret removed: the JWT sees nothing" none "$(request "$jwt" "$claims" | as_authenticator)"
check "and token() signs with a JWKS key again" EdDSA \
	"$(b64url_json "$(q $db "SELECT split_part(neon_auth.token('$cookie'), '.', 1)")" | sed 's/.*"alg":"\([^"]*\)".*/\1/')"
psql -X -q -d postgres -c "DROP DATABASE $db" -c "DROP ROLE hs256_authenticator"
finish
