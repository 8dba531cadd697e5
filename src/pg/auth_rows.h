/*
 * Direct reads of the auth tables for the identity hot path (auth_rows.cpp):
 * one index probe each, in the active snapshot, with no SQL to parse, plan or
 * run. Plain C; callable from the plain-C glue. Each needs a transaction and
 * an active snapshot, and raises only on errors a query would raise too.
 */
#ifndef NEON_AUTH_AUTH_ROWS_H
#define NEON_AUTH_AUTH_ROWS_H

#include "utils/timestamp.h"
#include "utils/uuid.h"

/* Does a user with this id exist and is not banned at `now`? */
bool na_user_active(const pg_uuid_t *id, TimestampTz now);

/* The session with this (bare) token: its user and expiry. False if none. */
bool na_session_by_token(const char *token, size_t len, pg_uuid_t *user_id, TimestampTz *expires_at);

/* The server secret (neon_auth.secret), palloc'd; NULL if there is none. */
char *na_server_secret(void);

/* A row of neon_auth.jwks, as the JWT verifier needs it (palloc'd). */
typedef struct NaKeyRow {
	char *kid;        /* id, as text */
	char *alg;        /* NULL: Better Auth's default, EdDSA */
	char *public_jwk;
	bool has_expiry;
	TimestampTz expires_at;
} NaKeyRow;

/* Every row of neon_auth.jwks, and how many in *n. */
NaKeyRow *na_key_rows(int *n);

/* config's jwt_leeway, jwks_grace_period and base_url (palloc'd). False
 * when the row is missing. */
bool na_jwt_config(int32 *leeway, int32 *grace_period, char **base_url);

/* For HS256 (PostgREST's secret): the server secret, secret.postgrest_secret
 * (encrypted under it) and config.jwt_hs256_audience, palloc'd; NULL where
 * missing (the 1.0 columns have none). */
void na_postgrest_secret(char **server_secret, char **postgrest_secret, char **audience);

/* config's cookie_prefix (Better Auth's advanced.cookiePrefix), palloc'd;
 * "better-auth" when the column (1.0) or the row is missing. */
char *na_cookie_prefix(void);

/* neon_auth.instance's recorded identifiers (timeline palloc'd or NULL).
 * False when the row or the table is missing. */
bool na_instance_row(int64 *system_identifier, Oid *database_oid, char **neon_timeline_id);

/* Forget the tables' oids (after a relcache invalidation of one of them). */
void na_auth_rows_reset(void);

#endif
