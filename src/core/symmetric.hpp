// Better Auth's symmetricEncrypt/symmetricDecrypt (better-auth/crypto):
// XChaCha20-Poly1305 (IETF), key = SHA-256(UTF-8(secret)), no associated
// data, output lowercase hex of nonce(24) || ciphertext || tag(16). With
// versioned secrets the output is "$ba$<version>$<hex>". Used for JWKS
// private keys and two-factor secrets.
#pragma once

#include "encoding.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace neon_auth::core {

inline constexpr std::size_t kNonceBytes = 24;

// Random nonce.
std::string symmetric_encrypt(std::string_view secret, std::string_view plaintext);
// Given nonce (test vectors); nonce must be 24 bytes.
std::string symmetric_encrypt_with_nonce(std::string_view secret, std::string_view plaintext, const Bytes &nonce);
// Versioned output "$ba$<version>$<hex>".
std::string symmetric_encrypt_versioned(std::string_view secret, int version, std::string_view plaintext,
                                        const Bytes &nonce);

// Decrypt a bare hex value with `secret`; nullopt when it does not
// authenticate or is malformed.
std::optional<std::string> symmetric_decrypt(std::string_view secret, std::string_view data);

// Decrypt with a versioned secret set {version -> secret}: "$ba$<v>$hex" uses
// that version; a bare hex value uses `legacy_secret`.
std::optional<std::string> symmetric_decrypt_versioned(const std::vector<std::pair<int, std::string>> &secrets,
                                                       std::string_view legacy_secret, std::string_view data);

} // namespace neon_auth::core
