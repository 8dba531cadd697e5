// Direct reads of the auth tables for the identity hot path: the user by id,
// the session by token, the server secret, the signing keys and the JWT
// settings, and the instance row of the copy check. An index probe costs a few
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
#include "access/htup_details.h"
#include "catalog/pg_am_d.h"
#include "catalog/pg_class.h"
#include "catalog/pg_index.h"
#include "catalog/pg_type_d.h"
#include "executor/tuptable.h"
#include "nodes/pg_list.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/uuid.h"
#include "compat.h"
#include "auth_rows.h"
#include "sql_names.h"
}

/* The tables, the indexes probed and the columns read, found once and
 * forgotten when one of the tables changes (identity_fns.cpp's relcache
 * callback calls na_auth_rows_reset). */
static bool known = false;
static Oid user_rel, user_pkey, session_rel, session_token_index, secret_rel, jwks_rel, config_rel;
static AttrNumber user_banned, user_ban_expires, session_user_id, session_expires_at, secret_value;
static AttrNumber jwks_id, jwks_public_key, jwks_expires_at, jwks_alg;
static AttrNumber config_leeway, config_grace_period, config_base_url, config_cookie_prefix;
static AttrNumber secret_postgrest, config_hs256_audience; /* 1.1; InvalidAttrNumber under 1.0 */

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
		                errhint("Reinstall the extension, or restore the table."), errhidestmt(true)));
	return relid;
}

/* A column, which must have the type the readers below decode it as. */
static AttrNumber
column_named(Oid relid, const char *name, Oid type)
{
	AttrNumber att = get_attnum(relid, name);
	if (att == InvalidAttrNumber || get_atttype(relid, att) != type)
		ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
		                errmsg("column \"%s\" of %s.%s is missing or not of type %s", name, NA_SCHEMA,
		                       get_rel_name(relid), format_type_be(type)),
		                errhidestmt(true)));
	return att;
}

static bool
index_is_btree(Oid indexid)
{
	HeapTuple tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(indexid));
	if (!HeapTupleIsValid(tuple))
		return false;
	bool btree = ((Form_pg_class) GETSTRUCT(tuple))->relam == BTREE_AM_OID;
	ReleaseSysCache(tuple);
	return btree;
}

/* A valid, unique, plain b-tree index on exactly that one column. Read from
 * the catalog caches, so that no other index of the table is opened (a new
 * connection would build a relcache entry for each). */
static Oid
unique_index_on(Relation rel, AttrNumber att)
{
	List *indexes = RelationGetIndexList(rel);
	ListCell *lc;
	Oid found = InvalidOid;
	foreach (lc, indexes) {
		Oid indexid = lfirst_oid(lc);
		HeapTuple tuple = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(indexid));
		if (!HeapTupleIsValid(tuple))
			continue;
		Form_pg_index form = (Form_pg_index) GETSTRUCT(tuple);
		bool fits = form->indisunique && form->indisvalid && form->indnkeyatts == 1 && form->indnatts == 1 &&
		            form->indkey.values[0] == att && heap_attisnull(tuple, Anum_pg_index_indpred, nullptr) &&
		            heap_attisnull(tuple, Anum_pg_index_indexprs, nullptr);
		ReleaseSysCache(tuple);
		if (fits && index_is_btree(indexid)) {
			found = indexid;
			break;
		}
	}
	list_free(indexes);
	if (!OidIsValid(found))
		ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT),
		                errmsg("the unique index on column %d of %s is missing", att, RelationGetRelationName(rel)),
		                errhidestmt(true)));
	return found;
}

/* A text column added in 1.1: InvalidAttrNumber while a 1.0 install runs
 * with this library. */
static AttrNumber
optional_text_column(Oid relid, const char *name)
{
	AttrNumber att = get_attnum(relid, name);
	return att != InvalidAttrNumber && get_atttype(relid, att) == TEXTOID ? att : InvalidAttrNumber;
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
	user_banned = column_named(user_rel, "banned", BOOLOID);
	user_ban_expires = column_named(user_rel, "banExpires", TIMESTAMPTZOID);
	session_user_id = column_named(session_rel, "userId", UUIDOID);
	session_expires_at = column_named(session_rel, "expiresAt", TIMESTAMPTZOID);
	secret_value = column_named(secret_rel, "value", TEXTOID);
	jwks_rel = table_named(nsp, "jwks");
	jwks_id = column_named(jwks_rel, "id", UUIDOID);
	jwks_public_key = column_named(jwks_rel, "publicKey", TEXTOID);
	jwks_expires_at = column_named(jwks_rel, "expiresAt", TIMESTAMPTZOID);
	jwks_alg = column_named(jwks_rel, "alg", TEXTOID);
	config_rel = table_named(nsp, "config");
	config_leeway = column_named(config_rel, "jwt_leeway", INT4OID);
	config_grace_period = column_named(config_rel, "jwks_grace_period", INT4OID);
	config_base_url = column_named(config_rel, "base_url", TEXTOID);
	/* Added in 1.1: absent while a 1.0 install runs with this library. */
	config_cookie_prefix = get_attnum(config_rel, "cookie_prefix");
	if (config_cookie_prefix != InvalidAttrNumber && get_atttype(config_rel, config_cookie_prefix) != TEXTOID)
		config_cookie_prefix = InvalidAttrNumber;
	secret_postgrest = optional_text_column(secret_rel, "postgrest_secret");
	config_hs256_audience = optional_text_column(config_rel, "jwt_hs256_audience");
	Relation rel = table_open(user_rel, AccessShareLock);
	user_pkey = unique_index_on(rel, column_named(user_rel, "id", UUIDOID));
	table_close(rel, NoLock);
	rel = table_open(session_rel, AccessShareLock);
	session_token_index = unique_index_on(rel, column_named(session_rel, "token", TEXTOID));
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

/*
 * Every row of a small table (the one-row secret, config and instance, the
 * few signing keys), visible in the active snapshot: `row` is called with
 * the slot of each.
 */
typedef void (*RowFn)(TupleTableSlot *slot, void *arg);

static void
scan_all(Oid relid, RowFn row, void *arg)
{
	Relation rel = table_open(relid, AccessShareLock);
	TableScanDesc scan = table_beginscan(rel, GetActiveSnapshot(), 0, nullptr);
	TupleTableSlot *slot = table_slot_create(rel, nullptr);
	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
		row(slot, arg);
	ExecDropSingleTupleTableSlot(slot);
	table_endscan(scan);
	table_close(rel, NoLock);
}

/* A text column as a palloc'd C string, or NULL. */
static char *
text_column(TupleTableSlot *slot, AttrNumber att)
{
	bool isnull;
	Datum v = slot_getattr(slot, att, &isnull);
	return isnull ? nullptr : TextDatumGetCString(v);
}

static void
secret_row(TupleTableSlot *slot, void *arg)
{
	*static_cast<char **>(arg) = text_column(slot, secret_value);
}

char *
na_server_secret(void)
{
	know_tables();
	char *secret = nullptr;
	scan_all(secret_rel, secret_row, &secret);
	return secret;
}

typedef struct KeyRows {
	NaKeyRow *rows;
	int n, size;
} KeyRows;

static void
key_row(TupleTableSlot *slot, void *arg)
{
	KeyRows *k = static_cast<KeyRows *>(arg);
	if (k->n == k->size) {
		k->size *= 2;
		k->rows = static_cast<NaKeyRow *>(repalloc(k->rows, sizeof(NaKeyRow) * k->size));
	}
	NaKeyRow *r = &k->rows[k->n++];
	bool isnull;
	r->kid = DatumGetCString(DirectFunctionCall1(uuid_out, slot_getattr(slot, jwks_id, &isnull)));
	r->alg = text_column(slot, jwks_alg);
	r->public_jwk = text_column(slot, jwks_public_key);
	Datum expires = slot_getattr(slot, jwks_expires_at, &isnull);
	r->has_expiry = !isnull;
	r->expires_at = isnull ? 0 : DatumGetTimestampTz(expires);
}

NaKeyRow *
na_key_rows(int *n)
{
	know_tables();
	KeyRows k = {static_cast<NaKeyRow *>(palloc(sizeof(NaKeyRow) * 4)), 0, 4};
	scan_all(jwks_rel, key_row, &k);
	*n = k.n;
	return k.rows;
}

typedef struct ConfigRow {
	bool found;
	int32 leeway, grace_period;
	char *base_url;
} ConfigRow;

static void
config_row(TupleTableSlot *slot, void *arg)
{
	ConfigRow *c = static_cast<ConfigRow *>(arg);
	bool n1, n2;
	c->leeway = DatumGetInt32(slot_getattr(slot, config_leeway, &n1));
	c->grace_period = DatumGetInt32(slot_getattr(slot, config_grace_period, &n2));
	c->base_url = text_column(slot, config_base_url);
	c->found = !n1 && !n2;
}

bool
na_jwt_config(int32 *leeway, int32 *grace_period, char **base_url)
{
	know_tables();
	ConfigRow c = {false, 0, 0, nullptr};
	scan_all(config_rel, config_row, &c);
	*leeway = c.leeway;
	*grace_period = c.grace_period;
	*base_url = c.base_url;
	return c.found;
}

typedef struct PostgrestSecretRow {
	char *server_secret, *postgrest_secret;
} PostgrestSecretRow;

static void
postgrest_secret_row(TupleTableSlot *slot, void *arg)
{
	PostgrestSecretRow *r = static_cast<PostgrestSecretRow *>(arg);
	r->server_secret = text_column(slot, secret_value);
	r->postgrest_secret = text_column(slot, secret_postgrest);
}

static void
hs256_audience_row(TupleTableSlot *slot, void *arg)
{
	*static_cast<char **>(arg) = text_column(slot, config_hs256_audience);
}

void
na_postgrest_secret(char **server_secret, char **postgrest_secret, char **audience)
{
	know_tables();
	PostgrestSecretRow r = {nullptr, nullptr};
	*audience = nullptr;
	if (secret_postgrest != InvalidAttrNumber)
		scan_all(secret_rel, postgrest_secret_row, &r);
	if (r.postgrest_secret != nullptr && config_hs256_audience != InvalidAttrNumber)
		scan_all(config_rel, hs256_audience_row, audience);
	*server_secret = r.server_secret;
	*postgrest_secret = r.postgrest_secret;
}

static void
cookie_prefix_row(TupleTableSlot *slot, void *arg)
{
	*static_cast<char **>(arg) = text_column(slot, config_cookie_prefix);
}

char *
na_cookie_prefix(void)
{
	know_tables();
	char *prefix = nullptr;
	if (config_cookie_prefix != InvalidAttrNumber)
		scan_all(config_rel, cookie_prefix_row, &prefix);
	return prefix != nullptr ? prefix : pstrdup("better-auth");
}

typedef struct InstanceRow {
	bool found;
	int64 system_identifier;
	Oid database_oid;
	char *neon_timeline_id;
} InstanceRow;

static void
instance_row(TupleTableSlot *slot, void *arg)
{
	InstanceRow *i = static_cast<InstanceRow *>(arg);
	TupleDesc desc = slot->tts_tupleDescriptor;
	bool n1 = true, n2 = true;
	for (int a = 0; a < desc->natts; a++) {
		const char *name = NameStr(TupleDescAttr(desc, a)->attname);
		if (TupleDescAttr(desc, a)->attisdropped)
			continue;
		Oid type = TupleDescAttr(desc, a)->atttypid;
		if (strcmp(name, "system_identifier") == 0 && type == INT8OID)
			i->system_identifier = DatumGetInt64(slot_getattr(slot, a + 1, &n1));
		else if (strcmp(name, "database_oid") == 0 && type == OIDOID)
			i->database_oid = DatumGetObjectId(slot_getattr(slot, a + 1, &n2));
		else if (strcmp(name, "neon_timeline_id") == 0 && type == TEXTOID)
			i->neon_timeline_id = text_column(slot, a + 1);
	}
	i->found = !n1 && !n2;
}

bool
na_instance_row(int64 *system_identifier, Oid *database_oid, char **neon_timeline_id)
{
	/* Not cached: read once per connection, and the table is not watched. */
	Oid nsp = get_namespace_oid(NA_SCHEMA, true);
	Oid relid = OidIsValid(nsp) ? get_relname_relid("instance", nsp) : InvalidOid;
	if (!OidIsValid(relid))
		return false;
	InstanceRow i = {false, 0, InvalidOid, nullptr};
	scan_all(relid, instance_row, &i);
	*system_identifier = i.system_identifier;
	*database_oid = i.database_oid;
	*neon_timeline_id = i.neon_timeline_id;
	return i.found;
}
