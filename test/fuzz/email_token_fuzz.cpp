// email_token_verify: Better Auth's HS256 email-verification tokens. The
// input is verified as a token; when it is a JSON object it is also signed
// as a payload with email_token_sign and the token must verify exactly when
// its "exp" is a finite number after "now".
#include "email_token.hpp"
#include "encoding.hpp"
#include "fuzz_common.hpp"
#include "fuzz_keys.hpp"
#include "json_object.hpp"
#include "jws.hpp"

#include <cmath>

namespace core = neon_auth::core;

namespace {

constexpr std::int64_t kNow = fuzz_keys::kNow;

void check_verified(std::string_view token, const std::string &claims)
{
	const auto parsed = core::detail::parse_object(claims);
	FUZZ_CHECK(parsed && parsed->contains("exp") && parsed->at("exp").is_number());
	FUZZ_CHECK(parsed->at("exp").get<double>() > static_cast<double>(kNow));
	const auto parts = core::jws_split(token);
	FUZZ_CHECK(parts.has_value());
	const auto header = core::base64url_decode(parts->header);
	FUZZ_CHECK(header.has_value());
	const auto h = core::detail::parse_object({reinterpret_cast<const char *>(header->data()), header->size()});
	FUZZ_CHECK(h && h->at("alg") == "HS256" && !h->contains("crit"));
	// Same token: same claims; another secret or a clock at "exp": refused.
	FUZZ_CHECK(core::email_token_verify(token, fuzz_keys::kSecret, kNow) == claims);
	FUZZ_CHECK(!core::email_token_verify(token, "another secret", kNow));
	const double exp = parsed->at("exp").get<double>();
	if (exp < 9e18)
		FUZZ_CHECK(!core::email_token_verify(token, fuzz_keys::kSecret, static_cast<std::int64_t>(std::ceil(exp))));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	const std::string_view in = fuzz::as_view(data, size);

	if (const auto claims = core::email_token_verify(in, fuzz_keys::kSecret, kNow))
		check_verified(in, *claims);
	FUZZ_CHECK(!core::email_token_verify(in, "", kNow));

	if (const auto payload = core::detail::parse_object(in)) {
		const auto token = core::email_token_sign(in, fuzz_keys::kSecret);
		FUZZ_CHECK(token.has_value());
		FUZZ_CHECK(!core::email_token_sign(in, ""));
		const auto claims = core::email_token_verify(*token, fuzz_keys::kSecret, kNow);
		const auto dumped = core::detail::parse_object(payload->dump());
		const bool live = dumped->contains("exp") && dumped->at("exp").is_number() &&
		                  std::isfinite(dumped->at("exp").get<double>()) &&
		                  dumped->at("exp").get<double>() > static_cast<double>(kNow);
		FUZZ_CHECK(claims.has_value() == (live && token->size() <= 8192));
		if (claims) {
			FUZZ_CHECK(*claims == payload->dump());
			check_verified(*token, *claims);
		}
	}
	return 0;
}
