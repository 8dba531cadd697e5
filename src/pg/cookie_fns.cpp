// SQL entry points for Better Auth's signed cookie values (cookie.cpp).
extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "compat.h"

NA_FUNCTION(neon_auth_cookie_sign);
NA_FUNCTION(neon_auth_cookie_verify);
NA_FUNCTION(neon_auth_hmac_base64url);
NA_FUNCTION(neon_auth_cookie_cache_encode);
NA_FUNCTION(neon_auth_cookie_cache_decode);
}

#include "guard.hpp"

#include "cookie.hpp"
#include "cookie_cache.hpp"
#include "encoding.hpp"

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

/* _hmac_base64url(key text, message text) -> text: base64url without padding
 * of HMAC-SHA256 (Better Auth's trust-device token) */
Datum
neon_auth_hmac_base64url(PG_FUNCTION_ARGS)
{
	return pg::text_function<2>(fcinfo, [](const Args2 &a) -> std::optional<std::string> {
		core::Bytes mac = core::hmac_sha256(a[0], a[1]);
		return core::base64url_encode(mac.data(), mac.size());
	});
}

/* _cookie_cache_encode(session_data text, expires_at_ms bigint, secret text) -> text:
 * Better Auth's session_data cookie value (compact), or NULL */
Datum
neon_auth_cookie_cache_encode(PG_FUNCTION_ARGS)
{
	text *data = PG_GETARG_TEXT_PP(0); /* phase A */
	int64 expires_at_ms = PG_GETARG_INT64(1);
	text *secret = PG_GETARG_TEXT_PP(2);
	text *result = nullptr;
	pg::Failure f;
	pg::guarded(f, [&] { /* phase B */
		if (auto value = core::cookie_cache_encode(pg::view(data), expires_at_ms, pg::view(secret)))
			result = pg::make_text(*value);
	});
	if (f.failed) /* phase C */
		pg::report(f);
	if (result == nullptr)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(result);
}

/* _cookie_cache_decode(value text, secret text) -> text: the signed object
 * {...data, expiresAt} of a session_data value that checks out, else NULL */
Datum
neon_auth_cookie_cache_decode(PG_FUNCTION_ARGS)
{
	return pg::text_function<2>(fcinfo, [](const Args2 &a) { return core::cookie_cache_decode(a[0], a[1]); });
}
