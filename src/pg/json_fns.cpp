// SQL entry point for reading client-supplied JSON settings without the
// exception handler (and so the subtransaction) a jsonb cast would need:
// identity resolution must run inside parallel queries, where no
// subtransaction may start.
extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "compat.h"

NA_FUNCTION(neon_auth_json_member);
NA_FUNCTION(neon_auth_json_compact);
}

#include "guard.hpp"

#include "json.hpp"

namespace pg = neon_auth::pg;
namespace core = neon_auth::core;

/* _json_member(json text, name text) -> text: a string member of a JSON object, else NULL */
Datum
neon_auth_json_member(PG_FUNCTION_ARGS)
{
	return pg::text_function<2>(fcinfo, [](const std::array<std::string_view, 2> &a) {
		return core::json_string_member(a[0], a[1]);
	});
}

/* _json_compact(json text) -> text: a JSON object as JSON.stringify writes it, else NULL */
Datum
neon_auth_json_compact(PG_FUNCTION_ARGS)
{
	return pg::text_function<1>(fcinfo, [](const std::array<std::string_view, 1> &a) {
		return core::json_object_compact(a[0]);
	});
}
