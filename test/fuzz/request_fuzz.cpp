// request_credential over PostgREST's request.headers / request.cookies JSON
// text. Input: "<explicit credential>\0<headers JSON>\0<cookies JSON>" (SQL
// text holds no NUL, so NUL is a safe separator; missing parts are empty).
// Checked against the precedence rules of request.hpp written out again.
#include "fuzz_common.hpp"
#include "json.hpp"
#include "request.hpp"

#include <cctype>

namespace core = neon_auth::core;

namespace {

std::optional<std::string> ref_bearer(const std::string &h)
{
	if (h.size() < 7)
		return std::nullopt;
	for (std::size_t i = 0; i < 7; i++)
		if (std::tolower(static_cast<unsigned char>(h[i])) != "bearer "[i])
			return std::nullopt;
	std::size_t b = 7, e = h.size();
	while (b < e && h[b] == ' ')
		b++;
	while (e > b && h[e - 1] == ' ')
		e--;
	if (b == e)
		return std::nullopt;
	return h.substr(b, e - b);
}

std::optional<std::string> ref_credential(std::string_view explicit_credential, std::string_view headers,
                                          std::string_view cookies)
{
	if (!explicit_credential.empty())
		return std::string(explicit_credential);
	if (auto a = core::json_string_member(headers, "authorization"))
		if (auto t = ref_bearer(*a))
			return t;
	if (auto c = core::json_string_member(cookies, "__Secure-better-auth.session_token"))
		return c;
	return core::json_string_member(cookies, "better-auth.session_token");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	std::string_view rest = fuzz::as_view(data, size);
	const std::string_view explicit_credential = fuzz::take(rest, '\0');
	const std::string_view headers = fuzz::take(rest, '\0');
	const std::string_view cookies = rest;

	const auto got = core::request_credential(explicit_credential, headers, cookies);
	FUZZ_CHECK(got == ref_credential(explicit_credential, headers, cookies));
	if (got)
		FUZZ_CHECK(got->find('\0') == std::string::npos);
	// Without the explicit credential, from the headers and cookies alone.
	if (!explicit_credential.empty()) {
		const auto implicit = core::request_credential("", headers, cookies);
		FUZZ_CHECK(implicit == ref_credential("", headers, cookies));
	}
	return 0;
}
