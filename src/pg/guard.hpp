// The C++ -> PostgreSQL boundary. Every SQL-callable function runs in three
// phases:
//   A. PostgreSQL only: fetch and detoast arguments (may ereport).
//   B. C++ only, inside guarded(): no PostgreSQL call that can ereport, so no
//      longjmp ever skips a C++ destructor. Results leave phase B as palloc'd
//      Datums (palloc_extended with MCXT_ALLOC_NO_OOM never ereports) or as
//      trivially destructible values.
//   C. PostgreSQL only: report() a failure as an ERROR, or return.
// guarded() catches everything, including non-std exceptions, because an
// exception escaping into PostgreSQL aborts the backend and restarts the
// whole cluster.
#pragma once

#ifndef POSTGRES_H
#error "include postgres.h (inside extern \"C\") before guard.hpp"
#endif

#include <array>
#include <cstdio>
#include <cstring>
#include <new>
#include <optional>
#include <string>
#include <stdexcept>
#include <string_view>

#include <sodium.h>

extern "C" {
#include "utils/memutils.h"
}

namespace neon_auth::pg {

struct Failure {
	bool failed = false;
	int sqlstate = 0;
	char message[256] = {0};
	char detail[256] = {0};
};

// Expected, user-facing errors thrown from phase B (bad argument values).
struct UserError : std::runtime_error {
	int sqlstate;
	UserError(int code, const char *msg) : std::runtime_error(msg), sqlstate(code) {}
};

template <typename Fn>
void guarded(Failure &f, Fn &&fn) noexcept
{
	try {
		fn();
		return;
	} catch (const UserError &e) {
		f.sqlstate = e.sqlstate;
		std::snprintf(f.message, sizeof f.message, "%s", e.what());
	} catch (const std::bad_alloc &) {
		f.sqlstate = ERRCODE_OUT_OF_MEMORY;
		std::snprintf(f.message, sizeof f.message, "out of memory");
	} catch (const std::exception &e) {
		f.sqlstate = ERRCODE_INTERNAL_ERROR;
		std::snprintf(f.message, sizeof f.message, "internal error in neon_auth");
		// Library error text only: core code never puts input data into it.
		std::snprintf(f.detail, sizeof f.detail, "%s", e.what());
	} catch (...) {
		f.sqlstate = ERRCODE_INTERNAL_ERROR;
		std::snprintf(f.message, sizeof f.message, "internal error in neon_auth");
		std::snprintf(f.detail, sizeof f.detail, "An unknown C++ exception was caught.");
	}
	f.failed = true;
}

// Phase C: raise the failure as a PostgreSQL ERROR. The statement is kept
// out of the server log: the functions behind the guard take tokens,
// passwords and secrets as arguments.
inline void report(const Failure &f)
{
	if (f.detail[0] != '\0')
		ereport(ERROR, (errcode(f.sqlstate), errmsg("%s", f.message), errdetail("%s", f.detail), errhidestmt(true)));
	ereport(ERROR, (errcode(f.sqlstate), errmsg("%s", f.message), errhidestmt(true)));
}

// Borrow a text argument's bytes (the argument must already be detoasted).
inline std::string_view view(const text *t)
{
	return {VARDATA_ANY(t), static_cast<std::size_t>(VARSIZE_ANY_EXHDR(t))};
}

// Copy bytes into a new text Datum from phase B. Never ereports: an
// allocation failure becomes std::bad_alloc, which guarded() turns into 53200.
inline text *make_text(std::string_view s)
{
	// palloc refuses (with an ereport) anything over MaxAllocSize, so check
	// first: a longjmp from here would skip the caller's C++ destructors.
	if (s.size() > MaxAllocSize - VARHDRSZ)
		throw UserError(ERRCODE_PROGRAM_LIMIT_EXCEEDED, "result exceeds the maximum size of a text value");
	auto *t = static_cast<text *>(palloc_extended(VARHDRSZ + s.size(), MCXT_ALLOC_NO_OOM));
	if (t == nullptr)
		throw std::bad_alloc();
	SET_VARSIZE(t, VARHDRSZ + s.size());
	std::memcpy(VARDATA(t), s.data(), s.size());
	return t;
}

// The three phases for the common case: N text arguments, a text result or
// NULL. `fn` gets the arguments as string_views and returns
// std::optional<std::string>; nullopt becomes SQL NULL. The SQL function must
// be STRICT (no NULL arguments arrive here).
template <std::size_t N, typename Fn>
Datum text_function(FunctionCallInfo fcinfo, Fn &&fn)
{
	std::array<text *, N> args{}; // phase A: detoasting may ereport
	for (std::size_t i = 0; i < N; i++)
		args[i] = PG_GETARG_TEXT_PP(static_cast<int>(i));
	text *result = nullptr;
	Failure f;
	guarded(f, [&] { // phase B
		std::array<std::string_view, N> views;
		for (std::size_t i = 0; i < N; i++)
			views[i] = view(args[i]);
		std::optional<std::string> r = fn(views);
		if (r) {
			result = make_text(*r);
			// Results can be secrets (hashes, tokens, plaintexts): leave no copy
			// in freed heap memory.
			sodium_memzero(r->data(), r->size());
		}
	});
	if (f.failed) // phase C
		report(f);
	if (result == nullptr)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(result);
}

} // namespace neon_auth::pg
