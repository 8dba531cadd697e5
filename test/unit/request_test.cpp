// Where a request's credential comes from (docs/rls.md, the order of sources).
#include "request.hpp"

#include <gtest/gtest.h>

namespace core = neon_auth::core;

namespace {
std::string credential(std::string_view explicit_credential, std::string_view headers, std::string_view cookies)
{
	return core::request_credential(explicit_credential, headers, cookies).value_or("<none>");
}
} // namespace

TEST(RequestCredential, SourcesInOrder)
{
	const char *headers = R"({"authorization": "Bearer from-header", "accept": "*/*"})";
	const char *cookies = R"({"better-auth.session_token": "from-cookie", "__Secure-better-auth.session_token": "secure"})";
	EXPECT_EQ(credential("explicit", headers, cookies), "explicit");
	EXPECT_EQ(credential("", headers, cookies), "from-header");
	EXPECT_EQ(credential("", "", cookies), "secure"); // only https can set __Secure-
	EXPECT_EQ(credential("", "", R"({"better-auth.session_token": "from-cookie"})"), "from-cookie");
	EXPECT_EQ(credential("", "", ""), "<none>");
}

TEST(RequestCredential, BearerScheme)
{
	EXPECT_EQ(credential("", R"({"authorization": "bearer abc"})", ""), "abc");
	EXPECT_EQ(credential("", R"({"authorization": "BEARER   abc  "})", ""), "abc");
	// A bearer value with inner spaces is present (and will not verify): it
	// must not fall through to the cookie.
	EXPECT_EQ(credential("", R"({"authorization": "Bearer a b"})", R"({"better-auth.session_token": "c"})"), "a b");
	// Other schemes, an empty bearer value and a non-string header are not
	// bearer credentials; the cookie is used.
	const char *cookie = R"({"better-auth.session_token": "c"})";
	EXPECT_EQ(credential("", R"({"authorization": "Basic YTpi"})", cookie), "c");
	EXPECT_EQ(credential("", R"({"authorization": "Bearer    "})", cookie), "c");
	EXPECT_EQ(credential("", R"({"authorization": "Bearer"})", cookie), "c");
	EXPECT_EQ(credential("", R"({"authorization": 5})", cookie), "c");
	EXPECT_EQ(credential("", R"({"authorization": "Bearerabc"})", cookie), "c");
}

TEST(RequestCredential, MalformedSettingsCarryNothing)
{
	EXPECT_EQ(credential("", "{not json", "[1,2]"), "<none>");
	EXPECT_EQ(credential("", R"({"authorization": "Bearer x", "authorization": "Bearer y"})", ""), "<none>");
	EXPECT_EQ(credential("", R"({"authorization": "Bearer \u0000x"})", ""), "<none>");
}

TEST(RequestCredential, SourceFollowsTheSameOrder)
{
	using core::CredentialSource;
	const std::string cookie = R"({"better-auth.session_token":"c"})";
	const std::string bearer = R"({"authorization":"Bearer b"})";
	EXPECT_EQ(core::request_credential_source("", "", ""), CredentialSource::none);
	EXPECT_EQ(core::request_credential_source("", "", cookie), CredentialSource::cookie);
	EXPECT_EQ(core::request_credential_source("", R"({"__Secure-better-auth.session_token":"s"})", "{}"),
	          CredentialSource::none);
	EXPECT_EQ(core::request_credential_source("", "", R"({"__Secure-better-auth.session_token":"s"})"),
	          CredentialSource::cookie);
	EXPECT_EQ(core::request_credential_source("", bearer, cookie), CredentialSource::bearer);
	EXPECT_EQ(core::request_credential_source("a", bearer, cookie), CredentialSource::authenticate);
	// A scheme other than Bearer is no credential: the cookie counts.
	EXPECT_EQ(core::request_credential_source("", R"({"authorization":"Basic x"})", cookie), CredentialSource::cookie);
}

TEST(RequestCredential, CookiePrefix)
{
	// Better Auth's advanced.cookiePrefix (config.cookie_prefix): only that
	// prefix's cookies count, __Secure- first.
	const char *cookies = R"({"better-auth.session_token": "default", "myapp.session_token": "plain", "__Secure-myapp.session_token": "secure"})";
	EXPECT_EQ(core::request_credential("", "", cookies, "myapp").value_or("<none>"), "secure");
	EXPECT_EQ(core::request_credential("", "", R"({"myapp.session_token": "plain"})", "myapp").value_or("<none>"), "plain");
	EXPECT_EQ(core::request_credential("", "", R"({"better-auth.session_token": "default"})", "myapp").value_or("<none>"), "<none>");
	EXPECT_EQ(core::request_credential("", "", cookies).value_or("<none>"), "default");
	EXPECT_EQ(core::request_credential_source("", "", R"({"myapp.session_token": "p"})", "myapp"),
	          core::CredentialSource::cookie);
	EXPECT_EQ(core::request_credential_source("", "", R"({"myapp.session_token": "p"})"), core::CredentialSource::none);
}
