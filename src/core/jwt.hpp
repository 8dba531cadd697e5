// Compact JWS / JWT as Better Auth's jwt plugin (via jose) writes them: keys
// as JWKs for EdDSA (Ed25519, here on libsodium), ES256 (EC P-256) and RS256
// (RSA) (those two through OpenSSL, jwk_openssl.hpp), header {"alg","kid"}
// with no "typ", and a strict verifier that rejects everything RFC 7515/7519
// lets a careless verifier accept. JSON is handled inside the core
// (nlohmann-json); the API speaks plain strings.
#pragma once

#include "encoding.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace neon_auth::core {

// A new Ed25519 private key as a JWK, in jose's exportJWK key order:
// {"crv":"Ed25519","d":"…","x":"…","kty":"OKP"}.
std::string ed25519_generate_private_jwk();

// The public JWK {"crv":"Ed25519","x":"…","kty":"OKP"} of a private or public
// Ed25519 JWK; nullopt if it is not one (or d and x disagree).
std::optional<std::string> ed25519_public_jwk(std::string_view jwk);

// Raw Ed25519 signature of `message` with a private JWK (RFC 8032 vectors).
std::optional<Bytes> ed25519_sign(std::string_view private_jwk, std::string_view message);

// An EdDSA JWS over the exact protected-header and payload bytes given, with
// an Ed25519 private JWK (RFC 8037 A.4).
std::optional<std::string> jws_sign_raw(std::string_view header_json, std::string_view payload_json,
                                        std::string_view private_jwk);

// The JWS algorithm a JWK's key type implies: "EdDSA" (OKP Ed25519),
// "ES256" (EC P-256), "RS256" (RSA), or "" for anything else.
std::string_view jwk_alg(std::string_view jwk);

// A new private JWK for "EdDSA", "ES256" or "RS256"; nullopt for another alg.
std::optional<std::string> generate_private_jwk(std::string_view alg);

// The public JWK of any supported private or public JWK; nullopt if invalid.
std::optional<std::string> public_jwk(std::string_view jwk);

// A JWT signed with a private JWK: header {"alg":<the key's alg>,"kid":kid},
// payload = `payload_json` compacted with its key order kept (so jsonb text
// from SQL yields the same bytes jose would). nullopt for a bad key or a
// payload that is not a JSON object.
std::optional<std::string> jwt_sign(std::string_view kid, std::string_view payload_json, std::string_view private_jwk);

// An HS256 JWT (PostgREST's jwt-secret): header {"alg":"HS256","typ":"JWT"},
// the payload compacted as jwt_sign does, HMAC-SHA256 with the secret's
// UTF-8 bytes. nullopt for a payload that is not a JSON object or an empty
// secret.
std::optional<std::string> jwt_sign_hs256(std::string_view payload_json, std::string_view secret);

struct JwtKey {
	JwtKey() = default;
	JwtKey(std::string kid_, std::string alg_, std::string public_jwk_)
	    : kid(std::move(kid_)), alg(std::move(alg_)), public_jwk(std::move(public_jwk_)) {}
	std::string kid;
	std::string alg;        // "EdDSA", "ES256" or "RS256"; the header's alg must match it exactly
	std::string public_jwk; // JSON
	Bytes ed25519_public;   // EdDSA: the raw key, when prepare_jwt_keys() read it from public_jwk
};

// The one symmetric key a verifier may hold: PostgREST's HS256 secret. HS256
// tokens verify against it and nothing else (never a public key used as an
// HMAC secret); without it they are JWT_UNSUPPORTED_ALG, as before.
struct Hs256Key {
	std::string secret; // empty: HS256 is refused
	std::string audience; // required "aud" of HS256 tokens (instead of JwtChecks::audience) when not empty
};

// Read each EdDSA key's raw public key out of its JWK once, for keys that
// verify many tokens (the identity path keeps them per backend).
void prepare_jwt_keys(std::vector<JwtKey> &keys);

struct JwtChecks {
	std::int64_t now = 0;         // Unix seconds
	std::int64_t leeway = 0;      // seconds of clock skew allowed for exp, nbf and iat
	std::string issuer;           // required "iss" when not empty
	std::string audience;         // required in "aud" (string or array) when not empty
	std::size_t max_length = 8192;
};

// Stable failure codes (also the codes SQL reports).
inline constexpr const char *kJwtMalformed = "JWT_MALFORMED";
inline constexpr const char *kJwtTooLarge = "JWT_TOO_LARGE";
inline constexpr const char *kJwtUnsupportedAlg = "JWT_UNSUPPORTED_ALG";
inline constexpr const char *kJwtUnknownKey = "JWT_UNKNOWN_KEY";
inline constexpr const char *kJwtBadSignature = "JWT_INVALID_SIGNATURE";
inline constexpr const char *kJwtExpired = "JWT_EXPIRED";
inline constexpr const char *kJwtNotYetValid = "JWT_NOT_YET_VALID";
inline constexpr const char *kJwtWrongIssuer = "JWT_INVALID_ISSUER";
inline constexpr const char *kJwtWrongAudience = "JWT_INVALID_AUDIENCE";
inline constexpr const char *kJwtBadClaims = "JWT_INVALID_CLAIMS";

struct JwtVerification {
	const char *error = nullptr; // one of the codes above, or nullptr when valid
	std::string claims_json;     // the payload, when valid
	std::string kid;
	std::string sub;             // the "sub" claim, when valid and present
	double exp = 0;              // the "exp" claim, when valid (always present then)
};

JwtVerification jwt_verify(std::string_view token, const std::vector<JwtKey> &keys, const JwtChecks &checks,
                           const Hs256Key &hs256 = Hs256Key());

} // namespace neon_auth::core
