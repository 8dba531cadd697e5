// Per-statement memo of the caller's identity, and the GUCs identity uses.
//
// Plain PostgreSQL C in a .cpp file: no C++ object, container or exception
// is used here, so ereport may happen anywhere (no destructor can be skipped)
// and no guard is needed.
extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "lib/stringinfo.h"
#include "nodes/makefuncs.h"
#include "nodes/pg_list.h"
#include "parser/parse_func.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "compat.h"

NA_FUNCTION(neon_auth_identity);
void neon_auth_define_identity_gucs(void);
}

#if PG_VERSION_NUM < 150000
#define MarkGUCPrefixReserved(x) EmitWarningsOnPlaceholders(x)
#endif

static char *credential_setting = nullptr;
static bool trust_jwt_claims = false;

void
neon_auth_define_identity_gucs(void)
{
	DefineCustomStringVariable(
	    "neon_auth.credential", "Credential (JWT, session token or signed cookie value) set by neon_auth.authenticate().",
	    "Verified on use; an unverifiable value identifies nobody.", &credential_setting, "", PGC_USERSET,
	    GUC_NO_SHOW_ALL | GUC_NOT_IN_SAMPLE | GUC_DISALLOW_IN_FILE, nullptr, nullptr, nullptr);
	DefineCustomBoolVariable(
	    "neon_auth.trust_jwt_claims", "Trust request.jwt.claims as already verified (by a proxy such as PostgREST).",
	    "Any SQL session can set request.jwt.claims, so only a superuser may turn this on.", &trust_jwt_claims, false,
	    PGC_SUSET, 0, nullptr, nullptr, nullptr);
	MarkGUCPrefixReserved("neon_auth");
}

/* The memo: one entry, valid for one top-level statement and one set of inputs. */
static struct {
	bool valid;
	TimestampTz statement;
	char *inputs;
	Datum result;
	bool isnull;
} memo;

static void
append_setting(StringInfo buf, const char *name)
{
	const char *v = GetConfigOption(name, true, false);
	appendStringInfoString(buf, v ? v : "");
	appendStringInfoChar(buf, '\x1f');
}

/*
 * _identity() -> jsonb: neon_auth._resolve_identity() memoised per statement.
 * Every input the resolver reads (the settings below) is part of the key, so
 * a changed header or credential is seen at once; a revoked session or key is
 * seen by the next statement.
 */
Datum
neon_auth_identity(PG_FUNCTION_ARGS)
{
	StringInfoData inputs;
	initStringInfo(&inputs);
	appendStringInfoString(&inputs, credential_setting ? credential_setting : "");
	appendStringInfoChar(&inputs, '\x1f');
	append_setting(&inputs, "request.headers");
	append_setting(&inputs, "request.cookies");
	appendStringInfoChar(&inputs, trust_jwt_claims ? 't' : 'f');
	if (trust_jwt_claims)
		append_setting(&inputs, "request.jwt.claims");

	const TimestampTz statement = GetCurrentStatementStartTimestamp();
	if (!memo.valid || memo.statement != statement || strcmp(memo.inputs, inputs.data) != 0) {
		List *name = list_make2(makeString(pstrdup("neon_auth")), makeString(pstrdup("_resolve_identity")));
		Oid resolver = LookupFuncName(name, 0, nullptr, false);
		FmgrInfo flinfo;
		fmgr_info(resolver, &flinfo);
		LOCAL_FCINFO(call, 0);
		InitFunctionCallInfoData(*call, &flinfo, 0, InvalidOid, nullptr, nullptr);
		Datum result = FunctionCallInvoke(call);

		/* Replace the memo only after the resolver succeeded. */
		if (memo.valid) {
			pfree(memo.inputs);
			if (!memo.isnull)
				pfree(DatumGetPointer(memo.result));
		}
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
		memo.inputs = pstrdup(inputs.data);
		memo.isnull = call->isnull;
		memo.result = call->isnull ? (Datum) 0 : datumCopy(result, false, -1);
		MemoryContextSwitchTo(old);
		memo.statement = statement;
		memo.valid = true;
	}
	pfree(inputs.data);
	if (memo.isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(datumCopy(memo.result, false, -1));
}
