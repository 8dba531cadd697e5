#include "email_token.hpp"

#include "cpp_only.hpp"

#include "encoding.hpp"
#include "json_object.hpp"
#include "jws.hpp"

#include <sodium.h>

#include <array>
#include <cmath>

namespace neon_auth::core {

namespace {

using Mac = std::array<unsigned char, crypto_auth_hmacsha256_BYTES>;

Mac hmac_sha256(std::string_view secret, std::string_view message)
{
	crypto_auth_hmacsha256_state state;
	Mac mac{};
	crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char *>(secret.data()), secret.size());
	crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char *>(message.data()), message.size());
	crypto_auth_hmacsha256_final(&state, mac.data());
	sodium_memzero(&state, sizeof state);
	return mac;
}

std::string b64url(std::string_view s)
{
	return base64url_encode(reinterpret_cast<const std::uint8_t *>(s.data()), s.size());
}

} // namespace

std::optional<std::string> email_token_sign(std::string_view payload_json, std::string_view secret)
{
	auto payload = detail::parse_object(payload_json);
	if (!payload || secret.empty())
		return std::nullopt;
	const std::string input = b64url(R"({"alg":"HS256"})") + "." + b64url(payload->dump());
	const Mac mac = hmac_sha256(secret, input);
	return input + "." + base64url_encode(mac.data(), mac.size());
}

std::optional<std::string> email_token_verify(std::string_view token, std::string_view secret, std::int64_t now)
{
	if (secret.empty() || token.size() > 8192)
		return std::nullopt;
	const auto parts = jws_split(token);
	if (!parts)
		return std::nullopt;
	auto header = base64url_decode(parts->header);
	auto header_json = header ? detail::parse_object({reinterpret_cast<const char *>(header->data()), header->size()})
	                          : std::nullopt;
	// Exactly {"alg":"HS256"} in meaning: no other algorithm, no "crit".
	if (!header_json || header_json->size() > 2 || !header_json->contains("alg") ||
	    (*header_json)["alg"] != "HS256" || header_json->contains("crit") ||
	    (header_json->size() == 2 && !header_json->contains("typ")))
		return std::nullopt;
	auto sig = base64url_decode(parts->signature);
	const Mac mac = hmac_sha256(secret, parts->signing_input);
	if (!sig || sig->size() != mac.size() || sodium_memcmp(sig->data(), mac.data(), mac.size()) != 0)
		return std::nullopt;
	auto payload = base64url_decode(parts->payload);
	auto claims = payload ? detail::parse_object({reinterpret_cast<const char *>(payload->data()), payload->size()})
	                      : std::nullopt;
	if (!claims || !claims->contains("exp") || !(*claims)["exp"].is_number())
		return std::nullopt;
	const double exp = (*claims)["exp"].get<double>();
	if (!std::isfinite(exp) || exp <= static_cast<double>(now))
		return std::nullopt;
	return claims->dump();
}

} // namespace neon_auth::core
