/*
 * PostgreSQL-version shims for the glue layer. Included right after
 * postgres.h, inside the same extern "C" block.
 */
#ifndef NEON_AUTH_COMPAT_H
#define NEON_AUTH_COMPAT_H

/*
 * The module is built with -fvisibility=hidden so that only the magic block,
 * _PG_init and the SQL entry points are exported. Before PostgreSQL 16,
 * PGDLLEXPORT is empty on Linux, which would hide those too.
 */
#if PG_VERSION_NUM < 160000 && !defined(_WIN32)
#undef PGDLLEXPORT
#define PGDLLEXPORT __attribute__((visibility("default")))
#endif

/* Declares an exported, C-linkage SQL-callable function. */
#define NA_FUNCTION(name)                                                                                              \
	PGDLLEXPORT Datum name(PG_FUNCTION_ARGS);                                                                          \
	PG_FUNCTION_INFO_V1(name)

#endif /* NEON_AUTH_COMPAT_H */
