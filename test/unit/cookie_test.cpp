// Better Auth's signed-cookie vector (better-auth-formats.md section 3.3).
#include "cookie.hpp"

#include <gtest/gtest.h>

namespace core = neon_auth::core;

namespace {
constexpr const char *kSecret = "better-auth-test-secret-0123456789abcdef";
constexpr const char *kToken = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";
constexpr const char *kSigned = "AbCdEfGhIjKlMnOpQrStUvWxYz012345.2qo11Hs+BTEe8oieaZgQJcnW9VuTZhDWPJ0CduagwLk=";
constexpr const char *kWire = "AbCdEfGhIjKlMnOpQrStUvWxYz012345.2qo11Hs%2BBTEe8oieaZgQJcnW9VuTZhDWPJ0CduagwLk%3D";
} // namespace

TEST(SignedCookie, SignatureMatchesBetterAuth)
{
	EXPECT_EQ(core::cookie_signature(kToken, kSecret), "2qo11Hs+BTEe8oieaZgQJcnW9VuTZhDWPJ0CduagwLk=");
	EXPECT_EQ(core::sign_cookie_value(kToken, kSecret), kSigned);
	EXPECT_EQ(core::sign_cookie_value("true", kSecret), "true.WXxbAJ/yBUbaoRP4QaiZIHzrcpMujoCQzYWqeinq3gI=");
}

TEST(SignedCookie, VerifyAcceptsPlainAndUriEncoded)
{
	EXPECT_EQ(core::verify_cookie_value(kSigned, kSecret).value_or("<none>"), kToken);
	EXPECT_EQ(core::verify_cookie_value(kWire, kSecret).value_or("<none>"), kToken);
}

TEST(SignedCookie, VerifyRejectsForgeries)
{
	const std::string s = kSigned;
	EXPECT_FALSE(core::verify_cookie_value(s, "another-secret-0123456789abcdefghij"));
	std::string flipped = s;
	flipped[5] = 'X'; // token changed, signature kept
	EXPECT_FALSE(core::verify_cookie_value(flipped, kSecret));
	std::string badsig = s;
	badsig[40] = badsig[40] == 'A' ? 'B' : 'A';
	EXPECT_FALSE(core::verify_cookie_value(badsig, kSecret));
	EXPECT_FALSE(core::verify_cookie_value(s.substr(0, s.size() - 1), kSecret)) << "43-char signature";
	EXPECT_FALSE(core::verify_cookie_value(s + "=", kSecret)) << "45-char signature";
	EXPECT_FALSE(core::verify_cookie_value(kToken, kSecret)) << "bare token is not a signed value";
	EXPECT_FALSE(core::verify_cookie_value("." + s.substr(33), kSecret)) << "empty token";
	EXPECT_FALSE(core::verify_cookie_value("", kSecret));
	EXPECT_FALSE(core::verify_cookie_value("abc%zz.def", kSecret)) << "malformed escape";
	EXPECT_FALSE(core::verify_cookie_value("abc%2", kSecret)) << "truncated escape";
	EXPECT_FALSE(core::verify_cookie_value(std::string(300, 'a') + "." + std::string(43, 'a') + "=", kSecret));
}

TEST(SignedCookie, RejectsSignedValuesThatAreNotText)
{
	// Correctly signed, but the token decodes to a NUL or to invalid UTF-8.
	EXPECT_FALSE(core::verify_cookie_value("a%00b." + core::cookie_signature(std::string("a\0b", 3), kSecret), kSecret));
	EXPECT_FALSE(core::verify_cookie_value("a%FFb." + core::cookie_signature("a\xff" "b", kSecret), kSecret));
}

TEST(SignedCookie, SplitsAtTheLastDot)
{
	const std::string v = core::sign_cookie_value("a.b.c", kSecret);
	EXPECT_EQ(core::verify_cookie_value(v, kSecret).value_or("<none>"), "a.b.c");
}
