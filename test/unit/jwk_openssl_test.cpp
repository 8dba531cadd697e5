// ES256 and RS256 through OpenSSL, against vectors made by jose 6.2.17 (the
// library Better Auth's jwt plugin uses): keys from jose.generateKeyPair +
// exportJWK, tokens from jose.SignJWT. RS256 is deterministic, so signing is
// compared byte for byte; ES256 signatures are randomised, so jose's token
// must verify and ours must verify back.
#include "jwk_openssl.hpp"
#include "jwt.hpp"
#include "jwt_checks.hpp"

#include <gtest/gtest.h>

namespace core = neon_auth::core;

namespace {

constexpr const char *kEsPrivate =
    R"({"kty":"EC","x":"mgsq-l7qrdMnoggjuTiaFnSujJALeKGj6_6B3CNVllk","y":"0uyWFQ13R89c0196WOIpflzFiptth3_M4)"
    R"(21QFqT6meo","crv":"P-256","d":"uZLVA887KvYG91Ks8pn9eCJ0n_LCqvDAJKrR6pJtcJo"})";
constexpr const char *kEsPublic =
    R"({"kty":"EC","x":"mgsq-l7qrdMnoggjuTiaFnSujJALeKGj6_6B3CNVllk","y":"0uyWFQ13R89c0196WOIpflzFiptth3_M4)"
    R"(21QFqT6meo","crv":"P-256"})";
constexpr const char *kEsJwt =
    R"(eyJhbGciOiJFUzI1NiIsImtpZCI6ImVzMjU2LXZlY3RvciJ9.eyJzdWIiOiIwMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDA)"
    R"(wMDAwMDEiLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MTcwMDAwMDkwMCwiaXNzIjoiaHR0cDovL2xvY2FsaG9zdDozMDAwIiwiYXV)"
    R"(kIjoiaHR0cDovL2xvY2FsaG9zdDozMDAwIn0.sJGoiLTFkZt46A3xMkKQx24QWda_skhnsSE0ouEYwjJUU9c2RycUrYmLqeCGWQa)"
    R"(YCW8QTX2RDM540aYNUrd4Ag)";
constexpr const char *kRsPrivate =
    R"({"kty":"RSA","n":"0oPpCbAMkcjDVA2ncCK7dxBAKiN-K6pH3mOALc51VhCOC43lT6jnbTEMaz6yqmyfGSY_Qet8-Rly9UGCbg)"
    R"(1IV9271bpbP2UVVC5lqrwWaKGObzlM3pnWfQilVBfLvPRs0f16ISKGpLULPChLqZJt7LkZWQ7dTdmMJ5HJ2eizlsMc73XOz2kcsi)"
    R"(SRk5L0fH4mMRirrkeuTzP_z-Hg6Mzps38D-CZPBXdU0rciQKuAqPO68fA7l-iniIQ9l_SiFY9Y6NCNpKj4sCdkwXKNI8KCrmrg5r)"
    R"(gIt3ZxaQPBTvAkKbvO90SggpN7e0jq8IYkU7knrgXpfE76no9hoR770M6Fgw","e":"AQAB","d":"CIE8yay1OhfCA6QDk9Oxy2)"
    R"(C6mH-gY5o4o6-7m3e_8ZvjAtN9cRQlUwBMYwuaHNy2w5JyGf_62t0TPsmIcyX4bYuI2nZYPmQfXvj65LfX_euQMHnzp_o2GkB4EX)"
    R"(QrdOhSrY8pWN8nHZthp1E6pIPecTxiXXpswjroq_Ng-mIQDPMLp4HOxtZhkOgNbXIuIBo_Vo7zd0Ziy6YiXqmEJbQzwdPLfJHASN)"
    R"(TWh_-EEvgjI23tCK4XheO6B6h8u97pzHj986YoCeUFIKeQLQfmqeY-G4OqAPpAT8hewCt0OmHQAfOHBeWlei6CdcsYeWaLI-ajhU)"
    R"(hX36_hGUSBru7i5r3UhQ","p":"7_WnYUAlSPdRY_way07q5LJN9kptu51YkgF8WxXkwMvd_r-dLxIUVn7VQy5weYYTWXWgP8KFW)"
    R"(Mh_xop9deU1Gtbv4k7XiafCC3MfpvuUUV7FPAJn6UikevJuk515NY5q3zR67w9vUSQ-UgCs4-4uZ7gW-PThaNaz24ORFAojF90",)"
    R"("q":"4JZi1eGbt0Gnc9_FjWzteKBEIuLnVRwauAiiB2wOLl_dYZSUJFoJr8jmG-YcYwWS6w1hUczk2RAy6iJk0wFpWjYu3J8maQ9)"
    R"(ZQBIvshI9zB84C_7eJfwrby8BHu9okLUFo4A9nVER3jeuIOFTDgSf0OX2y3mxdwXOB_GfUz3h7N8","dp":"AX1-D52NXbmjeMJ9)"
    R"(DBwuW0M8NrZZnhupDCcUNaCaLhRWCZn5COzM0YiyHFuyeR67Cggv-ZVkrJt6J6p-gvfsb4E8NiSVNBalntqVLL1NO4AiK3A8Yvd_)"
    R"(hf_xbdtBgHKk-UPjK47l-xQFiw7UBApboWtEQUGMENGchlV31i8F7sU","dq":"vMCnwGoknRgozFI9jmcGDmNj4I4jLny4WAOpa)"
    R"(eN-56raPLDK8OJbUcne24PCR9bfa32LVVyG2Yerwuu1IUIGcTMon3OCrLmhoR-nxlleZre2Ox6xRetx9bfjkURU9Ymue4PERPtls)"
    R"(QXK6wd07kskpkUf7lMQu5-9UR_Zb_SKdLE","qi":"TQX6eLZq6P5d2aYsTuCNMCLnnzApu6XAgtPQbprUVGIhlVSq-vYjiUl8qX)"
    R"(r1G4dvRdgom1wFC6itYrGEEwaj5UGu9lnHfma2OKP4xjOvzsuCt8BlFv8d0c6P6wd8iM_vPFpAxAHRck2DUdhjYkL1VvNuozWYcV)"
    R"(nNXp3wnGo6E_g"})";
constexpr const char *kRsPublic =
    R"({"kty":"RSA","n":"0oPpCbAMkcjDVA2ncCK7dxBAKiN-K6pH3mOALc51VhCOC43lT6jnbTEMaz6yqmyfGSY_Qet8-Rly9UGCbg)"
    R"(1IV9271bpbP2UVVC5lqrwWaKGObzlM3pnWfQilVBfLvPRs0f16ISKGpLULPChLqZJt7LkZWQ7dTdmMJ5HJ2eizlsMc73XOz2kcsi)"
    R"(SRk5L0fH4mMRirrkeuTzP_z-Hg6Mzps38D-CZPBXdU0rciQKuAqPO68fA7l-iniIQ9l_SiFY9Y6NCNpKj4sCdkwXKNI8KCrmrg5r)"
    R"(gIt3ZxaQPBTvAkKbvO90SggpN7e0jq8IYkU7knrgXpfE76no9hoR770M6Fgw","e":"AQAB"})";
constexpr const char *kRsJwt =
    R"(eyJhbGciOiJSUzI1NiIsImtpZCI6InJzMjU2LXZlY3RvciJ9.eyJzdWIiOiIwMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDA)"
    R"(wMDAwMDEiLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MTcwMDAwMDkwMCwiaXNzIjoiaHR0cDovL2xvY2FsaG9zdDozMDAwIiwiYXV)"
    R"(kIjoiaHR0cDovL2xvY2FsaG9zdDozMDAwIn0.bBGHXhRg6H-byz_5pnm-dqNtOZa062qAEF4lpSumw1PkPAHUNbrNmxab-onvyL6)"
    R"(rERGMu8texLHVT9Dc7VfRxZAjJEYiqcZyXt8LJ-TcJ8ENd9WjFxNjRTG_KWgOL2s_vECdo-v1eBu0e_M5ONyyAyLRdegN47TFewp)"
    R"(m866k9JgnuyeYJwZzPa1YaZYNOVeCUSKNisRlV0HQ5SbNEsDvj7I-ogGB8xqeTJiOVTug29g0aGYwws1qPGVIohBGLJLqkVj4_CT)"
    R"(4ZbqfsEEw_u1dvG0rtaYtn9sjXVBe4P8YPNU7HOmzewn02oW4Ms45c1ks09xjaExP9CzTRXzxK3bLbQ)";
constexpr const char *kPayload =
    R"({"sub":"00000000-0000-4000-8000-000000000001","iat":1700000000,"exp":1700000900,"iss":"http://localhost:3000","aud":"http://localhost:3000"})";

core::JwtVerification verify(const std::string &token, const char *kid, const char *alg, const char *public_jwk)
{
	return core::jwt_verify(token, {{kid, alg, public_jwk}}, checks_at(1700000100));
}

// Replace one member of a JWK's JSON text.
std::string with_member(std::string jwk, const std::string &member, const std::string &value)
{
	const std::string key = "\"" + member + "\":\"";
	const auto start = jwk.find(key) + key.size();
	return jwk.replace(start, jwk.find('"', start) - start, value);
}

std::string flip_last_char(std::string s)
{
	s.back() = s.back() == 'A' ? 'Q' : 'A';
	return s;
}

} // namespace

TEST(Rs256, SignsJoseVectorByteForByte)
{
	EXPECT_EQ(core::jwt_sign("rs256-vector", kPayload, kRsPrivate).value_or(""), kRsJwt);
}

TEST(Rs256, VerifiesJoseVector)
{
	auto v = verify(kRsJwt, "rs256-vector", "RS256", kRsPublic);
	EXPECT_EQ(v.error, nullptr);
	EXPECT_EQ(v.claims_json, kPayload);
}

TEST(Es256, VerifiesJoseVector)
{
	auto v = verify(kEsJwt, "es256-vector", "ES256", kEsPublic);
	EXPECT_EQ(v.error, nullptr);
	EXPECT_EQ(v.claims_json, kPayload);
}

TEST(Es256, OwnSignaturesVerifyAndAreRawRS)
{
	auto token = core::jwt_sign("es256-vector", kPayload, kEsPrivate);
	ASSERT_TRUE(token);
	EXPECT_EQ(verify(*token, "es256-vector", "ES256", kEsPublic).error, nullptr);
	auto sig = core::base64url_decode(token->substr(token->rfind('.') + 1));
	ASSERT_TRUE(sig);
	EXPECT_EQ(sig->size(), 64u); // R || S, not DER
}

TEST(OpenSslJwk, PublicJwksMatchJose)
{
	EXPECT_EQ(core::public_jwk(kEsPrivate).value_or(""), kEsPublic);
	EXPECT_EQ(core::public_jwk(kEsPublic).value_or(""), kEsPublic);
	EXPECT_EQ(core::public_jwk(kRsPrivate).value_or(""), kRsPublic);
	EXPECT_EQ(core::public_jwk(kRsPublic).value_or(""), kRsPublic);
	EXPECT_EQ(core::jwk_alg(kEsPrivate), "ES256");
	EXPECT_EQ(core::jwk_alg(kRsPublic), "RS256");
}

TEST(OpenSslJwk, GeneratedKeysHaveJoseShapeAndWork)
{
	for (const char *alg : {"ES256", "RS256"}) {
		auto jwk = core::generate_private_jwk(alg);
		ASSERT_TRUE(jwk);
		EXPECT_EQ(core::jwk_alg(*jwk), alg);
		auto pub = core::public_jwk(*jwk);
		ASSERT_TRUE(pub);
		EXPECT_EQ(pub->find("\"d\""), std::string::npos);
		auto token = core::jwt_sign("k", kPayload, *jwk);
		ASSERT_TRUE(token);
		EXPECT_EQ(verify(*token, "k", alg, pub->c_str()).error, nullptr) << alg;
		EXPECT_NE(*jwk, core::generate_private_jwk(alg).value_or(""));
	}
	EXPECT_EQ(core::generate_private_jwk("HS256"), std::nullopt);
	EXPECT_EQ(core::generate_private_jwk("ES512"), std::nullopt);
}

TEST(OpenSslJwk, InvalidKeysAreRefused)
{
	// A point off the curve, a private half that does not match, a truncated
	// coordinate, another curve, an RSA modulus under 2048 bits.
	EXPECT_FALSE(core::public_jwk(with_member(kEsPublic, "y", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")));
	EXPECT_FALSE(core::public_jwk(with_member(kEsPrivate, "d", "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")));
	EXPECT_FALSE(core::public_jwk(with_member(kEsPublic, "x", "AAAA")));
	EXPECT_FALSE(core::public_jwk(with_member(kEsPublic, "crv", "P-384")));
	EXPECT_FALSE(core::public_jwk(R"({"kty":"RSA","n":"yQ","e":"AQAB"})"));
	EXPECT_FALSE(core::jwt_sign("k", kPayload, with_member(kEsPrivate, "d", "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")));
	EXPECT_FALSE(core::jwt_sign("k", kPayload, kRsPublic)); // no private half
}

TEST(OpenSslHostile, AreAllRejected)
{
	const std::string es(kEsJwt), rs(kRsJwt);
	const std::string es_input = es.substr(0, es.rfind('.'));
	auto es_sig = *core::base64url_decode(es.substr(es.rfind('.') + 1));
	// A tampered signature or payload.
	EXPECT_STREQ(verify(flip_last_char(es), "es256-vector", "ES256", kEsPublic).error, core::kJwtBadSignature);
	EXPECT_STREQ(verify(flip_last_char(rs), "rs256-vector", "RS256", kRsPublic).error, core::kJwtBadSignature);
	// The signature in DER rather than R || S.
	{
		core::Bytes der{0x30, 0x44, 0x02, 0x20};
		der.insert(der.end(), es_sig.begin(), es_sig.begin() + 32);
		der.insert(der.end(), {0x02, 0x20});
		der.insert(der.end(), es_sig.begin() + 32, es_sig.end());
		const std::string token = es_input + "." + core::base64url_encode(der.data(), der.size());
		EXPECT_STREQ(verify(token, "es256-vector", "ES256", kEsPublic).error, core::kJwtBadSignature);
	}
	// R || S with a byte missing, or all zero.
	{
		core::Bytes short_sig(es_sig.begin(), es_sig.end() - 1), zero(64, 0);
		EXPECT_STREQ(verify(es_input + "." + core::base64url_encode(short_sig.data(), short_sig.size()), "es256-vector",
		                    "ES256", kEsPublic)
		                 .error,
		             core::kJwtBadSignature);
		EXPECT_STREQ(verify(es_input + "." + core::base64url_encode(zero.data(), zero.size()), "es256-vector", "ES256",
		                    kEsPublic)
		                 .error,
		             core::kJwtBadSignature);
	}
	// The key's algorithm decides: an RS256 token against an ES256 key entry
	// with the same kid, or an ES256 key listed as RS256, never verifies.
	EXPECT_STREQ(verify(rs, "rs256-vector", "ES256", kEsPublic).error, core::kJwtUnknownKey);
	EXPECT_STREQ(verify(es, "es256-vector", "RS256", kEsPublic).error, core::kJwtUnknownKey);
	EXPECT_STREQ(verify(es, "es256-vector", "ES256", kRsPublic).error, core::kJwtBadSignature);
	// HMAC with the public key as the secret (algorithm confusion).
	EXPECT_STREQ(verify("eyJhbGciOiJIUzI1NiIsImtpZCI6InJzMjU2LXZlY3RvciJ9." + rs.substr(rs.find('.') + 1), "rs256-vector",
	                    "RS256", kRsPublic)
	                 .error,
	             core::kJwtUnsupportedAlg);
}
