/*
 * Every SQL name the C code uses: the functions it calls by name and the
 * tables it watches. The library outlives ALTER EXTENSION ... UPDATE and a
 * database may run any SQL version it can be updated from, so each of these
 * must exist, with the signature given, in every install and update script
 * (test/integration/upgrade.sh runs the library against each released one).
 */
#ifndef NEON_AUTH_SQL_NAMES_H
#define NEON_AUTH_SQL_NAMES_H

#define NA_SCHEMA "neon_auth"

/* _resolve_identity(credential text, trusted_claims text)
 *   -> (identity jsonb, valid_until timestamptz); exactly one argument set.
 *   Called by identity_fns.cpp. */
#define NA_FN_RESOLVE_IDENTITY "_resolve_identity"

/* _raise_secret(code text, argument text): raises a catalogued error without
 *   logging the statement (which carries a secret). Called by
 *   identity_fns.cpp for verify_jwt; absent before 1.1. */
#define NA_FN_RAISE_SECRET "_raise_secret"

/* _check_copy() -> boolean: warns when this database is an unforked copy.
 *   Called by fork_fns.cpp, once per connection; may be absent. */
#define NA_FN_CHECK_COPY "_check_copy"

/* The tables an identity depends on: a change to one ends the cached
 * identities of every backend (identity_fns.cpp; the triggers that fire
 * _identity_changed() are on the same tables, in 03_tables.sql). */
#define NA_WATCHED_TABLES {"session", "user", "jwks", "config", "secret"}

/* auth_rows.cpp also reads columns of these tables directly: "user" (id,
 * banned, banExpires), session (token, userId, expiresAt), secret (value),
 * jwks (id, publicKey, expiresAt, alg), config (jwt_leeway,
 * jwks_grace_period, base_url), instance (system_identifier, database_oid,
 * neon_timeline_id). Every SQL version must keep them. */

#endif
