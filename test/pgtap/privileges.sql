-- The privilege model, role by role: app roles reach neon_auth only through
-- the API functions; no table, secret, hash or token is readable.
BEGIN;
SELECT plan(73);

-- Each Better Auth and neon_auth table: no privilege at all for the app roles.
SELECT is(has_table_privilege(r, 'neon_auth.' || quote_ident(t), p), false,
          format('%s has no %s on neon_auth.%s', r, p, t))
  FROM unnest(ARRAY['anon', 'authenticated']) r,
       unnest(ARRAY['user', 'session', 'account', 'verification', 'jwks', 'secret', 'config', 'audit_log', 'outbox',
                    'error_code']) t,
       unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) p
 WHERE p = 'SELECT' OR t IN ('user', 'session', 'account', 'secret', 'audit_log', 'outbox');

-- And really: a SELECT as authenticated fails with 42501.
SET ROLE authenticated;
SELECT throws_ok('SELECT * FROM neon_auth.account', '42501', 'permission denied for table account',
                 'authenticated cannot select neon_auth.account');
SELECT throws_ok('SELECT value FROM neon_auth.secret', '42501', NULL, 'authenticated cannot read the secret');
SELECT throws_ok('SELECT token FROM neon_auth.session', '42501', NULL, 'authenticated cannot read session tokens');
SELECT throws_ok($$UPDATE neon_auth."user" SET role = 'admin'$$, '42501', NULL, 'authenticated cannot change roles');
SELECT throws_ok($$SELECT neon_auth._password_verify('x', 'y')$$, '42501', NULL, 'internal functions are not executable');
SELECT throws_ok($$SELECT neon_auth._cookie_sign('token', 'secret')$$, '42501', NULL, 'no signing primitive for app roles');
SELECT throws_ok($$SELECT neon_auth.set_secret('0123456789abcdef0123456789abcdef-attacker')$$, '42501', NULL,
                 'only the owner can replace the secret');
SELECT throws_ok($$SELECT neon_auth.set_postgrest_secret('0123456789abcdef0123456789abcdef-attacker')$$, '42501', NULL,
                 'only the owner can set PostgREST''s secret');
SELECT throws_ok('SELECT postgrest_secret FROM neon_auth.secret', '42501', NULL, 'authenticated cannot read PostgREST''s secret');
SELECT throws_ok('SELECT data FROM neon_auth.outbox', '42501', NULL, 'authenticated cannot read queued links');
SELECT throws_ok($$DELETE FROM neon_auth.audit_log$$, '42501', NULL, 'authenticated cannot erase the audit trail');
RESET ROLE;

-- The owner-only API: named like the API (no leading _), callable by nobody
-- else; src/sql/99_privileges.sql lists the same functions.
SELECT is(ARRAY(SELECT p.proname::text FROM pg_proc p
                 WHERE p.pronamespace = 'neon_auth'::regnamespace AND p.proname !~ '^_'
                   AND NOT has_function_privilege('authenticated', p.oid, 'EXECUTE')
                 ORDER BY 1),
          ARRAY['add_member', 'configure', 'create_verification_otp', 'fork', 'get_verification_otp', 'outbox_claim',
                'outbox_delivered', 'outbox_failed', 'prune', 'revoke_signing_key', 'rotate_signing_key', 'set_postgrest_secret',
                'set_secret', 'view_backup_codes'],
          'the owner-only API is exactly the documented list');

-- Exactly the API is callable by both roles (it works through SECURITY
-- DEFINER); anything new that is executable must be added here on purpose.
SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
                 WHERE p.pronamespace = 'neon_auth'::regnamespace AND has_function_privilege(r, p.oid, 'EXECUTE')
                 ORDER BY 1),
          ARRAY['neon_auth._identity()',
                'neon_auth.accept_invitation(uuid,text)',
                'neon_auth.active_organization()',
                'neon_auth.active_organization_id()',
                'neon_auth.add_team_member(uuid,uuid,text)',
                'neon_auth.admin_session_cookie(text,boolean)',
                'neon_auth.admin_update_user(uuid,jsonb,text)',
                'neon_auth.authenticate(text)',
                'neon_auth.ban_user(uuid,text,integer,text)',
                'neon_auth.cancel_invitation(uuid,text)',
                'neon_auth.change_email(text,text,text)',
                'neon_auth.change_email_email_otp(text,text,text)',
                'neon_auth.change_password(text,text,boolean,text)',
                'neon_auth.check_slug(text)',
                'neon_auth.check_verification_otp(text,text,text)',
                'neon_auth.create_organization(text,text,text,jsonb,boolean,text)',
                'neon_auth.create_role(text,jsonb,uuid,text)',
                'neon_auth.create_team(text,uuid,text)',
                'neon_auth.create_user(text,text,text,text,text,jsonb)',
                'neon_auth.delete_anonymous_user(text)',
                'neon_auth.delete_organization(uuid,text)',
                'neon_auth.delete_role(text,uuid,text)',
                'neon_auth.delete_user(text,text,text,text)',
                'neon_auth.delete_user_callback(text,text,text)',
                'neon_auth.disable_two_factor(text,text)',
                'neon_auth.enable_two_factor(text,text,text)',
                'neon_auth.forget_password_email_otp(text)',
                'neon_auth.fork_status()',
                'neon_auth.generate_backup_codes(text,text)',
                'neon_auth.generate_one_time_token(text)',
                'neon_auth.get_active_member(text)',
                'neon_auth.get_active_member_role(uuid,uuid,text,text)',
                'neon_auth.get_full_organization(uuid,text,text)',
                'neon_auth.get_invitation(uuid,text)',
                'neon_auth.get_organization(uuid,text,text)',
                'neon_auth.get_role(text,uuid,uuid,text)',
                'neon_auth.get_session(text,boolean)',
                'neon_auth.get_totp_uri(text,text)',
                'neon_auth.get_user(uuid,text)',
                'neon_auth.has_permission(uuid,jsonb)',
                'neon_auth.impersonate_user(uuid,text)',
                'neon_auth.invite_member(text,text,uuid,boolean,text,text)',
                'neon_auth.is_member(uuid)',
                'neon_auth.is_username_available(text)',
                'neon_auth.jwks()',
                'neon_auth.jwt()',
                'neon_auth.leave_organization(uuid,text)',
                'neon_auth.list_device_sessions()',
                'neon_auth.list_invitations(uuid,text)',
                'neon_auth.list_members(uuid,integer,integer,text,text)',
                'neon_auth.list_organizations(text)',
                'neon_auth.list_roles(uuid,text)',
                'neon_auth.list_sessions(text)',
                'neon_auth.list_team_members(uuid,text)',
                'neon_auth.list_teams(uuid,text)',
                'neon_auth.list_user_accounts(text)',
                'neon_auth.list_user_invitations(text)',
                'neon_auth.list_user_sessions(uuid,text)',
                'neon_auth.list_user_teams(uuid,uuid,text)',
                'neon_auth.list_users(text,text,text,integer,integer,text,text,text,text,text,text)',
                'neon_auth.magic_link_verify(text,text,text,text)',
                'neon_auth.member_role(uuid)',
                'neon_auth.organization_ids()',
                'neon_auth.reject_invitation(uuid,text)',
                'neon_auth.remove_member(text,uuid,text)',
                'neon_auth.remove_team(uuid,text)',
                'neon_auth.remove_team_member(uuid,uuid,text)',
                'neon_auth.remove_user(uuid,text)',
                'neon_auth.request_email_change_email_otp(text,text)',
                'neon_auth.request_password_reset(text,text)',
                'neon_auth.request_password_reset_callback(text,text)',
                'neon_auth.request_password_reset_email_otp(text)',
                'neon_auth.request_password_reset_phone_number(text)',
                'neon_auth.requesting_user_id()',
                'neon_auth.reset_password(text,text)',
                'neon_auth.reset_password_email_otp(text,text,text)',
                'neon_auth.reset_password_phone_number(text,text,text)',
                'neon_auth.revoke_device_session(text)',
                'neon_auth.revoke_other_sessions(text)',
                'neon_auth.revoke_session(text,text)',
                'neon_auth.revoke_sessions(text)',
                'neon_auth.revoke_user_session(text,text)',
                'neon_auth.revoke_user_sessions(uuid,text)',
                'neon_auth.send_phone_number_otp(text,text)',
                'neon_auth.send_two_factor_otp(boolean,text,text)',
                'neon_auth.send_verification_email(text,text)',
                'neon_auth.send_verification_otp(text,text)',
                'neon_auth.session()',
                'neon_auth.session_cookie(text)',
                'neon_auth.session_cookies(text,boolean)',
                'neon_auth.set_active_organization(uuid,text,text)',
                'neon_auth.set_active_session(text)',
                'neon_auth.set_active_team(uuid,text)',
                'neon_auth.set_password(text,text)',
                'neon_auth.set_role(uuid,text,text)',
                'neon_auth.set_user_password(uuid,text,text)',
                'neon_auth.sign_in(text,text,boolean,text)',
                'neon_auth.sign_in_anonymous()',
                'neon_auth.sign_in_email_otp(text,text,text,text)',
                'neon_auth.sign_in_magic_link(text,text,text,text,text)',
                'neon_auth.sign_in_phone_number(text,text,boolean)',
                'neon_auth.sign_in_username(text,text,boolean,text)',
                'neon_auth.sign_out(text)',
                'neon_auth.sign_up(text,text,text,text,boolean,text,text,text)',
                'neon_auth.stop_impersonating(text,text)',
                'neon_auth.token(text)',
                'neon_auth.unban_user(uuid,text)',
                'neon_auth.update_member_role(uuid,text,uuid,text)',
                'neon_auth.update_organization(jsonb,uuid,text)',
                'neon_auth.update_role(text,jsonb,uuid,text)',
                'neon_auth.update_session(jsonb,text)',
                'neon_auth.update_team(uuid,text,text,uuid)',
                'neon_auth.update_user(text,text,text,text,text)',
                'neon_auth.user_has_permission(jsonb,uuid,text,text)',
                'neon_auth.verify_backup_code(text,boolean,boolean,text,text)',
                'neon_auth.verify_email(text)',
                'neon_auth.verify_email_otp(text,text)',
                'neon_auth.verify_jwt(text)',
                'neon_auth.verify_one_time_token(text)',
                'neon_auth.verify_password(text,text)',
                'neon_auth.verify_phone_number(text,text,boolean,boolean,text)',
                'neon_auth.verify_session(text)',
                'neon_auth.verify_totp(text,boolean,text,text)',
                'neon_auth.verify_two_factor_otp(text,boolean,text,text)'],
          format('%s may execute exactly the API', r))
  FROM unnest(ARRAY['anon', 'authenticated']) r;

SET ROLE anon;
SELECT ok((neon_auth.sign_up('tap-priv@example.com', 'tap-password-1', 'Tap') ->> 'token') IS NOT NULL,
          'anon can sign up');
-- Two statements: a STABLE function sees the snapshot its statement started with.
SELECT neon_auth.sign_in('tap-priv@example.com', 'tap-password-1') ->> 'token' AS tok \gset
SELECT ok(neon_auth.verify_session(:'tok') IS NOT NULL, 'anon can sign in and verify the session');
RESET ROLE;

-- A role's search_path cannot capture anything the API uses.
CREATE SCHEMA evil;
CREATE FUNCTION evil.lower(text) RETURNS text LANGUAGE sql AS $$ SELECT 'hijacked@example.com' $$;
CREATE FUNCTION evil.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT 'infinity'::timestamptz $$;
SET search_path = evil, public;
SELECT is(neon_auth.sign_up('Capture@Example.com', 'tap-password-2', 'C') #>> '{user,email}', 'capture@example.com',
          'a hostile search_path does not change what sign_up calls');
RESET search_path;

SELECT * FROM finish();
ROLLBACK;
