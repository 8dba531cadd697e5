// Better Auth's password hash (@better-auth/utils password.node.mjs):
// scrypt N=16384 r=16 p=1 dkLen=64 over the NFKC-normalised UTF-8 password,
// stored as "<saltHex32>:<keyHex128>" where the 32-character hex *string* is
// the scrypt salt. NFKC normalisation is done by PostgreSQL's normalize()
// before the password reaches this code.
#pragma once

#include "encoding.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace neon_auth::core {

struct ScryptParams {
	std::uint64_t N;
	std::uint64_t r;
	std::uint64_t p;
	std::size_t dk_len;
};

inline constexpr ScryptParams kBetterAuthScrypt{16384, 16, 1, 64};

// Raw scrypt (RFC 7914) through libsodium. Throws on library failure.
Bytes scrypt(std::string_view password, std::string_view salt, const ScryptParams &params);

// New stored hash with a fresh random 16-byte salt.
std::string hash_password(std::string_view normalized_password);

// Same, with the salt string given (tests and vectors).
std::string hash_password_with_salt(std::string_view normalized_password, std::string_view salt_hex);

// Better Auth's verifyPassword: split at ':' into salt and key, recompute with
// the same salt string, compare the lowercase hex in constant time. A stored
// value without a ':' or with an empty part is a mismatch (Better Auth throws).
bool verify_password(std::string_view normalized_password, std::string_view stored);

} // namespace neon_auth::core
