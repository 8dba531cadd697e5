// The log line of an unforked copy: the first identity lookup, sign-in,
// sign-up or get_session of each connection calls neon_auth._check_copy(),
// which compares the database's identifiers with the recorded ones and
// raises a WARNING (client and server log) when they differ. Once per
// connection, so a busy copy logs once per connection, not once per query.
//
// Plain PostgreSQL C in a .cpp file, like identity_fns.cpp: no C++ object
// or exception, so ereport may happen anywhere.
extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "access/parallel.h"
#include "nodes/makefuncs.h"
#include "nodes/pg_list.h"
#include "parser/parse_func.h"
#include "compat.h"
#include "fork_fns.h"
#include "sql_names.h"

NA_FUNCTION(neon_auth_warn_if_copy);
}

static bool checked = false;

void
na_warn_if_copy(void)
{
	/* Parallel workers are fresh processes: the leader has already checked. */
	if (checked || IsParallelWorker())
		return;
	List *name = list_make2(makeString(pstrdup(NA_SCHEMA)), makeString(pstrdup(NA_FN_CHECK_COPY)));
	Oid check = LookupFuncName(name, 0, nullptr, true);
	/* Set first: an error inside the check must not make every call retry it. */
	checked = true;
	if (OidIsValid(check))
		OidFunctionCall0(check);
}

/* _warn_if_copy() -> void */
Datum
neon_auth_warn_if_copy(PG_FUNCTION_ARGS)
{
	na_warn_if_copy();
	PG_RETURN_VOID();
}
