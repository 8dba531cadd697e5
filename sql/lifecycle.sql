\set SHOW_CONTEXT never
\i sql/helpers.psql
-- Account lifecycle: configuration, email verification, password reset,
-- credential changes, session management, rate limits, outbox and audit.
-- The newest outbox message for an address: its kind and link token.
CREATE FUNCTION pg_temp.mail(recipient text, OUT kind text, OUT token text, OUT url text) LANGUAGE sql AS $$
	SELECT kind, data ->> 'token', data ->> 'url' FROM neon_auth.outbox WHERE outbox.recipient = mail.recipient
	 ORDER BY id DESC LIMIT 1 $$;
CREATE FUNCTION pg_temp.mails(recipient text) RETURNS bigint LANGUAGE sql AS $$
	SELECT count(*) FROM neon_auth.outbox WHERE outbox.recipient = mails.recipient $$;

-- configure(): validated, all or nothing, owner only.
SELECT neon_auth.configure('{"require_email_verification": true, "verification_expires_in": 600}')
       ->> 'verification_expires_in' AS verification_expires_in;
SELECT pg_temp.try_hint($$SELECT neon_auth.configure('{"no_such_setting": 1}')$$) AS unknown_setting;
SELECT pg_temp.try_hint($$SELECT neon_auth.configure('{"jwt_leeway": "soon"}')$$) AS wrong_type;
SELECT pg_temp.try_hint($$SELECT neon_auth.configure('{"jwt_leeway": 10, "min_password_length": 0}')$$) AS check_violation;
SELECT jwt_leeway AS leeway_unchanged FROM neon_auth.config;
SELECT pg_temp.try_hint($$SELECT neon_auth.configure('{"rate_limits": {"/sign-in/email": {"window": 0, "max": 3}}}')$$) AS bad_rule;
SELECT pg_temp.try_hint($$SELECT neon_auth.configure('{"verify_email_url": "https://app.example/verify"}')$$) AS url_without_token;
SELECT pg_temp.try_hint($$SELECT neon_auth.configure('{"base_url": "javascript:alert(1)"}')$$) AS bad_base_url;
SELECT pg_temp.try_hint($$SELECT neon_auth.configure('{"rate_limit_enabled": null}')$$) AS null_setting;
SELECT pg_temp.try_hint($$SELECT neon_auth.configure('{"rate_limits": {"/no-such-endpoint": {"window": 10, "max": 3}}}')$$) AS unknown_rule;
SELECT pg_temp.try_hint($$SELECT neon_auth.configure('{"trusted_origins": ["https://app.example/path"]}')$$) AS origin_with_path;
SELECT pg_temp.try_hint($$SELECT neon_auth.configure('{"reset_password_url": "javascript:{token}"}')$$) AS link_scheme;
-- One rule changes; the others stay.
SELECT neon_auth.configure('{"rate_limits": {"/sign-in/email": {"window": 10, "max": 5}}}') -> 'rate_limits' -> '/sign-in/email' AS sign_in_rule,
       (SELECT count(*) FROM jsonb_object_keys((SELECT rate_limits FROM neon_auth.config))) AS rules;
SELECT neon_auth.configure('{"rate_limits": {"/sign-in/email": {"window": 10, "max": 3}}, "trusted_origins": ["https://app.example"]}')
       -> 'trusted_origins' AS trusted_origins;
SET ROLE authenticated;
SELECT pg_temp.try_hint($$SELECT neon_auth.configure('{"require_email_verification": false}')$$) AS app_configure;
SELECT pg_temp.try_hint('SELECT * FROM neon_auth.outbox') AS app_reads_outbox;
SELECT pg_temp.try_hint('SELECT * FROM neon_auth.audit_log') AS app_reads_audit;
SELECT pg_temp.try_hint('SELECT * FROM neon_auth.outbox_claim()') AS app_claims_outbox;
RESET ROLE;

-- Email verification required: sign-up queues a link and gives no session.
SELECT neon_auth.sign_up('Carol@Example.com', 'carol-password-1', 'Carol', callback_url => '/welcome?x=1&y=é') ->> 'token' IS NULL AS no_session;
SELECT kind, url ~ '^http://localhost:3000/api/auth/verify-email\?token=[A-Za-z0-9_.-]+&callbackURL=%2Fwelcome%3Fx%3D1%26y%3D%C3%A9$' AS better_auth_link
  FROM pg_temp.mail('carol@example.com');
-- Links only send people back to this site or a trusted origin, checked
-- whether or not the address has an account (so it reveals nothing).
SELECT pg_temp.try_hint($$SELECT neon_auth.send_verification_email('nobody@example.com', 'https://evil.example/x')$$) AS foreign_origin;
SELECT pg_temp.try_hint($$SELECT neon_auth.request_password_reset('nobody@example.com', '//evil.example/x')$$) AS protocol_relative;
SELECT pg_temp.try_hint($$SELECT neon_auth.request_password_reset('nobody@example.com', 'https://app.example.evil.com/')$$) AS lookalike;
SELECT neon_auth.request_password_reset('nobody@example.com', 'https://app.example/reset?x=1') ->> 'status' AS trusted_origin_ok;
SELECT (pg_temp.mail('carol@example.com')).token AS vtok \gset
-- The link token is Better Auth's: header {"alg":"HS256"}, claims {email, userId, iat, exp}.
SELECT convert_from(decode(rpad(split_part(:'vtok', '.', 1), 20, '='), 'base64'), 'UTF8') AS header,
       (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(neon_auth._email_token_verify(:'vtok',
            (SELECT value FROM neon_auth.secret), extract(epoch FROM now())::bigint)::jsonb) k) AS claims;
-- Signing in unverified is refused; raised, the fresh link goes with the error.
SELECT pg_temp.mails('carol@example.com') AS mails_before;
SELECT pg_temp.try_hint($$SELECT neon_auth.sign_in('carol@example.com', 'carol-password-1')$$) AS unverified;
SELECT pg_temp.mails('carol@example.com') AS mails_after_raise;
-- Answered (PostgREST or json_errors), the refusal commits with a fresh link.
SET neon_auth.json_errors = on;
SELECT neon_auth.sign_in('carol@example.com', 'carol-password-1') AS answered, current_setting('response.status', true) AS status;
RESET neon_auth.json_errors;
SELECT pg_temp.mails('carol@example.com') AS mails_after_answer;
-- Forged, expired and wrong-user tokens verify nothing.
SELECT pg_temp.try_hint(format('SELECT neon_auth.verify_email(%L)', neon_auth._email_token_sign(
	json_build_object('email', 'carol@example.com', 'userId', (SELECT id FROM neon_auth."user" WHERE email = 'carol@example.com'),
	                  'iat', 1, 'exp', extract(epoch FROM now())::bigint + 60)::text, 'not-the-secret'))) AS forged;
SELECT pg_temp.try_hint(format('SELECT neon_auth.verify_email(%L)', neon_auth._email_token_sign(
	json_build_object('email', 'carol@example.com', 'userId', (SELECT id FROM neon_auth."user" WHERE email = 'carol@example.com'),
	                  'iat', 1, 'exp', extract(epoch FROM now())::bigint - 1)::text, (SELECT value FROM neon_auth.secret)))) AS expired;
SELECT pg_temp.try_hint(format('SELECT neon_auth.verify_email(%L)', neon_auth._email_token_sign(
	json_build_object('email', 'carol@example.com', 'userId', gen_random_uuid(), 'iat', 1,
	                  'exp', extract(epoch FROM now())::bigint + 60)::text, (SELECT value FROM neon_auth.secret)))) AS wrong_user;
-- Better Auth's change-email-confirmation token (sent to the old address to
-- approve a change) never applies the change itself.
SELECT pg_temp.try_hint(format('SELECT neon_auth.verify_email(%L)', neon_auth._email_token_sign(
	json_build_object('email', 'carol@example.com', 'updateTo', 'mallory@example.com', 'requestType', 'change-email-confirmation',
	                  'userId', (SELECT id FROM neon_auth."user" WHERE email = 'carol@example.com'), 'iat', 1,
	                  'exp', extract(epoch FROM now())::bigint + 60)::text, (SELECT value FROM neon_auth.secret)))) AS confirmation_token;
SELECT "emailVerified" AS still_unverified FROM neon_auth."user" WHERE email = 'carol@example.com';
SELECT neon_auth.verify_email(:'vtok') AS verified;
SELECT "emailVerified" AS now_verified FROM neon_auth."user" WHERE email = 'carol@example.com';
SELECT neon_auth.sign_in('carol@example.com', 'carol-password-1') ->> 'token' AS carol \gset
SELECT neon_auth.send_verification_email('carol@example.com') AS already_verified, pg_temp.mails('carol@example.com') AS no_new_mail;
SELECT neon_auth.send_verification_email('nobody@example.com') AS unknown_email, pg_temp.mails('nobody@example.com') AS no_mail;
SELECT neon_auth.configure('{"require_email_verification": false}') ->> 'require_email_verification' AS verification_required;

-- Password reset: the same answer for unknown emails; the token works once.
SELECT neon_auth.request_password_reset('nobody@example.com') AS unknown, pg_temp.mails('nobody@example.com') AS no_mail;
SELECT neon_auth.request_password_reset('carol@example.com', 'https://app.example/reset') ->> 'status' AS first_link;
SELECT (pg_temp.mail('carol@example.com')).token AS rtok_other \gset
SELECT neon_auth.request_password_reset('carol@example.com', 'https://app.example/reset') AS known;
SELECT (pg_temp.mail('carol@example.com')).token AS rtok \gset
SELECT kind, length(:'rtok') AS token_length,
       url = 'http://localhost:3000/api/auth/reset-password/' || :'rtok' || '?callbackURL=https%3A%2F%2Fapp.example%2Freset' AS better_auth_link,
       (SELECT "value" = (SELECT id::text FROM neon_auth."user" WHERE email = 'carol@example.com')
          FROM neon_auth.verification WHERE identifier = 'reset-password:' || :'rtok') AS row_names_user
  FROM pg_temp.mail('carol@example.com');
SELECT pg_temp.try_hint(format('SELECT neon_auth.reset_password(%L, %L)', 'short', :'rtok')) AS too_short;
SELECT neon_auth.reset_password('carol-password-2', :'rtok') AS reset;
SELECT pg_temp.try_hint(format('SELECT neon_auth.reset_password(%L, %L)', 'carol-password-3', :'rtok')) AS reused;
SELECT pg_temp.try_hint(format('SELECT neon_auth.reset_password(%L, %L)', 'carol-password-3', :'rtok_other')) AS other_link_ended;
SELECT pg_temp.try_hint($$SELECT neon_auth.sign_in('carol@example.com', 'carol-password-1')$$) AS old_password;
SELECT neon_auth.verify_session(:'carol') IS NOT NULL AS session_kept;
-- Expired tokens fail; with revoke_sessions_on_password_reset, sessions end.
SELECT neon_auth.request_password_reset('carol@example.com') ->> 'status' AS requested;
SELECT (pg_temp.mail('carol@example.com')).token AS rtok2 \gset
UPDATE neon_auth.verification SET "expiresAt" = now() - interval '1 second' WHERE identifier = 'reset-password:' || :'rtok2';
SELECT pg_temp.try_hint(format('SELECT neon_auth.reset_password(%L, %L)', 'carol-password-3', :'rtok2')) AS expired;
SELECT neon_auth.configure('{"revoke_sessions_on_password_reset": true}') ->> 'revoke_sessions_on_password_reset' AS revoke_on_reset;
SELECT neon_auth.request_password_reset('carol@example.com') ->> 'status' AS requested;
SELECT neon_auth.reset_password('carol-password-3', (pg_temp.mail('carol@example.com')).token) AS reset;
SELECT neon_auth.verify_session(:'carol') IS NULL AS sessions_revoked;
SELECT neon_auth.configure('{"revoke_sessions_on_password_reset": false}') ->> 'revoke_sessions_on_password_reset' AS revoke_on_reset;

-- change_password: the current password is checked; revoking others gives a new session.
SELECT neon_auth.sign_in('carol@example.com', 'carol-password-3') ->> 'token' AS carol \gset
SELECT neon_auth.sign_in('carol@example.com', 'carol-password-3') ->> 'token' AS carol_phone \gset
SELECT pg_temp.try_hint(format('SELECT neon_auth.change_password(%L, %L, session_token => %L)', 'wrong-password', 'carol-password-4', :'carol')) AS wrong_current;
SELECT pg_temp.try_hint($$SELECT neon_auth.change_password('carol-password-3', 'carol-password-4')$$) AS nobody_signed_in;
SELECT neon_auth.change_password('carol-password-3', 'carol-password-4', session_token => :'carol') ->> 'token' IS NULL AS no_new_session;
SELECT neon_auth.change_password('carol-password-4', 'carol-password-5', true, :'carol') ->> 'token' AS carol_new \gset
SELECT neon_auth.verify_session(:'carol') IS NULL AS old_gone, neon_auth.verify_session(:'carol_phone') IS NULL AS phone_gone,
       neon_auth.verify_session(:'carol_new') IS NOT NULL AS new_live;
-- A JWT (a short-lived token for data access) cannot manage the account:
-- no session list, no email change, as Better Auth's session middleware.
SELECT pg_temp.as_bearer(neon_auth.token(:'carol_new')) IS NOT NULL AS by_jwt;
SELECT pg_temp.try_hint('SELECT neon_auth.list_sessions()') AS jwt_lists_sessions;
SELECT pg_temp.try_hint($$SELECT neon_auth.change_email('mallory@example.com')$$) AS jwt_changes_email;
-- The caller can also come from the request (authenticate, PostgREST).
SELECT pg_temp.as_bearer(:'carol_new') IS NOT NULL AS authenticated;
SELECT neon_auth.change_password('carol-password-5', 'carol-password-6') ->> 'user' IS NOT NULL AS changed_via_request;
SELECT pg_temp.as_bearer(NULL) AS cleared;

-- set_password: only for a user without one, from a fresh session.
INSERT INTO neon_auth."user" (name, email) VALUES ('Dave', 'dave.lc@example.com');
SELECT (neon_auth._create_session(id, true, c)).token AS dave FROM neon_auth."user", neon_auth.config c WHERE email = 'dave.lc@example.com' \gset
SELECT pg_temp.try_hint(format('SELECT neon_auth.change_password(%L, %L, session_token => %L)', 'x-password-1', 'x-password-2', :'dave')) AS no_credential;
UPDATE neon_auth.session SET "createdAt" = now() - interval '2 days' WHERE token = :'dave';
SELECT pg_temp.try_hint(format('SELECT neon_auth.set_password(%L, %L)', 'dave-password-1', :'dave')) AS stale_session;
UPDATE neon_auth.session SET "createdAt" = now() WHERE token = :'dave';
SELECT neon_auth.set_password('dave-password-1', :'dave') AS set;
SELECT pg_temp.try_hint(format('SELECT neon_auth.set_password(%L, %L)', 'dave-password-2', :'dave')) AS again;
SELECT neon_auth.sign_in('dave.lc@example.com', 'dave-password-1') ->> 'token' IS NOT NULL AS dave_signs_in;

-- update_user and change_email.
SELECT neon_auth.update_user('Caroline', session_token => :'carol_new') AS updated;
SELECT name, image FROM neon_auth."user" WHERE email = 'carol@example.com';
SELECT neon_auth.change_email('dave.lc@example.com', session_token => :'carol_new') AS taken,
       pg_temp.mails('dave.lc@example.com') AS no_mail_to_taken_address;
SELECT neon_auth.change_email('Caroline@Example.org', '/settings', :'carol_new') AS change_requested;
SELECT kind, recipient FROM neon_auth.outbox ORDER BY id DESC LIMIT 1;
SELECT email AS not_yet_changed FROM neon_auth."user" WHERE name = 'Caroline';
SELECT neon_auth.verify_email((pg_temp.mail('caroline@example.org')).token) #>> '{user,email}' AS changed_to;
SELECT pg_temp.try_hint(format('SELECT neon_auth.verify_email(%L)', (pg_temp.mail('caroline@example.org')).token)) AS link_used_up;

-- Sessions: list, revoke one (only one's own), revoke others, revoke all.
SELECT neon_auth.sign_in('caroline@example.org', 'carol-password-6') ->> 'token' AS c2 \gset
SELECT neon_auth.sign_in('caroline@example.org', 'carol-password-6') ->> 'token' AS c3 \gset
SELECT jsonb_array_length(neon_auth.list_sessions(:'c2')) AS sessions,
       (SELECT bool_and(s ? 'token' AND s ? 'expiresAt') FROM jsonb_array_elements(neon_auth.list_sessions(:'c2')) s) AS better_auth_shape;
SELECT neon_auth.revoke_session(:'dave', :'c2') AS revoke_foreign, neon_auth.verify_session(:'dave') IS NOT NULL AS dave_untouched;
SELECT neon_auth.revoke_session(:'c3', :'c2') AS revoke_own;
SELECT neon_auth.verify_session(:'c3') IS NULL AS c3_gone;
SELECT neon_auth.revoke_other_sessions(:'c2') AS revoke_others;
SELECT jsonb_array_length(neon_auth.list_sessions(:'c2')) AS sessions_left, neon_auth.verify_session(:'carol_new') IS NULL AS carol_new_gone;
SELECT neon_auth.revoke_sessions(:'c2') AS revoke_all;
SELECT neon_auth.verify_session(:'c2') IS NULL AS c2_gone;
SELECT pg_temp.try_hint(format('SELECT neon_auth.list_sessions(%L)', :'c2')) AS signed_out;

-- delete_user: with the password, or from a fresh session.
SELECT pg_temp.try_hint(format('SELECT neon_auth.delete_user(%L, %L)', 'wrong-password', :'dave')) AS wrong_password;
UPDATE neon_auth.session SET "createdAt" = now() - interval '2 days' WHERE token = :'dave';
SELECT pg_temp.try_hint(format('SELECT neon_auth.delete_user(session_token => %L)', :'dave')) AS stale_session;
SELECT neon_auth.delete_user('dave-password-1', :'dave') AS deleted;
SELECT count(*) AS dave_rows FROM neon_auth."user" u FULL JOIN neon_auth.session s ON s."userId" = u.id
 WHERE u.email = 'dave.lc@example.com' OR s.token = :'dave';

-- delete_user with config.delete_user_verification: only through the emailed
-- link (Better Auth's sendDeleteAccountVerification), as `token` or through
-- delete_user_callback, by the same user, once.
SELECT neon_auth.configure('{"delete_user_verification": true}') ->> 'delete_user_verification' AS verification_on;
SELECT neon_auth.sign_up('erin.lc@example.com', 'erin-password-1', 'Erin') ->> 'token' AS erin \gset
SELECT neon_auth.sign_up('finn.lc@example.com', 'finn-password-1', 'Finn') ->> 'token' AS finn \gset
SELECT neon_auth.delete_user('erin-password-1', :'erin', '/goodbye') AS link_sent;
SELECT data - 'token' - 'expires_at' - 'url' AS message, data ->> 'url' ~ '^http://localhost:3000/api/auth/delete-user/callback\?token=[0-9a-z]{32}&callbackURL=%2Fgoodbye$' AS url_shape
  FROM neon_auth.outbox WHERE kind = 'delete-account' AND recipient = 'erin.lc@example.com';
SELECT data ->> 'token' AS dtok FROM neon_auth.outbox WHERE kind = 'delete-account' AND recipient = 'erin.lc@example.com' \gset
SELECT count(*) AS erin_still_there FROM neon_auth."user" WHERE email = 'erin.lc@example.com';
SELECT pg_temp.try_hint(format('SELECT neon_auth.delete_user_callback(%L, session_token => %L)', :'dtok', :'finn')) AS someone_elses_link;
SELECT pg_temp.try_hint(format('SELECT neon_auth.delete_user_callback(%L, %L, %L)', :'dtok', 'https://evil.example/', :'erin')) AS evil_callback;
SELECT neon_auth.delete_user_callback(:'dtok', '/goodbye', :'erin') AS deleted_by_link;
SELECT count(*) AS erin_rows FROM neon_auth."user" WHERE email = 'erin.lc@example.com';
SELECT neon_auth.delete_user(session_token => :'finn') ->> 'message' AS finn_link_sent;
SELECT neon_auth.delete_user(session_token => :'finn', token => (SELECT data ->> 'token' FROM neon_auth.outbox WHERE kind = 'delete-account' AND recipient = 'finn.lc@example.com')) AS deleted_by_token;
SELECT neon_auth.configure('{"delete_user_verification": false}') ->> 'delete_user_verification' AS verification_off;

-- Tokens the outbox file checks the audit trail for (psql variables do not
-- outlive this file).
CREATE TABLE public.lifecycle_tokens AS SELECT unnest(ARRAY[:'carol', :'c2', :'rtok', :'vtok']) AS token;
