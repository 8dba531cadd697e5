#include "jws.hpp"

#include "cpp_only.hpp"

namespace neon_auth::core {

std::optional<JwsParts> jws_split(std::string_view token)
{
	const auto dot1 = token.find('.');
	const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
	if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
		return std::nullopt;
	JwsParts parts;
	parts.header = token.substr(0, dot1);
	parts.payload = token.substr(dot1 + 1, dot2 - dot1 - 1);
	parts.signature = token.substr(dot2 + 1);
	parts.signing_input = token.substr(0, dot2);
	return parts;
}

} // namespace neon_auth::core
