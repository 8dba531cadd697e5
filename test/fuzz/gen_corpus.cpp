// Writes the seed corpora under test/fuzz/corpus/<target>/ (run from the
// repository root: build/fuzz/gen_corpus test/fuzz/corpus). The files it
// wrote are committed; rerunning it rewrites them (ES256 signatures differ
// from run to run: ECDSA draws a fresh nonce).
#include "cookie.hpp"
#include "email_token.hpp"
#include "encoding.hpp"
#include "fuzz_common.hpp"
#include "fuzz_keys.hpp"
#include "jwt.hpp"
#include "random.hpp"
#include "symmetric.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

namespace core = neon_auth::core;
namespace fs = std::filesystem;

namespace {

fs::path root;

void seed(const std::string &target, const std::string &name, std::string_view content)
{
	const fs::path dir = root / target;
	fs::create_directories(dir);
	std::ofstream(dir / name, std::ios::binary).write(content.data(), static_cast<std::streamsize>(content.size()));
}

std::string b64(std::string_view s)
{
	return core::base64url_encode(reinterpret_cast<const std::uint8_t *>(s.data()), s.size());
}

// A compact JWS with the given header and payload, HS256 with `secret`.
std::string hs256(std::string_view header, std::string_view payload, std::string_view secret)
{
	const std::string input = b64(header) + "." + b64(payload);
	const auto mac = core::hmac_sha256(secret, input);
	return input + "." + core::base64url_encode(mac.data(), mac.size());
}

std::string nul(std::initializer_list<std::string_view> parts)
{
	std::string out;
	bool first = true;
	for (auto p : parts) {
		if (!first)
			out.push_back('\0');
		out += p;
		first = false;
	}
	return out;
}

void encoding()
{
	const std::pair<const char *, std::string_view> seeds[] = {
	    {"empty", ""},
	    {"hex_lower", "00ff10a7"},
	    {"hex_upper", "DEADbeef"},
	    {"hex_odd", "abc"},
	    {"b64url_3", "AQID"},
	    {"b64url_2", "_-8"},
	    {"b64url_noncanonical", "AR"},
	    {"b64url_padded", "AQ=="},
	    {"percent", "abc%41%2b%E2%82%AC"},
	    {"percent_bad", "%zz%4"},
	    {"utf8", "h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80"},
	    {"utf8_overlong", "\xC0\x80"},
	    {"utf8_surrogate", "\xED\xA0\x80"},
	    {"utf8_above_max", "\xF4\x90\x80\x80"},
	    {"utf8_truncated", "\xE2\x82"},
	};
	for (const auto &[name, s] : seeds)
		seed("encoding", name, s);
}

void json()
{
	const std::pair<const char *, std::string> seeds[] = {
	    {"headers", R"({"host":"api.example","authorization":"Bearer abc.def.ghi","accept":"*/*"})"},
	    {"cookies", R"({"better-auth.session_token":"tok.sig=","__Secure-better-auth.session_token":"x"})"},
	    {"duplicate", R"({"authorization":"a","authorization":"b"})"},
	    {"duplicate_nested", R"({"a":{"x":1,"x":2}})"},
	    {"nul_escape", R"({"authorization":"a\u0000b"})"},
	    {"unicode", R"({"sub":"\ud83d\ude00 caf\u00e9"})"},
	    {"numbers", R"({"a":1e400,"b":-0,"c":18446744073709551615,"d":-9223372036854775808,"e":0.1})"},
	    {"array_top", R"([{"authorization":"x"}])"},
	    {"not_string", R"({"authorization":["Bearer x"],"sub":null})"},
	    {"deep_32", std::string(32, '[') + std::string(32, ']') + "" },
	    {"deep_ok", "{\"a\":" + std::string(31, '[') + "1" + std::string(31, ']') + "}"},
	    {"deep_too", "{\"a\":" + std::string(32, '[') + "1" + std::string(32, ']') + "}"},
	    {"truncated", R"({"authorization":"Bearer)"},
	};
	for (const auto &[name, s] : seeds)
		seed("json", name, s);
}

void jwt()
{
	const std::string good = R"({"sub":"user_1","iss":"https://issuer.example","aud":"https://aud.example","iat":1699999000,"exp":2000000000})";
	const std::pair<const char *, const char *> keys[] = {{fuzz_keys::kEdKid, fuzz_keys::kEd25519Private},
	                                                      {fuzz_keys::kEsKid, fuzz_keys::kEs256Private},
	                                                      {fuzz_keys::kRsKid, fuzz_keys::kRs256Private}};
	for (const auto &[kid, key] : keys) {
		const std::string k = kid;
		seed("jwt", k + "_valid", core::jwt_sign(kid, good, key).value());
		seed("jwt", k + "_fz_key", core::jwt_sign("fz", good, key).value() + "\n" + core::public_jwk(key).value());
	}
	const auto ed = [](std::string_view header, std::string_view payload) {
		return core::jws_sign_raw(header, payload, fuzz_keys::kEd25519Private).value();
	};
	seed("jwt", "ed_aud_array",
	     core::jwt_sign("ed", R"({"aud":["x","https://aud.example"],"iss":"https://issuer.example","exp":2000000000})",
	                    fuzz_keys::kEd25519Private)
	         .value());
	seed("jwt", "ed_expired", core::jwt_sign("ed", R"({"exp":1600000000})", fuzz_keys::kEd25519Private).value());
	seed("jwt", "ed_nbf_future",
	     core::jwt_sign("ed", R"({"exp":2000000000,"nbf":1900000000})", fuzz_keys::kEd25519Private).value());
	seed("jwt", "ed_no_exp", core::jwt_sign("ed", R"({"sub":"u"})", fuzz_keys::kEd25519Private).value());
	seed("jwt", "ed_crit", ed(R"({"alg":"EdDSA","kid":"ed","crit":["b64"]})", good));
	seed("jwt", "ed_mix_kid", ed(R"({"alg":"ES256","kid":"mix"})", good));
	seed("jwt", "ed_wrong_kid", ed(R"({"alg":"EdDSA","kid":"es"})", good));
	seed("jwt", "ed_dup_alg", ed(R"({"alg":"EdDSA","alg":"EdDSA","kid":"ed"})", good));
	seed("jwt", "alg_none", b64(R"({"alg":"none","kid":"ed"})") + "." + b64(good) + ".");
	seed("jwt", "hs256", hs256(R"({"alg":"HS256","kid":"ed"})", good, "secret"));
	seed("jwt", "two_dots", "..");
	seed("jwt", "payload_object", good);
	seed("jwt", "payload_small", R"({"exp":2000000000,"sub":"x"})");
}

void jwk()
{
	const char *privates[] = {fuzz_keys::kEd25519Private, fuzz_keys::kEs256Private, fuzz_keys::kRs256Private};
	const char *names[] = {"ed", "es", "rs"};
	for (int i = 0; i < 3; i++) {
		seed("jwk", std::string(names[i]) + "_private", privates[i]);
		seed("jwk", std::string(names[i]) + "_public", core::public_jwk(privates[i]).value());
	}
	seed("jwk", "ed_mismatch",
	     R"({"crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"cRB5tfL0zN2XpbZETw7mBsKLeMAbvlVnYi-l4yYVsJE","kty":"OKP"})");
	seed("jwk", "es_off_curve",
	     R"({"kty":"EC","crv":"P-256","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","y":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE"})");
	seed("jwk", "rsa_small", R"({"kty":"RSA","n":"xSe1-3rCqVQk1gpJ7pBvDxYqgKGkcYSXnO5bswO3Yf8","e":"AQAB"})");
	seed("jwk", "unknown_kty", R"({"kty":"oct","k":"c2VjcmV0"})");
}

void cookie()
{
	const std::string token = "Xk2vD9pQ7rT1yU3wE5zA8cF0hJ4lN6mB";
	const std::string value = core::sign_cookie_value(token, fuzz_keys::kSecret);
	seed("cookie", "signed", value);
	seed("cookie", "signed_uri", fuzz::percent_encode(value));
	seed("cookie", "signed_other_secret", core::sign_cookie_value(token, "another secret"));
	seed("cookie", "signed_dotted", core::sign_cookie_value("a.b.c", fuzz_keys::kSecret));
	seed("cookie", "signed_utf8", core::sign_cookie_value("caf\xC3\xA9", fuzz_keys::kSecret));
	seed("cookie", "token_only", token);
	seed("cookie", "bad_escape", token + ".%zz");
}

void request()
{
	seed("request", "bearer", nul({"", R"({"authorization":"Bearer abc.def.ghi"})", "{}"}));
	seed("request", "bearer_spaces", nul({"", R"({"authorization":"bEaReR   tok  "})", ""}));
	seed("request", "basic", nul({"", R"({"authorization":"Basic dXNlcjpwYXNz"})", R"({"better-auth.session_token":"t.s"})"}));
	seed("request", "cookies_both",
	     nul({"", "{}", R"({"better-auth.session_token":"plain","__Secure-better-auth.session_token":"secure"})"}));
	seed("request", "explicit", nul({"explicit-credential", R"({"authorization":"Bearer x"})", "{}"}));
	seed("request", "empty", nul({"", "", ""}));
}

void email_token()
{
	const std::string payload = R"({"email":"alice@example.com","userId":"u1","iat":1699999000,"exp":2000000000})";
	seed("email_token", "valid", core::email_token_sign(payload, fuzz_keys::kSecret).value());
	seed("email_token", "update_to",
	     core::email_token_sign(
	         R"({"email":"a@example.com","updateTo":"b@example.com","requestType":"change-email-verification","userId":"u1","iat":1699999000,"exp":2000000000})",
	         fuzz_keys::kSecret)
	         .value());
	seed("email_token", "expired",
	     core::email_token_sign(R"({"email":"a@example.com","exp":1600000000})", fuzz_keys::kSecret).value());
	seed("email_token", "typ", hs256(R"({"alg":"HS256","typ":"JWT"})", payload, fuzz_keys::kSecret));
	seed("email_token", "kid", hs256(R"({"alg":"HS256","kid":"x"})", payload, fuzz_keys::kSecret));
	seed("email_token", "crit", hs256(R"({"alg":"HS256","crit":["x"]})", payload, fuzz_keys::kSecret));
	seed("email_token", "other_secret", core::email_token_sign(payload, "another secret").value());
	seed("email_token", "payload", payload);
	seed("email_token", "payload_exp_string", R"({"email":"a@example.com","exp":"2000000000"})");
}

void symmetric()
{
	const core::Bytes nonce(core::kNonceBytes, 7);
	const std::string plain = R"({"crv":"Ed25519","d":"x","kty":"OKP"})";
	seed("symmetric", "bare", core::symmetric_encrypt_with_nonce(fuzz_keys::kSecret, plain, nonce));
	seed("symmetric", "bare_empty", core::symmetric_encrypt_with_nonce(fuzz_keys::kSecret, "", nonce));
	seed("symmetric", "v2", core::symmetric_encrypt_versioned(fuzz_keys::kSecret, 2, "JBSWY3DPEHPK3PXP", nonce));
	seed("symmetric", "v1", core::symmetric_encrypt_versioned("old secret", 1, "JBSWY3DPEHPK3PXP", nonce));
	seed("symmetric", "v9", core::symmetric_encrypt_versioned(fuzz_keys::kSecret, 9, "x", nonce));
	seed("symmetric", "short", "00112233");
	seed("symmetric", "not_hex", "$ba$2$zz");
}

void password()
{
	seed("password", "no_colon", nul({"password", "0123456789abcdef0123456789abcdef"}));
	seed("password", "empty_salt", nul({"password", ":abcdef"}));
	seed("password", "empty_key", nul({"password", "0123456789abcdef0123456789abcdef:"}));
	seed("password", "two_colons", nul({"password", "salt::key"}));
	seed("password", "scrypt_small", std::string("\x01\x00\x00\x3f", 4) + nul({"salt", "password"}));
	seed("password", "scrypt_wide", std::string("\x05\x03\x01\x20", 4) + nul({"NaCl", "pleaseletmein"}));
}

} // namespace

int main(int argc, char **argv)
{
	if (argc != 2 || !core::crypto_init()) {
		std::cerr << "usage: gen_corpus DIR\n";
		return 2;
	}
	root = argv[1];
	encoding();
	json();
	jwt();
	jwk();
	cookie();
	request();
	email_token();
	symmetric();
	password();
	return 0;
}
