// Reading small JSON documents that come from clients (PostgREST's
// request.headers / request.cookies settings, JWT headers and claims) without
// ever throwing: malformed, duplicated or deeply nested input is simply "not
// there". nlohmann-json does the parsing; its types stay inside the core.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace neon_auth::core {

// The string value of a top-level member of a JSON object; nullopt if the
// text is not a JSON object (or repeats a member name, or nests deeper than
// 32 levels), or the member is missing, not a string, or holds a NUL.
std::optional<std::string> json_string_member(std::string_view json, std::string_view name);

// A JSON object as JavaScript's JSON.stringify writes it: no whitespace, its
// members in the order given. nullopt for anything json_string_member would
// not read.
std::optional<std::string> json_object_compact(std::string_view json);

} // namespace neon_auth::core
