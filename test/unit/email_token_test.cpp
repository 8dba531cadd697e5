// Better Auth's email-verification token (better-auth-formats.md section 5).
#include "email_token.hpp"
#include "encoding.hpp"

#include <gtest/gtest.h>

namespace core = neon_auth::core;

namespace {
constexpr const char *kSecret = "better-auth-test-secret-0123456789abcdef";
constexpr const char *kPayload = R"({"email":"alice@example.com","userId":"user_123","iat":1700000000,"exp":1700003600})";
constexpr const char *kToken =
    "eyJhbGciOiJIUzI1NiJ9.eyJlbWFpbCI6ImFsaWNlQGV4YW1wbGUuY29tIiwidXNlcklkIjoidXNlcl8xMjMiLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MTcwMDAwMzYwMH0."
    "E1iQ1S-CANZKzuuwRBRydLhINNEs2IpFw9F3Ugn-EeU";

std::string b64(std::string_view s)
{
	return core::base64url_encode(reinterpret_cast<const std::uint8_t *>(s.data()), s.size());
}
} // namespace

TEST(EmailToken, SignsBetterAuthVectorByteForByte)
{
	EXPECT_EQ(core::email_token_sign(kPayload, kSecret).value_or(""), kToken);
}

TEST(EmailToken, VerifiesUntilExpiry)
{
	EXPECT_EQ(core::email_token_verify(kToken, kSecret, 1700000000).value_or(""), kPayload);
	EXPECT_EQ(core::email_token_verify(kToken, kSecret, 1700003599).value_or(""), kPayload);
	EXPECT_FALSE(core::email_token_verify(kToken, kSecret, 1700003600)); // exp is exclusive, as jose
}

TEST(EmailToken, RejectsForgeries)
{
	const std::string token(kToken);
	const std::string body = token.substr(token.find('.') + 1);
	EXPECT_FALSE(core::email_token_verify(kToken, "another-secret", 1700000000));
	EXPECT_FALSE(core::email_token_verify(token.substr(0, token.size() - 1) + (token.back() == 'A' ? "B" : "A"), kSecret,
	                                      1700000000));
	// Another algorithm in the header (alg none, or an asymmetric one).
	EXPECT_FALSE(core::email_token_verify(b64(R"({"alg":"none"})") + "." + body, kSecret, 1700000000));
	EXPECT_FALSE(core::email_token_verify(b64(R"({"alg":"HS256","crit":["x"]})") + "." + body, kSecret, 1700000000));
	// A payload without a numeric exp is never accepted, even when signed.
	auto no_exp = core::email_token_sign(R"({"email":"alice@example.com","userId":"u"})", kSecret);
	ASSERT_TRUE(no_exp);
	EXPECT_FALSE(core::email_token_verify(*no_exp, kSecret, 0));
	auto text_exp = core::email_token_sign(R"({"email":"a@b.co","exp":"9999999999"})", kSecret);
	EXPECT_FALSE(core::email_token_verify(*text_exp, kSecret, 0));
	EXPECT_FALSE(core::email_token_verify("a.b", kSecret, 0));
	EXPECT_FALSE(core::email_token_verify(kToken, "", 0));
	EXPECT_FALSE(core::email_token_sign("[1]", kSecret));
}
