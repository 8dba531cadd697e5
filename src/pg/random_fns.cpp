// SQL entry point for random identifiers (random.cpp).
extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "compat.h"

NA_FUNCTION(neon_auth_generate_id);
NA_FUNCTION(neon_auth_random_digits);
NA_FUNCTION(neon_auth_random_string);
}

#include "guard.hpp"

#include "random.hpp"

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

/* _random_digits(length integer) -> text of [0-9] (one-time codes) */
Datum
neon_auth_random_digits(PG_FUNCTION_ARGS)
{
	int32 length = PG_GETARG_INT32(0);
	if (length < 1 || length > 32)
		ereport(ERROR,
		        (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("code length %d is out of range", length),
		         errhint("Use a length from 1 to 32.")));
	text *result = nullptr;
	pg::Failure f;
	pg::guarded(f, [&] { result = pg::make_text(core::random_string(static_cast<std::size_t>(length), "0123456789")); });
	if (f.failed)
		pg::report(f);
	PG_RETURN_TEXT_P(result);
}

/* _random_string(length integer, charset text) -> text of `charset`'s ASCII
 * characters (Better Auth's generateRandomString with its alphabets) */
Datum
neon_auth_random_string(PG_FUNCTION_ARGS)
{
	int32 length = PG_GETARG_INT32(0);
	text *charset = PG_GETARG_TEXT_PP(1);
	if (length < 1 || length > 255 || VARSIZE_ANY_EXHDR(charset) < 2 || VARSIZE_ANY_EXHDR(charset) > 128)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("random string length or alphabet is out of range")));
	text *result = nullptr;
	pg::Failure f;
	pg::guarded(f, [&] { result = pg::make_text(core::random_string(static_cast<std::size_t>(length), pg::view(charset))); });
	if (f.failed)
		pg::report(f);
	PG_RETURN_TEXT_P(result);
}
