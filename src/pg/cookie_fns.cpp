// SQL entry points for Better Auth's signed cookie values (cookie.cpp).
extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "compat.h"

NA_FUNCTION(neon_auth_cookie_sign);
NA_FUNCTION(neon_auth_cookie_verify);
}

#include "guard.hpp"

#include "cookie.hpp"

namespace pg = neon_auth::pg;
namespace core = neon_auth::core;

using Args2 = std::array<std::string_view, 2>;

/* _cookie_sign(value text, secret text) -> text "value.signature" */
Datum
neon_auth_cookie_sign(PG_FUNCTION_ARGS)
{
	return pg::text_function<2>(fcinfo, [](const Args2 &a) -> std::optional<std::string> {
		return core::sign_cookie_value(a[0], a[1]);
	});
}

/* _cookie_verify(signed_value text, secret text) -> text token, or NULL */
Datum
neon_auth_cookie_verify(PG_FUNCTION_ARGS)
{
	return pg::text_function<2>(fcinfo, [](const Args2 &a) { return core::verify_cookie_value(a[0], a[1]); });
}
