// SQL entry points for Better Auth's symmetric encryption (symmetric.cpp).
extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "compat.h"

NA_FUNCTION(neon_auth_symmetric_encrypt);
NA_FUNCTION(neon_auth_symmetric_decrypt);
}

#include "guard.hpp"

#include "encoding.hpp"
#include "symmetric.hpp"

namespace pg = neon_auth::pg;
namespace core = neon_auth::core;

using Args2 = std::array<std::string_view, 2>;

/* _symmetric_encrypt(secret text, plaintext text) -> text hex */
Datum
neon_auth_symmetric_encrypt(PG_FUNCTION_ARGS)
{
	return pg::text_function<2>(fcinfo, [](const Args2 &a) -> std::optional<std::string> {
		return core::symmetric_encrypt(a[0], a[1]);
	});
}

/* _symmetric_decrypt(secret text, data text) -> text, or NULL if it does not authenticate */
Datum
neon_auth_symmetric_decrypt(PG_FUNCTION_ARGS)
{
	return pg::text_function<2>(fcinfo, [](const Args2 &a) -> std::optional<std::string> {
		auto plain = core::symmetric_decrypt(a[0], a[1]);
		// A text result must be valid UTF-8; anything else counts as undecryptable.
		if (plain && !core::utf16_length(*plain))
			return std::nullopt;
		return plain;
	});
}
