-- The other ways in (issue 16) as PostgREST drives them: each request's
-- settings set transaction-locally as the anonymous role, the caller found
-- from the session cookie, codes and links read from the outbox between
-- requests (as the worker would deliver them), failures answered with Better
-- Auth's status. One test per function at least.
BEGIN;
SELECT plan(39);

CREATE FUNCTION pg_temp.request(cookies jsonb DEFAULT '{}') RETURNS void LANGUAGE sql AS $$
	SELECT set_config('role', 'anon', true), set_config('request.method', 'POST', true),
	       set_config('request.headers', '{"x-forwarded-for": "198.51.100.16", "origin": "http://localhost:3000"}', true),
	       set_config('request.cookies', cookies::text, true), set_config('response.status', '', true) $$;
-- (A statement of its own after the sign-in: session_cookie() sees the
-- session from the statement's snapshot.)
CREATE FUNCTION pg_temp.cookie_of(answer jsonb) RETURNS jsonb LANGUAGE sql AS $$
	SELECT jsonb_build_object('better-auth.session_token', neon_auth.session_cookie(answer ->> 'token')) $$;
-- The newest message to `recipient` (the owner reads the outbox; the request cannot).
CREATE FUNCTION pg_temp.sent(recipient text) RETURNS jsonb LANGUAGE sql AS $$
	SELECT data FROM neon_auth.outbox o WHERE o.recipient = sent.recipient ORDER BY id DESC LIMIT 1 $$;

-- Usernames
SELECT pg_temp.request();
SELECT neon_auth.sign_up('rq-una@example.com', 'una-password-1', 'Una', username => 'Una_Request') AS una \gset
RESET ROLE;
SELECT is(:'una'::jsonb #>> '{user,username}', 'una_request', 'sign_up stores the username lowercased');
SELECT pg_temp.request();
SELECT is(neon_auth.is_username_available('UNA_REQUEST'), '{"available": false}', 'is_username_available');
SELECT is(neon_auth.sign_in_username('UNA_request', 'una-password-1') #>> '{user,email}', 'rq-una@example.com', 'sign_in_username');
SELECT is(neon_auth.sign_in_username('una_request', 'wrong-password-1') ->> 'code', 'INVALID_USERNAME_OR_PASSWORD',
          'a wrong password is answered');
SELECT is(current_setting('response.status'), '401', '... with 401');
RESET ROLE;
SELECT pg_temp.cookie_of(:'una') AS una_cookie \gset
SELECT pg_temp.request(:'una_cookie');
SELECT is(neon_auth.update_user(display_username => 'Una_R'), '{"status": true}', 'update_user for the cookie''s user');
RESET ROLE;
SELECT is((SELECT "displayUsername" FROM neon_auth."user" WHERE username = 'una_request'), 'Una_R', '... changes the display username');

-- Anonymous users
SELECT pg_temp.request();
SELECT neon_auth.sign_in_anonymous() AS anon \gset
RESET ROLE;
SELECT is(:'anon'::jsonb #>> '{user,isAnonymous}', 'true', 'sign_in_anonymous');
SELECT pg_temp.cookie_of(:'anon') AS anon_cookie \gset
SELECT pg_temp.request(:'anon_cookie');
SELECT throws_ok('SELECT neon_auth.sign_in_anonymous()', '55000', 'anonymous users cannot sign in again anonymously', 'not twice');
SELECT is(neon_auth.delete_anonymous_user(), '{"success": true}', 'delete_anonymous_user for the cookie''s user');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM neon_auth."user" WHERE id = (:'anon'::jsonb #>> '{user,id}')::uuid), 0, '... which is gone');

-- Magic links
SELECT pg_temp.request();
SELECT is(neon_auth.sign_in_magic_link('rq-mo@example.com', 'Mo'), '{"status": true}', 'sign_in_magic_link');
RESET ROLE;
SELECT pg_temp.sent('rq-mo@example.com') ->> 'token' AS link \gset
SELECT pg_temp.request();
SELECT is(neon_auth.magic_link_verify(:'link') #>> '{user,name}', 'Mo', 'magic_link_verify signs the new user up');
SELECT is(neon_auth.magic_link_verify(:'link') ->> 'code', 'INVALID_TOKEN', '... once');
RESET ROLE;

-- Codes by email
SELECT pg_temp.request();
SELECT is(neon_auth.send_verification_otp('rq-una@example.com', 'email-verification'), '{"success": true}', 'send_verification_otp');
RESET ROLE;
SELECT pg_temp.sent('rq-una@example.com') ->> 'otp' AS otp \gset
SELECT pg_temp.request();
SELECT is(neon_auth.check_verification_otp('rq-una@example.com', 'email-verification', :'otp'), '{"success": true}',
          'check_verification_otp');
SELECT is(neon_auth.verify_email_otp('rq-una@example.com', :'otp') #>> '{user,emailVerified}', 'true', 'verify_email_otp');
SELECT is(neon_auth.verify_email_otp('rq-una@example.com', :'otp') ->> 'code', 'INVALID_OTP', 'a used code is answered');
SELECT is(current_setting('response.status'), '400', '... with 400');
SELECT is(neon_auth.send_verification_otp('rq-una@example.com', 'sign-in'), '{"success": true}', 'a sign-in code');
RESET ROLE;
SELECT pg_temp.sent('rq-una@example.com') ->> 'otp' AS otp \gset
SELECT pg_temp.request();
SELECT ok(neon_auth.sign_in_email_otp('rq-una@example.com', :'otp') ? 'token', 'sign_in_email_otp');
-- (One code per address here: the transaction's now() would tie two.)
SELECT is(neon_auth.forget_password_email_otp('rq-nobody@example.com'), '{"success": true}', 'forget_password_email_otp');
SELECT is(neon_auth.request_password_reset_email_otp('rq-una@example.com'), '{"success": true}', 'request_password_reset_email_otp');
RESET ROLE;
SELECT pg_temp.sent('rq-una@example.com') ->> 'otp' AS otp \gset
SELECT pg_temp.request();
SELECT is(neon_auth.reset_password_email_otp('rq-una@example.com', :'otp', 'una-password-2'), '{"success": true}',
          'reset_password_email_otp');
RESET ROLE;
SELECT neon_auth.configure('{"email_otp_change_email": true}');
-- The reset may have ended Una's sessions: she signs in again with the new password.
SELECT neon_auth.sign_in_username('una_request', 'una-password-2') AS una \gset
SELECT pg_temp.cookie_of(:'una') AS una_cookie \gset
SELECT pg_temp.request(:'una_cookie');
SELECT is(neon_auth.request_email_change_email_otp('rq-una2@example.com'), '{"success": true}', 'request_email_change_email_otp');
RESET ROLE;
SELECT pg_temp.sent('rq-una2@example.com') ->> 'otp' AS otp \gset
SELECT pg_temp.request(:'una_cookie');
SELECT is(neon_auth.change_email_email_otp('rq-una2@example.com', :'otp'), '{"success": true}', 'change_email_email_otp');
SELECT throws_ok($$SELECT neon_auth.create_verification_otp('rq-una2@example.com', 'sign-in')$$, '42501', NULL,
                 'create_verification_otp is the owner''s');
SELECT throws_ok($$SELECT neon_auth.get_verification_otp('rq-una2@example.com', 'sign-in')$$, '42501', NULL,
                 'get_verification_otp is the owner''s');
RESET ROLE;
SELECT is((SELECT email FROM neon_auth."user" WHERE username = 'una_request'), 'rq-una2@example.com', 'the address changed');

-- Phone numbers
SELECT pg_temp.request(:'una_cookie');
SELECT is(neon_auth.send_phone_number_otp('+15550016161'), '{"message": "code sent"}', 'send_phone_number_otp, signed in');
RESET ROLE;
SELECT pg_temp.sent('+15550016161') ->> 'code' AS code \gset
SELECT pg_temp.request(:'una_cookie');
SELECT is(neon_auth.verify_phone_number('+15550016161', '000000', update_phone_number => true) ->> 'code', 'INVALID_OTP',
          'a wrong phone code is answered');
SELECT is(neon_auth.verify_phone_number('+15550016161', :'code', update_phone_number => true) #>> '{user,phoneNumber}',
          '+15550016161', 'verify_phone_number gives the cookie''s user the number');
RESET ROLE;
SELECT pg_temp.request();
SELECT is(neon_auth.sign_in_phone_number('+15550016161', 'una-password-2') #>> '{user,username}', 'una_request', 'sign_in_phone_number');
SELECT throws_ok($$SELECT neon_auth.sign_in_phone_number('555-0161', 'una-password-2')$$, '22023', 'invalid phone number',
                 'a malformed number is refused');
SELECT is(neon_auth.request_password_reset_phone_number('+15550016161'), '{"status": true}', 'request_password_reset_phone_number');
RESET ROLE;
SELECT pg_temp.sent('+15550016161') ->> 'code' AS code \gset
SELECT pg_temp.request();
SELECT is(neon_auth.reset_password_phone_number('+15550016161', :'code', 'una-password-3'), '{"status": true}',
          'reset_password_phone_number');
SELECT is(neon_auth.send_phone_number_otp('+15550016161'), '{"message": "code sent"}', 'a sign-in code by SMS');
RESET ROLE;
SELECT pg_temp.sent('+15550016161') ->> 'code' AS code \gset
SELECT pg_temp.request();
SELECT ok(neon_auth.verify_phone_number('+15550016161', :'code') ? 'token', 'verify_phone_number signs in');
RESET ROLE;

-- One-time tokens
SELECT neon_auth.sign_in_phone_number('+15550016161', 'una-password-3') AS una \gset
SELECT pg_temp.cookie_of(:'una') AS una_cookie \gset
SELECT pg_temp.request(:'una_cookie');
SELECT neon_auth.generate_one_time_token() ->> 'token' AS ott \gset
RESET ROLE;
SELECT pg_temp.request();
SELECT is(neon_auth.verify_one_time_token(:'ott') #>> '{user,email}', 'rq-una2@example.com',
          'generate_one_time_token for the cookie''s user, verify_one_time_token from another request');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
