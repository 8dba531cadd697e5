#include "jwt.hpp"

#include "cpp_only.hpp"
#include "cookie.hpp"

#include "random.hpp"

#include "json_object.hpp"
#include "jwk_openssl.hpp"
#include "jws.hpp"
#include <sodium.h>

#include <array>
#include <cmath>
#include <stdexcept>

namespace neon_auth::core {

namespace {

using ordered = detail::ordered_json;
using detail::parse_object;

// A string member, or "" when absent or of another type (never throws).
std::string str(const ordered &j, const char *key)
{
	auto it = j.find(key);
	return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string b64url(const Bytes &b) { return base64url_encode(b.data(), b.size()); }
std::string b64url(std::string_view s)
{
	return base64url_encode(reinterpret_cast<const std::uint8_t *>(s.data()), s.size());
}

struct Ed25519Pair {
	std::array<unsigned char, crypto_sign_SECRETKEYBYTES> sk{};
	std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk{};
	~Ed25519Pair() { sodium_memzero(sk.data(), sk.size()); }
};

// Private key from a JWK's "d" (the 32-byte seed); its "x" must match.
std::optional<Ed25519Pair> private_key(std::string_view jwk)
{
	auto j = parse_object(jwk);
	if (!j || str(*j, "kty") != "OKP" || str(*j, "crv") != "Ed25519")
		return std::nullopt;
	auto seed = base64url_decode(str(*j, "d"));
	if (!seed || seed->size() != crypto_sign_SEEDBYTES)
		return std::nullopt;
	Ed25519Pair pair;
	crypto_sign_seed_keypair(pair.pk.data(), pair.sk.data(), seed->data());
	sodium_memzero(seed->data(), seed->size());
	if (j->contains("x")) {
		auto x = base64url_decode(str(*j, "x"));
		if (!x || x->size() != pair.pk.size() || !std::equal(x->begin(), x->end(), pair.pk.begin()))
			return std::nullopt;
	}
	return pair;
}

std::optional<Bytes> public_key(std::string_view jwk)
{
	auto j = parse_object(jwk);
	if (!j || str(*j, "kty") != "OKP" || str(*j, "crv") != "Ed25519")
		return std::nullopt;
	auto x = base64url_decode(str(*j, "x"));
	if (!x || x->size() != crypto_sign_PUBLICKEYBYTES)
		return std::nullopt;
	return x;
}

std::string public_jwk_json(const unsigned char *pk)
{
	ordered j;
	j["crv"] = "Ed25519";
	j["x"] = base64url_encode(pk, crypto_sign_PUBLICKEYBYTES);
	j["kty"] = "OKP";
	return j.dump();
}

bool is_number(const ordered &j) { return j.is_number() && std::isfinite(j.get<double>()); }

// A NUL character in any name or string ("\u0000"): PostgreSQL's text and
// jsonb cannot hold one, so such claims could only ever fail later, with an
// error quoting them, where a bad token must simply identify nobody.
bool has_nul(const ordered &j)
{
	if (j.is_string())
		return j.get_ref<const std::string &>().find('\0') != std::string::npos;
	if (j.is_object())
		for (const auto &[name, value] : j.items())
			if (name.find('\0') != std::string::npos || has_nul(value))
				return true;
	if (j.is_array())
		for (const auto &value : j)
			if (has_nul(value))
				return true;
	return false;
}

// Registered-claim checks (RFC 7519 section 4.1) after the signature holds.
const char *check_claims(const ordered &claims, const JwtChecks &c)
{
	if (has_nul(claims))
		return kJwtBadClaims;
	for (const char *k : {"exp", "nbf", "iat"})
		if (claims.contains(k) && !is_number(claims[k]))
			return kJwtBadClaims;
	for (const char *k : {"iss", "sub", "jti"})
		if (claims.contains(k) && !claims[k].is_string())
			return kJwtBadClaims;
	if (!claims.contains("exp"))
		return kJwtBadClaims; // tokens without an expiry are never accepted
	const double now = static_cast<double>(c.now), leeway = static_cast<double>(c.leeway);
	if (now - leeway >= claims["exp"].get<double>())
		return kJwtExpired;
	if (claims.contains("nbf") && claims["nbf"].get<double>() > now + leeway)
		return kJwtNotYetValid;
	if (claims.contains("iat") && claims["iat"].get<double>() > now + leeway)
		return kJwtNotYetValid;
	if (!c.issuer.empty() && (!claims.contains("iss") || claims["iss"].get<std::string>() != c.issuer))
		return kJwtWrongIssuer;
	if (!c.audience.empty()) {
		bool found = false;
		if (claims.contains("aud") && claims["aud"].is_string())
			found = claims["aud"].get<std::string>() == c.audience;
		else if (claims.contains("aud") && claims["aud"].is_array())
			for (const auto &a : claims["aud"])
				found = found || (a.is_string() && a.get<std::string>() == c.audience);
		else if (claims.contains("aud"))
			return kJwtBadClaims;
		if (!found)
			return kJwtWrongAudience;
	}
	return nullptr;
}

} // namespace

std::string ed25519_generate_private_jwk()
{
	if (!crypto_init())
		throw std::runtime_error("libsodium could not be initialised");
	Ed25519Pair pair;
	crypto_sign_keypair(pair.pk.data(), pair.sk.data());
	ordered j;
	j["crv"] = "Ed25519";
	j["d"] = base64url_encode(pair.sk.data(), crypto_sign_SEEDBYTES); // libsodium's sk = seed || pk
	j["x"] = base64url_encode(pair.pk.data(), pair.pk.size());
	j["kty"] = "OKP";
	return j.dump();
}

std::optional<std::string> ed25519_public_jwk(std::string_view jwk)
{
	auto j = parse_object(jwk);
	if (j && j->contains("d")) {
		auto pair = private_key(jwk);
		return pair ? std::optional<std::string>(public_jwk_json(pair->pk.data())) : std::nullopt;
	}
	auto pk = public_key(jwk);
	return pk ? std::optional<std::string>(public_jwk_json(pk->data())) : std::nullopt;
}

std::optional<Bytes> ed25519_sign(std::string_view private_jwk, std::string_view message)
{
	auto pair = private_key(private_jwk);
	if (!pair)
		return std::nullopt;
	Bytes sig(crypto_sign_BYTES);
	crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char *>(message.data()), message.size(),
	                     pair->sk.data());
	return sig;
}

std::optional<std::string> jws_sign_raw(std::string_view header_json, std::string_view payload_json,
                                        std::string_view private_jwk)
{
	const std::string input = b64url(header_json) + "." + b64url(payload_json);
	auto sig = ed25519_sign(private_jwk, input);
	if (!sig)
		return std::nullopt;
	return input + "." + b64url(*sig);
}

std::string_view jwk_alg(std::string_view jwk)
{
	auto j = parse_object(jwk);
	const std::string kty = j ? str(*j, "kty") : std::string();
	if (kty == "OKP" && str(*j, "crv") == "Ed25519")
		return "EdDSA";
	if (kty == "EC" && str(*j, "crv") == "P-256")
		return "ES256";
	if (kty == "RSA")
		return "RS256";
	return "";
}

std::optional<std::string> generate_private_jwk(std::string_view alg)
{
	if (alg == "EdDSA")
		return ed25519_generate_private_jwk();
	if (alg == "ES256")
		return es256_generate_private_jwk();
	if (alg == "RS256")
		return rs256_generate_private_jwk();
	return std::nullopt;
}

std::optional<std::string> public_jwk(std::string_view jwk)
{
	const std::string_view alg = jwk_alg(jwk);
	if (alg == "EdDSA")
		return ed25519_public_jwk(jwk);
	if (alg.empty())
		return std::nullopt;
	return openssl_public_jwk(jwk);
}

std::optional<std::string> jwt_sign(std::string_view kid, std::string_view payload_json, std::string_view private_jwk)
{
	auto payload = parse_object(payload_json);
	const std::string_view alg = jwk_alg(private_jwk);
	if (!payload || alg.empty())
		return std::nullopt;
	ordered header;
	header["alg"] = std::string(alg);
	header["kid"] = std::string(kid);
	const std::string input = b64url(header.dump()) + "." + b64url(payload->dump());
	auto sig = alg == "EdDSA" ? ed25519_sign(private_jwk, input) : openssl_sign(alg, private_jwk, input);
	if (!sig)
		return std::nullopt;
	return input + "." + b64url(*sig);
}

std::optional<std::string> jwt_sign_hs256(std::string_view payload_json, std::string_view secret)
{
	auto payload = parse_object(payload_json);
	if (!payload || secret.empty())
		return std::nullopt;
	ordered header;
	header["alg"] = "HS256";
	header["typ"] = "JWT";
	const std::string input = b64url(header.dump()) + "." + b64url(payload->dump());
	const Bytes mac = hmac_sha256(secret, input);
	return input + "." + b64url(mac);
}

namespace {

// HMAC-SHA256 of the signing input with PostgREST's secret, compared in
// constant time.
bool hs256_holds(const Hs256Key &key, std::string_view input, const Bytes &sig)
{
	const Bytes mac = hmac_sha256(key.secret, input);
	return sig.size() == mac.size() && sodium_memcmp(sig.data(), mac.data(), mac.size()) == 0;
}

bool signature_holds(const JwtKey &key, std::string_view input, const Bytes &sig)
{
	if (key.alg != "EdDSA")
		return openssl_verify(key.alg, key.public_jwk, input, sig);
	auto pk = key.ed25519_public.size() == crypto_sign_PUBLICKEYBYTES ? std::optional<Bytes>(key.ed25519_public)
	                                                                  : public_key(key.public_jwk);
	return pk && sig.size() == crypto_sign_BYTES &&
	       crypto_sign_verify_detached(sig.data(), reinterpret_cast<const unsigned char *>(input.data()), input.size(),
	                                   pk->data()) == 0;
}

} // namespace

namespace {

// What a protected header says: its alg and kid, or why it is refused.
struct Header {
	const char *error = nullptr;
	std::string alg, kid;
};

Header read_header(std::string_view encoded)
{
	Header h;
	auto raw = base64url_decode_public(encoded);
	auto header = raw ? parse_object({reinterpret_cast<const char *>(raw->data()), raw->size()}) : std::nullopt;
	if (!header || str(*header, "alg").empty()) {
		h.error = kJwtMalformed;
		return h;
	}
	// The asymmetric algorithms we implement, and HS256 (checked against the
	// configured PostgREST secret only, in jwt_verify); never "none", never
	// another HMAC. "crit" extensions are not understood, so RFC 7515 says
	// reject. HS256 tokens need no kid: there is one secret.
	h.alg = str(*header, "alg");
	h.kid = str(*header, "kid");
	if ((h.alg != "EdDSA" && h.alg != "ES256" && h.alg != "RS256" && h.alg != "HS256") || header->contains("crit"))
		h.error = kJwtUnsupportedAlg;
	else if (h.kid.empty() && h.alg != "HS256")
		h.error = kJwtUnknownKey;
	return h;
}

// The tokens of one issuer share their header, byte for byte: the last one
// read is kept (a pure function of its bytes), which saves a base64 decode
// and a JSON parse per token.
const Header &header_of(std::string_view encoded)
{
	thread_local std::string last_encoded;
	thread_local Header last;
	thread_local bool known = false;
	if (!known || encoded != last_encoded) {
		known = false;
		last = read_header(encoded);
		last_encoded.assign(encoded.data(), encoded.size());
		known = true;
	}
	return last;
}

} // namespace

void prepare_jwt_keys(std::vector<JwtKey> &keys)
{
	for (auto &k : keys)
		if (k.alg == "EdDSA")
			k.ed25519_public = public_key(k.public_jwk).value_or(Bytes());
}

JwtVerification jwt_verify(std::string_view token, const std::vector<JwtKey> &keys, const JwtChecks &checks,
                           const Hs256Key &hs256)
{
	JwtVerification v;
	if (token.size() > checks.max_length) {
		v.error = kJwtTooLarge;
		return v;
	}
	const auto parts = jws_split(token);
	if (!parts) {
		v.error = kJwtMalformed;
		return v;
	}
	const Header &header = header_of(parts->header);
	auto payload_raw = base64url_decode_public(parts->payload);
	auto sig = base64url_decode_public(parts->signature);
	if (header.error == kJwtMalformed || !payload_raw || !sig) {
		v.error = kJwtMalformed;
		return v;
	}
	v.kid = header.kid;
	if (header.error != nullptr) {
		v.error = header.error;
		return v;
	}
	const std::string &alg = header.alg;
	JwtChecks hs256_checks;
	const JwtChecks *claim_checks = &checks;
	if (alg == "HS256") {
		// Only with a configured secret, and only against it: the JWKS keys
		// are never tried, whatever the kid says.
		if (hs256.secret.empty()) {
			v.error = kJwtUnsupportedAlg;
			return v;
		}
		if (!hs256_holds(hs256, parts->signing_input, *sig)) {
			v.error = kJwtBadSignature;
			return v;
		}
		if (!hs256.audience.empty()) {
			hs256_checks = checks;
			hs256_checks.audience = hs256.audience;
			claim_checks = &hs256_checks;
		}
	} else {
		const JwtKey *key = nullptr;
		for (const auto &k : keys)
			if (k.kid == v.kid)
				key = &k;
		if (key == nullptr || key->alg != alg) {
			v.error = kJwtUnknownKey;
			return v;
		}
		if (!signature_holds(*key, parts->signing_input, *sig)) {
			v.error = kJwtBadSignature;
			return v;
		}
	}
	auto claims = parse_object({reinterpret_cast<const char *>(payload_raw->data()), payload_raw->size()});
	if (!claims) {
		v.error = kJwtMalformed;
		return v;
	}
	if ((v.error = check_claims(*claims, *claim_checks)) != nullptr)
		return v;
	v.claims_json = claims->dump();
	v.exp = (*claims)["exp"].get<double>();
	v.sub = str(*claims, "sub");
	return v;
}

} // namespace neon_auth::core
