\set SHOW_CONTEXT never
\i sql/helpers.psql
-- One-time tokens (src/sql/13_one_time_token.sql): Better Auth's oneTimeToken plugin.
SELECT neon_auth.sign_up('ott-olga@example.com', 'olga-password-1', 'Olga') ->> 'token' AS olga \gset

-- Only a session can make one; it is stored as Better Auth stores it.
SELECT pg_temp.try('SELECT neon_auth.generate_one_time_token()') AS nobody;
SELECT pg_temp.try('SELECT neon_auth.generate_one_time_token(''not-a-session'')') AS bad_session;
SELECT neon_auth.generate_one_time_token(:'olga') ->> 'token' AS ott \gset
SELECT :'ott' ~ '^[A-Za-z0-9]{32}$' AS token_shape,
       (SELECT value = :'olga' FROM neon_auth.verification WHERE identifier = 'one-time-token:' || :'ott') AS holds_the_session,
       (SELECT "expiresAt" - "createdAt" FROM neon_auth.verification WHERE identifier = 'one-time-token:' || :'ott') AS lifetime;

-- It exchanges for the session once, as get_session answers it.
SELECT neon_auth.verify_one_time_token(:'ott') AS r \gset
SELECT :'r'::jsonb #>> '{session,token}' = :'olga' AS same_session, :'r'::jsonb #>> '{user,email}' AS email,
       (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(:'r'::jsonb) k) AS keys;
SELECT pg_temp.try(format('SELECT neon_auth.verify_one_time_token(%L)', :'ott')) AS reused;

-- Expired, unknown, empty, over-long, or for a session that ended: INVALID_TOKEN. (Raised, the error
-- rolls back the deletion of the expired row; it stays useless, and prune() removes it.)
SELECT neon_auth.generate_one_time_token(:'olga') ->> 'token' AS ott2 \gset
UPDATE neon_auth.verification SET "expiresAt" = now() - interval '1 second' WHERE identifier = 'one-time-token:' || :'ott2';
SELECT pg_temp.try(format('SELECT neon_auth.verify_one_time_token(%L)', :'ott2')) AS expired,
       (SELECT count(*) FROM neon_auth.verification WHERE identifier = 'one-time-token:' || :'ott2') AS rows_left;
SELECT pg_temp.try(format('SELECT neon_auth.verify_one_time_token(%L)', t)) AS result
  FROM unnest(ARRAY['no-such-token', '', repeat('x', 300)]) t;
SELECT neon_auth.generate_one_time_token(:'olga') ->> 'token' AS ott3 \gset
SELECT neon_auth.sign_out(:'olga') ->> 'success' AS signed_out;
SELECT pg_temp.try(format('SELECT neon_auth.verify_one_time_token(%L)', :'ott3')) AS session_gone;
-- In HTTP mode the failure is answered, and the used-up token stays used up.
SET neon_auth.json_errors = on;
SELECT neon_auth.verify_one_time_token('no-such-token') AS answered, current_setting('response.status') AS status;
RESET neon_auth.json_errors;
