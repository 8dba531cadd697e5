// Per-statement memo of the caller's identity, and the GUCs identity uses.
//
// Plain PostgreSQL C in a .cpp file: no C++ object, container or exception
// is used here, so ereport may happen anywhere (no destructor can be skipped)
// and no guard is needed.
extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "access/xact.h"
#include "storage/proc.h"
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

/* The memo: one entry, valid for one statement and one set of inputs. */
static struct {
	bool valid;
	char *key;
	Datum result;
	bool isnull;
} memo;

/* Each part length-prefixed, so no two different input sets share a key. */
static void
append_part(StringInfo buf, const char *v)
{
	if (v == nullptr)
		v = "";
	appendStringInfo(buf, "%zu:", strlen(v));
	appendStringInfoString(buf, v);
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
	/*
	 * What makes "the same statement": the client message's start time, the
	 * transaction (a procedure's COMMIT starts a new one), and the command
	 * counter, which moves after every write, so a sign-out or revocation
	 * earlier in the same message or transaction is seen by the next command.
	 */
	StringInfoData key;
	initStringInfo(&key);
	appendStringInfo(&key, "%lld/%u/%u|", (long long) GetCurrentStatementStartTimestamp(), MyProc->lxid,
	                 GetCurrentCommandId(false));
	append_part(&key, credential_setting);
	append_part(&key, GetConfigOption("request.headers", true, false));
	append_part(&key, GetConfigOption("request.cookies", true, false));
	append_part(&key, trust_jwt_claims ? "trusted" : "untrusted");
	if (trust_jwt_claims)
		append_part(&key, GetConfigOption("request.jwt.claims", true, false));

	if (!memo.valid || strcmp(memo.key, key.data) != 0) {
		List *name = list_make2(makeString(pstrdup("neon_auth")), makeString(pstrdup("_resolve_identity")));
		Oid resolver = LookupFuncName(name, 0, nullptr, false);
		FmgrInfo flinfo;
		fmgr_info(resolver, &flinfo);
		LOCAL_FCINFO(call, 0);
		InitFunctionCallInfoData(*call, &flinfo, 0, InvalidOid, nullptr, nullptr);
		Datum result = FunctionCallInvoke(call);

		/* Copy the new entry first, then swap: an error (out of memory) in
		 * between leaves the old entry intact rather than half-freed. */
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
		char *new_key = pstrdup(key.data);
		Datum new_result = call->isnull ? (Datum) 0 : datumCopy(result, false, -1);
		MemoryContextSwitchTo(old);
		if (memo.valid) {
			pfree(memo.key);
			if (!memo.isnull)
				pfree(DatumGetPointer(memo.result));
		}
		memo.key = new_key;
		memo.result = new_result;
		memo.isnull = call->isnull;
		memo.valid = true;
	}
	pfree(key.data);
	if (memo.isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(datumCopy(memo.result, false, -1));
}
