#include "cookie_cache.hpp"

#include "cookie.hpp"
#include "cpp_only.hpp"
#include "encoding.hpp"
#include "json_object.hpp"

#include <sodium.h>

namespace neon_auth::core {

namespace {

using detail::ordered_json;

std::string b64url(std::string_view s)
{
	return base64url_encode(reinterpret_cast<const std::uint8_t *>(s.data()), s.size());
}

// signature over JSON.stringify({...data, expiresAt}).
std::string signature_of(const ordered_json &data, std::int64_t expires_at_ms, std::string_view secret)
{
	ordered_json signed_part = data;
	signed_part["expiresAt"] = expires_at_ms;
	const Bytes mac = hmac_sha256(secret, signed_part.dump());
	return base64url_encode(mac.data(), mac.size());
}

} // namespace

std::optional<std::string> cookie_cache_encode(std::string_view session_data_json, std::int64_t expires_at_ms,
                                               std::string_view secret)
{
	auto data = detail::parse_object(session_data_json);
	if (!data || secret.empty() || data->contains("expiresAt"))
		return std::nullopt;
	ordered_json cookie;
	cookie["session"] = *data;
	cookie["expiresAt"] = expires_at_ms;
	cookie["signature"] = signature_of(*data, expires_at_ms, secret);
	return b64url(cookie.dump());
}

std::optional<std::string> cookie_cache_decode(std::string_view value, std::string_view secret)
{
	if (secret.empty() || value.size() > 16384)
		return std::nullopt;
	auto raw = base64url_decode(value);
	if (!raw)
		return std::nullopt;
	auto cookie = detail::parse_object({reinterpret_cast<const char *>(raw->data()), raw->size()});
	if (!cookie || cookie->size() != 3 || !cookie->contains("session") || !cookie->contains("expiresAt") ||
	    !cookie->contains("signature"))
		return std::nullopt;
	const ordered_json &data = (*cookie)["session"];
	const ordered_json &expires = (*cookie)["expiresAt"];
	const ordered_json &signature = (*cookie)["signature"];
	if (!data.is_object() || data.contains("expiresAt") || !expires.is_number_integer() || !signature.is_string())
		return std::nullopt;
	const std::int64_t expires_at_ms = expires.get<std::int64_t>();
	const std::string expected = signature_of(data, expires_at_ms, secret);
	const std::string &given = signature.get_ref<const std::string &>();
	if (given.size() != expected.size() || sodium_memcmp(given.data(), expected.data(), expected.size()) != 0)
		return std::nullopt;
	ordered_json signed_part = data;
	signed_part["expiresAt"] = expires_at_ms;
	return signed_part.dump();
}

} // namespace neon_auth::core
