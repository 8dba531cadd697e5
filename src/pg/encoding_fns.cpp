// SQL entry point for encoding.cpp: JavaScript's String.length, which
// Better Auth's password length policy counts in.
extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "compat.h"

NA_FUNCTION(neon_auth_utf16_length);
}

#include "guard.hpp"

#include "encoding.hpp"

namespace pg = neon_auth::pg;
namespace core = neon_auth::core;

/* _utf16_length(text) -> integer: JavaScript's String.length */
Datum
neon_auth_utf16_length(PG_FUNCTION_ARGS)
{
	text *s = PG_GETARG_TEXT_PP(0);
	int64 units = -1;
	pg::Failure f;
	pg::guarded(f, [&] {
		auto n = core::utf16_length(pg::view(s));
		units = n ? static_cast<int64>(*n) : -1;
	});
	if (f.failed)
		pg::report(f);
	/* The server encoding is UTF-8 (checked at install), so text is valid UTF-8. */
	if (units < 0 || units > PG_INT32_MAX)
		ereport(ERROR, (errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE), errmsg("invalid UTF-8 in text value")));
	PG_RETURN_INT32(static_cast<int32>(units));
}
