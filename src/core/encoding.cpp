#include "encoding.hpp"

#include <array>

#include "cpp_only.hpp"

#include <sodium.h>

#include <stdexcept>

namespace neon_auth::core {

std::string hex_encode(const std::uint8_t *data, std::size_t len)
{
	std::string out(len * 2 + 1, '\0');
	sodium_bin2hex(out.data(), out.size(), data, len);
	out.pop_back();
	return out;
}

std::optional<Bytes> hex_decode(std::string_view hex)
{
	if (hex.size() % 2 != 0)
		return std::nullopt;
	if (hex.empty()) // an empty vector's data() may be null, which libsodium must not get
		return Bytes{};
	Bytes out(hex.size() / 2);
	std::size_t written = 0;
	const char *end = nullptr;
	if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &written, &end) != 0 ||
	    written != out.size() || end != hex.data() + hex.size())
		return std::nullopt;
	return out;
}

static std::string base64_variant(const std::uint8_t *data, std::size_t len, int variant)
{
	std::string out(sodium_base64_encoded_len(len, variant), '\0');
	sodium_bin2base64(out.data(), out.size(), data, len, variant);
	out.resize(out.size() - 1); // drop the terminating NUL libsodium writes
	return out;
}

std::string base64_encode(const std::uint8_t *data, std::size_t len)
{
	return base64_variant(data, len, sodium_base64_VARIANT_ORIGINAL);
}

std::string base64url_encode(const std::uint8_t *data, std::size_t len)
{
	return base64_variant(data, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::optional<Bytes> base64url_decode_public(std::string_view in)
{
	// -1: not in the alphabet.
	static const auto values = [] {
		std::array<std::int8_t, 256> v{};
		v.fill(-1);
		const std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
		for (std::size_t i = 0; i < alphabet.size(); i++)
			v[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
		return v;
	}();
	if (in.size() % 4 == 1)
		return std::nullopt;
	Bytes out;
	out.reserve(in.size() * 3 / 4);
	std::uint32_t acc = 0;
	int bits = 0;
	for (char c : in) {
		const int v = values[static_cast<unsigned char>(c)];
		if (v < 0)
			return std::nullopt;
		acc = (acc << 6) | static_cast<std::uint32_t>(v);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out.push_back(static_cast<std::uint8_t>(acc >> bits));
			acc &= (1u << bits) - 1;
		}
	}
	if (acc != 0) // the bits past the last whole byte must be zero (canonical)
		return std::nullopt;
	return out;
}

std::optional<Bytes> base64url_decode(std::string_view in)
{
	Bytes out(in.size() * 3 / 4 + 3);
	std::size_t len = 0;
	const char *end = nullptr;
	if (sodium_base642bin(out.data(), out.size(), in.data(), in.size(), nullptr, &len, &end,
	                      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    end != in.data() + in.size())
		return std::nullopt;
	out.resize(len);
	// libsodium decodes some bytes outside the alphabet (0xf4 0x90 0x80 0x80
	// gives 3 bytes), tolerates a dangling last character and non-zero
	// trailing bits: only the canonical form is accepted, the one re-encoding
	// would give back, checked in one cheap pass instead of a second encode.
	static const std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	for (char c : in)
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return std::nullopt;
	if (in.size() % 4 == 1)
		return std::nullopt;
	if (in.size() % 4 != 0 && (alphabet.find(in.back()) & (in.size() % 4 == 2 ? 0x0f : 0x03)) != 0)
		return std::nullopt;
	return out;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

std::optional<std::string> percent_decode(std::string_view in)
{
	std::string out;
	out.reserve(in.size());
	for (std::size_t i = 0; i < in.size(); i++) {
		if (in[i] != '%') {
			out.push_back(in[i]);
			continue;
		}
		if (i + 2 >= in.size())
			return std::nullopt;
		int hi = hex_digit(in[i + 1]), lo = hex_digit(in[i + 2]);
		if (hi < 0 || lo < 0)
			return std::nullopt;
		out.push_back(static_cast<char>(hi * 16 + lo));
		i += 2;
	}
	return out;
}

std::optional<std::size_t> utf16_length(std::string_view s)
{
	// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing
	// above U+10FFFF, as PostgreSQL's own check.
	static constexpr std::uint32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
	std::size_t units = 0;
	for (std::size_t i = 0; i < s.size();) {
		auto c = static_cast<unsigned char>(s[i]);
		std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
		if (n == 0 || i + n > s.size())
			return std::nullopt;
		std::uint32_t cp = n == 1 ? c : c & (0x7F >> n);
		for (std::size_t k = 1; k < n; k++) {
			auto b = static_cast<unsigned char>(s[i + k]);
			if ((b & 0xC0) != 0x80)
				return std::nullopt;
			cp = (cp << 6) | (b & 0x3F);
		}
		if (cp < smallest[n] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			return std::nullopt;
		units += (n == 4) ? 2 : 1; // code points above U+FFFF are surrogate pairs
		i += n;
	}
	return units;
}

} // namespace neon_auth::core
