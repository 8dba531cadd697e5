// The caller's identity for RLS: the GUCs it reads, a memo per statement, a
// per-backend cache across statements and transactions, and the trigger that
// invalidates that cache.
//
// Plain PostgreSQL C in a .cpp file: no C++ object, container or exception
// is used here, so ereport may happen anywhere (no destructor can be skipped)
// and no guard is needed. The one C++ step, finding the credential in the
// request's JSON settings, is behind the guard in request_fns.cpp.
extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "common/hashfn.h"
#include "executor/executor.h"
#include "lib/stringinfo.h"
#include "nodes/makefuncs.h"
#include "nodes/pg_list.h"
#include "parser/parse_func.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"
#include "utils/jsonb.h"
#include "compat.h"
#include "request_fns.h"
#include "fork_fns.h"
#include "jwt_fns.h"
#include "auth_rows.h"
#include "sql_names.h"

NA_FUNCTION(neon_auth_identity);
NA_FUNCTION(neon_auth_verify_jwt);
NA_FUNCTION(neon_auth_identity_cache);
NA_FUNCTION(neon_auth_identity_changed);
NA_FUNCTION(neon_auth_credential_source);
void na_identity_init(void);
}

#include <sodium.h>


#if PG_VERSION_NUM < 150000
#define MarkGUCPrefixReserved(x) EmitWarningsOnPlaceholders(x)
#endif

static char *credential_setting = nullptr;
static bool trust_jwt_claims = false;
static bool json_errors = false;

/*
 * Cache generations. Every change to a table an identity depends on (a
 * sign-out, a ban, a revoked key, new config or secret) fires
 * neon_auth._identity_changed(), which sends a relcache invalidation for that
 * table: processed by this backend at its next command, and by every other
 * backend (standbys included, from the commit record) before it next reads
 * the cache. Each one received for a watched table starts a new generation,
 * and cached identities of older generations are dead.
 */
static uint64 generation = 1;
static const char *const watched_names[] = NA_WATCHED_TABLES;
#define N_WATCHED lengthof(watched_names)
static Oid watched[N_WATCHED];
static bool watched_known = false;

static void
relcache_changed(Datum, Oid relid)
{
	bool ours = relid == InvalidOid || !watched_known;
	for (size_t i = 0; !ours && i < N_WATCHED; i++)
		ours = watched[i] == relid;
	if (ours) {
		generation++;
		watched_known = false; /* a dropped and re-created table has a new oid */
		na_auth_rows_reset();
	}
}

/* Inside a transaction: the oids of the watched tables, if the schema is there. */
static bool
know_watched(void)
{
	if (watched_known)
		return true;
	Oid nsp = get_namespace_oid(NA_SCHEMA, true);
	if (!OidIsValid(nsp))
		return false;
	for (size_t i = 0; i < N_WATCHED; i++)
		if (!OidIsValid(watched[i] = get_relname_relid(watched_names[i], nsp)))
			return false;
	watched_known = true;
	return true;
}

void
na_identity_init(void)
{
	/*
	 * Superuser-only, to set and to read: the SECURITY DEFINER
	 * authenticate() sets it for one transaction, and nothing else may, so
	 * that no credential outlives the request that set it on a pooled
	 * connection, and no SQL run as the caller (a policy, a trigger) can
	 * read the token.
	 */
	DefineCustomStringVariable(
	    "neon_auth.credential", "Credential (JWT, session token or signed cookie value) set by neon_auth.authenticate().",
	    "Verified on use; an unverifiable value identifies nobody.", &credential_setting, "", PGC_SUSET,
	    GUC_NO_SHOW_ALL | GUC_NOT_IN_SAMPLE | GUC_DISALLOW_IN_FILE | GUC_SUPERUSER_ONLY, nullptr, nullptr, nullptr);
	DefineCustomBoolVariable(
	    "neon_auth.trust_jwt_claims", "Trust request.jwt.claims as already verified (by a proxy such as PostgREST).",
	    "Any SQL session can set request.jwt.claims, so only a superuser may turn this on.", &trust_jwt_claims, false,
	    PGC_SUSET, 0, nullptr, nullptr, nullptr);
	DefineCustomBoolVariable(
	    "neon_auth.json_errors", "Answer expected auth failures with Better Auth's error JSON instead of raising them.",
	    "On (or any PostgREST request), a failed sign-in, rate limit or bad link returns {message, code} and commits its "
	    "audit row and rate-limit count; off, it raises an error, which rolls them back.",
	    &json_errors, false, PGC_USERSET, 0, nullptr, nullptr, nullptr);
	MarkGUCPrefixReserved("neon_auth");
	CacheRegisterRelcacheCallback(relcache_changed, (Datum) 0);
}

/* The per-statement memo: an identity (jsonb) kept in TopMemoryContext under
 * a key that names the statement and every input. */
typedef struct Entry {
	char *key;        /* NULL: empty slot */
	uint32 hash;
	uint64 generation;
	TimestampTz until; /* valid while now() < until; DT_NOEND: no time limit */
	Datum identity;
	bool isnull;
} Entry;

/* The per-statement memo: one entry keyed by the statement and every input. */
static Entry memo;

/*
 * The per-backend cache: positive identities by credential, so a token sent
 * with every request costs one verification per backend (until it expires or
 * the auth tables change), not one per statement. A connection pool's
 * backend serves many users: up to CACHE_SLOTS identities and CACHE_BYTES of
 * them (a JWT's identity, its claims included, takes under 1 kB), the least
 * recently used going first. An entry is found by a 256-bit BLAKE2b digest
 * of its key (the credential, or the trusted claims), through a chained
 * hash index; a doubly linked list keeps the order of use.
 */
#define CACHE_SLOTS 16384
#define CACHE_BUCKETS 32768 /* a power of two */
#define CACHE_BYTES ((Size) 8 * 1024 * 1024)
#define MAX_CACHED_KEY 16384
#define DIGEST_BYTES 32

typedef struct Cached {
	unsigned char digest[DIGEST_BYTES];
	uint64 generation;
	TimestampTz until;
	Datum identity; /* jsonb in TopMemoryContext */
	Size bytes;
	int next_in_bucket; /* -1 ends the chain */
	int newer, older;   /* the order of use; -1 ends it */
} Cached;

/* Slots grow by doubling, up to CACHE_SLOTS, as entries arrive: a new
 * connection does not pay for zeroing a megabyte it may never use. */
static Cached *cache = nullptr;
static int cache_slots = 0;
/* 1 + the first slot of each hash chain; 0: none. Zeroed memory is an empty
 * index, so it needs no initialisation pass. */
static int cache_bucket[CACHE_BUCKETS];
static int newest = -1, oldest = -1, first_free = -1;
static Size cache_bytes = 0;
static uint64 cache_hits = 0, cache_misses = 0, cache_entries = 0;

/* Free a copy of request data (headers, cookies, a token) after wiping it:
 * freed memory is reused, and may be dumped or swapped. */
static void
wipe_free(char *p)
{
	if (p == nullptr)
		return;
	sodium_memzero(p, strlen(p));
	pfree(p);
}

static void
entry_clear(Entry *e)
{
	if (e->key != nullptr)
		wipe_free(e->key);
	if (e->key != nullptr && !e->isnull)
		pfree(DatumGetPointer(e->identity));
	e->key = nullptr;
}

/* Copy first, then replace: an error (out of memory) in between leaves the
 * old entry intact rather than half-freed. */
static void
entry_set(Entry *e, const char *key, uint32 hash, Datum identity, bool isnull, TimestampTz until)
{
	MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
	char *new_key = pstrdup(key);
	Datum new_identity = isnull ? (Datum) 0 : datumCopy(identity, false, -1);
	MemoryContextSwitchTo(old);
	entry_clear(e);
	e->key = new_key;
	e->hash = hash;
	e->identity = new_identity;
	e->isnull = isnull;
	e->generation = generation;
	e->until = until;
}

static void
cache_grow(void)
{
	int size = cache_slots == 0 ? 64 : Min(cache_slots * 2, CACHE_SLOTS);
	Size bytes = sizeof(Cached) * size;
	cache = static_cast<Cached *>(cache == nullptr ? MemoryContextAlloc(TopMemoryContext, bytes) : repalloc(cache, bytes));
	/* Free slots are chained through next_in_bucket. */
	for (int i = cache_slots; i < size; i++)
		cache[i].next_in_bucket = i + 1 < size ? i + 1 : first_free;
	first_free = cache_slots;
	cache_slots = size;
}

static int *
bucket_of(const unsigned char *digest)
{
	uint32 h;
	memcpy(&h, digest, sizeof h);
	return &cache_bucket[h & (CACHE_BUCKETS - 1)];
}

static void
unlink_use(int i)
{
	Cached *c = &cache[i];
	if (c->newer >= 0)
		cache[c->newer].older = c->older;
	else
		newest = c->older;
	if (c->older >= 0)
		cache[c->older].newer = c->newer;
	else
		oldest = c->newer;
}

static void
mark_used(int i)
{
	if (newest == i)
		return;
	unlink_use(i);
	cache[i].older = newest;
	cache[i].newer = -1;
	if (newest >= 0)
		cache[newest].newer = i;
	newest = i;
	if (oldest < 0)
		oldest = i;
}

static int
cache_lookup(const unsigned char *digest)
{
	if (cache == nullptr)
		return -1;
	for (int i = *bucket_of(digest) - 1; i >= 0; i = cache[i].next_in_bucket)
		if (memcmp(cache[i].digest, digest, DIGEST_BYTES) == 0)
			return i;
	return -1;
}

/* Take an entry out of the cache: index, order of use, budget, memory. */
static void
cache_drop(int i)
{
	Cached *c = &cache[i];
	int *head = bucket_of(c->digest);
	if (*head - 1 == i)
		*head = c->next_in_bucket + 1;
	else
		for (int j = *head - 1; j >= 0; j = cache[j].next_in_bucket)
			if (cache[j].next_in_bucket == i) {
				cache[j].next_in_bucket = c->next_in_bucket;
				break;
			}
	unlink_use(i);
	cache_bytes -= c->bytes;
	cache_entries--;
	pfree(DatumGetPointer(c->identity));
	c->next_in_bucket = first_free;
	first_free = i;
}

/*
 * Keep an identity under a digest, replacing the key's stale entry `hit`
 * (or -1), evicting the least recently used entries while the slots or the
 * byte budget are used up. The copy is made first, so that running out of
 * memory leaves the cache as it was. Returns the kept identity, or 0 when it
 * alone would take more than a sixteenth of the budget.
 */
static Datum
cache_store(int hit, const unsigned char *digest, Datum identity, TimestampTz until)
{
	Size bytes = VARSIZE_ANY(DatumGetPointer(identity)) + sizeof(Cached);
	if (bytes > CACHE_BYTES / 16)
		return (Datum) 0;
	if (first_free < 0 && cache_slots < CACHE_SLOTS)
		cache_grow();
	MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
	Datum kept = datumCopy(identity, false, -1);
	MemoryContextSwitchTo(old);
	if (hit >= 0)
		cache_drop(hit);
	while (first_free < 0 || cache_bytes + bytes > CACHE_BYTES)
		cache_drop(oldest); /* never empty here: the budget fits a sixteenth */
	int i = first_free;
	Cached *c = &cache[i];
	first_free = c->next_in_bucket;
	memcpy(c->digest, digest, DIGEST_BYTES);
	c->generation = generation;
	c->until = until;
	c->identity = kept;
	c->bytes = bytes;
	int *head = bucket_of(digest);
	c->next_in_bucket = *head - 1;
	*head = i + 1;
	c->newer = c->older = -1;
	if (newest >= 0) {
		cache[newest].newer = i;
		c->older = newest;
	}
	newest = i;
	if (oldest < 0)
		oldest = i;
	cache_bytes += bytes;
	cache_entries++;
	return kept;
}

/* Each part length-prefixed, so no two different input sets share a key. */
static void
append_part(StringInfo buf, const char *v)
{
	if (v == nullptr)
		v = "";
	appendStringInfo(buf, "%zu:", strlen(v));
	appendStringInfoString(buf, v);
}

/* neon_auth._resolve_identity(credential, trusted_claims) -> (identity, valid_until);
 * exactly one of the two is given. */
static void
resolve_in_sql(const char *credential, const char *trusted_claims, Datum *identity, bool *isnull, TimestampTz *until)
{
	List *name = list_make2(makeString(pstrdup(NA_SCHEMA)), makeString(pstrdup(NA_FN_RESOLVE_IDENTITY)));
	Oid argtypes[2] = {TEXTOID, TEXTOID};
	FmgrInfo flinfo;
	fmgr_info(LookupFuncName(name, 2, argtypes, false), &flinfo);
	LOCAL_FCINFO(call, 2);
	InitFunctionCallInfoData(*call, &flinfo, 2, InvalidOid, nullptr, nullptr);
	call->args[0].value = credential ? CStringGetTextDatum(credential) : (Datum) 0;
	call->args[0].isnull = credential == nullptr;
	call->args[1].value = trusted_claims ? CStringGetTextDatum(trusted_claims) : (Datum) 0;
	call->args[1].isnull = trusted_claims == nullptr;
	Datum result = FunctionCallInvoke(call);
	*isnull = true;
	*until = DT_NOEND;
	if (call->isnull)
		return;
	HeapTupleHeader row = DatumGetHeapTupleHeader(result);
	bool until_null;
	*identity = GetAttributeByNum(row, 1, isnull);
	Datum u = GetAttributeByNum(row, 2, &until_null);
	if (!until_null)
		*until = DatumGetTimestampTz(u);
}

/* Two dots: a JWT (the verifier is strict about the rest). */
static bool
looks_like_jwt(const char *credential)
{
	const char *dot = strchr(credential, '.');
	return dot != nullptr && (dot = strchr(dot + 1, '.')) != nullptr && strchr(dot + 1, '.') == nullptr;
}

/* A "sub" claim that names a user: a uuid in its text form (any case). */
static bool
parse_uuid(const char *sub, pg_uuid_t *out)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	if (sub == nullptr || strlen(sub) != sizeof shape - 1)
		return false;
	for (size_t i = 0; shape[i] != '\0'; i++)
		if (shape[i] == '-' ? sub[i] != '-' : !isxdigit((unsigned char) sub[i]))
			return false;
	*out = *DatumGetUUIDP(DirectFunctionCall1(uuid_in, CStringGetDatum(sub)));
	return true;
}

/*
 * The identity behind a JWT, all in C: the signature and claims checked
 * against the kept trust (jwt_fns.cpp), then one index probe for the user's
 * ban state. {sub, via: "jwt", claims, session: null}, valid until the token
 * expires (plus leeway) or its key stops being trusted.
 */
static void
resolve_jwt(const char *token, bool keep, Datum *identity, bool *isnull, TimestampTz *until, const char **error)
{
	NaJwtCheck check;
	na_jwt_check(token, keep, generation, &check);
	*error = check.error;
	pg_uuid_t uid;
	if (check.error != nullptr || !parse_uuid(check.sub, &uid) ||
	    !na_user_active(&uid, GetCurrentTransactionStartTimestamp()))
		return;
	char *sub = DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum(&uid)));
	StringInfoData json;
	initStringInfo(&json);
	appendStringInfo(&json, "{\"sub\": \"%s\", \"via\": \"jwt\", \"claims\": %s, \"session\": null}", sub, check.claims);
	*identity = DirectFunctionCall1(jsonb_in, CStringGetDatum(json.data));
	*isnull = false;
	*until = check.valid_until;
}

/* What a cache key stands for: its first byte in the digest. */
typedef enum Kind { CREDENTIAL = 'c', TRUSTED_CLAIMS = 't', JWT_CLAIMS = 'j' } Kind;

/* The answer for one key, computed (not cached): an identity, or for
 * JWT_CLAIMS the verified claims (with the JWT error code when NULL). */
static void
answer(Kind kind, const char *input, bool keep, Datum *result, bool *isnull, TimestampTz *until, const char **error)
{
	*isnull = true;
	*until = DT_NOEND;
	*error = nullptr;
	if (kind == JWT_CLAIMS) {
		NaJwtCheck check;
		na_jwt_check(input, keep, generation, &check);
		*error = check.error;
		if (check.error == nullptr) {
			*result = DirectFunctionCall1(jsonb_in, CStringGetDatum(check.claims));
			*isnull = false;
			*until = check.valid_until;
		}
		return;
	}
	if (kind == CREDENTIAL && looks_like_jwt(input)) {
		resolve_jwt(input, keep, result, isnull, until, error);
		return;
	}
	resolve_in_sql(kind == CREDENTIAL ? input : nullptr, kind == TRUSTED_CLAIMS ? input : nullptr, result, isnull, until);
}

/*
 * The cache key: the kind's letter and the input, as a BLAKE2b digest. The
 * last one is remembered, since a client sends the same token with each
 * request.
 */
static char last_digest_kind = 0;
static char *last_digest_input = nullptr;
static unsigned char last_digest[DIGEST_BYTES];

static void
digest_of(Kind kind, const char *input, size_t input_len, unsigned char *digest)
{
	if (last_digest_input != nullptr && last_digest_kind == (char) kind && strcmp(last_digest_input, input) == 0) {
		memcpy(digest, last_digest, DIGEST_BYTES);
		return;
	}
	const unsigned char letter = (unsigned char) kind;
	crypto_generichash_state state;
	crypto_generichash_init(&state, nullptr, 0, DIGEST_BYTES);
	crypto_generichash_update(&state, &letter, 1);
	crypto_generichash_update(&state, (const unsigned char *) input, input_len);
	crypto_generichash_final(&state, digest, DIGEST_BYTES);
	if (input_len < MAX_CACHED_KEY) {
		char *copy = MemoryContextStrdup(TopMemoryContext, input);
		wipe_free(last_digest_input);
		last_digest_input = copy;
		last_digest_kind = (char) kind;
		memcpy(last_digest, digest, DIGEST_BYTES);
	}
}

/*
 * The answer for a key (its kind and input) through the per-backend cache.
 * Only positive answers are cached, and only when they were read from
 * committed data with a snapshot taken after the generation was noted: a
 * change committed later sends its invalidation later, which ends the
 * generation.
 */
static void
cached(Kind kind, const char *input, Datum *result, bool *isnull, const char **error)
{
	size_t input_len = strlen(input);
	unsigned char digest[DIGEST_BYTES];
	digest_of(kind, input, input_len, digest);

	AcceptInvalidationMessages();
	uint64 noted = generation;
	TimestampTz now = GetCurrentTransactionStartTimestamp(); /* now(), as the SQL checks use */
	*error = nullptr;
	/* SERIALIZABLE reads must take their predicate locks: no shortcut. */
	int hit = IsolationIsSerializable() ? -1 : cache_lookup(digest);
	if (hit >= 0 && cache[hit].generation == noted && now < cache[hit].until) {
		cache_hits++;
		mark_used(hit);
		*result = cache[hit].identity;
		*isnull = false;
		return;
	}

	/*
	 * A fresh snapshot, so the answer reflects every change committed before
	 * `noted`. Not possible in parallel mode, and not wanted under REPEATABLE
	 * READ or SERIALIZABLE, whose reads must use the transaction's snapshot;
	 * and the answer is not cacheable when this transaction has written (it
	 * might roll back).
	 */
	bool cacheable = !IsInParallelMode() && !IsolationUsesXactSnapshot() &&
	                 !TransactionIdIsValid(GetTopTransactionIdIfAny()) && input_len < MAX_CACHED_KEY && know_watched();
	TimestampTz until;
	cache_misses++;
	na_warn_if_copy(); /* once per connection; every connection starts with a miss */
	if (cacheable)
		PushActiveSnapshot(GetLatestSnapshot());
	answer(kind, input, cacheable, result, isnull, &until, error);
	if (cacheable)
		PopActiveSnapshot();
	if (cacheable && !*isnull && noted == generation && now < until) {
		Datum kept = cache_store(hit, digest, *result, until);
		if (kept != (Datum) 0)
			*result = kept;
	}
}

/*
 * The credential in the request's settings (authenticate()'s, else the
 * bearer header, else the session cookie), remembered for the last inputs
 * seen (`inputs`: the three settings, length-prefixed): a client sends the
 * same headers with each of its requests, and reading a kilobyte of header
 * JSON costs more than the rest of a cached lookup. The answer is borrowed,
 * valid until the next call.
 */
static char *last_inputs = nullptr;
static char *last_credential = nullptr;

/*
 * config.cookie_prefix (Better Auth's cookiePrefix), the first part of the
 * session cookie's name: read once per cache generation (a change to config
 * starts a new one), and only for requests that carry cookies.
 */
static char *kept_prefix = nullptr;
static uint64 prefix_generation = 0;

static const char *
cookie_prefix(const char *cookies)
{
	if (cookies == nullptr || cookies[0] == '\0')
		return "";
	if (kept_prefix == nullptr || prefix_generation != generation) {
		char *read = na_cookie_prefix();
		char *copy = MemoryContextStrdup(TopMemoryContext, read);
		pfree(read);
		if (kept_prefix != nullptr)
			pfree(kept_prefix);
		kept_prefix = copy;
		prefix_generation = generation;
	}
	return kept_prefix;
}

static const char *
credential_of(const char *inputs, const char *headers, const char *cookies, const char *prefix)
{
	if (last_inputs != nullptr && strcmp(last_inputs, inputs) == 0)
		return last_credential;
	char *found = na_request_credential(credential_setting, headers, cookies, prefix[0] != '\0' ? prefix : nullptr);
	MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
	char *inputs_copy = pstrdup(inputs);
	char *credential_copy = found != nullptr ? pstrdup(found) : nullptr;
	MemoryContextSwitchTo(old);
	wipe_free(found);
	wipe_free(last_inputs);
	wipe_free(last_credential);
	last_inputs = inputs_copy;
	last_credential = credential_copy;
	return last_credential;
}

/*
 * _identity() -> jsonb: who is calling, resolved as docs/rls.md says and
 * memoised per statement. Every input (the settings below) is part of the
 * memo key, so a changed header or credential is seen at once.
 */
Datum
neon_auth_identity(PG_FUNCTION_ARGS)
{
	const char *headers = GetConfigOption("request.headers", true, false);
	const char *cookies = GetConfigOption("request.cookies", true, false);
	const char *claims = trust_jwt_claims ? GetConfigOption("request.jwt.claims", true, false) : nullptr;

	/*
	 * What makes "the same statement": the client message's start time, the
	 * transaction (a procedure's COMMIT starts a new one), and the command
	 * counter, which moves after every write, so a sign-out or revocation
	 * earlier in the same message or transaction is seen by the next command.
	 */
	StringInfoData inputs, key;
	initStringInfo(&inputs);
	append_part(&inputs, credential_setting);
	append_part(&inputs, headers);
	append_part(&inputs, cookies);
	const char *prefix = cookie_prefix(cookies);
	append_part(&inputs, prefix);
	initStringInfo(&key);
	appendStringInfo(&key, "%lld/%u/%u|%s", (long long) GetCurrentStatementStartTimestamp(), MyProc->lxid,
	                 GetCurrentCommandId(false), inputs.data);
	append_part(&key, trust_jwt_claims ? "trusted" : "untrusted");
	if (trust_jwt_claims)
		append_part(&key, claims);

	if (memo.key == nullptr || strcmp(memo.key, key.data) != 0) {
		const char *credential = credential_of(inputs.data, headers, cookies, prefix);
		Datum identity = (Datum) 0;
		bool isnull = true;
		/*
		 * The one place that decides what identifies the caller: a
		 * credential whenever the request carries one (verified or not: an
		 * invalid one identifies nobody and never falls through), else the
		 * trusted claims, if a superuser chose to trust them.
		 */
		const char *error;
		if (credential != nullptr)
			cached(CREDENTIAL, credential, &identity, &isnull, &error);
		else if (claims != nullptr && claims[0] != '\0')
			cached(TRUSTED_CLAIMS, claims, &identity, &isnull, &error);
		entry_set(&memo, key.data, 0, identity, isnull, DT_NOEND);
	}
	pfree(inputs.data);
	pfree(key.data);
	if (memo.isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(datumCopy(memo.identity, false, -1));
}

/*
 * AFTER trigger (row level, and statement level for TRUNCATE) on the tables
 * identities depend on: ends the
 * cache generation in every backend (see above). A relcache invalidation is
 * transactional: sent at commit, dropped at rollback, seen by this backend at
 * its next command.
 */
Datum
neon_auth_identity_changed(PG_FUNCTION_ARGS)
{
	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
		                errmsg("neon_auth._identity_changed() must be called as a trigger")));
	CacheInvalidateRelcache(((TriggerData *) fcinfo->context)->tg_relation);
	return PointerGetDatum(nullptr);
}

/*
 * _credential_source() -> text: where the request's credential comes from
 * ('authenticate', 'bearer', 'cookie'), by the same rule as _identity(), or
 * NULL. The origin check (CSRF) applies to cookies only.
 */
Datum
neon_auth_credential_source(PG_FUNCTION_ARGS)
{
	const char *cookies = GetConfigOption("request.cookies", true, false);
	const char *prefix = cookie_prefix(cookies);
	const char *source = na_request_credential_source(credential_setting, GetConfigOption("request.headers", true, false),
	                                                  cookies, prefix[0] != '\0' ? prefix : nullptr);
	if (source == nullptr)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(source));
}

/* Raise a catalogued error (neon_auth.error_code) through _raise_secret,
 * which keeps the statement, and the token in it, out of the server log. */
static void
raise_secret(const char *code, const char *argument)
{
	List *name = list_make2(makeString(pstrdup(NA_SCHEMA)), makeString(pstrdup(NA_FN_RAISE_SECRET)));
	Oid argtypes[2] = {TEXTOID, TEXTOID};
	Oid fn = LookupFuncName(name, 2, argtypes, false);
	LOCAL_FCINFO(call, 2);
	FmgrInfo flinfo;
	fmgr_info(fn, &flinfo);
	InitFunctionCallInfoData(*call, &flinfo, 2, InvalidOid, nullptr, nullptr);
	call->args[0].value = CStringGetTextDatum(code);
	call->args[0].isnull = false;
	call->args[1].value = argument ? CStringGetTextDatum(argument) : (Datum) 0;
	call->args[1].isnull = argument == nullptr;
	FunctionCallInvoke(call);
	ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR), errmsg("neon_auth._raise_secret() did not raise")));
}

/*
 * verify_jwt(token text) -> jsonb: the claims of a JWT signed by a trusted
 * key and valid now, else the JWT_* error. Through the per-backend cache: a
 * token seen before costs a digest and a lookup, until it expires or the
 * auth tables change.
 */
Datum
neon_auth_verify_jwt(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		raise_secret("VALIDATION_ERROR", "token");
	char *token = text_to_cstring(PG_GETARG_TEXT_PP(0));
	Datum claims = (Datum) 0;
	bool isnull = true;
	const char *error = nullptr;
	cached(JWT_CLAIMS, token, &claims, &isnull, &error);
	wipe_free(token);
	if (isnull)
		raise_secret(error != nullptr ? error : "JWT_MALFORMED", nullptr);
	PG_RETURN_DATUM(datumCopy(claims, false, -1));
}

/* _identity_cache() -> jsonb: this backend's cache, for docs/rls.md's
 * figures and the tests that show what is resolved once. */
Datum
neon_auth_identity_cache(PG_FUNCTION_ARGS)
{
	char buf[256];
	snprintf(buf, sizeof buf,
	         "{\"entries\": %llu, \"bytes\": %llu, \"capacity\": %d, \"byte_budget\": %llu, "
	         "\"hits\": %llu, \"misses\": %llu, \"generation\": %llu}",
	         (unsigned long long) cache_entries, (unsigned long long) cache_bytes, CACHE_SLOTS,
	         (unsigned long long) CACHE_BYTES, (unsigned long long) cache_hits, (unsigned long long) cache_misses,
	         (unsigned long long) generation);
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf)));
}
