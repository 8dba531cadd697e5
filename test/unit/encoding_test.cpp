#include "encoding.hpp"
#include "random.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <map>

namespace core = neon_auth::core;

TEST(Encoding, HexRoundTripIsStrict)
{
	const core::Bytes b{0x00, 0xab, 0xff};
	EXPECT_EQ(core::hex_encode(b), "00abff");
	EXPECT_EQ(*core::hex_decode("00abff"), b);
	EXPECT_EQ(*core::hex_decode("00ABFF"), b);
	EXPECT_FALSE(core::hex_decode("abc"));
	EXPECT_FALSE(core::hex_decode("zz"));
	EXPECT_FALSE(core::hex_decode("00 1"));
}

TEST(Encoding, Base64Rfc4648Vectors)
{
	const std::string in = "foobar";
	const auto *p = reinterpret_cast<const std::uint8_t *>(in.data());
	const char *padded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
	const char *url[] = {"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};
	for (std::size_t n = 0; n <= in.size(); n++) {
		EXPECT_EQ(core::base64_encode(p, n), padded[n]);
		EXPECT_EQ(core::base64url_encode(p, n), url[n]);
	}
	const std::uint8_t hi[] = {0xfb, 0xff};
	EXPECT_EQ(core::base64_encode(hi, 2), "+/8=");
	EXPECT_EQ(core::base64url_encode(hi, 2), "-_8");
}

TEST(Base64Url, StrictDecoding)
{
	EXPECT_EQ(core::base64url_decode("Zm9vYmFy").value_or(core::Bytes{}).size(), 6u);
	EXPECT_FALSE(core::base64url_decode("Zm9vYg=="));
	EXPECT_FALSE(core::base64url_decode("Zm9vYh")) << "non-zero trailing bits";
	EXPECT_FALSE(core::base64url_decode("Zm9v Yg"));
	EXPECT_FALSE(core::base64url_decode("Zm9vY"));
	EXPECT_TRUE(core::base64url_decode(""));
	EXPECT_FALSE(core::base64url_decode(std::string("\xf4\x90\x80\x80"))) << "bytes outside the alphabet";
}

// The table-driven decoder for token parts accepts and refuses exactly the same.
TEST(Base64Url, PublicDecoderAgrees)
{
	for (const std::string &in : std::vector<std::string>{"Zm9vYmFy", "Zm9vYg==", "Zm9vYh", "Zm9v Yg", "Zm9vY", "", "Zm9vYg", "Zm9vYmE", "-_-_",
	                       std::string("\xf4\x90\x80\x80"), std::string("Zm9v\0Yg", 7)}) {
		auto a = core::base64url_decode(in), b = core::base64url_decode_public(in);
		EXPECT_EQ(a.has_value(), b.has_value()) << in;
		if (a && b) {
			EXPECT_EQ(*a, *b) << in;
		}
	}
}

TEST(Encoding, PercentDecode)
{
	EXPECT_EQ(core::percent_decode("a%2Bb%2fc%3D").value_or("<none>"), "a+b/c=");
	EXPECT_EQ(core::percent_decode("plain").value_or("<none>"), "plain");
	EXPECT_FALSE(core::percent_decode("%"));
	EXPECT_FALSE(core::percent_decode("%4"));
	EXPECT_FALSE(core::percent_decode("%g0"));
}

TEST(Encoding, Utf16LengthCountsLikeJavaScript)
{
	EXPECT_EQ(core::utf16_length("password"), 8u);
	EXPECT_EQ(core::utf16_length("caf\xc3\xa9"), 4u);          // U+00E9
	EXPECT_EQ(core::utf16_length("\xe2\x91\xa0"), 1u);         // U+2460
	EXPECT_EQ(core::utf16_length("\xf0\x9f\x98\x80"), 2u);     // U+1F600, a surrogate pair in JS
	EXPECT_FALSE(core::utf16_length("\xc3"));                  // truncated
	EXPECT_FALSE(core::utf16_length("\xff"));                  // not UTF-8
	// Found by the fuzzer (test/fuzz/crashes/utf16_length_*): strict UTF-8.
	EXPECT_FALSE(core::utf16_length(std::string("\xc0\x80", 2)));   // overlong NUL
	EXPECT_FALSE(core::utf16_length("\xe0\x80\xaf"));               // overlong '/'
	EXPECT_FALSE(core::utf16_length("\xed\xa0\x80"));               // surrogate U+D800
	EXPECT_FALSE(core::utf16_length("\xf4\x90\x80\x80"));           // U+110000
	EXPECT_FALSE(core::utf16_length("\xf5\x80\x80\x80"));           // lead byte beyond U+10FFFF
	EXPECT_EQ(core::utf16_length("\xf4\x8f\xbf\xbf"), 2u);          // U+10FFFF, the last
	EXPECT_EQ(core::utf16_length("\xed\x9f\xbf"), 1u);              // U+D7FF, just below the surrogates
	EXPECT_EQ(core::utf16_length("\xc2\x80"), 1u);                  // U+0080, the first two-byte
}

TEST(RandomIds, AlphabetLengthAndSpread)
{
	std::map<char, int> seen;
	for (int i = 0; i < 200; i++) {
		const std::string id = core::generate_id(32);
		ASSERT_EQ(id.size(), 32u);
		ASSERT_EQ(id.find_first_not_of(core::kAlphanumeric), std::string::npos);
		for (char c : id)
			seen[c]++;
	}
	// 6400 draws over 62 symbols: every symbol turns up (expected ~103 each).
	EXPECT_EQ(seen.size(), 62u);
	for (const auto &[c, n] : seen)
		EXPECT_GT(n, 40) << c;
	EXPECT_NE(core::generate_id(32), core::generate_id(32));
	EXPECT_THROW(core::random_string(4, ""), std::invalid_argument);
}

#include "json.hpp"

TEST(JsonMember, ReadsStringMembersAndNeverThrows)
{
	EXPECT_EQ(core::json_string_member(R"({"authorization":"Bearer x","n":1})", "authorization").value_or("<none>"), "Bearer x");
	EXPECT_FALSE(core::json_string_member(R"({"n":1})", "n")) << "not a string";
	EXPECT_FALSE(core::json_string_member(R"({"a":"1"})", "b"));
	EXPECT_FALSE(core::json_string_member(R"({"a":"1","a":"2"})", "a")) << "duplicate member";
	// Past 16 members the duplicate check switches to a set: the same answers.
	std::string wide = R"({"a":"1")";
	for (int i = 0; i < 40; i++)
		wide += ",\"k" + std::to_string(i) + "\":" + std::to_string(i);
	EXPECT_EQ(core::json_string_member(wide + "}", "a").value_or("<none>"), "1");
	EXPECT_FALSE(core::json_string_member(wide + R"(,"k3":0})", "a")) << "duplicate of an early member, late";
	EXPECT_FALSE(core::json_string_member(wide + R"(,"k39":0})", "a")) << "duplicate of a late member";
	EXPECT_FALSE(core::json_string_member(R"(["a"])", "a"));
	EXPECT_FALSE(core::json_string_member("{not json", "a"));
	EXPECT_FALSE(core::json_string_member("", "a"));
	EXPECT_FALSE(core::json_string_member(R"({"a":"x","d":)" + std::string(100000, '[') + "}", "a")) << "deep nesting";
	EXPECT_EQ(core::json_string_member(R"({"a":"caf\u00e9"})", "a").value_or("<none>"), "caf\xc3\xa9");
	EXPECT_FALSE(core::json_string_member(R"({"a":"x\u0000y"})", "a")) << "NUL cannot be SQL text";
}

// Found by the fuzzer (test/fuzz/crashes/hex_decode_empty): an empty input
// decodes to nothing, without passing libsodium a null pointer.
TEST(Hex, EmptyDecodesToNothing)
{
	auto out = core::hex_decode("");
	ASSERT_TRUE(out);
	EXPECT_TRUE(out->empty());
}
