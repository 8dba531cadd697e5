// hex_decode, base64url_decode, percent_decode and utf16_length on arbitrary
// bytes, each against an independent reference implementation written here,
// plus the encode/decode round trips.
#include "encoding.hpp"
#include "fuzz_common.hpp"

#include <optional>

namespace core = neon_auth::core;

namespace {

int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

std::optional<core::Bytes> ref_hex_decode(std::string_view s)
{
	if (s.size() % 2)
		return std::nullopt;
	core::Bytes out;
	for (std::size_t i = 0; i < s.size(); i += 2) {
		const int hi = hex_value(s[i]), lo = hex_value(s[i + 1]);
		if (hi < 0 || lo < 0)
			return std::nullopt;
		out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
	}
	return out;
}

int b64url_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

// Canonical unpadded base64url: alphabet only, no length = 1 mod 4, unused low bits zero.
std::optional<core::Bytes> ref_b64url_decode(std::string_view s)
{
	if (s.size() % 4 == 1)
		return std::nullopt;
	core::Bytes out;
	std::uint32_t acc = 0;
	int bits = 0;
	for (char c : s) {
		const int v = b64url_value(c);
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
	if (acc != 0)
		return std::nullopt;
	return out;
}

std::optional<std::string> ref_percent_decode(std::string_view s)
{
	std::string out;
	for (std::size_t i = 0; i < s.size(); i++) {
		if (s[i] != '%') {
			out.push_back(s[i]);
			continue;
		}
		if (s.size() - i < 3 || hex_value(s[i + 1]) < 0 || hex_value(s[i + 2]) < 0)
			return std::nullopt;
		out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
		i += 2;
	}
	return out;
}

// UTF-16 code units of strict UTF-8 (strict_utf8 already holds).
std::size_t ref_utf16_units(std::string_view s)
{
	std::size_t units = 0;
	for (char ch : s) {
		const auto c = static_cast<unsigned char>(ch);
		if ((c & 0xC0) != 0x80)
			units += c >= 0xF0 ? 2 : 1;
	}
	return units;
}

std::string lower(std::string_view s)
{
	std::string out(s);
	for (char &c : out)
		if (c >= 'A' && c <= 'F')
			c = static_cast<char>(c - 'A' + 'a');
	return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	const std::string_view in = fuzz::as_view(data, size);

	// hex
	{
		const auto hex = core::hex_decode(in);
		const auto ref_hex = ref_hex_decode(in);
		FUZZ_CHECK(hex.has_value() == ref_hex.has_value());
		if (hex) {
			FUZZ_CHECK(*hex == *ref_hex);
			FUZZ_CHECK(core::hex_encode(*hex) == lower(in));
		}
		const std::string hex_out = core::hex_encode(data, size);
		FUZZ_CHECK(hex_out.size() == 2 * size);
		const auto hex_back = core::hex_decode(hex_out);
		FUZZ_CHECK(hex_back && *hex_back == core::Bytes(data, data + size));
	}

	// base64url
	const auto b64 = core::base64url_decode(in);
	const auto ref_b64 = ref_b64url_decode(in);
	FUZZ_CHECK(b64.has_value() == ref_b64.has_value());
	// The table-driven decoder for public data agrees with both.
	const auto b64_public = core::base64url_decode_public(in);
	FUZZ_CHECK(b64_public.has_value() == ref_b64.has_value());
	if (b64_public)
		FUZZ_CHECK(*b64_public == *ref_b64);
	if (b64) {
		FUZZ_CHECK(*b64 == *ref_b64);
		FUZZ_CHECK(core::base64url_encode(b64->data(), b64->size()) == in);
	}
	const std::string b64_out = core::base64url_encode(data, size);
	FUZZ_CHECK(b64_out.size() == (4 * size + 2) / 3);
	const auto b64_back = core::base64url_decode(b64_out);
	FUZZ_CHECK(b64_back && *b64_back == core::Bytes(data, data + size));

	// base64 with padding (cookie signatures): length and alphabet
	const std::string b64p = core::base64_encode(data, size);
	FUZZ_CHECK(b64p.size() == (size + 2) / 3 * 4);
	for (std::size_t i = 0; i < b64p.size(); i++) {
		const char c = b64p[i];
		const bool pad = c == '=' && i + 2 >= b64p.size();
		FUZZ_CHECK(pad || (b64url_value(c) >= 0 && c != '-' && c != '_') || c == '+' || c == '/');
	}

	// percent-decoding
	const auto pct = core::percent_decode(in);
	const auto ref_pct = ref_percent_decode(in);
	FUZZ_CHECK(pct.has_value() == ref_pct.has_value());
	if (pct)
		FUZZ_CHECK(*pct == *ref_pct);
	const auto pct_back = core::percent_decode(fuzz::percent_encode(in));
	FUZZ_CHECK(pct_back && *pct_back == in);

	// UTF-16 length: exactly the strict UTF-8 strings are counted, and right.
	const auto units = core::utf16_length(in);
	if (fuzz::strict_utf8(in)) {
		FUZZ_CHECK(units.has_value());
		FUZZ_CHECK(*units == ref_utf16_units(in));
	} else {
		FUZZ_CHECK(!units.has_value());
	}
	return 0;
}
