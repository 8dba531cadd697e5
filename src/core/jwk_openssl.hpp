// ES256 (ECDSA P-256 with SHA-256) and RS256 (RSASSA-PKCS1-v1_5 with
// SHA-256) keys as JWKs, and their JWS signatures, through OpenSSL 3. For
// verifiers without EdDSA; Ed25519 stays in jwt.cpp on libsodium.
#pragma once

#include "encoding.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace neon_auth::core {

// RSA keys shorter than this are refused for signing and for verifying.
inline constexpr int kMinRsaBits = 2048;

// A new private JWK in jose's member order: {"kty":"EC","x","y","crv":"P-256","d"}
// or {"kty":"RSA","n","e","d","p","q","dp","dq","qi"} (2048 bits, e = 65537).
std::string es256_generate_private_jwk();
std::string rs256_generate_private_jwk();

// The public JWK ({"kty":"EC","x","y","crv"} or {"kty":"RSA","n","e"}) of a
// private or public EC P-256 / RSA JWK; nullopt if the JWK is not a valid
// key of those kinds (point off the curve, private half not matching the
// public one, RSA under kMinRsaBits).
std::optional<std::string> openssl_public_jwk(std::string_view jwk);

// A JWS signature (ES256: the 64-byte R || S of RFC 7518 section 3.4, not
// DER; RS256: PKCS #1 v1.5) of `message` with a private JWK whose kind
// matches `alg`; nullopt for any other key.
std::optional<Bytes> openssl_sign(std::string_view alg, std::string_view private_jwk, std::string_view message);

// Whether `signature` is `alg`'s signature of `message` under the public (or
// private) JWK. False for a key of another kind or a malformed signature.
bool openssl_verify(std::string_view alg, std::string_view jwk, std::string_view message, const Bytes &signature);

} // namespace neon_auth::core
