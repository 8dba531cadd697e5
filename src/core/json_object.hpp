// Core-internal: the strict JSON object parser shared by json.cpp and jwt.cpp.
// Never include this from src/pg (nlohmann uses std::snprintf, which
// PostgreSQL's port.h renames).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string_view>

namespace neon_auth::core::detail {

using ordered_json = nlohmann::ordered_json;

// A JSON object, refusing duplicate member names at any depth (two parsers
// must never disagree about which "sub" counts) and nesting beyond 32 levels.
std::optional<ordered_json> parse_object(std::string_view text);

} // namespace neon_auth::core::detail
