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

/* _cookie_sign(value text, secret text) -> text "value.signature" */
Datum
neon_auth_cookie_sign(PG_FUNCTION_ARGS)
{
	text *value = PG_GETARG_TEXT_PP(0);
	text *secret = PG_GETARG_TEXT_PP(1);
	text *result = nullptr;
	pg::Failure f;
	pg::guarded(f, [&] { result = pg::make_text(core::sign_cookie_value(pg::view(value), pg::view(secret))); });
	if (f.failed)
		pg::report(f);
	PG_RETURN_TEXT_P(result);
}

/* _cookie_verify(signed_value text, secret text) -> text token, or NULL */
Datum
neon_auth_cookie_verify(PG_FUNCTION_ARGS)
{
	text *value = PG_GETARG_TEXT_PP(0);
	text *secret = PG_GETARG_TEXT_PP(1);
	text *result = nullptr;
	pg::Failure f;
	pg::guarded(f, [&] {
		if (auto token = core::verify_cookie_value(pg::view(value), pg::view(secret)))
			result = pg::make_text(*token);
	});
	if (f.failed)
		pg::report(f);
	if (result == nullptr)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(result);
}

/* _symmetric_encrypt(secret text, plaintext text) -> text hex */
Datum
neon_auth_symmetric_encrypt(PG_FUNCTION_ARGS)
{
	text *secret = PG_GETARG_TEXT_PP(0);
	text *plain = PG_GETARG_TEXT_PP(1);
	text *result = nullptr;
	pg::Failure f;
	pg::guarded(f, [&] { result = pg::make_text(core::symmetric_encrypt(pg::view(secret), pg::view(plain))); });
	if (f.failed)
		pg::report(f);
	PG_RETURN_TEXT_P(result);
}

/* _symmetric_decrypt(secret text, data text) -> text, or NULL if it does not authenticate */
Datum
neon_auth_symmetric_decrypt(PG_FUNCTION_ARGS)
{
	text *secret = PG_GETARG_TEXT_PP(0);
	text *data = PG_GETARG_TEXT_PP(1);
	text *result = nullptr;
	pg::Failure f;
	pg::guarded(f, [&] {
		// A text result must be valid UTF-8; anything else is treated as undecryptable.
		auto plain = core::symmetric_decrypt(pg::view(secret), pg::view(data));
		if (plain && core::utf16_length(*plain))
			result = pg::make_text(*plain);
	});
	if (f.failed)
		pg::report(f);
	if (result == nullptr)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(result);
}
