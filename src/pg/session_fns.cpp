// verify_session(token): the session check behind every request, in C. The
// hot path of RLS and of every account function; measured in bench/run.sh
// against the bare indexed lookup it wraps.
extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "access/xact.h"
#include "utils/uuid.h"
#include "compat.h"
#include "auth_rows.h"

NA_FUNCTION(neon_auth_verify_session);
}

#include "guard.hpp"

#include "cookie.hpp"

namespace pg = neon_auth::pg;
namespace core = neon_auth::core;

/* Better Auth's session tokens are 32 characters; anything longer than this
 * is neither a token nor a signed cookie value of one. */
#define MAX_SESSION_CREDENTIAL 1024

/*
 * verify_session(token text) -> uuid: the user of a live session (a bare
 * token, or a signed cookie value "token.signature", possibly URL-encoded,
 * checked with the server secret), when the session has not expired and its
 * user is not banned; else NULL. Read-only; never raises for bad input.
 */
Datum
neon_auth_verify_session(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	text *token = PG_GETARG_TEXT_PP(0);
	const char *bytes = VARDATA_ANY(token);
	size_t len = VARSIZE_ANY_EXHDR(token);
	if (len == 0 || len > MAX_SESSION_CREDENTIAL)
		PG_RETURN_NULL();
	/* Better Auth's tokens are [A-Za-z0-9]: a '.' or '%' means a signed value. */
	if (memchr(bytes, '.', len) != nullptr || memchr(bytes, '%', len) != nullptr) {
		char *secret = na_server_secret();
		if (secret == nullptr)
			PG_RETURN_NULL();
		text *bare = nullptr;
		pg::Failure f;
		pg::guarded(f, [&] {
			auto v = core::verify_cookie_value(pg::view(token), secret);
			if (v)
				bare = pg::make_text(*v);
		});
		sodium_memzero(secret, strlen(secret));
		pfree(secret);
		if (f.failed)
			pg::report(f);
		if (bare == nullptr)
			PG_RETURN_NULL();
		bytes = VARDATA_ANY(bare);
		len = VARSIZE_ANY_EXHDR(bare);
	}
	TimestampTz now = GetCurrentTransactionStartTimestamp(); /* now(), as in SQL */
	pg_uuid_t user_id;
	TimestampTz expires_at;
	if (!na_session_by_token(bytes, len, &user_id, &expires_at) || expires_at < now || !na_user_active(&user_id, now))
		PG_RETURN_NULL();
	pg_uuid_t *result = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t)));
	*result = user_id;
	PG_RETURN_UUID_P(result);
}
