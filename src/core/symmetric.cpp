#include "symmetric.hpp"

#include "cpp_only.hpp"

#include "random.hpp"

#include <sodium.h>

#include <array>
#include <charconv>
#include <stdexcept>

namespace neon_auth::core {

namespace {

using Key = std::array<unsigned char, crypto_hash_sha256_BYTES>;

Key derive_key(std::string_view secret)
{
	Key key{};
	crypto_hash_sha256(key.data(), reinterpret_cast<const unsigned char *>(secret.data()), secret.size());
	return key;
}

} // namespace

std::string symmetric_encrypt_with_nonce(std::string_view secret, std::string_view plaintext, const Bytes &nonce)
{
	if (nonce.size() != kNonceBytes)
		throw std::invalid_argument("nonce must be 24 bytes");
	Key key = derive_key(secret);
	Bytes out(kNonceBytes + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
	std::copy(nonce.begin(), nonce.end(), out.begin());
	unsigned long long clen = 0;
	crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + kNonceBytes, &clen,
	                                           reinterpret_cast<const unsigned char *>(plaintext.data()),
	                                           plaintext.size(), nullptr, 0, nullptr, nonce.data(), key.data());
	sodium_memzero(key.data(), key.size());
	return hex_encode(out.data(), kNonceBytes + clen);
}

std::string symmetric_encrypt(std::string_view secret, std::string_view plaintext)
{
	if (!crypto_init())
		throw std::runtime_error("libsodium could not be initialised");
	Bytes nonce(kNonceBytes);
	randombytes_buf(nonce.data(), nonce.size());
	return symmetric_encrypt_with_nonce(secret, plaintext, nonce);
}

std::string symmetric_encrypt_versioned(std::string_view secret, int version, std::string_view plaintext,
                                        const Bytes &nonce)
{
	// Digits by hand: std::to_string drags a GNU "unique" symbol into the
	// module's dynamic symbol table, which -fvisibility=hidden cannot hide.
	if (version < 0)
		throw std::invalid_argument("secret version must not be negative");
	std::string digits;
	do {
		digits.insert(digits.begin(), static_cast<char>('0' + version % 10));
		version /= 10;
	} while (version > 0);
	return "$ba$" + digits + "$" + symmetric_encrypt_with_nonce(secret, plaintext, nonce);
}

std::optional<std::string> symmetric_decrypt(std::string_view secret, std::string_view data)
{
	auto raw = hex_decode(data);
	if (!raw || raw->size() < kNonceBytes + crypto_aead_xchacha20poly1305_ietf_ABYTES)
		return std::nullopt;
	Key key = derive_key(secret);
	std::string plain(raw->size() - kNonceBytes - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
	unsigned long long plen = 0;
	const int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
	    reinterpret_cast<unsigned char *>(plain.data()), &plen, nullptr, raw->data() + kNonceBytes,
	    raw->size() - kNonceBytes, nullptr, 0, raw->data(), key.data());
	sodium_memzero(key.data(), key.size());
	if (rc != 0) {
		sodium_memzero(plain.data(), plain.size());
		return std::nullopt;
	}
	plain.resize(plen);
	return plain;
}

std::optional<std::string> symmetric_decrypt_versioned(const std::vector<std::pair<int, std::string>> &secrets,
                                                       std::string_view legacy_secret, std::string_view data)
{
	constexpr std::string_view prefix = "$ba$";
	if (data.substr(0, prefix.size()) != prefix)
		return symmetric_decrypt(legacy_secret, data);
	data.remove_prefix(prefix.size());
	const auto dollar = data.find('$');
	if (dollar == std::string_view::npos)
		return std::nullopt;
	int version = 0;
	auto [ptr, ec] = std::from_chars(data.data(), data.data() + dollar, version);
	if (ec != std::errc() || ptr != data.data() + dollar)
		return std::nullopt;
	for (const auto &[v, s] : secrets)
		if (v == version)
			return symmetric_decrypt(s, data.substr(dollar + 1));
	return std::nullopt;
}

} // namespace neon_auth::core
