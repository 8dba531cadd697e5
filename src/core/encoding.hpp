// Byte <-> text encodings used by Better Auth's formats. Hex and base64 go
// through libsodium; only percent-decoding and UTF-16 counting, which it
// does not offer, are written here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace neon_auth::core {

using Bytes = std::vector<std::uint8_t>;

std::string hex_encode(const std::uint8_t *data, std::size_t len);
inline std::string hex_encode(const Bytes &b) { return hex_encode(b.data(), b.size()); }
// Strict: even length, [0-9a-fA-F] only.
std::optional<Bytes> hex_decode(std::string_view hex);

// RFC 4648 section 4, with '=' padding (what Better Auth's cookie signatures use).
std::string base64_encode(const std::uint8_t *data, std::size_t len);
// RFC 4648 section 5 without padding (JWTs, hashed identifiers).
std::string base64url_encode(const std::uint8_t *data, std::size_t len);
// Strict base64url without padding: canonical encodings only (no '=', no
// stray bits in the last character, no whitespace).
std::optional<Bytes> base64url_decode(std::string_view in);

// The same, for public data only (a token's header, payload and signature):
// table-driven, so its time depends on the input, and several times faster
// than libsodium's constant-time decoder. Never for keys or secrets.
std::optional<Bytes> base64url_decode_public(std::string_view in);

// decodeURIComponent for cookie values: %XX sequences become bytes. Returns
// nullopt for a malformed escape (JS throws URIError there).
std::optional<std::string> percent_decode(std::string_view in);

// Length of a UTF-8 string in UTF-16 code units, which is what JavaScript's
// String.length counts (Better Auth's password length policy). nullopt for
// invalid UTF-8.
std::optional<std::size_t> utf16_length(std::string_view utf8);

} // namespace neon_auth::core
