/*
 * The request's credential, for the plain-C identity code: a C-callable
 * wrapper around core::request_credential behind the C++ guard.
 */
#ifndef NEON_AUTH_REQUEST_FNS_H
#define NEON_AUTH_REQUEST_FNS_H

/* A palloc'd copy of the credential, or NULL when the request carries none.
 * Arguments may be NULL (setting absent; a NULL cookie_prefix is Better
 * Auth's "better-auth"). Raises on out-of-memory only. */
char *na_request_credential(const char *explicit_credential, const char *headers, const char *cookies,
                            const char *cookie_prefix);

/* Where that credential comes from: "authenticate", "bearer", "cookie", or
 * NULL for none (a static string). */
const char *na_request_credential_source(const char *explicit_credential, const char *headers, const char *cookies,
                                         const char *cookie_prefix);

#endif
