// The log line of an unforked copy: the first identity lookup, sign-in,
// sign-up or get_session of each connection compares the database's
// identifiers with the recorded ones, and when they differ calls
// neon_auth._check_copy(), which raises a WARNING (client and server log)
// saying how. Once per connection, so a busy copy logs once per connection,
// not once per query. The comparison is made here, in C: every new
// connection pays for it, and the SQL (pg_control_system, PL/pgSQL) costs
// milliseconds there.
//
// Plain PostgreSQL C in a .cpp file, like identity_fns.cpp: no C++ object
// or exception, so ereport may happen anywhere.
extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "access/parallel.h"
#include "access/xlog.h"
#include "miscadmin.h"
#include "utils/guc.h"
#include "nodes/makefuncs.h"
#include "nodes/pg_list.h"
#include "parser/parse_func.h"
#include "compat.h"
#include "fork_fns.h"
#include "auth_rows.h"
#include "sql_names.h"

NA_FUNCTION(neon_auth_warn_if_copy);
}

static bool checked = false;

/* Does this database still hold the identifiers recorded in
 * neon_auth.instance (as _copy_reason() compares them)? */
static bool
same_instance(void)
{
	int64 system_identifier;
	Oid database_oid;
	char *recorded_timeline;
	if (!na_instance_row(&system_identifier, &database_oid, &recorded_timeline))
		return false;
	/* neon.timeline_id counts only when Neon's module defines it: an
	 * undefined placeholder could be set by any role. */
	const char *timeline = GetConfigOption("neon.timeline_id", true, false);
	if (timeline != nullptr && (GetConfigOptionFlags("neon.timeline_id", true) & GUC_CUSTOM_PLACEHOLDER))
		timeline = nullptr;
	if (timeline != nullptr && timeline[0] == '\0')
		timeline = nullptr;
	bool same_timeline = (timeline == nullptr) == (recorded_timeline == nullptr) &&
	                     (timeline == nullptr || strcmp(timeline, recorded_timeline) == 0);
	return (uint64) system_identifier == GetSystemIdentifier() && database_oid == MyDatabaseId && same_timeline;
}

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
	if (OidIsValid(check) && !same_instance())
		OidFunctionCall0(check);
}

/* _warn_if_copy() -> void */
Datum
neon_auth_warn_if_copy(PG_FUNCTION_ARGS)
{
	na_warn_if_copy();
	PG_RETURN_VOID();
}
