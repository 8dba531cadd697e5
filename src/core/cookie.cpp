#include "cookie.hpp"

#include "cpp_only.hpp"

#include <sodium.h>

#include <stdexcept>

namespace neon_auth::core {

Bytes hmac_sha256(std::string_view key, std::string_view message)
{
	crypto_auth_hmacsha256_state st;
	Bytes mac(crypto_auth_hmacsha256_BYTES);
	// libsodium's init takes a key of any length (hashed first when over 64
	// bytes, as RFC 2104 says), which a free-form secret string needs.
	if (crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char *>(key.data()), key.size()) != 0 ||
	    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char *>(message.data()),
	                                  message.size()) != 0 ||
	    crypto_auth_hmacsha256_final(&st, mac.data()) != 0)
		throw std::runtime_error("HMAC-SHA256 failed");
	sodium_memzero(&st, sizeof st);
	return mac;
}

std::string cookie_signature(std::string_view value, std::string_view secret)
{
	Bytes mac = hmac_sha256(secret, value);
	return base64_encode(mac.data(), mac.size());
}

std::string sign_cookie_value(std::string_view value, std::string_view secret)
{
	return std::string(value) + "." + cookie_signature(value, secret);
}

std::optional<std::string> verify_cookie_value(std::string_view signed_value, std::string_view secret)
{
	std::string decoded;
	if (signed_value.find('%') != std::string_view::npos) {
		auto d = percent_decode(signed_value);
		if (!d)
			return std::nullopt;
		decoded = std::move(*d);
		signed_value = decoded;
	}
	const auto dot = signed_value.rfind('.');
	if (dot == std::string_view::npos || dot == 0 || dot > kMaxTokenLength)
		return std::nullopt;
	const std::string_view token = signed_value.substr(0, dot);
	const std::string_view signature = signed_value.substr(dot + 1);
	if (signature.size() != 44 || signature.back() != '=')
		return std::nullopt;
	std::string expected = cookie_signature(token, secret);
	const bool same = sodium_memcmp(expected.data(), signature.data(), expected.size()) == 0;
	sodium_memzero(expected.data(), expected.size());
	// A signed value may hold any bytes after URI-decoding; SQL text must be
	// valid UTF-8 without NUL.
	if (!same || token.find('\0') != std::string_view::npos || !utf16_length(token))
		return std::nullopt;
	return std::string(token);
}

} // namespace neon_auth::core
