// Better Auth's cookie cache (compact strategy). The vector is Better Auth's
// own code path (@better-auth/utils createHMAC("SHA-256", "base64urlnopad")
// and base64Url.encode, as setCookieCache calls them).
#include "cookie_cache.hpp"
#include "encoding.hpp"

#include <gtest/gtest.h>

namespace core = neon_auth::core;

namespace {

constexpr const char *kSecret = "cookie-cache-secret-0123456789abcdefghijk";
constexpr const char *kData =
    R"({"session":{"id":"s1","token":"AbCdEfGhIjKlMnOpQrStUvWxYz012345","userId":"u1","expiresAt":"2030-01-01T00:00:00.000Z"},"user":{"id":"u1","name":"Zoë \"Q\"","email":"z@example.com"},"updatedAt":1900000000000,"version":"1"})";
constexpr std::int64_t kExpires = 1900000300000;
constexpr const char *kValue =
    "eyJzZXNzaW9uIjp7InNlc3Npb24iOnsiaWQiOiJzMSIsInRva2VuIjoiQWJDZEVmR2hJaktsTW5PcFFyU3RVdld4WXowMTIzNDUiLCJ1c2VySWQiOiJ1MSIsImV4cGlyZXNBdCI6IjIwMzAtMDEtMDFUMDA6MDA6MDAuMDAwWiJ9LCJ1c2VyIjp7ImlkIjoidTEiLCJuYW1lIjoiWm_DqyBcIlFcIiIsImVtYWlsIjoiekBleGFtcGxlLmNvbSJ9LCJ1cGRhdGVkQXQiOjE5MDAwMDAwMDAwMDAsInZlcnNpb24iOiIxIn0sImV4cGlyZXNBdCI6MTkwMDAwMDMwMDAwMCwic2lnbmF0dXJlIjoidWlrT04yQ3YxUURMQjlTU0dpb25JRFhTMmxFNkV3cmxIc1I2cmRfUHp5NCJ9";

std::string b64(std::string_view s)
{
	return core::base64url_encode(reinterpret_cast<const std::uint8_t *>(s.data()), s.size());
}

} // namespace

TEST(CookieCache, EncodesLikeBetterAuth)
{
	EXPECT_EQ(core::cookie_cache_encode(kData, kExpires, kSecret).value(), kValue);
	EXPECT_FALSE(core::cookie_cache_encode("[1]", kExpires, kSecret).has_value());
	EXPECT_FALSE(core::cookie_cache_encode(kData, kExpires, "").has_value());
}

TEST(CookieCache, DecodesBetterAuthsValue)
{
	const auto signed_part = core::cookie_cache_decode(kValue, kSecret);
	ASSERT_TRUE(signed_part.has_value());
	std::string want = kData;
	want.pop_back();
	want += ",\"expiresAt\":1900000300000}";
	EXPECT_EQ(*signed_part, want);
}

TEST(CookieCache, RefusesWhatDoesNotCheckOut)
{
	EXPECT_FALSE(core::cookie_cache_decode(kValue, "another-secret-0123456789abcdefghijklmn").has_value());
	EXPECT_FALSE(core::cookie_cache_decode(std::string(kValue) + "=", kSecret).has_value()) << "padding";
	EXPECT_FALSE(core::cookie_cache_decode("", kSecret).has_value());
	EXPECT_FALSE(core::cookie_cache_decode("not base64!", kSecret).has_value());
	// A changed member, a changed expiry, a missing or extra member, wrong types.
	const std::string sig = R"("signature":"uikON2Cv1QDLB9SSGionIDXS2lE6EwrlHsR6rd_Pzy4")";
	std::string data = kData;
	EXPECT_TRUE(core::cookie_cache_decode(b64(R"({"session":)" + data + R"(,"expiresAt":1900000300000,)" + sig + "}"), kSecret));
	std::string other = data;
	other.replace(other.find("u1"), 2, "u2");
	EXPECT_FALSE(core::cookie_cache_decode(b64(R"({"session":)" + other + R"(,"expiresAt":1900000300000,)" + sig + "}"), kSecret));
	EXPECT_FALSE(core::cookie_cache_decode(b64(R"({"session":)" + data + R"(,"expiresAt":1900000300001,)" + sig + "}"), kSecret));
	EXPECT_FALSE(core::cookie_cache_decode(b64(R"({"session":)" + data + R"(,"expiresAt":"1900000300000",)" + sig + "}"), kSecret));
	EXPECT_FALSE(core::cookie_cache_decode(b64(R"({"session":)" + data + R"(,"expiresAt":1900000300000.5,)" + sig + "}"), kSecret));
	EXPECT_FALSE(core::cookie_cache_decode(b64(R"({"session":)" + data + R"(,"expiresAt":1900000300000})"), kSecret));
	EXPECT_FALSE(core::cookie_cache_decode(b64(R"({"session":)" + data + R"(,"expiresAt":1900000300000,)" + sig + R"(,"x":1})"), kSecret));
	EXPECT_FALSE(core::cookie_cache_decode(b64(R"({"session":[],"expiresAt":1900000300000,)" + sig + "}"), kSecret));
	// Repeated members are refused, whichever a JavaScript parser would keep.
	EXPECT_FALSE(core::cookie_cache_decode(b64(R"({"session":)" + data + R"(,"session":{},"expiresAt":1900000300000,)" + sig + "}"), kSecret));
}

TEST(CookieCache, RoundTrips)
{
	const auto v = core::cookie_cache_encode(R"({"b":1,"a":[true,null,"é\n"]})", 5, kSecret);
	ASSERT_TRUE(v.has_value());
	EXPECT_EQ(core::cookie_cache_decode(*v, kSecret).value(), R"({"b":1,"a":[true,null,"é\n"],"expiresAt":5})");
}
