// SQL entry points for Better Auth's email-verification link token (HS256
// over the server secret; email_token.cpp). Which claims go in, and what a
// verified token may change, is SQL's business
// (src/sql/41_email_verification.sql).
extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "compat.h"

NA_FUNCTION(neon_auth_email_token_sign);
NA_FUNCTION(neon_auth_email_token_verify);
}

#include "guard.hpp"

#include "email_token.hpp"

namespace pg = neon_auth::pg;
namespace core = neon_auth::core;

/* _email_token_sign(payload text, secret text) -> text, or NULL for a payload that is not an object */
Datum
neon_auth_email_token_sign(PG_FUNCTION_ARGS)
{
	return pg::text_function<2>(fcinfo, [](const std::array<std::string_view, 2> &a) {
		return core::email_token_sign(a[0], a[1]);
	});
}

/* _email_token_verify(token text, secret text, now bigint) -> text claims, or NULL */
Datum
neon_auth_email_token_verify(PG_FUNCTION_ARGS)
{
	text *token = PG_GETARG_TEXT_PP(0); /* phase A */
	text *secret = PG_GETARG_TEXT_PP(1);
	int64 now = PG_GETARG_INT64(2);
	text *result = nullptr;
	pg::Failure f;
	pg::guarded(f, [&] { /* phase B */
		if (auto claims = core::email_token_verify(pg::view(token), pg::view(secret), now))
			result = pg::make_text(*claims);
	});
	if (f.failed) /* phase C */
		pg::report(f);
	if (result == nullptr)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(result);
}
