/*
 * The JWT check of the identity path, for the plain-C identity code
 * (jwt_fns.cpp): keys and checks are read once and kept until the identity
 * cache's generation moves.
 */
#ifndef NEON_AUTH_JWT_FNS_H
#define NEON_AUTH_JWT_FNS_H

#include "utils/timestamp.h"

typedef struct NaJwtCheck {
	const char *error;       /* a JWT_* error code (static), or NULL when valid */
	char *claims;            /* when valid: the payload, palloc'd JSON */
	char *sub;               /* when valid: its "sub" claim, palloc'd, or NULL */
	TimestampTz valid_until; /* when valid: expiry plus leeway, or its key's end of trust */
} NaJwtCheck;

/*
 * Verify a JWT against the trusted keys, the configured leeway, issuer and
 * audience (neon_auth.jwks and neon_auth.config). `keep`: the caller reads
 * committed data with a snapshot newer than the generation it noted (see
 * identity_fns.cpp), so the keys read now may be kept for that generation.
 */
void na_jwt_check(const char *token, bool keep, uint64 generation, NaJwtCheck *out);

#endif
