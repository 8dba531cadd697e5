#include "random.hpp"

#include "cpp_only.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

namespace neon_auth::core {

bool crypto_init()
{
	static const int rc = sodium_init(); // thread-safe one-time init
	return rc >= 0;
}

std::string random_string(std::size_t length, std::string_view charset)
{
	if (charset.empty() || charset.size() > 256)
		throw std::invalid_argument("charset must hold 1 to 256 characters");
	if (!crypto_init())
		throw std::runtime_error("libsodium could not be initialised");
	// Keep a byte only if it falls below the largest multiple of the charset
	// size, so the modulo below introduces no bias.
	const unsigned limit = (256 / charset.size()) * charset.size();
	std::string out;
	out.reserve(length);
	std::array<unsigned char, 64> pool{};
	while (out.size() < length) {
		randombytes_buf(pool.data(), pool.size());
		for (unsigned char b : pool) {
			if (b < limit && out.size() < length)
				out.push_back(charset[b % charset.size()]);
		}
	}
	sodium_memzero(pool.data(), pool.size());
	return out;
}

} // namespace neon_auth::core
