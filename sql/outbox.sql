-- The audit trail, the outbox worker's interface and answered failures
-- (after sql/rate_limits.sql).
\set SHOW_CONTEXT never
\i sql/helpers.psql
-- The audit trail: every event, no secrets.
SELECT event, outcome, count(*) FROM neon_auth.audit_log GROUP BY 1, 2 ORDER BY 1, 2;
SELECT count(*) AS rows_with_secrets FROM neon_auth.audit_log a
 WHERE a::text ~ ANY (ARRAY['carol-password', 'erin-password', 'guess-number', 'dave-password']
                      || ARRAY(SELECT token FROM public.lifecycle_tokens));
SELECT count(*) FILTER (WHERE ip = '198.51.100.7') AS from_ip, count(*) FILTER (WHERE user_id IS NULL AND event = 'rate_limited') AS refused
  FROM neon_auth.audit_log WHERE event IN ('sign_up', 'rate_limited') AND email LIKE 'ip%';

-- The outbox worker interface: claim leases, delivered and failed record.
SELECT count(*) AS pending FROM neon_auth.outbox WHERE delivered_at IS NULL \gset
SELECT count(*) = :pending AS claimed_all, bool_and(attempts = 1) AS first_attempt FROM neon_auth.outbox_claim(100);
SELECT count(*) AS claimed_again_at_once FROM neon_auth.outbox_claim(100);
SELECT neon_auth.outbox_delivered(min(id)) AS delivered, neon_auth.outbox_delivered(min(id)) AS delivered_twice FROM neon_auth.outbox;
SELECT neon_auth.outbox_failed(max(id), 'smtp: 421 try later') AS failed FROM neon_auth.outbox;
SELECT last_error, delivered_at IS NULL AS undelivered, next_attempt_at > now() AS backing_off FROM neon_auth.outbox ORDER BY id DESC LIMIT 1;
UPDATE neon_auth.outbox SET attempts = 9, next_attempt_at = now() - interval '1 second' WHERE id = (SELECT max(id) FROM neon_auth.outbox);
SELECT attempts, next_attempt_at > now() + interval '9 minutes' AS leased FROM neon_auth.outbox_claim(100);
SELECT neon_auth.outbox_failed(max(id), 'smtp: 550 no such user') AS failed_tenth FROM neon_auth.outbox;
SELECT attempts, next_attempt_at = 'infinity' AS parked FROM neon_auth.outbox ORDER BY id DESC LIMIT 1;
SELECT neon_auth.prune() ? 'audit_log' AS pruned;

-- Through PostgREST (request.method is set) failures are answered the same
-- way, with the HTTP status for PostgREST to send.
SELECT set_config('request.method', 'POST', false) IS NOT NULL AS postgrest_request;
SELECT neon_auth.sign_in('erin@example.com', 'wrong-password-9') AS answer, current_setting('response.status') AS status;
SELECT neon_auth.reset_password('erin-password-2', 'no-such-token') AS answer, current_setting('response.status') AS status;
SELECT pg_temp.try_hint($$SELECT neon_auth.sign_in('erin@example.com', 'short')$$) AS validation_still_raises;
SELECT neon_auth.sign_up('erin@example.com', 'erin-password-9', 'Erin') AS duplicate, current_setting('response.status') AS status;
SELECT set_config('request.method', '', false) IS NOT NULL AS plain_sql_again;
SELECT count(*) AS answered_failures_audited FROM neon_auth.audit_log WHERE email = 'erin@example.com' AND outcome = 'INVALID_EMAIL_OR_PASSWORD';
DROP TABLE public.lifecycle_tokens;
