// SQL entry points for password hashing. The SQL layer NFKC-normalises the
// password (PostgreSQL's normalize()) before calling these.
extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "compat.h"

NA_FUNCTION(neon_auth_password_hash);
NA_FUNCTION(neon_auth_password_verify);
}

#include "guard.hpp"

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
