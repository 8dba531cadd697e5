#include "jwk_openssl.hpp"

#include "cpp_only.hpp"

#include "encoding.hpp"
#include "json_object.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <sodium.h>

#include <map>
#include <memory>
#include <stdexcept>

namespace neon_auth::core {

namespace {

using ordered = detail::ordered_json;
using detail::parse_object;

template <auto Free> struct Deleter {
	template <typename T> void operator()(T *p) const { Free(p); }
};
using PKey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using PKeyCtx = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using Bn = std::unique_ptr<BIGNUM, Deleter<BN_clear_free>>;
using ParamBld = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM_free>>;
using EcdsaSig = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG_free>>;

// OpenSSL reports failures on a per-thread error queue that PostgreSQL's own
// OpenSSL users (SSL connections, pgcrypto) read too: never leave ours there.
struct ClearErrorsOnExit {
	~ClearErrorsOnExit() { ERR_clear_error(); }
};

// Zeroed when it goes out of scope: private key material.
struct SecretBytes {
	Bytes b;
	~SecretBytes() { sodium_memzero(b.data(), b.size()); }
};

std::string str(const ordered &j, const char *key)
{
	auto it = j.find(key);
	return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<Bytes> b64_member(const ordered &j, const char *key) { return base64url_decode(str(j, key)); }

std::string b64(const Bytes &b) { return base64url_encode(b.data(), b.size()); }

// A BIGNUM from big-endian bytes; private ones in OpenSSL's secure heap, so
// the parameter block built from them is cleared when freed.
Bn bignum(const Bytes &b, bool secret)
{
	Bn bn(secret ? BN_secure_new() : BN_new());
	if (!bn || BN_bin2bn(b.data(), static_cast<int>(b.size()), bn.get()) == nullptr)
		throw std::bad_alloc();
	return bn;
}

// A key parameter as big-endian bytes: left-padded to `width`, or minimal
// (JWK's rule for RSA integers) when width is 0.
Bytes bn_param(const EVP_PKEY *key, const char *name, int width)
{
	BIGNUM *raw = nullptr;
	if (EVP_PKEY_get_bn_param(key, name, &raw) != 1)
		throw std::runtime_error("OpenSSL could not export a key parameter");
	Bn bn(raw);
	Bytes out(static_cast<std::size_t>(width > 0 ? width : BN_num_bytes(bn.get())));
	if (BN_bn2binpad(bn.get(), out.data(), static_cast<int>(out.size())) < 0)
		throw std::runtime_error("key parameter wider than expected");
	return out;
}

// The key described by `bld`, checked: a public key must be well formed (an
// EC point on the curve); a key pair's halves must match. `check` false
// skips that for a key pair (RSA's pairwise check tests primality: tens of
// milliseconds).
PKey from_params(const char *type, OSSL_PARAM_BLD *bld, bool with_private, bool check = true)
{
	Params params(OSSL_PARAM_BLD_to_param(bld));
	PKeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
	EVP_PKEY *raw = nullptr;
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
	    EVP_PKEY_fromdata(ctx.get(), &raw, with_private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
		return nullptr;
	PKey key(raw);
	if (!check && with_private)
		return key;
	PKeyCtx ctx_check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
	if (!ctx_check ||
	    (with_private ? EVP_PKEY_pairwise_check(ctx_check.get()) : EVP_PKEY_public_check(ctx_check.get())) != 1)
		return nullptr;
	return key;
}

// A P-256 key from a JWK: {"kty":"EC","crv":"P-256","x","y"} plus "d" when
// `with_private`.
PKey ec_key(const ordered &j, bool with_private)
{
	if (str(j, "kty") != "EC" || str(j, "crv") != "P-256")
		return nullptr;
	auto x = b64_member(j, "x"), y = b64_member(j, "y");
	if (!x || !y || x->size() != 32 || y->size() != 32)
		return nullptr;
	Bytes point{0x04}; // SEC 1 uncompressed point
	point.insert(point.end(), x->begin(), x->end());
	point.insert(point.end(), y->begin(), y->end());
	ParamBld bld(OSSL_PARAM_BLD_new());
	if (!bld || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
	    OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1)
		return nullptr;
	Bn d;
	if (with_private) {
		SecretBytes raw{b64_member(j, "d").value_or(Bytes{})};
		if (raw.b.size() != 32)
			return nullptr;
		d = bignum(raw.b, true);
		if (OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) != 1)
			return nullptr;
	}
	return from_params("EC", bld.get(), with_private);
}

// An RSA key from a JWK: {"kty":"RSA","n","e"} plus, when `with_private`,
// "d" and the CRT members "p","q","dp","dq","qi" (jose always writes them).
// `check_pair` false trusts that the private members belong together (keys
// this extension made itself, when signing).
PKey rsa_key(const ordered &j, bool with_private, bool check_pair = true)
{
	if (str(j, "kty") != "RSA")
		return nullptr;
	struct Member {
		const char *jwk, *param;
		bool secret;
	};
	static const Member members[] = {
	    {"n", OSSL_PKEY_PARAM_RSA_N, false},          {"e", OSSL_PKEY_PARAM_RSA_E, false},
	    {"d", OSSL_PKEY_PARAM_RSA_D, true},           {"p", OSSL_PKEY_PARAM_RSA_FACTOR1, true},
	    {"q", OSSL_PKEY_PARAM_RSA_FACTOR2, true},     {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1, true},
	    {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2, true},  {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1, true},
	};
	ParamBld bld(OSSL_PARAM_BLD_new());
	if (!bld)
		return nullptr;
	std::vector<Bn> values; // alive until the parameters are built
	for (const Member &m : members) {
		if (m.secret && !with_private)
			break;
		SecretBytes raw{b64_member(j, m.jwk).value_or(Bytes{})};
		if (raw.b.empty())
			return nullptr;
		values.push_back(bignum(raw.b, m.secret));
		if (OSSL_PARAM_BLD_push_BN(bld.get(), m.param, values.back().get()) != 1)
			return nullptr;
	}
	PKey key = from_params("RSA", bld.get(), with_private, check_pair);
	if (!key || EVP_PKEY_get_bits(key.get()) < kMinRsaBits)
		return nullptr;
	return key;
}

enum class Use { Verify, Sign, Inspect };

PKey load_key(std::string_view alg, std::string_view jwk, Use use)
{
	auto j = parse_object(jwk);
	if (!j)
		return nullptr;
	const bool with_private = use == Use::Sign || (use == Use::Inspect && j->contains("d"));
	if (alg == "ES256")
		return ec_key(*j, with_private);
	if (alg == "RS256")
		return rsa_key(*j, with_private, use != Use::Sign);
	return nullptr;
}

// Public keys already checked, by algorithm and exact JWK text: RSA's public
// check costs milliseconds, and the same few keys verify every token. Only
// public keys are kept. Bounded: emptied when full.
std::shared_ptr<EVP_PKEY> public_key_for(std::string_view alg, std::string_view jwk)
{
	thread_local std::map<std::string, std::shared_ptr<EVP_PKEY>> checked;
	std::string memo_key(alg);
	memo_key.append(1, '\0').append(jwk);
	if (auto it = checked.find(memo_key); it != checked.end())
		return it->second;
	PKey key = load_key(alg, jwk, Use::Verify);
	if (!key)
		return nullptr;
	if (checked.size() >= 32)
		checked.clear();
	std::shared_ptr<EVP_PKEY> shared(key.release(), EVP_PKEY_free);
	checked.emplace(std::move(memo_key), shared);
	return shared;
}

// ES256 signatures are R || S, 32 bytes each (RFC 7518 section 3.4);
// OpenSSL speaks DER.
std::optional<Bytes> der_to_raw(const Bytes &der)
{
	const unsigned char *p = der.data();
	EcdsaSig sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
	if (!sig)
		return std::nullopt;
	Bytes raw(64);
	if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), raw.data(), 32) != 32 ||
	    BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), raw.data() + 32, 32) != 32)
		return std::nullopt;
	return raw;
}

std::optional<Bytes> raw_to_der(const Bytes &raw)
{
	if (raw.size() != 64)
		return std::nullopt;
	EcdsaSig sig(ECDSA_SIG_new());
	Bn r(BN_bin2bn(raw.data(), 32, nullptr)), s(BN_bin2bn(raw.data() + 32, 32, nullptr));
	if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1)
		return std::nullopt;
	r.release(); // owned by sig now
	s.release();
	const int len = i2d_ECDSA_SIG(sig.get(), nullptr);
	if (len <= 0)
		return std::nullopt;
	Bytes der(static_cast<std::size_t>(len));
	unsigned char *p = der.data();
	i2d_ECDSA_SIG(sig.get(), &p);
	return der;
}

std::string public_jwk_json(std::string_view alg, const EVP_PKEY *key)
{
	ordered j;
	if (alg == "ES256") {
		j["kty"] = "EC";
		j["x"] = b64(bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, 32));
		j["y"] = b64(bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, 32));
		j["crv"] = "P-256";
	} else {
		j["kty"] = "RSA";
		j["n"] = b64(bn_param(key, OSSL_PKEY_PARAM_RSA_N, 0));
		j["e"] = b64(bn_param(key, OSSL_PKEY_PARAM_RSA_E, 0));
	}
	return j.dump();
}

} // namespace

std::string es256_generate_private_jwk()
{
	ClearErrorsOnExit clear;
	PKey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
	if (!key)
		throw std::runtime_error("OpenSSL could not generate a P-256 key");
	SecretBytes d{bn_param(key.get(), OSSL_PKEY_PARAM_PRIV_KEY, 32)};
	ordered j = ordered::parse(public_jwk_json("ES256", key.get()));
	j["d"] = b64(d.b);
	std::string out = j.dump();
	sodium_memzero(j["d"].get_ref<std::string &>().data(), j["d"].get_ref<std::string &>().size());
	return out;
}

std::string rs256_generate_private_jwk()
{
	ClearErrorsOnExit clear;
	PKey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(kMinRsaBits)));
	if (!key)
		throw std::runtime_error("OpenSSL could not generate an RSA key");
	ordered j = ordered::parse(public_jwk_json("RS256", key.get()));
	const std::pair<const char *, const char *> secrets[] = {
	    {"d", OSSL_PKEY_PARAM_RSA_D},          {"p", OSSL_PKEY_PARAM_RSA_FACTOR1},
	    {"q", OSSL_PKEY_PARAM_RSA_FACTOR2},    {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1},
	    {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2}, {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1},
	};
	for (const auto &[member, param] : secrets) {
		SecretBytes v{bn_param(key.get(), param, 0)};
		j[member] = b64(v.b);
	}
	std::string out = j.dump();
	for (const auto &[member, param] : secrets) {
		(void) param;
		auto &s = j[member].get_ref<std::string &>();
		sodium_memzero(s.data(), s.size());
	}
	return out;
}

std::optional<std::string> openssl_public_jwk(std::string_view jwk)
{
	ClearErrorsOnExit clear;
	auto j = parse_object(jwk);
	if (!j)
		return std::nullopt;
	const std::string kty = str(*j, "kty");
	const std::string_view alg = kty == "EC" ? "ES256" : kty == "RSA" ? "RS256" : "";
	if (j->contains("d")) {
		PKey key = load_key(alg, jwk, Use::Inspect);
		return key ? std::optional<std::string>(public_jwk_json(alg, key.get())) : std::nullopt;
	}
	auto key = public_key_for(alg, jwk);
	return key ? std::optional<std::string>(public_jwk_json(alg, key.get())) : std::nullopt;
}

std::optional<Bytes> openssl_sign(std::string_view alg, std::string_view private_jwk, std::string_view message)
{
	ClearErrorsOnExit clear;
	PKey key = load_key(alg, private_jwk, Use::Sign);
	MdCtx md(EVP_MD_CTX_new());
	std::size_t len = 0;
	const auto *msg = reinterpret_cast<const unsigned char *>(message.data());
	if (!key || !md || EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
	    EVP_DigestSign(md.get(), nullptr, &len, msg, message.size()) != 1)
		return std::nullopt;
	Bytes sig(len);
	if (EVP_DigestSign(md.get(), sig.data(), &len, msg, message.size()) != 1)
		return std::nullopt;
	sig.resize(len);
	return alg == "ES256" ? der_to_raw(sig) : std::optional<Bytes>(sig);
}

bool openssl_verify(std::string_view alg, std::string_view jwk, std::string_view message, const Bytes &signature)
{
	ClearErrorsOnExit clear;
	auto key = public_key_for(alg, jwk);
	std::optional<Bytes> sig = alg == "ES256" ? raw_to_der(signature) : std::optional<Bytes>(signature);
	MdCtx md(EVP_MD_CTX_new());
	return key && sig && md && EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, key.get()) == 1 &&
	       EVP_DigestVerify(md.get(), sig->data(), sig->size(), reinterpret_cast<const unsigned char *>(message.data()),
	                        message.size()) == 1;
}

} // namespace neon_auth::core
