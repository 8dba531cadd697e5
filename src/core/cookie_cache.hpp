// Better Auth 1.7's cookie cache (session.cookieCache), its default "compact"
// strategy: the session_data cookie holds
//   base64url(JSON.stringify({session: <data>, expiresAt, signature}))
// where <data> is {session, user, updatedAt, version} and signature is
// base64url(HMAC-SHA256(secret, JSON.stringify({...<data>, expiresAt}))),
// both without padding. Better Auth verifies by writing the decoded data
// back out, so the JSON here is written as JavaScript's JSON.stringify does
// (no whitespace, members in the order given). neon_auth makes these values
// for a Better Auth server that shares the cookies and checks them only to
// decide whether to send a fresh one: it never takes identity from them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace neon_auth::core {

// The cookie value for `session_data_json` (a JSON object), valid until
// expires_at_ms (Unix milliseconds). nullopt for data that is not an object
// or an empty secret.
std::optional<std::string> cookie_cache_encode(std::string_view session_data_json, std::int64_t expires_at_ms,
                                               std::string_view secret);

// A value whose signature checks out (compared in constant time): the signed
// object, {...<data>, "expiresAt": n}, as JSON. nullopt for anything else
// (bad base64url or JSON, repeated or deep members, a wrong signature, an
// expiresAt that is not an integer).
std::optional<std::string> cookie_cache_decode(std::string_view value, std::string_view secret);

} // namespace neon_auth::core
