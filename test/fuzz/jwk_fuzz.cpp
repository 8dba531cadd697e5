// The JWK readers: jwk_alg, public_jwk and the two back ends under it
// (ed25519_public_jwk on libsodium, openssl_public_jwk for EC P-256 and RSA),
// and jwt_sign with the input as the private key. Checks: public_jwk is the
// back end's answer, idempotent, keeps the algorithm and drops "d"; a key
// that signs and has a public half verifies its own token.
#include "fuzz_common.hpp"
#include "fuzz_keys.hpp"
#include "json_object.hpp"
#include "jwk_openssl.hpp"
#include "jwt.hpp"
#include "random.hpp"

namespace core = neon_auth::core;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	static const bool init = core::crypto_init();
	FUZZ_CHECK(init);
	const std::string_view jwk = fuzz::as_view(data, size);

	const std::string_view alg = core::jwk_alg(jwk);
	FUZZ_CHECK(alg.empty() || alg == "EdDSA" || alg == "ES256" || alg == "RS256");
	const auto pub = core::public_jwk(jwk);
	const auto ed = core::ed25519_public_jwk(jwk);
	const auto ossl = core::openssl_public_jwk(jwk);
	if (alg.empty())
		FUZZ_CHECK(!pub && !ed && !ossl);
	// OpenSSL's RSA public check runs a randomized primality test on n
	// (SP 800-56B: n must be composite), so two checks of one fuzzed n near
	// that line may disagree: then only the answers that both give must match.
	if (alg == "RS256" && pub.has_value() != ossl.has_value())
		return 0;
	FUZZ_CHECK(pub == (alg == "EdDSA" ? ed : ossl));
	if (alg != "EdDSA")
		FUZZ_CHECK(!ed);
	if (alg == "EdDSA")
		FUZZ_CHECK(!ossl);

	if (pub) {
		FUZZ_CHECK(core::jwk_alg(*pub) == alg);
		FUZZ_CHECK(core::public_jwk(*pub) == pub);
		const auto parsed = core::detail::parse_object(*pub);
		FUZZ_CHECK(parsed && !parsed->contains("d"));
	}

	// The input as a private key.
	const auto parsed = core::detail::parse_object(jwk);
	if (parsed && parsed->contains("d") && !alg.empty()) {
		const auto token = core::jwt_sign("k", R"({"exp":2000000000})", jwk);
		// RS256 signing trusts the private members to belong together (keys
		// the extension made itself), so only for RSA may a key sign without
		// passing public_jwk's pairwise check.
		if (token && alg != "RS256")
			FUZZ_CHECK(pub.has_value());
		if (alg != "RS256" && pub)
			FUZZ_CHECK(token.has_value());
		if (token && pub) {
			core::JwtChecks checks;
			checks.now = fuzz_keys::kNow;
			const auto v = core::jwt_verify(*token, {{"k", std::string(alg), *pub}}, checks);
			FUZZ_CHECK(v.error == nullptr);
		}
	}
	return 0;
}
