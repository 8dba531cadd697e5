// Random identifiers exactly as Better Auth draws them
// (@better-auth/utils createRandomStringGenerator): bytes from the system CSPRNG,
// rejection sampling so every character is equally likely.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace neon_auth::core {

// Charset order a..z A..Z 0..9, as generateId() uses.
inline constexpr std::string_view kAlphanumeric =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

// `length` characters from `charset` (1..256 characters).
std::string random_string(std::size_t length, std::string_view charset);

// generateId(size): session tokens (32), reset tokens (24), secrets.
inline std::string generate_id(std::size_t length) { return random_string(length, kAlphanumeric); }

// libsodium must be initialised once per process before its RNG is used;
// safe to call repeatedly, returns false if libsodium cannot start.
bool crypto_init();

} // namespace neon_auth::core
