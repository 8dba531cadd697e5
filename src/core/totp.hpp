// Time-based one-time passwords as Better Auth's twoFactor plugin makes them
// (@better-auth/utils otp): HOTP (RFC 4226) with HMAC-SHA1 over a big-endian
// counter, TOTP (RFC 6238) with its 30-second steps, and the otpauth:// key
// in RFC 4648 base32. The key is the bytes of the stored secret string.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace neon_auth::core {

inline constexpr int kTotpDigits = 6;
inline constexpr int kTotpPeriod = 30;

// The `digits`-digit code for one counter value, zero-padded.
std::string hotp(std::string_view key, std::uint64_t counter, int digits = kTotpDigits);

// The code for the step that contains unix time `at`.
std::string totp(std::string_view key, std::int64_t at, int period = kTotpPeriod, int digits = kTotpDigits);

// Whether `code` is the code of the step containing `at` or of one of the
// `window` steps on either side (Better Auth accepts one), compared in
// constant time. Anything but exactly `digits` ASCII digits is refused.
bool totp_verify(std::string_view key, std::string_view code, std::int64_t at, int window = 1,
                 int period = kTotpPeriod, int digits = kTotpDigits);

// RFC 4648 base32 (A-Z2-7), without padding: the secret of an otpauth:// URI.
std::string base32_encode(std::string_view data);

} // namespace neon_auth::core
