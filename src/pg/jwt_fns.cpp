// SQL entry points for signing keys and JWTs (jwt.cpp), and the JWT check of
// the identity path (na_jwt_check, jwt_fns.h). Key rows, their encryption and
// the choice of keys to trust are SQL's business (src/sql/20_jwt.sql); this
// file signs and verifies, and keeps what _jwt_trust() says per backend.
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
#include "sql_names.h"

NA_FUNCTION(neon_auth_jwk_generate);
NA_FUNCTION(neon_auth_jwk_public);
NA_FUNCTION(neon_auth_jwt_sign);
NA_FUNCTION(neon_auth_jwt_verify);
}

#include "guard.hpp"

#include "jwt.hpp"

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
 * The trust of this backend: the keys, the end of each key's trust, the
 * leeway, issuer and audience, as neon_auth._jwt_trust() answered them. Read
 * once and kept while the identity cache's generation stays (every change to
 * config, secret or an existing key ends it); a token naming a kid the kept
 * keys do not know (a key made since) makes it read again.
 */
struct Trust {
	std::vector<core::JwtKey> keys;
	std::vector<TimestampTz> until; /* per key; DT_NOEND: no end */
	core::JwtChecks checks;          /* checks.now is set per token */
};
static Trust *kept = nullptr;
static uint64 kept_generation = 0;

/* _jwt_trust()'s answer, as palloc'd C arrays (phase A). */
typedef struct TrustRow {
	int n;
	Datum *kids, *algs, *jwks, *until;
	bool *until_null;
	int32 leeway;
	text *origin;
} TrustRow;

static bool
read_trust(TrustRow *row)
{
	List *name = list_make2(makeString(pstrdup(NA_SCHEMA)), makeString(pstrdup(NA_FN_JWT_TRUST)));
	Oid fn = LookupFuncName(name, 0, nullptr, true);
	if (!OidIsValid(fn))
		return false;
	HeapTupleHeader t = DatumGetHeapTupleHeader(OidFunctionCall0(fn));
	bool isnull[6];
	Datum v[6];
	for (int i = 0; i < 6; i++)
		v[i] = GetAttributeByNum(t, i + 1, &isnull[i]);
	if (isnull[0] || isnull[1] || isnull[2] || isnull[3] || isnull[4] || isnull[5])
		ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR), errmsg("neon_auth._jwt_trust() answered NULL")));
	bool *nulls;
	int counts[4];
	deconstruct_array(DatumGetArrayTypeP(v[0]), TEXTOID, -1, false, TYPALIGN_INT, &row->kids, &nulls, &counts[0]);
	deconstruct_array(DatumGetArrayTypeP(v[1]), TEXTOID, -1, false, TYPALIGN_INT, &row->algs, &nulls, &counts[1]);
	deconstruct_array(DatumGetArrayTypeP(v[2]), TEXTOID, -1, false, TYPALIGN_INT, &row->jwks, &nulls, &counts[2]);
	deconstruct_array(DatumGetArrayTypeP(v[3]), TIMESTAMPTZOID, sizeof(TimestampTz), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
	                  &row->until, &row->until_null, &counts[3]);
	if (counts[0] != counts[1] || counts[0] != counts[2] || counts[0] != counts[3])
		ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR), errmsg("neon_auth._jwt_trust() answered arrays of different lengths")));
	row->n = counts[0];
	for (int i = 0; i < row->n; i++) {
		row->kids[i] = PointerGetDatum(DatumGetTextPP(row->kids[i]));
		row->algs[i] = PointerGetDatum(DatumGetTextPP(row->algs[i]));
		row->jwks[i] = PointerGetDatum(DatumGetTextPP(row->jwks[i]));
	}
	row->leeway = DatumGetInt32(v[4]);
	row->origin = DatumGetTextPP(v[5]);
	return true;
}

/* Phase B: a Trust from _jwt_trust()'s answer. */
static std::unique_ptr<Trust>
make_trust(const TrustRow &row)
{
	auto t = std::make_unique<Trust>();
	for (int i = 0; i < row.n; i++) {
		auto field = [](Datum d) { return std::string(pg::view(reinterpret_cast<text *>(DatumGetPointer(d)))); };
		t->keys.push_back({field(row.kids[i]), field(row.algs[i]), field(row.jwks[i])});
		t->until.push_back(row.until_null[i] ? DT_NOEND : DatumGetTimestampTz(row.until[i]));
	}
	core::prepare_jwt_keys(t->keys);
	t->checks.leeway = row.leeway;
	t->checks.issuer = t->checks.audience = std::string(pg::view(row.origin));
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

bool
na_jwt_check(const char *token, bool keep, uint64 generation, NaJwtCheck *out)
{
	memset(out, 0, sizeof *out);
	int64 now = unix_now();
	bool use_kept = keep && kept != nullptr && kept_generation == generation;
	for (;;) {
		TrustRow row;
		if (!use_kept && !read_trust(&row)) /* phase A */
			return false;
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
			core::JwtVerification v = core::jwt_verify(token, t->keys, t->checks);
			error = v.error;
			unknown_key = v.error == core::kJwtUnknownKey;
			if (v.error == nullptr) {
				claims = pg::make_text(v.claims_json);
				sub = v.sub.empty() ? nullptr : pg::make_text(v.sub);
				exp = v.exp;
				for (size_t i = 0; i < t->keys.size(); i++)
					if (t->keys[i].kid == v.kid)
						key_until = t->until[i];
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
		return true;
	}
}
