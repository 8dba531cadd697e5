// cookie_cache_decode (Better Auth's session_data cookie, from the request)
// on any input, with a fixed secret: never crashes, and whatever it accepts
// is the signed object with an integer expiresAt. When the input is itself a
// JSON object it is also encoded, and the fresh value must decode to the same
// data (written as JSON.stringify writes it) with its expiry appended.
#include "cookie_cache.hpp"
#include "fuzz_common.hpp"
#include "json_object.hpp"

namespace core = neon_auth::core;

namespace {
constexpr const char *kSecret = "fuzz-cookie-cache-secret-0123456789abcdef";
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	const std::string_view input = fuzz::as_view(data, size);
	if (const auto decoded = core::cookie_cache_decode(input, kSecret)) {
		const auto j = core::detail::parse_object(*decoded);
		FUZZ_CHECK(j && j->contains("expiresAt") && (*j)["expiresAt"].is_number_integer());
		FUZZ_CHECK(j->back().is_number_integer());
		FUZZ_CHECK(!core::cookie_cache_decode(input, "another-secret-0123456789abcdefghijklmnop"));
	}
	const auto object = core::detail::parse_object(input);
	if (object && !object->contains("expiresAt")) {
		const auto value = core::cookie_cache_encode(input, static_cast<std::int64_t>(size) * 1000, kSecret);
		FUZZ_CHECK(value.has_value());
		const auto back = core::cookie_cache_decode(*value, kSecret);
		FUZZ_CHECK(back.has_value());
		auto want = *object;
		want["expiresAt"] = static_cast<std::int64_t>(size) * 1000;
		FUZZ_CHECK(*back == want.dump());
	}
	return 0;
}
