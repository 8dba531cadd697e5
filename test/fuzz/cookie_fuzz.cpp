// verify_cookie_value: Better Auth's signed cookie values, raw or URI-encoded.
// The input is tried as a signed value; then, as a token, signed and
// verified again (plain and URI-encoded) and under a wrong secret.
#include "cookie.hpp"
#include "fuzz_common.hpp"
#include "fuzz_keys.hpp"

namespace core = neon_auth::core;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	const std::string_view in = fuzz::as_view(data, size);
	const std::string_view secret = fuzz_keys::kSecret;

	// The input as a signed value.
	if (const auto token = core::verify_cookie_value(in, secret)) {
		FUZZ_CHECK(!token->empty() && token->size() <= core::kMaxTokenLength);
		FUZZ_CHECK(token->find('\0') == std::string::npos && core::utf16_length(*token));
		const std::string decoded = in.find('%') == std::string_view::npos ? std::string(in)
		                                                                   : core::percent_decode(in).value();
		FUZZ_CHECK(core::sign_cookie_value(*token, secret) == decoded);
		FUZZ_CHECK(!core::verify_cookie_value(in, "another secret"));
	}

	// The input as a token.
	const std::string signed_value = core::sign_cookie_value(in, secret);
	FUZZ_CHECK(signed_value.size() == size + 45 && signed_value.back() == '=');
	const bool acceptable = !in.empty() && in.size() <= core::kMaxTokenLength &&
	                        in.find('\0') == std::string_view::npos && core::utf16_length(in).has_value();
	const auto encoded = core::verify_cookie_value(fuzz::percent_encode(signed_value), secret);
	FUZZ_CHECK(encoded.has_value() == acceptable);
	if (encoded)
		FUZZ_CHECK(*encoded == in);
	if (in.find('%') == std::string_view::npos) {
		const auto plain = core::verify_cookie_value(signed_value, secret);
		FUZZ_CHECK(plain == encoded);
	}
	FUZZ_CHECK(!core::verify_cookie_value(core::sign_cookie_value(in, "another secret"), secret));
	return 0;
}
