// jwt_verify (and jws_split under it) with fixed EdDSA, ES256 and RS256 keys
// and a fixed HS256 secret (PostgREST's).
// Input: "<token>" or "<token>\n<jwk>"; a JWK after the newline joins the key
// set under kid "fz" with the algorithm jwk_alg() gives it. When the first
// part is itself a JSON object it is also signed as a payload (the key picked
// by the input length) and the fresh token must verify (with the right
// claims, or failing only on a claims check).
#include "fuzz_common.hpp"
#include "fuzz_keys.hpp"
#include "json_object.hpp"
#include "jws.hpp"
#include "jwt.hpp"
#include "random.hpp"

#include <sodium.h>

#include <cstring>

namespace core = neon_auth::core;

namespace {

struct Fixture {
	std::vector<core::JwtKey> keys;
	core::JwtChecks strict, loose;
	core::Hs256Key hs256{"fuzz-postgrest-secret-0123456789abcdefghij", ""};
	Fixture()
	{
		FUZZ_CHECK(core::crypto_init());
		keys.push_back({fuzz_keys::kEdKid, "EdDSA", core::public_jwk(fuzz_keys::kEd25519Private).value()});
		keys.push_back({fuzz_keys::kEsKid, "ES256", core::public_jwk(fuzz_keys::kEs256Private).value()});
		keys.push_back({fuzz_keys::kRsKid, "RS256", core::public_jwk(fuzz_keys::kRs256Private).value()});
		// A kid whose algorithm does not match its key's: never usable.
		keys.push_back({"mix", "ES256", keys[0].public_jwk});
		strict.now = loose.now = fuzz_keys::kNow;
		strict.leeway = 30;
		strict.issuer = "https://issuer.example";
		strict.audience = "https://aud.example";
	}
};

const Fixture &fixture()
{
	static const Fixture f;
	return f;
}

bool is_claims_error(const char *e)
{
	for (const char *c : {core::kJwtExpired, core::kJwtNotYetValid, core::kJwtWrongIssuer, core::kJwtWrongAudience,
	                      core::kJwtBadClaims})
		if (e != nullptr && std::strcmp(e, c) == 0) // by content: each TU may have its own copy of the literal
			return true;
	return false;
}

void check_split(std::string_view token)
{
	const auto parts = core::jws_split(token);
	std::size_t dots = 0;
	for (char c : token)
		dots += c == '.';
	FUZZ_CHECK(parts.has_value() == (dots == 2));
	if (!parts)
		return;
	FUZZ_CHECK(std::string(parts->header) + "." + std::string(parts->payload) == parts->signing_input);
	FUZZ_CHECK(std::string(parts->signing_input) + "." + std::string(parts->signature) == token);
	FUZZ_CHECK(parts->signing_input.data() == token.data());
}

void check_verified(std::string_view token, const std::vector<core::JwtKey> &keys, const core::JwtChecks &checks,
                    const core::JwtVerification &v)
{
	FUZZ_CHECK(v.error == nullptr);
	FUZZ_CHECK(token.size() <= checks.max_length);
	const auto parts = core::jws_split(token).value();
	const auto header_raw = core::base64url_decode(parts.header).value();
	const auto header =
	    core::detail::parse_object({reinterpret_cast<const char *>(header_raw.data()), header_raw.size()}).value();
	FUZZ_CHECK(!header.contains("crit"));
	const std::string alg = header.at("alg").get<std::string>();
	if (alg == "HS256") {
		// The MAC again, straight through libsodium, with the one secret.
		const auto sig = core::base64url_decode(parts.signature).value();
		const std::string &secret = fixture().hs256.secret;
		crypto_auth_hmacsha256_state st;
		unsigned char mac[crypto_auth_hmacsha256_BYTES];
		crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char *>(secret.data()), secret.size());
		crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char *>(parts.signing_input.data()),
		                              parts.signing_input.size());
		crypto_auth_hmacsha256_final(&st, mac);
		FUZZ_CHECK(sig.size() == sizeof mac && std::memcmp(sig.data(), mac, sizeof mac) == 0);
		const auto again = core::jwt_verify(token, keys, checks, fixture().hs256);
		FUZZ_CHECK(again.error == nullptr && again.claims_json == v.claims_json);
		// Never without the secret.
		FUZZ_CHECK(core::jwt_verify(token, keys, checks).error != nullptr);
		return;
	}
	FUZZ_CHECK(header.at("kid").get<std::string>() == v.kid);
	const core::JwtKey *key = nullptr;
	for (const auto &k : keys)
		if (k.kid == v.kid)
			key = &k;
	FUZZ_CHECK(key != nullptr && key->alg == alg);
	// EdDSA: the signature again, straight through libsodium.
	if (alg == "EdDSA") {
		const auto sig = core::base64url_decode(parts.signature).value();
		const auto jwk = core::detail::parse_object(key->public_jwk).value();
		const auto pk = core::base64url_decode(jwk.at("x").get<std::string>()).value();
		FUZZ_CHECK(sig.size() == crypto_sign_BYTES && pk.size() == crypto_sign_PUBLICKEYBYTES);
		FUZZ_CHECK(crypto_sign_verify_detached(sig.data(),
		                                       reinterpret_cast<const unsigned char *>(parts.signing_input.data()),
		                                       parts.signing_input.size(), pk.data()) == 0);
	} else {
		FUZZ_CHECK(alg == "ES256" || alg == "RS256");
	}
	const auto claims = core::detail::parse_object(v.claims_json);
	FUZZ_CHECK(claims && claims->contains("exp") && claims->at("exp").is_number());
	FUZZ_CHECK(claims->at("exp").get<double>() > static_cast<double>(checks.now - checks.leeway));
	if (!checks.issuer.empty())
		FUZZ_CHECK(claims->at("iss") == checks.issuer);
	// Verifying again (the header now from the last-header memo) gives the same answer.
	const auto again = core::jwt_verify(token, keys, checks, fixture().hs256);
	FUZZ_CHECK(again.error == nullptr && again.claims_json == v.claims_json && again.kid == v.kid);
}

void verify(std::string_view token, const std::vector<core::JwtKey> &keys, const core::JwtChecks &checks)
{
	const auto v = core::jwt_verify(token, keys, checks, fixture().hs256);
	if (v.error == nullptr)
		check_verified(token, keys, checks, v);
	else
		FUZZ_CHECK(v.claims_json.empty());
}

void sign_and_verify(std::string_view payload, std::size_t pick)
{
	const auto &f = fixture();
	static const char *const privates[] = {fuzz_keys::kEd25519Private, fuzz_keys::kEs256Private,
	                                       fuzz_keys::kRs256Private};
	static const char *const kids[] = {fuzz_keys::kEdKid, fuzz_keys::kEsKid, fuzz_keys::kRsKid};
	const auto token = pick == 3 ? core::jwt_sign_hs256(payload, f.hs256.secret) : core::jwt_sign(kids[pick], payload, privates[pick]);
	FUZZ_CHECK(token.has_value());
	const auto v = core::jwt_verify(*token, f.keys, f.loose, f.hs256);
	if (v.error != nullptr && std::strcmp(v.error, core::kJwtTooLarge) == 0) {
		FUZZ_CHECK(token->size() > f.loose.max_length);
		return;
	}
	FUZZ_CHECK(v.error == nullptr || is_claims_error(v.error));
	if (v.error == nullptr) {
		FUZZ_CHECK(v.claims_json == core::detail::parse_object(payload)->dump());
		check_verified(*token, f.keys, f.loose, v);
	}
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	const auto &f = fixture();
	std::string_view rest = fuzz::as_view(data, size);
	bool has_jwk = false;
	const std::string_view token = fuzz::take(rest, '\n', &has_jwk);

	check_split(token);
	if (has_jwk) {
		auto keys = f.keys;
		keys.push_back({"fz", std::string(core::jwk_alg(rest)), std::string(rest)});
		verify(token, keys, f.strict);
		verify(token, keys, f.loose);
	} else {
		verify(token, f.keys, f.strict);
		verify(token, f.keys, f.loose);
	}
	// EdDSA, but ES256, RS256 and HS256 for one length in 16 each (an
	// RSA-2048 signature costs about a millisecond, ES256 a good fraction of one).
	if (core::detail::parse_object(token))
		sign_and_verify(token, size % 16 == 3 ? 3 : size % 16 == 2 ? 2 : size % 16 == 1 ? 1 : 0);
	return 0;
}
