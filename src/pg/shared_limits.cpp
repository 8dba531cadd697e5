// Rate-limit counters in shared memory, which no rollback undoes.
//
// The rateLimit table (Better Auth's) counts an attempt in the caller's
// transaction, so a raised error or a ROLLBACK takes the count back: a
// caller in plain SQL could guess passwords without limit. When the library
// is in shared_preload_libraries, neon_auth._rate_limited() first asks these
// counters, which are kept outside any transaction, as auth_delay and
// pg_stat_statements keep their state. Without preloading they do not exist,
// _shared_limits() says so, and the first raised failure of each backend
// warns (docs/security.md).
//
// Plain PostgreSQL C in a .cpp file, like identity_fns.cpp: no C++ object or
// exception, so ereport may happen anywhere.
extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "compat.h"

NA_FUNCTION(neon_auth_shared_limits);
NA_FUNCTION(neon_auth_shared_rate_limit);
NA_FUNCTION(neon_auth_warn_rollback_limits);
void na_shared_limits_init(void);
}

/*
 * An open-addressed table of counters, keyed by a 128-bit hash of the
 * database and the rate limit key under a seed drawn at server start (so
 * nobody can aim keys at one slot, and one database's attempts never count
 * in another's). A key looks at PROBES slots from its hash. A new key takes
 * an empty or expired one among them, else the least recently used one that
 * is not refusing: a key at its limit is never evicted, so a flood of new
 * keys cannot wipe the count of a guessed password. When all its slots are
 * refusing, a new key is refused too (fail closed).
 */
#define SLOTS 65536
#define PROBES 8
#define TRANCHE "neon_auth rate limits"

typedef struct Slot {
	uint64 key1, key2; /* 0, 0: empty */
	int64 last_ms;     /* the last counted attempt */
	int64 window_ms;   /* the window it was counted in */
	int32 count;
	int32 max;         /* the limit it was counted under */
} Slot;

typedef struct Shared {
	LWLock *lock;
	uint64 seed1, seed2;
	Slot slots[SLOTS];
} Shared;

static Shared *shared = nullptr;
static shmem_request_hook_type prev_shmem_request = nullptr;
static shmem_startup_hook_type prev_shmem_startup = nullptr;

static void
request_shmem(void)
{
	if (prev_shmem_request)
		prev_shmem_request();
	RequestAddinShmemSpace(sizeof(Shared));
	RequestNamedLWLockTranche(TRANCHE, 1);
}

static void
startup_shmem(void)
{
	if (prev_shmem_startup)
		prev_shmem_startup();
	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	bool found;
	shared = static_cast<Shared *>(ShmemInitStruct("neon_auth rate limits", sizeof(Shared), &found));
	if (!found) {
		memset(shared, 0, sizeof(Shared));
		shared->lock = &(GetNamedLWLockTranche(TRANCHE))->lock;
		if (!pg_strong_random(&shared->seed1, sizeof shared->seed1) ||
		    !pg_strong_random(&shared->seed2, sizeof shared->seed2))
			ereport(FATAL, (errmsg("could not generate a random seed for neon_auth's rate limits")));
	}
	LWLockRelease(AddinShmemInitLock);
}

void
na_shared_limits_init(void)
{
	if (!process_shared_preload_libraries_in_progress)
		return;
	prev_shmem_request = shmem_request_hook;
	shmem_request_hook = request_shmem;
	prev_shmem_startup = shmem_startup_hook;
	shmem_startup_hook = startup_shmem;
}

/* _shared_limits() -> boolean: are the shared counters there? */
Datum
neon_auth_shared_limits(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(shared != nullptr);
}

static bool
live(const Slot *s, int64 now_ms)
{
	return (s->key1 | s->key2) != 0 && now_ms - s->last_ms < s->window_ms;
}

static bool
refusing(const Slot *s, int64 now_ms)
{
	return live(s, now_ms) && s->count >= s->max;
}

static Slot *
probe(uint64 k1, int i)
{
	return &shared->slots[(k1 + (uint64) i) % SLOTS];
}

/* The slot a key already has, if any. */
static Slot *
find(uint64 k1, uint64 k2)
{
	for (int i = 0; i < PROBES; i++) {
		Slot *s = probe(k1, i);
		if (s->key1 == k1 && s->key2 == k2)
			return s;
	}
	return nullptr;
}

/* A slot for a new key: an empty or expired one, else the least recently
 * used one that is not refusing; never `taken` (the other key of the call).
 * NULL when every candidate is refusing. */
static Slot *
claim(uint64 k1, int64 now_ms, const Slot *taken)
{
	Slot *best = nullptr;
	for (int i = 0; i < PROBES; i++) {
		Slot *s = probe(k1, i);
		if (s == taken || refusing(s, now_ms))
			continue;
		if (!live(s, now_ms))
			return s;
		if (best == nullptr || s->last_ms < best->last_ms)
			best = s;
	}
	return best;
}

/*
 * _shared_rate_limit(keys text[], window_ms bigint, max_requests integer,
 * now_ms bigint) -> integer: Better Auth's rule for every key, as the table
 * applies it. NULL when the attempt may go on, and then it is counted under
 * every key; else the seconds until it may be retried, and nothing is
 * counted. Also NULL when the counters are not there (not preloaded).
 */
Datum
neon_auth_shared_rate_limit(PG_FUNCTION_ARGS)
{
	if (shared == nullptr || PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_NULL();
	ArrayType *keys = PG_GETARG_ARRAYTYPE_P(0);
	int64 window_ms = PG_GETARG_INT64(1);
	int32 max_requests = PG_GETARG_INT32(2);
	int64 now_ms = PG_GETARG_INT64(3);
	Datum *elems;
	bool *nulls;
	int n;
	deconstruct_array(keys, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);

	/* The database is part of the key: each database counts its own. */
	const uint64 db = ((uint64) MyDatabaseId << 32) | MyDatabaseId;
	uint64 k1[2], k2[2];
	int used = 0;
	for (int i = 0; i < n && used < 2; i++) {
		if (nulls[i])
			continue;
		text *t = DatumGetTextPP(elems[i]);
		const unsigned char *bytes = (const unsigned char *) VARDATA_ANY(t);
		k1[used] = hash_bytes_extended(bytes, VARSIZE_ANY_EXHDR(t), shared->seed1 ^ db);
		k2[used] = hash_bytes_extended(bytes, VARSIZE_ANY_EXHDR(t), shared->seed2 ^ db) | 1;
		used++;
	}

	int64 retry_ms = 0;
	Slot *slots[2] = {nullptr, nullptr};
	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	/* Existing slots first, so that a new key never takes the other's. */
	for (int i = 0; i < used; i++) {
		slots[i] = find(k1[i], k2[i]);
		if (slots[i] != nullptr && now_ms - slots[i]->last_ms < window_ms && slots[i]->count >= max_requests)
			retry_ms = Max(retry_ms, slots[i]->last_ms + window_ms - now_ms);
	}
	bool fresh[2] = {false, false};
	for (int i = 0; i < used && retry_ms == 0; i++) {
		if (slots[i] != nullptr)
			continue;
		slots[i] = claim(k1[i], now_ms, slots[1 - i]);
		fresh[i] = true;
		if (slots[i] == nullptr) /* every slot it could use is refusing another key */
			retry_ms = window_ms;
	}
	if (retry_ms == 0) {
		for (int i = 0; i < used; i++) {
			Slot *s = slots[i];
			if (fresh[i] || now_ms - s->last_ms >= window_ms) {
				s->key1 = k1[i];
				s->key2 = k2[i];
				s->count = 0;
			}
			s->count++;
			s->last_ms = now_ms;
			s->window_ms = window_ms;
			s->max = max_requests;
		}
	}
	LWLockRelease(shared->lock);
	if (retry_ms == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32((int32) Max((retry_ms + 999) / 1000, 1));
}

/*
 * _warn_rollback_limits() -> void: once per backend, the WARNING that
 * rate limits here are counted in the caller's transaction only.
 */
Datum
neon_auth_warn_rollback_limits(PG_FUNCTION_ARGS)
{
	static bool warned = false;
	if (shared == nullptr && !warned) {
		warned = true;
		ereport(WARNING,
		        (errmsg("neon_auth rate limits are undone by a rollback here"),
		         errdetail("neon_auth is not in shared_preload_libraries, so a failed attempt is counted in the caller's "
		                   "transaction only, and a raised error or a ROLLBACK takes the count back."),
		         errhint("Add neon_auth to shared_preload_libraries and restart the server (docs/security.md).")));
	}
	PG_RETURN_VOID();
}
