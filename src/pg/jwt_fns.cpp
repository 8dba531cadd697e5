// SQL entry points for signing keys and JWTs (jwt.cpp). Key rows, their
// encryption and the choice of keys to trust are SQL's business
// (src/sql/20_jwt.sql, src/sql/30_identity.sql); this file only signs and
// verifies.
extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "funcapi.h"
#include "access/htup_details.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "compat.h"

NA_FUNCTION(neon_auth_jwk_generate);
NA_FUNCTION(neon_auth_jwk_public);
NA_FUNCTION(neon_auth_jwt_sign);
NA_FUNCTION(neon_auth_jwt_verify);
}

#include "guard.hpp"

#include "jwt.hpp"

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
