// Finding the credential in the request settings, for identity_fns.cpp.
extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "request_fns.h"
}

#include "guard.hpp"

#include "request.hpp"

namespace pg = neon_auth::pg;
namespace core = neon_auth::core;

char *
na_request_credential(const char *explicit_credential, const char *headers, const char *cookies, const char *cookie_prefix)
{
	char *result = nullptr;
	pg::Failure f;
	pg::guarded(f, [&] { // phase B: C++ only
		auto credential = core::request_credential(explicit_credential ? explicit_credential : "",
		                                           headers ? headers : "", cookies ? cookies : "",
		                                           cookie_prefix ? cookie_prefix : "better-auth");
		if (credential) {
			// palloc would ereport (a longjmp past C++ destructors) above this.
			if (credential->size() >= MaxAllocSize)
				throw pg::UserError(ERRCODE_PROGRAM_LIMIT_EXCEEDED, "credential exceeds the maximum size");
			result = static_cast<char *>(palloc_extended(credential->size() + 1, MCXT_ALLOC_NO_OOM));
			if (result == nullptr)
				throw std::bad_alloc();
			std::memcpy(result, credential->c_str(), credential->size() + 1);
			sodium_memzero(credential->data(), credential->size());
		}
	});
	if (f.failed)
		pg::report(f);
	return result;
}

const char *
na_request_credential_source(const char *explicit_credential, const char *headers, const char *cookies, const char *cookie_prefix)
{
	const char *result = nullptr;
	pg::Failure f;
	pg::guarded(f, [&] { // phase B: C++ only; the results are string literals
		switch (core::request_credential_source(explicit_credential ? explicit_credential : "", headers ? headers : "",
		                                        cookies ? cookies : "", cookie_prefix ? cookie_prefix : "better-auth")) {
		case core::CredentialSource::authenticate:
			result = "authenticate";
			break;
		case core::CredentialSource::bearer:
			result = "bearer";
			break;
		case core::CredentialSource::cookie:
			result = "cookie";
			break;
		case core::CredentialSource::none:
			break;
		}
	});
	if (f.failed)
		pg::report(f);
	return result;
}
