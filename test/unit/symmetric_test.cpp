// Better Auth's symmetricEncrypt vectors (better-auth-formats.md section 4.2).
#include "symmetric.hpp"

#include <gtest/gtest.h>

namespace core = neon_auth::core;

namespace {
constexpr const char *kSecret = "better-auth-test-secret-0123456789abcdef";
constexpr const char *kPlain = R"({"crv":"Ed25519","d":"test","x":"test","kty":"OKP"})";
constexpr const char *kCipher =
    "0102030405060708090a0b0c0d0e0f10111213141516171850c820998edcec2a5ff242380c772c33c238db1beec37ef98f9e58c5a358dc63"
    "f8539e6ca4de280399c2d4c6643a97d29c1b575ccdd340bf6ff3770c142769daee1e03";

core::Bytes vector_nonce()
{
	return *core::hex_decode("0102030405060708090a0b0c0d0e0f101112131415161718");
}
} // namespace

TEST(SymmetricEncrypt, MatchesBetterAuthVector)
{
	EXPECT_EQ(core::symmetric_encrypt_with_nonce(kSecret, kPlain, vector_nonce()), kCipher);
	EXPECT_EQ(core::symmetric_decrypt(kSecret, kCipher).value_or("<none>"), kPlain);
}

TEST(SymmetricEncrypt, MatchesVersionedVector)
{
	const std::string rotated = "rotated-secret-v2-abcdefghijklmnopqrstuvwxyz";
	const std::string expected =
	    "$ba$2$0102030405060708090a0b0c0d0e0f101112131415161718142d944a36470b6d959b1898fcf0f65dd7a06b9b18";
	EXPECT_EQ(core::symmetric_encrypt_versioned(rotated, 2, "hello", vector_nonce()), expected);
	const std::vector<std::pair<int, std::string>> secrets{{2, rotated}, {1, kSecret}};
	EXPECT_EQ(core::symmetric_decrypt_versioned(secrets, kSecret, expected).value_or("<none>"), "hello");
	EXPECT_EQ(core::symmetric_decrypt_versioned(secrets, kSecret, kCipher).value_or("<none>"), kPlain)
	    << "a bare hex value is decrypted with the legacy secret";
	EXPECT_FALSE(core::symmetric_decrypt_versioned({{1, kSecret}}, kSecret, expected)) << "unknown version";
}

TEST(SymmetricEncrypt, DecryptsRealJwksRow)
{
	// A jwks.privateKey written by Better Auth (secret test-secret-0123456789-abcdefghijklmnop),
	// without its JSON quotes.
	const std::string row =
	    "f4dfefe6f0eb1af8dddc7f6e2acf7abfc8b714ca525620e20726f95c2e3f60a17484d13910a4941a9595bbd30db8eb19d263e16e5b05"
	    "ed0a4037e132d1d6d27535ddaf3a0c0d3edb61b04cca9343671fbcb677f971747a92758ede4d478366a07c873d0b6963c383c2368b41"
	    "c72dd5cea43bedba889b7039393fa0c1c0db68316a127b6d02af355614093b08e9f953973a652634b962a63163eebf5021666ddb11be"
	    "d3301d5a158d40";
	EXPECT_EQ(core::symmetric_decrypt("test-secret-0123456789-abcdefghijklmnop", row).value_or("<none>"),
	          R"({"crv":"Ed25519","d":"4Y7UtRRK-cC3MB9NTW-yJ5WwG1jKzkRLyvaAJn2VYgM","x":"Ryvjkr7hp_SejcDbZVz_tSPWIeHtQMSfNL_9XDHlpdM","kty":"OKP"})");
}

TEST(SymmetricEncrypt, RejectsTamperingAndWrongKeys)
{
	std::string tampered = kCipher;
	tampered[60] = tampered[60] == '0' ? '1' : '0';
	EXPECT_FALSE(core::symmetric_decrypt(kSecret, tampered));
	EXPECT_FALSE(core::symmetric_decrypt("wrong-secret", kCipher));
	EXPECT_FALSE(core::symmetric_decrypt(kSecret, "zz"));
	EXPECT_FALSE(core::symmetric_decrypt(kSecret, std::string(kCipher).substr(0, 40)));
}

TEST(SymmetricEncrypt, RandomNonceRoundTrips)
{
	const std::string a = core::symmetric_encrypt(kSecret, "payload");
	const std::string b = core::symmetric_encrypt(kSecret, "payload");
	EXPECT_NE(a, b);
	EXPECT_EQ(core::symmetric_decrypt(kSecret, a).value_or("<none>"), "payload");
}
