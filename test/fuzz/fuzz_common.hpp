// Shared by the fuzz targets: the invariant check that turns a broken
// property into a libFuzzer crash (with the input saved as an artifact).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#define FUZZ_CHECK(cond)                                                                                           \
	do {                                                                                                           \
		if (!(cond)) {                                                                                             \
			std::fprintf(stderr, "%s:%d: invariant violated: %s\n", __FILE__, __LINE__, #cond);                    \
			std::abort();                                                                                          \
		}                                                                                                          \
	} while (0)

namespace fuzz {

inline std::string_view as_view(const std::uint8_t *data, std::size_t size)
{
	return {reinterpret_cast<const char *>(data), size};
}

// Splits off the text before the first `sep`; `rest` keeps what follows it
// (empty, and `found` false, when there is no separator).
inline std::string_view take(std::string_view &rest, char sep, bool *found = nullptr)
{
	const auto at = rest.find(sep);
	if (found)
		*found = at != std::string_view::npos;
	if (at == std::string_view::npos) {
		std::string_view all = rest;
		rest = rest.substr(rest.size()); // empty, but keeps a non-null data()
		return all;
	}
	std::string_view head = rest.substr(0, at);
	rest.remove_prefix(at + 1);
	return head;
}

// Strict UTF-8 (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
inline bool strict_utf8(std::string_view s)
{
	for (std::size_t i = 0; i < s.size();) {
		const auto c = static_cast<unsigned char>(s[i]);
		std::size_t n;
		std::uint32_t cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			n = 2, cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 3, cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 4, cp = c & 0x07;
		} else {
			return false;
		}
		if (i + n > s.size())
			return false;
		for (std::size_t k = 1; k < n; k++) {
			const auto cc = static_cast<unsigned char>(s[i + k]);
			if ((cc & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (cc & 0x3F);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += n;
	}
	return true;
}

// Lossless encodeURIComponent-style escaping: everything but [A-Za-z0-9-_.!~*'()] as %XX.
inline std::string percent_encode(std::string_view s)
{
	static const char hex[] = "0123456789ABCDEF";
	std::string out;
	for (char ch : s) {
		const auto c = static_cast<unsigned char>(ch);
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    std::string_view("-_.!~*'()").find(ch) != std::string_view::npos) {
			out.push_back(ch);
		} else {
			out.push_back('%');
			out.push_back(hex[c >> 4]);
			out.push_back(hex[c & 15]);
		}
	}
	return out;
}

} // namespace fuzz
