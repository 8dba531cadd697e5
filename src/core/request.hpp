// The credential a request carries, found where identity resolution looks
// for it (docs/rls.md: authenticate(), the bearer header, the session
// cookie). Pure string work on the settings' text, so the glue can do it on
// every statement without a SQL call.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace neon_auth::core {

// In order, the first source that is present wins:
//   1. `explicit_credential` (neon_auth.credential, set by authenticate());
//   2. `headers` (PostgREST's request.headers JSON) "authorization":
//      "Bearer <credential>", the scheme case-insensitive (RFC 7235);
//   3. `cookies` (request.cookies JSON) "__Secure-<prefix>.session_token",
//      then "<prefix>.session_token" (Better Auth's cookie prefix,
//      config.cookie_prefix; "better-auth" by default).
// nullopt when no source has one. The value is not checked here: a present
// but bad credential must identify nobody rather than fall through.
std::optional<std::string> request_credential(std::string_view explicit_credential, std::string_view headers,
                                              std::string_view cookies, std::string_view prefix = "better-auth");

// Which of those sources request_credential() takes the credential from.
// Better Auth's origin check (CSRF) applies to a cookie only: a browser
// attaches cookies to a cross-site request by itself, never a bearer header.
enum class CredentialSource { none, authenticate, bearer, cookie };
CredentialSource request_credential_source(std::string_view explicit_credential, std::string_view headers,
                                           std::string_view cookies, std::string_view prefix = "better-auth");

} // namespace neon_auth::core
