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

/* Forget the tables' oids (after a relcache invalidation of one of them). */
void na_auth_rows_reset(void);

#endif
