// RFC 8032 and RFC 8037 vectors, Better Auth's JWT vector, and a catalogue of
// hostile tokens that the verifier must reject.
#include "jwt.hpp"
#include "jwt_checks.hpp"

#include <gtest/gtest.h>

namespace core = neon_auth::core;

namespace {

// RFC 8032 section 7.1, test 1, as a JWK.
constexpr const char *kRfc8032Jwk =
    R"({"crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kty":"OKP"})";

// Better Auth's jwks row (better-auth-formats.md section 4.2/4.3).
constexpr const char *kBaPrivate =
    R"({"crv":"Ed25519","d":"4Y7UtRRK-cC3MB9NTW-yJ5WwG1jKzkRLyvaAJn2VYgM","x":"Ryvjkr7hp_SejcDbZVz_tSPWIeHtQMSfNL_9XDHlpdM","kty":"OKP"})";
constexpr const char *kBaPublic = R"({"crv":"Ed25519","x":"Ryvjkr7hp_SejcDbZVz_tSPWIeHtQMSfNL_9XDHlpdM","kty":"OKP"})";
constexpr const char *kBaKid = "LUrgyaHDwTKNNF7LXmmNaC0zraRUFJ0t";
constexpr const char *kBaPayload =
    R"({"iat":1700000000,"name":"Alice","email":"alice@example.com","emailVerified":false,"image":null,"createdAt":"2023-11-14T22:13:20.000Z","updatedAt":"2023-11-14T22:13:20.000Z","id":"user_123","sub":"user_123","exp":1700000900,"iss":"http://localhost:3000","aud":"http://localhost:3000"})";
constexpr const char *kBaJwt =
    "eyJhbGciOiJFZERTQSIsImtpZCI6IkxVcmd5YUhEd1RLTk5GN0xYbW1OYUMwenJhUlVGSjB0In0."
    "eyJpYXQiOjE3MDAwMDAwMDAsIm5hbWUiOiJBbGljZSIsImVtYWlsIjoiYWxpY2VAZXhhbXBsZS5jb20iLCJlbWFpbFZlcmlmaWVkIjpmYWxzZSwiaW1hZ2UiOm51bGwsImNyZWF0ZWRBdCI6IjIwMjMtMTEtMTRUMjI6MTM6MjAuMDAwWiIsInVwZGF0ZWRBdCI6IjIwMjMtMTEtMTRUMjI6MTM6MjAuMDAwWiIsImlkIjoidXNlcl8xMjMiLCJzdWIiOiJ1c2VyXzEyMyIsImV4cCI6MTcwMDAwMDkwMCwiaXNzIjoiaHR0cDovL2xvY2FsaG9zdDozMDAwIiwiYXVkIjoiaHR0cDovL2xvY2FsaG9zdDozMDAwIn0."
    "ojc70YaeZAFYCkFkTNSA0Y71-KCwtHs8cj8B-xj5Qfc6FDXHo8opGdY9ipep_R55SFjVYv6ScfWDagzl64z0Aw";

const std::vector<core::JwtKey> kBaKeys{{kBaKid, "EdDSA", kBaPublic}};

std::string b64(std::string_view s)
{
	return core::base64url_encode(reinterpret_cast<const std::uint8_t *>(s.data()), s.size());
}

// A token with the given header and payload JSON, signed by Better Auth's key.
std::string forge(std::string_view header, std::string_view payload, const char *jwk = kBaPrivate)
{
	return core::jws_sign_raw(header, payload, jwk).value();
}

const char *verify(const std::string &token, std::int64_t now = 1700000100)
{
	return core::jwt_verify(token, kBaKeys, checks_at(now)).error;
}

} // namespace

TEST(Ed25519, Rfc8032Test1)
{
	EXPECT_EQ(core::ed25519_public_jwk(kRfc8032Jwk).value_or(""),
	          R"({"crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kty":"OKP"})");
	EXPECT_EQ(core::hex_encode(core::ed25519_sign(kRfc8032Jwk, "").value()),
	          "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595b"
	          "be24655141438e7a100b");
}

TEST(Ed25519, Rfc8037A4JwsExample)
{
	EXPECT_EQ(core::jws_sign_raw(R"({"alg":"EdDSA"})", "Example of Ed25519 signing", kRfc8032Jwk).value_or(""),
	          "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbh"
	          "ijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg");
}

TEST(Ed25519, GeneratedKeysHaveJoseShape)
{
	const std::string jwk = core::ed25519_generate_private_jwk();
	EXPECT_EQ(jwk.rfind(R"({"crv":"Ed25519","d":")", 0), 0u);
	EXPECT_NE(jwk.find(R"(,"kty":"OKP"})"), std::string::npos);
	EXPECT_TRUE(core::ed25519_public_jwk(jwk).has_value());
	EXPECT_NE(jwk, core::ed25519_generate_private_jwk());
	EXPECT_FALSE(core::ed25519_public_jwk(R"({"crv":"Ed25519","d":"4Y7UtRRK-cC3MB9NTW-yJ5WwG1jKzkRLyvaAJn2VYgM","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kty":"OKP"})"))
	    << "d and x of different keys";
	EXPECT_FALSE(core::ed25519_public_jwk(R"({"crv":"P-256","x":"a","kty":"EC"})"));
	EXPECT_FALSE(core::ed25519_public_jwk(R"({"crv":5,"kty":[]})"));
}

TEST(BetterAuthJwt, SignsTheSpecVectorByteForByte)
{
	EXPECT_EQ(core::jwt_sign(kBaKid, kBaPayload, kBaPrivate).value_or(""), kBaJwt);
}

TEST(BetterAuthJwt, VerifiesTheSpecVector)
{
	auto v = core::jwt_verify(kBaJwt, kBaKeys, checks_at(1700000100));
	ASSERT_EQ(v.error, nullptr);
	EXPECT_EQ(v.kid, kBaKid);
	EXPECT_NE(v.claims_json.find(R"("sub":"user_123")"), std::string::npos);
}

TEST(BetterAuthJwt, TimeAndAudienceChecks)
{
	EXPECT_STREQ(verify(kBaJwt, 1700000900 + 30), core::kJwtExpired) << "exp reached, leeway spent";
	EXPECT_EQ(verify(kBaJwt, 1700000900 + 29), nullptr) << "within leeway";
	EXPECT_STREQ(verify(kBaJwt, 1700000000 - 31), core::kJwtNotYetValid) << "iat in the future";
	auto c = checks_at(1700000100);
	c.issuer = "https://other.example";
	EXPECT_STREQ(core::jwt_verify(kBaJwt, kBaKeys, c).error, core::kJwtWrongIssuer);
	c = checks_at(1700000100);
	c.audience = "https://other.example";
	EXPECT_STREQ(core::jwt_verify(kBaJwt, kBaKeys, c).error, core::kJwtWrongAudience);
}

TEST(HostileTokens, AreAllRejected)
{
	const std::string h = R"({"alg":"EdDSA","kid":"LUrgyaHDwTKNNF7LXmmNaC0zraRUFJ0t"})";
	const std::string p = R"({"sub":"user_123","exp":1700000900,"iss":"http://localhost:3000","aud":"http://localhost:3000"})";
	const std::string good = forge(h, p);
	ASSERT_EQ(verify(good), nullptr);
	const auto parts_sig = good.substr(good.rfind('.') + 1);

	// alg none, with and without a signature
	EXPECT_STREQ(verify(b64(R"({"alg":"none","kid":"LUrgyaHDwTKNNF7LXmmNaC0zraRUFJ0t"})") + "." + b64(p) + "."),
	             core::kJwtUnsupportedAlg);
	EXPECT_STREQ(verify(b64(R"({"alg":"none","kid":"LUrgyaHDwTKNNF7LXmmNaC0zraRUFJ0t"})") + "." + b64(p) + "." + parts_sig),
	             core::kJwtUnsupportedAlg);
	// alg confusion: HS256 "signed" with the public key as the HMAC secret
	EXPECT_STREQ(verify(forge(R"({"alg":"HS256","kid":"LUrgyaHDwTKNNF7LXmmNaC0zraRUFJ0t"})", p)), core::kJwtUnsupportedAlg);
	// a key stored for another algorithm is not used for EdDSA
	EXPECT_STREQ(core::jwt_verify(good, {{kBaKid, "ES256", kBaPublic}}, checks_at(1700000100)).error, core::kJwtUnknownKey);
	// swapped kid: signed by another key, claiming Better Auth's kid
	EXPECT_STREQ(verify(forge(h, p, kRfc8032Jwk)), core::kJwtBadSignature);
	// unknown and missing kid
	EXPECT_STREQ(verify(forge(R"({"alg":"EdDSA","kid":"nope"})", p)), core::kJwtUnknownKey);
	EXPECT_STREQ(verify(forge(R"({"alg":"EdDSA"})", p)), core::kJwtUnknownKey);
	EXPECT_STREQ(verify(forge(R"({"alg":"EdDSA","kid":7})", p)), core::kJwtUnknownKey);
	// critical extensions we do not understand
	EXPECT_STREQ(verify(forge(R"({"alg":"EdDSA","kid":"LUrgyaHDwTKNNF7LXmmNaC0zraRUFJ0t","crit":["b64"],"b64":false})", p)),
	             core::kJwtUnsupportedAlg);
	// truncated, extra segment, empty
	EXPECT_STREQ(verify(good.substr(0, good.rfind('.'))), core::kJwtMalformed);
	EXPECT_STREQ(verify(good + ".x"), core::kJwtMalformed);
	EXPECT_STREQ(verify(good.substr(0, good.size() - 1)), core::kJwtMalformed) << "signature one char short";
	EXPECT_STREQ(verify(""), core::kJwtMalformed);
	// padded and non-canonical base64url
	EXPECT_STREQ(verify(good + "=="), core::kJwtMalformed);
	std::string noncanon = good;
	char &last = noncanon.back(); // the last char of a 64-byte signature carries 4 padding bits
	last = last == 'A' ? 'B' : static_cast<char>(last + 1);
	EXPECT_NE(verify(noncanon), nullptr);
	std::string plus = good;
	plus[plus.rfind('.') + 3] = '+';
	EXPECT_STREQ(verify(plus), core::kJwtMalformed) << "standard-alphabet character";
	// huge
	EXPECT_STREQ(verify(forge(h, R"({"exp":1700000900,"pad":")" + std::string(9000, 'x') + "\"}")), core::kJwtTooLarge);
	// duplicate claims, nested duplicates, duplicate header members
	EXPECT_STREQ(verify(forge(h, R"({"sub":"user_123","sub":"admin","exp":1700000900,"iss":"http://localhost:3000","aud":"http://localhost:3000"})")),
	             core::kJwtMalformed);
	EXPECT_STREQ(verify(forge(h, R"({"o":{"role":"member","role":"owner"},"exp":1700000900,"iss":"http://localhost:3000","aud":"http://localhost:3000"})")),
	             core::kJwtMalformed);
	EXPECT_STREQ(verify(forge(R"({"alg":"EdDSA","kid":"x","kid":"LUrgyaHDwTKNNF7LXmmNaC0zraRUFJ0t"})", p)), core::kJwtMalformed);
	// wrong claim types, missing exp
	EXPECT_STREQ(verify(forge(h, R"({"exp":"1700000900","iss":"http://localhost:3000","aud":"http://localhost:3000"})")),
	             core::kJwtBadClaims);
	EXPECT_STREQ(verify(forge(h, R"({"exp":1700000900,"nbf":"0","iss":"http://localhost:3000","aud":"http://localhost:3000"})")),
	             core::kJwtBadClaims);
	EXPECT_STREQ(verify(forge(h, R"({"exp":1700000900,"sub":42,"iss":"http://localhost:3000","aud":"http://localhost:3000"})")),
	             core::kJwtBadClaims);
	EXPECT_STREQ(verify(forge(h, R"({"sub":"user_123","iss":"http://localhost:3000","aud":"http://localhost:3000"})")),
	             core::kJwtBadClaims);
	EXPECT_STREQ(verify(forge(h, R"({"exp":1700000900,"iss":"http://localhost:3000","aud":7})")), core::kJwtBadClaims);
	// NUL in any string or name, at any depth (PostgreSQL text cannot hold it);
	// an escaped backslash before "u0000" is no NUL.
	const std::string tail = R"(,"exp":1700000900,"iss":"http://localhost:3000","aud":"http://localhost:3000"})";
	EXPECT_STREQ(verify(forge(h, R"({"sub":"user\u0000_123")" + tail)), core::kJwtBadClaims);
	EXPECT_STREQ(verify(forge(h, R"({"o":{"n\u0000":"x"})" + tail)), core::kJwtBadClaims);
	EXPECT_STREQ(verify(forge(h, R"({"roles":["a","\u0000"])" + tail)), core::kJwtBadClaims);
	EXPECT_EQ(verify(forge(h, R"({"sub":"user\\u0000")" + tail)), nullptr);
	// header or payload that is not a JSON object
	EXPECT_STREQ(verify(forge(R"(["EdDSA"])", p)), core::kJwtMalformed);
	EXPECT_STREQ(verify(forge(h, R"(["sub"])")), core::kJwtMalformed);
	EXPECT_STREQ(verify(forge(h, "not json")), core::kJwtMalformed);
	// deeply nested payload
	EXPECT_STREQ(verify(forge(h, R"({"exp":1700000900,"x":)" + std::string(64, '[') + std::string(64, ']') + "}")),
	             core::kJwtMalformed);
}

namespace {

// HS256 with PostgREST's jwt-secret (the InsForge / self-hosted Supabase
// bridge). The vector is jose's SignJWT with {alg: HS256, typ: JWT}.
constexpr const char *kHsSecret = "postgrest-jwt-secret-0123456789abcdefghij";
constexpr const char *kHsPayload =
    R"({"sub":"3f2a9c1e-0000-4000-8000-000000000001","role":"authenticated","exp":2000000000,"iss":"https://app.example.com","aud":"insforge"})";
constexpr const char *kHsJwt =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiIzZjJhOWMxZS0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDEiLCJyb2xlIjoiYXV0aGVudGljYXRlZCIsImV4cCI6MjAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9hcHAuZXhhbXBsZS5jb20iLCJhdWQiOiJpbnNmb3JnZSJ9."
    "cAY8X2RZSXtFVuFkJqARoRmAWba7eZfpQqy_9YCxIbw";

core::JwtChecks hs_checks()
{
	core::JwtChecks c;
	c.now = 1900000000;
	c.leeway = 30;
	c.issuer = "https://app.example.com";
	c.audience = "https://app.example.com";
	return c;
}

} // namespace

TEST(Hs256, SignsLikeJose)
{
	EXPECT_EQ(core::jwt_sign_hs256(kHsPayload, kHsSecret).value(), kHsJwt);
	EXPECT_FALSE(core::jwt_sign_hs256(kHsPayload, "").has_value());
	EXPECT_FALSE(core::jwt_sign_hs256("[1]", kHsSecret).has_value());
}

TEST(Hs256, VerifiesOnlyWithTheConfiguredSecret)
{
	const core::Hs256Key key{kHsSecret, "insforge"};
	auto v = core::jwt_verify(kHsJwt, kBaKeys, hs_checks(), key);
	ASSERT_EQ(v.error, nullptr);
	EXPECT_EQ(v.sub, "3f2a9c1e-0000-4000-8000-000000000001");
	// No secret configured: refused as before, whatever the JWKS holds.
	EXPECT_STREQ(core::jwt_verify(kHsJwt, kBaKeys, hs_checks()).error, core::kJwtUnsupportedAlg);
	// Another secret; the audience configured for HS256 tokens; expiry.
	EXPECT_STREQ(core::jwt_verify(kHsJwt, kBaKeys, hs_checks(), {"another-secret-0123456789abcdefghijklmn", "insforge"}).error,
	             core::kJwtBadSignature);
	EXPECT_STREQ(core::jwt_verify(kHsJwt, kBaKeys, hs_checks(), {kHsSecret, "other"}).error, core::kJwtWrongAudience);
	EXPECT_STREQ(core::jwt_verify(kHsJwt, kBaKeys, hs_checks(), {kHsSecret, ""}).error, core::kJwtWrongAudience)
	    << "without a configured audience, base_url's origin is required";
	auto late = hs_checks();
	late.now = 2000000100;
	EXPECT_STREQ(core::jwt_verify(kHsJwt, kBaKeys, late, key).error, core::kJwtExpired);
}

TEST(Hs256, PublicKeysNeverBecomeHmacSecrets)
{
	// alg confusion: HS256 tokens MACed with Better Auth's public JWK, its raw
	// x, or its kid, are refused with or without a configured secret.
	const std::string p = R"({"sub":"user_123","exp":1700000900,"iss":"http://localhost:3000","aud":"http://localhost:3000"})";
	const core::Hs256Key key{kHsSecret, ""};
	auto checks = hs_checks();
	checks.now = 1700000100;
	checks.issuer = checks.audience = "http://localhost:3000";
	for (std::string_view wrong : {std::string_view(kBaPublic), std::string_view("Ryvjkr7hp_SejcDbZVz_tSPWIeHtQMSfNL_9XDHlpdM"),
	                               std::string_view(kBaKid)}) {
		const std::string token = core::jwt_sign_hs256(p, wrong).value();
		EXPECT_STREQ(core::jwt_verify(token, kBaKeys, checks).error, core::kJwtUnsupportedAlg);
		EXPECT_STREQ(core::jwt_verify(token, kBaKeys, checks, key).error, core::kJwtBadSignature);
	}
	// A kid naming a JWKS key changes nothing for HS256.
	const std::string kidded = b64(R"({"alg":"HS256","kid":"LUrgyaHDwTKNNF7LXmmNaC0zraRUFJ0t"})") + "." + b64(p);
	EXPECT_STREQ(core::jwt_verify(kidded + "." + b64("x"), kBaKeys, checks, key).error, core::kJwtBadSignature);
	// Other HMACs stay unsupported.
	EXPECT_STREQ(core::jwt_verify(b64(R"({"alg":"HS512"})") + "." + b64(p) + "." + b64("x"), kBaKeys, checks, key).error,
	             core::kJwtUnsupportedAlg);
	// The right secret verifies.
	EXPECT_EQ(core::jwt_verify(core::jwt_sign_hs256(p, kHsSecret).value(), kBaKeys, checks, key).error, nullptr);
}
