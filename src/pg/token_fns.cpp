// SQL entry points for random identifiers, signed cookie values and Better
// Auth's symmetric encryption.
extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "compat.h"

NA_FUNCTION(neon_auth_generate_id);
NA_FUNCTION(neon_auth_cookie_sign);
NA_FUNCTION(neon_auth_cookie_verify);
NA_FUNCTION(neon_auth_symmetric_encrypt);
NA_FUNCTION(neon_auth_symmetric_decrypt);
}

#include "guard.hpp"

#include "cookie.hpp"
#include "encoding.hpp"
#include "random.hpp"
#include "symmetric.hpp"

namespace pg = neon_auth::pg;
namespace core = neon_auth::core;

/* _generate_id(length integer) -> text of [A-Za-z0-9] */
Datum
neon_auth_generate_id(PG_FUNCTION_ARGS)
{
	int32 length = PG_GETARG_INT32(0);
	if (length < 1 || length > 255)
		ereport(ERROR,
		        (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("identifier length %d is out of range", length),
		         errhint("Use a length from 1 to 255.")));
	text *result = nullptr;
	pg::Failure f;
	pg::guarded(f, [&] { result = pg::make_text(core::generate_id(static_cast<std::size_t>(length))); });
	if (f.failed)
		pg::report(f);
	PG_RETURN_TEXT_P(result);
}

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
