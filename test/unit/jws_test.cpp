// The compact-JWS splitter both token verifiers share.
#include "jws.hpp"

#include <gtest/gtest.h>

#include <string>

namespace core = neon_auth::core;

TEST(JwsSplit, ThreeSegments)
{
	const std::string token = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2ln";
	auto parts = core::jws_split(token);
	ASSERT_TRUE(parts);
	EXPECT_EQ(parts->header, "eyJhbGciOiJIUzI1NiJ9");
	EXPECT_EQ(parts->payload, "eyJleHAiOjF9");
	EXPECT_EQ(parts->signature, "c2ln");
	EXPECT_EQ(parts->signing_input, "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9");
	// Views into the token, not copies.
	EXPECT_EQ(parts->header.data(), token.data());
	EXPECT_EQ(parts->signing_input.data(), token.data());
	EXPECT_EQ(parts->signature.data() + parts->signature.size(), token.data() + token.size());
}

TEST(JwsSplit, ExactlyTwoDots)
{
	EXPECT_FALSE(core::jws_split(""));
	EXPECT_FALSE(core::jws_split("abc"));
	EXPECT_FALSE(core::jws_split("a.b"));
	EXPECT_FALSE(core::jws_split("a.b.c.d"));
	EXPECT_FALSE(core::jws_split("a.b.c."));
	EXPECT_FALSE(core::jws_split(".a.b.c"));
	EXPECT_FALSE(core::jws_split("a..b.c"));
	EXPECT_FALSE(core::jws_split("...."));
}

// Empty segments are the callers' to reject (with their own error codes).
TEST(JwsSplit, EmptySegmentsAreKept)
{
	auto all_empty = core::jws_split("..");
	ASSERT_TRUE(all_empty);
	EXPECT_TRUE(all_empty->header.empty());
	EXPECT_TRUE(all_empty->payload.empty());
	EXPECT_TRUE(all_empty->signature.empty());
	EXPECT_EQ(all_empty->signing_input, ".");

	auto unsigned_token = core::jws_split("a.b.");
	ASSERT_TRUE(unsigned_token);
	EXPECT_EQ(unsigned_token->header, "a");
	EXPECT_EQ(unsigned_token->payload, "b");
	EXPECT_TRUE(unsigned_token->signature.empty());
	EXPECT_EQ(unsigned_token->signing_input, "a.b");

	auto no_payload = core::jws_split("a..c");
	ASSERT_TRUE(no_payload);
	EXPECT_TRUE(no_payload->payload.empty());
	EXPECT_EQ(no_payload->signature, "c");
}

TEST(JwsSplit, SegmentsAreNotDecoded)
{
	// Splitting looks only at dots; anything between them is passed through.
	auto parts = core::jws_split("not base64!.{\"raw\":1}.\xff");
	ASSERT_TRUE(parts);
	EXPECT_EQ(parts->header, "not base64!");
	EXPECT_EQ(parts->payload, "{\"raw\":1}");
	EXPECT_EQ(parts->signature, "\xff");
}
