// TOTP: RFC 6238 Appendix B (SHA-1, 8 digits, key "12345678901234567890"),
// RFC 4226 Appendix D, and Better Auth 1.7.25's own output (6 digits, the
// 32-character secret string as the key), from @better-auth/utils.
#include "totp.hpp"

#include <gtest/gtest.h>

namespace core = neon_auth::core;

namespace {
constexpr const char *kRfcKey = "12345678901234567890";
constexpr const char *kBetterAuthKey = "abcdefghijklmnopqrstuvwxyz012345";
} // namespace

TEST(Totp, Rfc6238AppendixB)
{
	EXPECT_EQ(core::totp(kRfcKey, 59, 30, 8), "94287082");
	EXPECT_EQ(core::totp(kRfcKey, 1111111109, 30, 8), "07081804");
	EXPECT_EQ(core::totp(kRfcKey, 1111111111, 30, 8), "14050471");
	EXPECT_EQ(core::totp(kRfcKey, 1234567890, 30, 8), "89005924");
	EXPECT_EQ(core::totp(kRfcKey, 2000000000, 30, 8), "69279037");
	EXPECT_EQ(core::totp(kRfcKey, 20000000000, 30, 8), "65353130");
}

TEST(Totp, Rfc4226AppendixD)
{
	const char *expected[] = {"755224", "287082", "359152", "969429", "338314",
	                          "254676", "287922", "162583", "399871", "520489"};
	for (std::uint64_t c = 0; c < 10; c++)
		EXPECT_EQ(core::hotp(kRfcKey, c), expected[c]) << "counter " << c;
}

TEST(Totp, BetterAuthVectors)
{
	EXPECT_EQ(core::totp(kBetterAuthKey, 59), "959162");
	EXPECT_EQ(core::totp(kBetterAuthKey, 1111111109), "394313");
	EXPECT_EQ(core::totp(kBetterAuthKey, 1234567890), "063978");
	EXPECT_EQ(core::totp(kBetterAuthKey, 2000000000), "873497");
}

TEST(Totp, VerifyAcceptsOneStepEitherSide)
{
	const std::int64_t t = 1234567890;
	EXPECT_TRUE(core::totp_verify(kBetterAuthKey, "063978", t));
	EXPECT_TRUE(core::totp_verify(kBetterAuthKey, "867330", t)) << "previous step";
	EXPECT_TRUE(core::totp_verify(kBetterAuthKey, "468829", t)) << "next step";
	EXPECT_FALSE(core::totp_verify(kBetterAuthKey, "861315", t)) << "two steps back";
	EXPECT_FALSE(core::totp_verify(kBetterAuthKey, "063979", t));
	EXPECT_FALSE(core::totp_verify("another-secret-string-0123456789", "063978", t));
}

TEST(Totp, VerifyRefusesMalformedCodes)
{
	const std::int64_t t = 1234567890;
	for (const char *bad : {"", "06397", "0639780", "06397a", " 063978", "063978 ", "+63978", "٠٦٣٩٧٨"})
		EXPECT_FALSE(core::totp_verify(kBetterAuthKey, bad, t)) << bad;
	EXPECT_FALSE(core::totp_verify(kBetterAuthKey, std::string(10000, '1'), t));
}

TEST(Base32, Rfc4648WithoutPadding)
{
	EXPECT_EQ(core::base32_encode(""), "");
	EXPECT_EQ(core::base32_encode("f"), "MY");
	EXPECT_EQ(core::base32_encode("fo"), "MZXQ");
	EXPECT_EQ(core::base32_encode("foo"), "MZXW6");
	EXPECT_EQ(core::base32_encode("foob"), "MZXW6YQ");
	EXPECT_EQ(core::base32_encode("fooba"), "MZXW6YTB");
	EXPECT_EQ(core::base32_encode("foobar"), "MZXW6YTBOI");
	EXPECT_EQ(core::base32_encode(kBetterAuthKey), "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43UOV3HO6DZPIYDCMRTGQ2Q");
}
