---------------------------------------------------------------------------
-- C primitives (src/pg, over src/core). Internal: EXECUTE is revoked from
-- PUBLIC in 99_privileges.sql. The C functions of the identity path are in
-- 30_identity.sql, the trigger function in 02_trigger_functions.sql and the
-- copy check in 80_fork.sql.
---------------------------------------------------------------------------

CREATE FUNCTION neon_auth._password_hash(normalized_password text) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_password_hash' LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._password_hash(text) IS
	'Better Auth scrypt hash "saltHex:keyHex" (N=16384, r=16, p=1, dkLen=64) of an NFKC-normalized password';

CREATE FUNCTION neon_auth._password_verify(normalized_password text, stored text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'neon_auth_password_verify' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._password_verify(text, text) IS
	'true when an NFKC-normalized password matches a Better Auth scrypt hash (constant-time compare)';

CREATE FUNCTION neon_auth._utf16_length(value text) RETURNS integer
	AS 'MODULE_PATHNAME', 'neon_auth_utf16_length' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._utf16_length(text) IS
	'length in UTF-16 code units, as JavaScript String.length counts (Better Auth''s password policy)';

CREATE FUNCTION neon_auth._generate_id(length integer) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_generate_id' LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._generate_id(integer) IS
	'random [a-zA-Z0-9] string from the system CSPRNG, as Better Auth generateId()';

CREATE FUNCTION neon_auth._random_string(length integer, charset text) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_random_string' LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._random_string(integer, text) IS
	'random string of the given ASCII alphabet from the system CSPRNG (Better Auth''s generateRandomString)';

CREATE FUNCTION neon_auth._random_digits(length integer) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_random_digits' LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._random_digits(integer) IS
	'random [0-9] string from the system CSPRNG: one-time codes';

CREATE FUNCTION neon_auth._totp_verify(key text, code text, at bigint) RETURNS boolean
	AS 'MODULE_PATHNAME', 'neon_auth_totp_verify' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._totp_verify(text, text, bigint) IS
	'whether code is the 6-digit TOTP (HMAC-SHA1, 30 s) of key at unix time at, or one step either side';

CREATE FUNCTION neon_auth._totp_code(key text, at bigint) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_totp_code' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._totp_code(text, bigint) IS
	'the 6-digit TOTP of key at unix time at (tests and operators; never answered to a client)';

CREATE FUNCTION neon_auth._base32(data text) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_base32' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._base32(text) IS 'RFC 4648 base32 without padding (otpauth:// secrets)';

CREATE FUNCTION neon_auth._hmac_base64url(key text, message text) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_hmac_base64url' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._hmac_base64url(text, text) IS
	'base64url (no padding) of HMAC-SHA256(key, message): Better Auth''s trust-device token';

CREATE FUNCTION neon_auth._cookie_sign(value text, secret text) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_cookie_sign' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._cookie_sign(text, text) IS
	'Better Auth signed cookie value: value || ''.'' || base64(HMAC-SHA256(secret, value))';

CREATE FUNCTION neon_auth._cookie_verify(signed_value text, secret text) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_cookie_verify' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._cookie_verify(text, text) IS
	'the value inside a signed cookie value (plain or URI-encoded) whose HMAC checks out, else NULL';

CREATE FUNCTION neon_auth._cookie_cache_encode(session_data text, expires_at_ms bigint, secret text) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_cookie_cache_encode' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._cookie_cache_encode(text, bigint, text) IS
	'Better Auth''s session_data cookie value (cookieCache, compact): base64url of {session, expiresAt, signature}';

CREATE FUNCTION neon_auth._cookie_cache_decode(value text, secret text) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_cookie_cache_decode' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._cookie_cache_decode(text, text) IS
	'the signed object {...data, expiresAt} of a session_data cookie value whose signature checks out, else NULL';

CREATE FUNCTION neon_auth._symmetric_encrypt(secret text, plaintext text) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_symmetric_encrypt' LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._symmetric_encrypt(text, text) IS
	'Better Auth symmetricEncrypt: hex(nonce || XChaCha20-Poly1305(key = SHA-256(secret)))';

CREATE FUNCTION neon_auth._symmetric_decrypt(secret text, data text) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_symmetric_decrypt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._symmetric_decrypt(text, text) IS
	'Better Auth symmetricDecrypt; NULL when the data does not authenticate under the secret';

CREATE FUNCTION neon_auth._json_compact(json text) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_json_compact' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._json_compact(text) IS
	'a JSON object as JavaScript''s JSON.stringify writes it (no whitespace, member order kept), else NULL';

CREATE FUNCTION neon_auth._json_member(json text, name text) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_json_member' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._json_member(text, text) IS
	'a string member of a JSON object, or NULL for anything malformed; never raises (no subtransaction needed)';

CREATE FUNCTION neon_auth._email_token_sign(payload text, secret text) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_email_token_sign' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._email_token_sign(text, text) IS
	'Better Auth''s email-verification token: HS256 JWS, header {"alg":"HS256"}, over the payload, keyed by the secret';

CREATE FUNCTION neon_auth._email_token_verify(token text, secret text, now bigint) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_email_token_verify' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._email_token_verify(text, text, bigint) IS
	'the claims of an email-verification token signed with the secret and not expired at now, else NULL';

CREATE FUNCTION neon_auth._jwk_generate(alg text) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_jwk_generate' LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._jwk_generate(text) IS
	'a new private key for EdDSA (Ed25519), ES256 (P-256) or RS256 (RSA 2048) as a JWK in jose''s member order, else NULL';

CREATE FUNCTION neon_auth._jwk_public(jwk text) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_jwk_public' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._jwk_public(text) IS 'the public JWK of a valid Ed25519, P-256 or RSA JWK, else NULL';

CREATE FUNCTION neon_auth._jwt_sign(kid text, payload text, private_jwk text) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_jwt_sign' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._jwt_sign(text, text, text) IS
	'a JWT with header {"alg":<the key''s: EdDSA, ES256 or RS256>,"kid":kid} over the payload (a JSON object, key order kept)';

CREATE FUNCTION neon_auth._jwt_sign_hs256(payload text, secret text) RETURNS text
	AS 'MODULE_PATHNAME', 'neon_auth_jwt_sign_hs256' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._jwt_sign_hs256(text, text) IS
	'an HS256 JWT, header {"alg":"HS256","typ":"JWT"}, over the payload (a JSON object, key order kept): PostgREST''s jwt-secret';

CREATE FUNCTION neon_auth._jwt_verify(token text, kids text[], algs text[], public_jwks text[], now bigint,
                                      leeway integer, issuer text, audience text,
                                      OUT error text, OUT kid text, OUT claims text) RETURNS record
	AS 'MODULE_PATHNAME', 'neon_auth_jwt_verify' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION neon_auth._jwt_verify(text, text[], text[], text[], bigint, integer, text, text) IS
	'strict JWT verification against the given keys; error is a JWT_* code or NULL with the claims';
