#include "totp.hpp"

#include "cpp_only.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <array>
#include <stdexcept>

namespace neon_auth::core {

std::string hotp(std::string_view key, std::uint64_t counter, int digits)
{
	if (digits < 6 || digits > 8)
		throw std::invalid_argument("HOTP digits must be 6 to 8");
	std::array<unsigned char, 8> message{};
	for (int i = 7; i >= 0; i--, counter >>= 8)
		message[static_cast<std::size_t>(i)] = static_cast<unsigned char>(counter & 0xff);
	std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
	unsigned int mac_len = 0;
	if (HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), message.data(), message.size(), mac.data(),
	         &mac_len) == nullptr ||
	    mac_len != 20)
		throw std::runtime_error("HMAC-SHA1 failed");
	// RFC 4226 dynamic truncation.
	unsigned offset = mac[19] & 0x0f;
	std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7f) << 24) |
	                       (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
	                       (static_cast<std::uint32_t>(mac[offset + 2]) << 8) | static_cast<std::uint32_t>(mac[offset + 3]);
	sodium_memzero(mac.data(), mac.size());
	std::uint32_t modulus = 1;
	for (int i = 0; i < digits; i++)
		modulus *= 10;
	std::string code = std::to_string(binary % modulus);
	return std::string(static_cast<std::size_t>(digits) - code.size(), '0') + code;
}

std::string totp(std::string_view key, std::int64_t at, int period, int digits)
{
	if (at < 0 || period <= 0)
		throw std::invalid_argument("TOTP time and period must be positive");
	return hotp(key, static_cast<std::uint64_t>(at / period), digits);
}

bool totp_verify(std::string_view key, std::string_view code, std::int64_t at, int window, int period, int digits)
{
	if (code.size() != static_cast<std::size_t>(digits) || at < 0 || period <= 0)
		return false;
	for (char c : code)
		if (c < '0' || c > '9')
			return false;
	std::int64_t step = at / period;
	bool match = false;
	// Every step in the window is computed and compared, match or not, so the
	// time taken does not tell which step matched.
	for (std::int64_t s = step - window; s <= step + window; s++) {
		if (s < 0)
			continue;
		std::string expected = hotp(key, static_cast<std::uint64_t>(s), digits);
		match |= sodium_memcmp(expected.data(), code.data(), code.size()) == 0;
	}
	return match;
}

std::string base32_encode(std::string_view data)
{
	static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	std::string out;
	out.reserve((data.size() * 8 + 4) / 5);
	std::uint32_t buffer = 0;
	int bits = 0;
	for (unsigned char c : data) {
		buffer = (buffer << 8) | c;
		bits += 8;
		while (bits >= 5) {
			out.push_back(kAlphabet[(buffer >> (bits - 5)) & 0x1f]);
			bits -= 5;
		}
	}
	if (bits > 0)
		out.push_back(kAlphabet[(buffer << (5 - bits)) & 0x1f]);
	return out;
}

} // namespace neon_auth::core
