// Better Auth's password vectors (better-auth-formats.md section 2) and the
// RFC 7914 section 12 scrypt vectors.
#include "password.hpp"

#include <gtest/gtest.h>

namespace core = neon_auth::core;

namespace {

std::string scrypt_hex(std::string_view pw, std::string_view salt, core::ScryptParams p)
{
	return core::hex_encode(core::scrypt(pw, salt, p));
}

} // namespace

TEST(Scrypt, Rfc7914Vector1)
{
	EXPECT_EQ(scrypt_hex("", "", {16, 1, 1, 64}),
	          "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
	          "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906");
}

TEST(Scrypt, Rfc7914Vector2)
{
	EXPECT_EQ(scrypt_hex("password", "NaCl", {1024, 8, 16, 64}),
	          "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
	          "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
}

TEST(Scrypt, Rfc7914Vector3)
{
	EXPECT_EQ(scrypt_hex("pleaseletmein", "SodiumChloride", {16384, 8, 1, 64}),
	          "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2"
	          "d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887");
}

TEST(Scrypt, Rfc7914Vector4)
{
	// N = 2^20: about 1 GiB of memory, a few seconds.
	EXPECT_EQ(scrypt_hex("pleaseletmein", "SodiumChloride", {1048576, 8, 1, 64}),
	          "2101cb9b6a511aaeaddbbe09cf70f881ec568d574a2ffd4dabe5ee9820adaa47"
	          "8e56fd8f4ba5d09ffa1c6d927c40f4c337304049e8a952fbcbf45c6fa77a41a4");
}

struct BetterAuthVector {
	const char *nfkc_utf8;
	const char *salt;
	const char *stored;
};

// Vector 3's password is "Cafe\u0301 \uFF30\uFF41\uFF53\uFF53 \u2460" before NFKC;
// normalisation is PostgreSQL's job (tested in sql/password.sql), so the core
// gets the normalised bytes.
const BetterAuthVector kVectors[] = {
    {"password", "000102030405060708090a0b0c0d0e0f",
     "000102030405060708090a0b0c0d0e0f:3e0919938b5e2b36382eb5a81c23ab15482d02c6a9e295451ff69530660a61b2ca15c113ee"
     "385e40a1a76b9345e7d3d519fe53b60d2786758802d888ceb009d1"},
    {"correct horse battery staple", "ffeeddccbbaa99887766554433221100",
     "ffeeddccbbaa99887766554433221100:ab94ebd7e5485d94fb556b9d10d8c9e1fc3a18a964ad6eb596425ad83975ebd79b0743de8d"
     "9e53e4590f01b95de8016c29939866dc131816942ee978aaef4fbe"},
    {"Caf\xc3\xa9 Pass 1", "0123456789abcdeffedcba9876543210",
     "0123456789abcdeffedcba9876543210:3b79294425d273b977b9e5138424f45750e5041e0e7d4fd336640f5188784d92d692ab527c"
     "798b090e8dd630572b14aff14d15a7ba493cb74bb5d8215154bb40"},
};

TEST(BetterAuthPassword, HashMatchesVectors)
{
	for (const auto &v : kVectors)
		EXPECT_EQ(core::hash_password_with_salt(v.nfkc_utf8, v.salt), v.stored) << v.nfkc_utf8;
}

TEST(BetterAuthPassword, VerifyAcceptsVectors)
{
	for (const auto &v : kVectors)
		EXPECT_TRUE(core::verify_password(v.nfkc_utf8, v.stored)) << v.nfkc_utf8;
}

TEST(BetterAuthPassword, VerifyRejectsWrongPasswordAndMalformedHashes)
{
	const std::string good = kVectors[0].stored;
	EXPECT_FALSE(core::verify_password("Password", good));
	EXPECT_FALSE(core::verify_password("password ", good));
	EXPECT_FALSE(core::verify_password("password", "no-colon-here"));
	EXPECT_FALSE(core::verify_password("password", ":" + good.substr(33)));
	EXPECT_FALSE(core::verify_password("password", good.substr(0, 33)));
	EXPECT_FALSE(core::verify_password("password", good.substr(0, good.size() - 2)));
	std::string upper = good;
	for (auto &c : upper)
		c = static_cast<char>(toupper(static_cast<unsigned char>(c)));
	EXPECT_FALSE(core::verify_password("password", upper)) << "Better Auth compares lowercase hex exactly";
}

TEST(BetterAuthPassword, FreshHashHasBetterAuthShape)
{
	const std::string a = core::hash_password("hunter22hunter22");
	const std::string b = core::hash_password("hunter22hunter22");
	ASSERT_EQ(a.size(), 161u);
	EXPECT_EQ(a[32], ':');
	EXPECT_EQ(a.find_first_not_of("0123456789abcdef:"), std::string::npos);
	EXPECT_NE(a, b) << "salts must differ";
	EXPECT_TRUE(core::verify_password("hunter22hunter22", a));
}
