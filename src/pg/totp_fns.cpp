// SQL entry points for TOTP codes and base32 (totp.cpp), for the two-factor
// functions of 45_two_factor.sql. Internal: EXECUTE is revoked from PUBLIC.
extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "compat.h"

NA_FUNCTION(neon_auth_totp_verify);
NA_FUNCTION(neon_auth_totp_code);
NA_FUNCTION(neon_auth_base32);
}

#include "guard.hpp"

#include "totp.hpp"

namespace pg = neon_auth::pg;
namespace core = neon_auth::core;

/* _totp_verify(key text, code text, at bigint) -> boolean: the code of the
 * 30-second step containing unix time `at`, or of the step on either side. */
Datum
neon_auth_totp_verify(PG_FUNCTION_ARGS)
{
	text *key = PG_GETARG_TEXT_PP(0);
	text *code = PG_GETARG_TEXT_PP(1);
	int64 at = PG_GETARG_INT64(2);
	bool ok = false;
	pg::Failure f;
	pg::guarded(f, [&] { ok = core::totp_verify(pg::view(key), pg::view(code), at); });
	if (f.failed)
		pg::report(f);
	PG_RETURN_BOOL(ok);
}

/* _totp_code(key text, at bigint) -> text: the 6-digit code at unix time
 * `at` (tests and the owner's tools; no function answers it to a client). */
Datum
neon_auth_totp_code(PG_FUNCTION_ARGS)
{
	text *key = PG_GETARG_TEXT_PP(0);
	int64 at = PG_GETARG_INT64(1);
	text *result = nullptr;
	pg::Failure f;
	pg::guarded(f, [&] { result = pg::make_text(core::totp(pg::view(key), at)); });
	if (f.failed)
		pg::report(f);
	PG_RETURN_TEXT_P(result);
}

/* _base32(data text) -> text: RFC 4648 base32 without padding */
Datum
neon_auth_base32(PG_FUNCTION_ARGS)
{
	return pg::text_function<1>(fcinfo, [](const std::array<std::string_view, 1> &a) -> std::optional<std::string> {
		return core::base32_encode(a[0]);
	});
}
