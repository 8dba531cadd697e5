// The compact JWS serialization (RFC 7515 section 7.1) taken apart, for
// both verifiers of it: JWTs (jwt.cpp) and email-verification tokens
// (email_token.cpp). Only the dots are looked at; decoding and checking the
// segments is the caller's business.
#pragma once

#include <optional>
#include <string_view>

namespace neon_auth::core {

// Views into the token passed to jws_split; they live as long as it does.
struct JwsParts {
	std::string_view header;        // base64url of the protected header
	std::string_view payload;       // base64url of the payload
	std::string_view signature;     // base64url of the signature
	std::string_view signing_input; // header '.' payload: the bytes the signature covers
};

// The three segments of a token with exactly two dots; nullopt for any other
// number of dots. Empty segments are returned as they are: which error an
// empty segment earns (malformed, bad signature, ...) is the caller's call.
std::optional<JwsParts> jws_split(std::string_view token);

} // namespace neon_auth::core
