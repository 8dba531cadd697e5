// Better Auth's signed cookie values (better-call makeSignature/getSignedCookie):
// "<token>.<base64(HMAC-SHA256(key = UTF-8(secret), msg = token))>", the
// signature always 44 characters ending in '='. On the wire the value is
// URI-encoded; the bearer plugin sends it unencoded. Both forms are accepted.
#pragma once

#include "encoding.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace neon_auth::core {

// Longest token we accept inside a signed value; Better Auth's are 32 characters.
inline constexpr std::size_t kMaxTokenLength = 255;

Bytes hmac_sha256(std::string_view key, std::string_view message);

// base64(HMAC-SHA256(secret, value)), padded: 44 characters.
std::string cookie_signature(std::string_view value, std::string_view secret);

// "<value>.<signature>"
std::string sign_cookie_value(std::string_view value, std::string_view secret);

// The token inside a signed value whose signature checks out (compared in
// constant time), else nullopt. The value may be URI-encoded.
std::optional<std::string> verify_cookie_value(std::string_view signed_value, std::string_view secret);

} // namespace neon_auth::core
