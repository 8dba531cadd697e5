// Direct reads of the auth tables for the identity hot path: the user by id,
// the session by token, the server secret. An index probe costs a few
// microseconds; the same question asked through SQL (a PL/pgSQL function and
// its query) costs tens, most of it outside the lookup (docs/rls.md).
//
// They read as the extension would as table owner: no privilege or RLS check,
// which is what the SECURITY DEFINER SQL they replace did. They read with
// the active snapshot, so a caller's REPEATABLE READ transaction, a
// SERIALIZABLE one's predicate locks (taken by the index AM) and a hot
// standby behave as for a query. Plain PostgreSQL C: no C++ object here.
extern "C" {
#include "postgres.h"
#include "access/genam.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_am_d.h"
#include "executor/tuptable.h"
#include "nodes/pg_list.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/snapmgr.h"
#include "compat.h"
#include "auth_rows.h"
#include "sql_names.h"
}

/* The tables, the indexes probed and the columns read, found once and
 * forgotten when one of the tables changes (identity_fns.cpp's relcache
 * callback calls na_auth_rows_reset). */
static bool known = false;
static Oid user_rel, user_pkey, session_rel, session_token_index, secret_rel;
static AttrNumber user_banned, user_ban_expires, session_user_id, session_expires_at, secret_value;

void
na_auth_rows_reset(void)
{
	known = false;
}

static Oid
table_named(Oid nsp, const char *name)
{
	Oid relid = get_relname_relid(name, nsp);
	if (!OidIsValid(relid))
		ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE), errmsg("table %s.%s is missing", NA_SCHEMA, name),
		                errhint("Reinstall the extension, or restore the table.")));
	return relid;
}

static AttrNumber
column_named(Oid relid, const char *name)
{
	AttrNumber att = get_attnum(relid, name);
	if (att == InvalidAttrNumber)
		ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN), errmsg("column \"%s\" of a %s table is missing", name, NA_SCHEMA)));
	return att;
}

/* A valid, unique, plain b-tree index on exactly that one column. */
static Oid
unique_index_on(Relation rel, AttrNumber att)
{
	List *indexes = RelationGetIndexList(rel);
	ListCell *lc;
	Oid found = InvalidOid;
	foreach (lc, indexes) {
		Relation idx = index_open(lfirst_oid(lc), AccessShareLock);
		Form_pg_index form = idx->rd_index;
		if (!OidIsValid(found) && form->indisunique && form->indisvalid && form->indnkeyatts == 1 &&
		    form->indnatts == 1 && form->indkey.values[0] == att && idx->rd_rel->relam == BTREE_AM_OID &&
		    RelationGetIndexPredicate(idx) == NIL && RelationGetIndexExpressions(idx) == NIL)
			found = RelationGetRelid(idx);
		index_close(idx, NoLock);
	}
	list_free(indexes);
	if (!OidIsValid(found))
		ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT),
		                errmsg("the unique index on column %d of %s is missing", att, RelationGetRelationName(rel))));
	return found;
}

static void
know_tables(void)
{
	if (known)
		return;
	Oid nsp = get_namespace_oid(NA_SCHEMA, false);
	user_rel = table_named(nsp, "user");
	session_rel = table_named(nsp, "session");
	secret_rel = table_named(nsp, "secret");
	user_banned = column_named(user_rel, "banned");
	user_ban_expires = column_named(user_rel, "banExpires");
	session_user_id = column_named(session_rel, "userId");
	session_expires_at = column_named(session_rel, "expiresAt");
	secret_value = column_named(secret_rel, "value");
	Relation rel = table_open(user_rel, AccessShareLock);
	user_pkey = unique_index_on(rel, column_named(user_rel, "id"));
	table_close(rel, NoLock);
	rel = table_open(session_rel, AccessShareLock);
	session_token_index = unique_index_on(rel, column_named(session_rel, "token"));
	table_close(rel, NoLock);
	known = true;
}

/*
 * The row of `relid` whose unique index `indexid` holds `key` (compared by
 * `eq`), visible in the active snapshot: copies of columns `atts` into
 * values/nulls. Locks are held to the end of the transaction, as a query's.
 */
static bool
probe(Oid relid, Oid indexid, RegProcedure eq, Datum key, int n, const AttrNumber *atts, Datum *values, bool *nulls)
{
	Relation rel = table_open(relid, AccessShareLock);
	Relation idx = index_open(indexid, AccessShareLock);
	ScanKeyData sk;
	ScanKeyEntryInitialize(&sk, 0, 1, BTEqualStrategyNumber, InvalidOid, idx->rd_indcollation[0], eq, key);
	IndexScanDesc scan = index_beginscan(rel, idx, GetActiveSnapshot(), 1, 0);
	index_rescan(scan, &sk, 1, nullptr, 0);
	TupleTableSlot *slot = table_slot_create(rel, nullptr);
	bool found = index_getnext_slot(scan, ForwardScanDirection, slot);
	for (int i = 0; found && i < n; i++) {
		Form_pg_attribute a = TupleDescAttr(RelationGetDescr(rel), atts[i] - 1);
		values[i] = slot_getattr(slot, atts[i], &nulls[i]);
		if (!nulls[i] && !a->attbyval)
			values[i] = datumCopy(values[i], false, a->attlen);
	}
	ExecDropSingleTupleTableSlot(slot);
	index_endscan(scan);
	index_close(idx, NoLock);
	table_close(rel, NoLock);
	return found;
}

bool
na_user_active(const pg_uuid_t *id, TimestampTz now)
{
	know_tables();
	AttrNumber atts[2] = {user_banned, user_ban_expires};
	Datum v[2];
	bool isnull[2];
	if (!probe(user_rel, user_pkey, F_UUID_EQ, UUIDPGetDatum(id), 2, atts, v, isnull))
		return false;
	/* As _active_user: banned IS NOT TRUE OR "banExpires" < now() */
	bool banned = !isnull[0] && DatumGetBool(v[0]);
	return !banned || (!isnull[1] && DatumGetTimestampTz(v[1]) < now);
}

bool
na_session_by_token(const char *token, size_t len, pg_uuid_t *user_id, TimestampTz *expires_at)
{
	know_tables();
	AttrNumber atts[2] = {session_user_id, session_expires_at};
	Datum v[2];
	bool isnull[2];
	text *key = cstring_to_text_with_len(token, static_cast<int>(len));
	bool found = probe(session_rel, session_token_index, F_TEXTEQ, PointerGetDatum(key), 2, atts, v, isnull);
	pfree(key);
	if (!found || isnull[0] || isnull[1])
		return false;
	*user_id = *DatumGetUUIDP(v[0]);
	*expires_at = DatumGetTimestampTz(v[1]);
	return true;
}

char *
na_server_secret(void)
{
	know_tables();
	Relation rel = table_open(secret_rel, AccessShareLock);
	TableScanDesc scan = table_beginscan(rel, GetActiveSnapshot(), 0, nullptr);
	TupleTableSlot *slot = table_slot_create(rel, nullptr);
	char *secret = nullptr;
	if (table_scan_getnextslot(scan, ForwardScanDirection, slot)) {
		bool isnull;
		Datum v = slot_getattr(slot, secret_value, &isnull);
		if (!isnull)
			secret = TextDatumGetCString(v);
	}
	ExecDropSingleTupleTableSlot(slot);
	table_endscan(scan);
	table_close(rel, NoLock);
	return secret;
}
