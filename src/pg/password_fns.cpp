// SQL entry points for password hashing. The SQL layer NFKC-normalises the
// password (PostgreSQL's normalize()) before calling these.
extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "compat.h"

NA_FUNCTION(neon_auth_password_hash);
NA_FUNCTION(neon_auth_password_verify);
NA_FUNCTION(neon_auth_utf16_length);
}

#include "guard.hpp"

#include "encoding.hpp"
#include "password.hpp"

namespace pg = neon_auth::pg;
namespace core = neon_auth::core;

/* _password_hash(normalized_password text) -> text "saltHex:keyHex" */
Datum
neon_auth_password_hash(PG_FUNCTION_ARGS)
{
	return pg::text_function<1>(fcinfo, [](const std::array<std::string_view, 1> &a) -> std::optional<std::string> {
		return core::hash_password(a[0]);
	});
}

/* _password_verify(normalized_password text, stored text) -> boolean */
Datum
neon_auth_password_verify(PG_FUNCTION_ARGS)
{
	text *password = PG_GETARG_TEXT_PP(0);
	text *stored = PG_GETARG_TEXT_PP(1);
	bool ok = false;
	pg::Failure f;
	pg::guarded(f, [&] { ok = core::verify_password(pg::view(password), pg::view(stored)); });
	if (f.failed)
		pg::report(f);
	PG_RETURN_BOOL(ok);
}

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
