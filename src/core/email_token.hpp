// Better Auth's email-verification link token: a compact JWS with header
// exactly {"alg":"HS256"}, keyed by the UTF-8 bytes of the server secret,
// over {email, [updateTo], [requestType], userId, iat, exp}. No table row
// backs it; the signature and "exp" are the whole check.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace neon_auth::core {

// The token for `payload_json` (a JSON object, key order kept); nullopt if
// the payload is not an object or the secret is empty.
std::optional<std::string> email_token_sign(std::string_view payload_json, std::string_view secret);

// The claims of a token signed with `secret` whose header is exactly HS256
// and whose numeric "exp" is later than `now` (Unix seconds, no leeway, as
// jose's default); nullopt for anything else. The MAC is compared in
// constant time.
std::optional<std::string> email_token_verify(std::string_view token, std::string_view secret, std::int64_t now);

} // namespace neon_auth::core
