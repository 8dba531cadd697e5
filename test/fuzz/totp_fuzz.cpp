// totp_verify: the code a client sends with a two-factor sign-in. The input
// is split into a code and a key; whatever they are, the verifier answers
// without crashing, accepts only what the generator makes for the window,
// and never accepts anything but six ASCII digits.
#include "totp.hpp"
#include "fuzz_common.hpp"

namespace core = neon_auth::core;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	const std::string_view in = fuzz::as_view(data, size);
	const std::size_t cut = in.find('\n');
	const std::string_view code = in.substr(0, cut);
	const std::string_view key = cut == std::string_view::npos ? std::string_view("fuzz-key-0123456789abcdefghijklm") : in.substr(cut + 1);
	const std::int64_t at = 1234567890 + static_cast<std::int64_t>(size) * 7;

	const bool ok = core::totp_verify(key, code, at);
	if (ok) {
		FUZZ_CHECK(code.size() == 6);
		for (char c : code)
			FUZZ_CHECK(c >= '0' && c <= '9');
		FUZZ_CHECK(code == core::totp(key, at - 30) || code == core::totp(key, at) || code == core::totp(key, at + 30));
	}
	// The current code always verifies, and base32 never fails.
	FUZZ_CHECK(core::totp_verify(key, core::totp(key, at), at));
	FUZZ_CHECK(core::base32_encode(in).size() == (size * 8 + 4) / 5);
	return 0;
}
