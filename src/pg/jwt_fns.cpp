// SQL entry points for signing keys and JWTs (jwt.cpp), and the JWT check of
// the identity path (na_jwt_check, jwt_fns.h). Key rows, their encryption and
// the choice of keys to trust are SQL's business (src/sql/20_jwt.sql); this
// file signs and verifies, and keeps the keys and settings it reads per
// backend.
extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "funcapi.h"
#include "access/htup_details.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "access/xact.h"
#include "catalog/pg_type_d.h"
#include "nodes/makefuncs.h"
#include "parser/parse_func.h"
#include "utils/timestamp.h"
#include "compat.h"
#include "jwt_fns.h"
#include "auth_rows.h"
#include "common/int.h"
#include "sql_names.h"

NA_FUNCTION(neon_auth_jwk_generate);
NA_FUNCTION(neon_auth_jwk_public);
NA_FUNCTION(neon_auth_jwt_sign);
NA_FUNCTION(neon_auth_jwt_sign_hs256);
NA_FUNCTION(neon_auth_jwt_verify);
}

#include "guard.hpp"

#include "jwt.hpp"
#include "symmetric.hpp"

#include <cmath>
#include <memory>
#include <vector>

namespace pg = neon_auth::pg;
namespace core = neon_auth::core;

/* _jwk_generate(alg text) -> text: a new private JWK for EdDSA, ES256 or RS256, else NULL */
Datum
neon_auth_jwk_generate(PG_FUNCTION_ARGS)
{
	return pg::text_function<1>(fcinfo, [](const std::array<std::string_view, 1> &a) {
		return core::generate_private_jwk(a[0]);
	});
}

/* _jwk_public(jwk text) -> text: the public JWK, or NULL if not a supported, valid JWK */
Datum
neon_auth_jwk_public(PG_FUNCTION_ARGS)
{
	return pg::text_function<1>(fcinfo,
	                            [](const std::array<std::string_view, 1> &a) { return core::public_jwk(a[0]); });
}

/* _jwt_sign(kid text, payload text, private_jwk text) -> text, or NULL for a bad key or payload */
Datum
neon_auth_jwt_sign(PG_FUNCTION_ARGS)
{
	return pg::text_function<3>(fcinfo, [](const std::array<std::string_view, 3> &a) {
		return core::jwt_sign(a[0], a[1], a[2]);
	});
}

/* _jwt_sign_hs256(payload text, secret text) -> text: an HS256 JWT (PostgREST's jwt-secret), or NULL */
Datum
neon_auth_jwt_sign_hs256(PG_FUNCTION_ARGS)
{
	return pg::text_function<2>(fcinfo, [](const std::array<std::string_view, 2> &a) {
		return core::jwt_sign_hs256(a[0], a[1]);
	});
}

/*
 * _jwt_verify(token, kids text[], algs text[], public_jwks text[], now bigint,
 *             leeway integer, issuer text, audience text,
 *             OUT error text, OUT kid text, OUT claims text)
 * error is NULL and claims the payload when the token is valid.
 */
Datum
neon_auth_jwt_verify(PG_FUNCTION_ARGS)
{
	/* Phase A. std::vector is a C++ object, so build the arrays as palloc'd
	 * C arrays here and wrap them only inside the guard. */
	text *token = PG_GETARG_TEXT_PP(0);
	ArrayType *kids_a = PG_GETARG_ARRAYTYPE_P(1);
	ArrayType *algs_a = PG_GETARG_ARRAYTYPE_P(2);
	ArrayType *keys_a = PG_GETARG_ARRAYTYPE_P(3);
	int64 now = PG_GETARG_INT64(4);
	int32 leeway = PG_GETARG_INT32(5);
	text *issuer = PG_GETARG_TEXT_PP(6);
	text *audience = PG_GETARG_TEXT_PP(7);
	Datum *kids, *algs, *keys;
	bool *kn, *an, *yn;
	int nk, na, ny;
	deconstruct_array(kids_a, TEXTOID, -1, false, TYPALIGN_INT, &kids, &kn, &nk);
	deconstruct_array(algs_a, TEXTOID, -1, false, TYPALIGN_INT, &algs, &an, &na);
	deconstruct_array(keys_a, TEXTOID, -1, false, TYPALIGN_INT, &keys, &yn, &ny);
	if (nk != na || nk != ny)
		ereport(ERROR, (errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR), errmsg("key arrays differ in length")));
	for (int i = 0; i < nk; i++) {
		if (kn[i] || an[i] || yn[i])
			ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("key arrays must not contain NULL")));
		kids[i] = PointerGetDatum(DatumGetTextPP(kids[i]));
		algs[i] = PointerGetDatum(DatumGetTextPP(algs[i]));
		keys[i] = PointerGetDatum(DatumGetTextPP(keys[i]));
	}
	TupleDesc tupdesc;
	if (get_call_result_type(fcinfo, nullptr, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED), errmsg("function returning record called in a context that cannot accept it")));

	/* Phase B */
	text *out_error = nullptr, *out_kid = nullptr, *out_claims = nullptr;
	pg::Failure f;
	pg::guarded(f, [&] {
		std::vector<core::JwtKey> jwt_keys;
		for (int i = 0; i < nk; i++)
			jwt_keys.push_back({std::string(pg::view(reinterpret_cast<text *>(DatumGetPointer(kids[i])))),
			                    std::string(pg::view(reinterpret_cast<text *>(DatumGetPointer(algs[i])))),
			                    std::string(pg::view(reinterpret_cast<text *>(DatumGetPointer(keys[i]))))});
		core::JwtChecks checks;
		checks.now = now;
		checks.leeway = leeway;
		checks.issuer = std::string(pg::view(issuer));
		checks.audience = std::string(pg::view(audience));
		core::JwtVerification v = core::jwt_verify(pg::view(token), jwt_keys, checks);
		if (v.error != nullptr)
			out_error = pg::make_text(v.error);
		else
			out_claims = pg::make_text(v.claims_json);
		if (!v.kid.empty() && v.kid.size() <= 256)
			out_kid = pg::make_text(v.kid);
	});
	/* Phase C */
	if (f.failed)
		pg::report(f);
	Datum values[3] = {PointerGetDatum(out_error), PointerGetDatum(out_kid), PointerGetDatum(out_claims)};
	bool nulls[3] = {out_error == nullptr, out_kid == nullptr, out_claims == nullptr};
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}

/*
 * The trust of this backend: the keys whose tokens verify (live ones, and
 * retired ones for the grace period), the end of each key's trust, the
 * leeway, and base_url's origin as issuer and audience, read straight from
 * neon_auth.jwks and neon_auth.config (auth_rows.cpp: no SQL, so a new
 * connection's first JWT costs no planning or PL/pgSQL compilation). Kept
 * while the identity cache's generation stays (every change to config,
 * secret or an existing key ends it); a token naming a kid the kept keys do
 * not know (a key made since) makes it read again.
 */
struct Trust {
	std::vector<core::JwtKey> keys;
	std::vector<TimestampTz> until; /* per key; DT_NOEND: no end */
	core::JwtChecks checks;          /* checks.now is set per token */
	core::Hs256Key hs256;            /* PostgREST's secret (set_postgrest_secret), decrypted; empty: none */
	bool no_origin = false;          /* base_url has no origin: nothing verifies */
};
static Trust *kept = nullptr;
static uint64 kept_generation = 0;

/* What the tables say (phase A), as palloc'd C strings. */
typedef struct TrustRow {
	int n;
	char **kids, **algs, **jwks;
	TimestampTz *until;
	int32 leeway;
	char *origin; /* NULL: none */
	char *server_secret, *postgrest_secret, *hs256_audience; /* NULL: none */
} TrustRow;

/* The origin of a URL as _origin() gives it: the match of
 * ^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]+ , else NULL. */
static char *
origin_of(const char *url)
{
	if (url == nullptr || !isalpha((unsigned char) url[0]))
		return nullptr;
	const char *p = url + 1;
	while (isalnum((unsigned char) *p) || *p == '+' || *p == '.' || *p == '-')
		p++;
	if (strncmp(p, "://", 3) != 0)
		return nullptr;
	p += 3;
	size_t host = strcspn(p, "/?#");
	if (host == 0)
		return nullptr;
	return pnstrdup(url, (p - url) + host);
}

/* expires_at plus the grace period, as timestamptz + interval computes it. */
static TimestampTz
trusted_until(TimestampTz expires_at, int32 grace_period)
{
	if (TIMESTAMP_NOT_FINITE(expires_at))
		return expires_at;
	TimestampTz until;
	if (pg_add_s64_overflow(expires_at, (int64) grace_period * USECS_PER_SEC, &until))
		return DT_NOEND;
	return until;
}

static void
read_trust(TrustRow *row)
{
	int n;
	NaKeyRow *keys = na_key_rows(&n);
	int32 grace_period = 0;
	char *base_url = nullptr;
	bool configured = na_jwt_config(&row->leeway, &grace_period, &base_url);
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	row->kids = static_cast<char **>(palloc(sizeof(char *) * (n + 1)));
	row->algs = static_cast<char **>(palloc(sizeof(char *) * (n + 1)));
	row->jwks = static_cast<char **>(palloc(sizeof(char *) * (n + 1)));
	row->until = static_cast<TimestampTz *>(palloc(sizeof(TimestampTz) * (n + 1)));
	row->n = 0;
	row->origin = configured ? origin_of(base_url) : nullptr;
	row->server_secret = row->postgrest_secret = row->hs256_audience = nullptr;
	if (configured)
		na_postgrest_secret(&row->server_secret, &row->postgrest_secret, &row->hs256_audience);
	for (int i = 0; configured && i < n; i++) {
		TimestampTz until = keys[i].has_expiry ? trusted_until(keys[i].expires_at, grace_period) : DT_NOEND;
		if (until <= now || keys[i].public_jwk == nullptr)
			continue;
		row->kids[row->n] = keys[i].kid;
		row->algs[row->n] = keys[i].alg != nullptr ? keys[i].alg : pstrdup("EdDSA");
		row->jwks[row->n] = keys[i].public_jwk;
		row->until[row->n] = until;
		row->n++;
	}
}

/* Phase B: a Trust from what the tables say. */
static std::unique_ptr<Trust>
make_trust(const TrustRow &row)
{
	auto t = std::make_unique<Trust>();
	for (int i = 0; i < row.n; i++) {
		t->keys.push_back({row.kids[i], row.algs[i], row.jwks[i]});
		t->until.push_back(row.until[i]);
	}
	core::prepare_jwt_keys(t->keys);
	/* HS256 only with a secret that decrypts under the server secret. */
	if (row.server_secret != nullptr && row.postgrest_secret != nullptr) {
		auto secret = core::symmetric_decrypt(row.server_secret, row.postgrest_secret);
		if (secret && !secret->empty()) {
			t->hs256.secret = std::move(*secret);
			t->hs256.audience = row.hs256_audience != nullptr ? row.hs256_audience : "";
		}
	}
	t->checks.leeway = row.leeway;
	t->no_origin = row.origin == nullptr;
	t->checks.issuer = t->checks.audience = row.origin != nullptr ? row.origin : "";
	return t;
}

/* now(), as Unix seconds (floor). */
static int64
unix_now(void)
{
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	return (int64) std::floor((double) now / USECS_PER_SEC) +
	       (int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY;
}

/* Unix seconds, clamped to the year 9999 (the verifier takes any finite exp), as a timestamptz. */
static TimestampTz
from_unix(double secs)
{
	secs = std::min(secs, 253402300799.0);
	return (TimestampTz) ((secs - (double) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY) * USECS_PER_SEC);
}

void
na_jwt_check(const char *token, bool keep, uint64 generation, NaJwtCheck *out)
{
	memset(out, 0, sizeof *out);
	int64 now = unix_now();
	TimestampTz now_ts = GetCurrentTransactionStartTimestamp();
	bool use_kept = keep && kept != nullptr && kept_generation == generation;
	for (;;) {
		TrustRow row;
		if (!use_kept) /* phase A */
			read_trust(&row);
		text *claims = nullptr, *sub = nullptr;
		const char *error = nullptr;
		double exp = 0;
		TimestampTz key_until = DT_NOEND;
		bool unknown_key = false;
		pg::Failure f;
		pg::guarded(f, [&] { /* phase B */
			std::unique_ptr<Trust> fresh = use_kept ? nullptr : make_trust(row);
			Trust *t = use_kept ? kept : fresh.get();
			t->checks.now = now;
			core::JwtVerification v = core::jwt_verify(token, t->keys, t->checks, t->hs256);
			/* No origin to require as issuer and audience: nothing verifies. */
			if (v.error == nullptr && t->no_origin)
				v.error = core::kJwtWrongIssuer;
			for (size_t i = 0; v.error == nullptr && i < t->keys.size(); i++)
				if (t->keys[i].kid == v.kid)
					key_until = t->until[i];
			/* A key kept since before its grace period ended is no longer
			 * trusted: as if unknown (kept keys are then read again). */
			if (v.error == nullptr && key_until <= now_ts)
				v.error = core::kJwtUnknownKey;
			error = v.error;
			unknown_key = v.error == core::kJwtUnknownKey;
			if (v.error == nullptr) {
				claims = pg::make_text(v.claims_json);
				sub = v.sub.empty() ? nullptr : pg::make_text(v.sub);
				exp = v.exp;
			}
			if (fresh != nullptr && keep) {
				delete kept;
				kept = fresh.release();
				kept_generation = generation;
			}
		});
		if (f.failed) /* phase C */
			pg::report(f);
		if (unknown_key && use_kept) {
			use_kept = false; /* perhaps a key made since it was read */
			continue;
		}
		out->error = error;
		if (error == nullptr) {
			out->claims = text_to_cstring(claims);
			out->sub = sub != nullptr ? text_to_cstring(sub) : nullptr;
			out->valid_until = Min(from_unix(exp + (double) (use_kept ? kept->checks.leeway : row.leeway)), key_until);
		}
		return;
	}
}
