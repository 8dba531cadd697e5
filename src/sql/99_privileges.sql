---------------------------------------------------------------------------
-- Privileges: nothing in neon_auth is reachable by PUBLIC except the API.
-- Run by every install and update, so that new functions lose PUBLIC's
-- default EXECUTE. Who may call what:
--   * functions named _...: internal, nobody but the owner;
--   * the API granted below: everyone (each checks its caller itself);
--   * the owner-only API, not granted: set_secret, set_postgrest_secret, rotate_signing_key,
--     revoke_signing_key (20_jwt), outbox_claim, outbox_delivered,
--     outbox_failed (40_outbox; may be granted to a worker role),
--     configure, prune (44_operations), add_member (52_members) and fork
--     (80_fork). test/pgtap/privileges.sql pins both lists.
---------------------------------------------------------------------------

-- Revoking from PUBLIC is not enough: ALTER DEFAULT PRIVILEGES set up by the
-- installing role may have granted these new objects to other roles. Strip
-- every privilege held by anyone but the owner, then grant the API.
DO $$
DECLARE
	obj record;
BEGIN
	FOR obj IN
		SELECT DISTINCT c.oid::regclass::text AS name, a.grantee
		  FROM pg_class c, aclexplode(c.relacl) a
		 WHERE c.relnamespace = 'neon_auth'::regnamespace AND a.grantee <> c.relowner
	LOOP
		EXECUTE format('REVOKE ALL ON TABLE %s FROM %s', obj.name,
		               CASE WHEN obj.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(obj.grantee)) END);
	END LOOP;
	FOR obj IN
		SELECT DISTINCT p.oid::regprocedure::text AS name, a.grantee
		  FROM pg_proc p, aclexplode(p.proacl) a
		 WHERE p.pronamespace = 'neon_auth'::regnamespace AND a.grantee <> p.proowner
	LOOP
		EXECUTE format('REVOKE ALL ON FUNCTION %s FROM %s', obj.name,
		               CASE WHEN obj.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(obj.grantee)) END);
	END LOOP;
	FOR obj IN
		SELECT DISTINCT a.grantee
		  FROM pg_namespace n, aclexplode(n.nspacl) a
		 WHERE n.oid = 'neon_auth'::regnamespace AND a.grantee <> n.nspowner AND a.grantee <> 0
	LOOP
		EXECUTE format('REVOKE ALL ON SCHEMA neon_auth FROM %I', pg_get_userbyid(obj.grantee));
	END LOOP;
END
$$;
REVOKE ALL ON ALL TABLES IN SCHEMA neon_auth FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA neon_auth FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
	neon_auth.sign_up(text, text, text, text, boolean, text, text, text),
	neon_auth.sign_in_username(text, text, boolean, text),
	neon_auth.is_username_available(text),
	neon_auth.generate_one_time_token(text),
	neon_auth.sign_in_anonymous(),
	neon_auth.sign_in_phone_number(text, text, boolean),
	neon_auth.send_phone_number_otp(text, text),
	neon_auth.verify_phone_number(text, text, boolean, boolean, text),
	neon_auth.request_password_reset_phone_number(text),
	neon_auth.reset_password_phone_number(text, text, text),
	neon_auth.send_verification_otp(text, text),
	neon_auth.check_verification_otp(text, text, text),
	neon_auth.verify_email_otp(text, text),
	neon_auth.sign_in_email_otp(text, text, text, text),
	neon_auth.request_password_reset_email_otp(text),
	neon_auth.forget_password_email_otp(text),
	neon_auth.reset_password_email_otp(text, text, text),
	neon_auth.request_email_change_email_otp(text, text),
	neon_auth.change_email_email_otp(text, text, text),
	neon_auth.sign_in_magic_link(text, text, text, text, text),
	neon_auth.magic_link_verify(text, text, text, text),
	neon_auth.delete_anonymous_user(text),
	neon_auth.verify_one_time_token(text),
	neon_auth.sign_in(text, text, boolean, text),
	neon_auth.sign_out(text),
	neon_auth.verify_session(text),
	neon_auth.get_session(text, boolean),
	neon_auth.session_cookie(text),
	neon_auth.session_cookies(text, boolean),
	neon_auth.admin_session_cookie(text, boolean),
	neon_auth.enable_two_factor(text, text, text),
	neon_auth.disable_two_factor(text, text),
	neon_auth.get_totp_uri(text, text),
	neon_auth.verify_totp(text, boolean, text, text),
	neon_auth.send_two_factor_otp(boolean, text, text),
	neon_auth.verify_two_factor_otp(text, boolean, text, text),
	neon_auth.verify_backup_code(text, boolean, boolean, text, text),
	neon_auth.generate_backup_codes(text, text),
	neon_auth.token(text),
	neon_auth.jwks(),
	neon_auth.verify_jwt(text),
	neon_auth._identity(),
	neon_auth.requesting_user_id(),
	neon_auth.jwt(),
	neon_auth.session(),
	neon_auth.authenticate(text),
	neon_auth.send_verification_email(text, text),
	neon_auth.verify_email(text),
	neon_auth.request_password_reset(text, text),
	neon_auth.reset_password(text, text),
	neon_auth.change_password(text, text, boolean, text),
	neon_auth.set_password(text, text),
	neon_auth.update_user(text, text, text, text, text),
	neon_auth.change_email(text, text, text),
	neon_auth.delete_user(text, text, text, text),
	neon_auth.delete_user_callback(text, text, text),
	neon_auth.list_sessions(text),
	neon_auth.revoke_session(text, text),
	neon_auth.revoke_other_sessions(text),
	neon_auth.revoke_sessions(text),
	neon_auth.list_device_sessions(),
	neon_auth.set_active_session(text),
	neon_auth.revoke_device_session(text),
	neon_auth.create_organization(text, text, text, jsonb, boolean, text),
	neon_auth.check_slug(text),
	neon_auth.update_organization(jsonb, uuid, text),
	neon_auth.delete_organization(uuid, text),
	neon_auth.get_full_organization(uuid, text, text),
	neon_auth.get_organization(uuid, text, text),
	neon_auth.get_active_member_role(uuid, uuid, text, text),
	neon_auth.list_user_teams(uuid, uuid, text),
	neon_auth.list_team_members(uuid, text),
	neon_auth.get_role(text, uuid, uuid, text),
	neon_auth.verify_password(text, text),
	neon_auth.list_user_accounts(text),
	neon_auth.request_password_reset_callback(text, text),
	neon_auth.update_session(jsonb, text),
	neon_auth.get_user(uuid, text),
	neon_auth.user_has_permission(jsonb, uuid, text, text),
	neon_auth.list_organizations(text),
	neon_auth.set_active_organization(uuid, text, text),
	neon_auth.remove_member(text, uuid, text),
	neon_auth.update_member_role(uuid, text, uuid, text),
	neon_auth.leave_organization(uuid, text),
	neon_auth.get_active_member(text),
	neon_auth.list_members(uuid, integer, integer, text, text),
	neon_auth.invite_member(text, text, uuid, boolean, text, text),
	neon_auth.accept_invitation(uuid, text),
	neon_auth.reject_invitation(uuid, text),
	neon_auth.cancel_invitation(uuid, text),
	neon_auth.get_invitation(uuid, text),
	neon_auth.list_invitations(uuid, text),
	neon_auth.list_user_invitations(text),
	neon_auth.organization_ids(),
	neon_auth.is_member(uuid),
	neon_auth.member_role(uuid),
	neon_auth.active_organization_id(),
	neon_auth.active_organization(),
	neon_auth.has_permission(uuid, jsonb),
	neon_auth.create_team(text, uuid, text),
	neon_auth.update_team(uuid, text, text, uuid),
	neon_auth.remove_team(uuid, text),
	neon_auth.list_teams(uuid, text),
	neon_auth.add_team_member(uuid, uuid, text),
	neon_auth.remove_team_member(uuid, uuid, text),
	neon_auth.set_active_team(uuid, text),
	neon_auth.create_user(text, text, text, text, text, jsonb),
	neon_auth.list_users(text, text, text, integer, integer, text, text, text, text, text, text),
	neon_auth.set_role(uuid, text, text),
	neon_auth.set_user_password(uuid, text, text),
	neon_auth.admin_update_user(uuid, jsonb, text),
	neon_auth.remove_user(uuid, text),
	neon_auth.ban_user(uuid, text, integer, text),
	neon_auth.unban_user(uuid, text),
	neon_auth.list_user_sessions(uuid, text),
	neon_auth.revoke_user_session(text, text),
	neon_auth.revoke_user_sessions(uuid, text),
	neon_auth.impersonate_user(uuid, text),
	neon_auth.stop_impersonating(text, text),
	neon_auth.create_role(text, jsonb, uuid, text),
	neon_auth.update_role(text, jsonb, uuid, text),
	neon_auth.delete_role(text, uuid, text),
	neon_auth.list_roles(uuid, text),
	neon_auth.fork_status()
	TO PUBLIC;
