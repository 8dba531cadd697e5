-- Rate limits (after sql/lifecycle.sql).
\set SHOW_CONTEXT never
\i sql/helpers.psql
-- Rate limits: Better Auth's rules, by target email and by client IP.
SELECT neon_auth.configure('{"rate_limit_enabled": true}') ->> 'rate_limit_enabled' AS rate_limits_on;
SELECT neon_auth.sign_up('erin@example.com', 'erin-password-1', 'Erin') ->> 'token' IS NOT NULL AS erin;
SELECT neon_auth.sign_in('erin@example.com', 'erin-password-1') ->> 'token' IS NOT NULL AS first,
       neon_auth.sign_in('erin@example.com', 'erin-password-1') ->> 'token' IS NOT NULL AS second;
SELECT neon_auth.sign_in('erin@example.com', 'erin-password-1') ->> 'token' IS NOT NULL AS third;
SELECT regexp_replace(pg_temp.try_hint($$SELECT neon_auth.sign_in('erin@example.com', 'erin-password-1')$$), '\d+ seconds', 'N seconds') AS fourth;
SELECT count, count = 3 AS refused_call_wrote_nothing FROM neon_auth."rateLimit" WHERE key = 'email:erin@example.com|/sign-in/email';
-- The window passes: allowed again.
UPDATE neon_auth."rateLimit" SET "lastRequest" = "lastRequest" - 10000 WHERE key = 'email:erin@example.com|/sign-in/email';
SELECT neon_auth.sign_in('erin@example.com', 'erin-password-1') ->> 'token' IS NOT NULL AS after_window;
-- Wrong passwords count when answered (PostgREST): three, then even the
-- right password is refused, with Better Auth's 429 and X-Retry-After.
UPDATE neon_auth."rateLimit" SET "lastRequest" = "lastRequest" - 10000 WHERE key = 'email:erin@example.com|/sign-in/email';
SET neon_auth.json_errors = on;
SELECT neon_auth.sign_in('erin@example.com', 'guess-number-1') ->> 'code' AS guess_1;
SELECT neon_auth.sign_in('erin@example.com', 'guess-number-2') ->> 'code' AS guess_2;
SELECT neon_auth.sign_in('erin@example.com', 'guess-number-3') ->> 'code' AS guess_3;
SELECT neon_auth.sign_in('erin@example.com', 'erin-password-1') AS right_password_too_late,
       current_setting('response.status', true) AS status,
       current_setting('response.headers', true)::jsonb -> 0 ? 'X-Retry-After' AS retry_after_header;
RESET neon_auth.json_errors;
-- By IP: three sign-ins from one address, whatever the emails.
SELECT set_config('request.headers', '{"x-forwarded-for": "198.51.100.7"}', false) IS NOT NULL AS from_ip;
SELECT neon_auth.sign_up('ip' || i || '@example.com', 'ip-password-1', 'IP') ->> 'token' IS NOT NULL AS signed_up
  FROM generate_series(1, 3) i;
SELECT regexp_replace(pg_temp.try_hint($$SELECT neon_auth.sign_up('ip4@example.com', 'ip-password-1', 'IP')$$), '\d+ seconds', 'N seconds') AS fourth_from_ip;
-- The key is the address the proxy appended (the last), not one the client
-- wrote in front of it.
SELECT set_config('request.headers', '{"x-forwarded-for": "203.0.113.99, 198.51.100.7"}', false) IS NOT NULL AS spoofed_first_entry;
SELECT regexp_replace(pg_temp.try_hint($$SELECT neon_auth.sign_up('ip5@example.com', 'ip-password-1', 'IP')$$), '\d+ seconds', 'N seconds') AS spoof_still_limited;
SELECT set_config('request.headers', '{"x-forwarded-for": "198.51.100.8"}', false) IS NOT NULL AS other_ip;
SELECT neon_auth.sign_up('ip4@example.com', 'ip-password-1', 'IP') ->> 'token' IS NOT NULL AS other_ip_allowed;
SELECT set_config('request.headers', '', false) IS NOT NULL AS headers_cleared;
SELECT neon_auth.configure('{"rate_limit_enabled": false}') ->> 'rate_limit_enabled' AS rate_limits_on;

-- The per-IP key: the last x-forwarded-for entry; an IPv6 client by its /64.
SELECT h AS x_forwarded_for, (SELECT neon_auth._client_ip(true) FROM (SELECT set_config('request.headers', h, true)) s) AS key,
       (SELECT neon_auth._client_ip() FROM (SELECT set_config('request.headers', h, true)) s) AS recorded
  FROM (VALUES ('{"x-forwarded-for": "203.0.113.9, 198.51.100.7"}'), ('{"x-forwarded-for": "2001:db8:1:2::abcd"}'),
               ('{"x-forwarded-for": "2001:db8:1:2:ffff::1"}'), ('{"x-forwarded-for": "2001:db8:1:3::1"}'),
               ('{"x-forwarded-for": "::ffff:198.51.100.7"}'), ('{"x-forwarded-for": "not an address"}')) AS t(h);
