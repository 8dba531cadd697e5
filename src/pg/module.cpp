// Module magic and one-time initialisation.
extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "compat.h"

PG_MODULE_MAGIC;

PGDLLEXPORT void _PG_init(void);
void na_identity_init(void);
void na_shared_limits_init(void);
}

#include "random.hpp"

void
_PG_init(void)
{
	// crypto_init() is noexcept in practice (sodium_init never throws), and no
	// C++ object is alive here, so ereport is safe.
	if (!neon_auth::core::crypto_init())
		ereport(ERROR,
		        (errcode(ERRCODE_SYSTEM_ERROR), errmsg("could not initialise libsodium"),
		         errdetail("sodium_init() failed, so no random numbers can be drawn safely.")));
	na_identity_init();
	na_shared_limits_init();
}
