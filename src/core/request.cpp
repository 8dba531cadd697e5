#include "request.hpp"

#include "cpp_only.hpp"

#include "json.hpp"

#include <cctype>

namespace neon_auth::core {

namespace {

// "Bearer <token>" -> "<token>" without surrounding spaces; nullopt for any
// other scheme or an empty token.
std::optional<std::string> bearer(std::string_view authorization)
{
	constexpr std::string_view scheme = "bearer ";
	if (authorization.size() < scheme.size())
		return std::nullopt;
	for (std::size_t i = 0; i < scheme.size(); i++)
		if (std::tolower(static_cast<unsigned char>(authorization[i])) != scheme[i])
			return std::nullopt;
	std::string_view rest = authorization.substr(scheme.size());
	const auto first = rest.find_first_not_of(' ');
	if (first == std::string_view::npos)
		return std::nullopt;
	rest = rest.substr(first, rest.find_last_not_of(' ') - first + 1);
	return std::string(rest);
}

} // namespace

namespace {

struct Found {
	std::optional<std::string> credential;
	CredentialSource source = CredentialSource::none;
};

// The one order of the sources, for both entry points below.
Found find(std::string_view explicit_credential, std::string_view headers, std::string_view cookies,
           std::string_view prefix)
{
	if (!explicit_credential.empty())
		return {std::string(explicit_credential), CredentialSource::authenticate};
	if (auto authorization = json_string_member(headers, "authorization"))
		if (auto token = bearer(*authorization))
			return {std::move(token), CredentialSource::bearer};
	// The __Secure- cookie first: only an https response from this site can
	// set it, where a plain-http one (or a sibling domain) could plant the
	// other to push the caller onto an attacker's session.
	const std::string name = std::string(prefix) + ".session_token";
	auto cookie = json_string_member(cookies, "__Secure-" + name);
	if (!cookie)
		cookie = json_string_member(cookies, name);
	if (cookie)
		return {std::move(cookie), CredentialSource::cookie};
	return {};
}

} // namespace

std::optional<std::string> request_credential(std::string_view explicit_credential, std::string_view headers,
                                              std::string_view cookies, std::string_view prefix)
{
	return find(explicit_credential, headers, cookies, prefix).credential;
}

CredentialSource request_credential_source(std::string_view explicit_credential, std::string_view headers,
                                           std::string_view cookies, std::string_view prefix)
{
	return find(explicit_credential, headers, cookies, prefix).source;
}

} // namespace neon_auth::core
