---------------------------------------------------------------------------
-- Organizations, part 3: members. Owner only: add_member (Better Auth's
-- server-only addMember). Callers of the rest: everyone.
---------------------------------------------------------------------------

-- Better Auth addMember: server-only there, so owner-only here (not granted
-- to app roles): it adds a user without their consent. The owner passes the
-- session of a member with member:create, whose rights apply.
CREATE FUNCTION neon_auth.add_member(user_id uuid, role text, organization_id uuid DEFAULT NULL, session_token text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	org uuid;
	me neon_auth."member";
	roles text;
	m neon_auth."member";
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	org := neon_auth._target_org(organization_id, caller.s);
	me := neon_auth._membership(org, caller.user_id, '{"member": ["create"]}', 'YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_MEMBER');
	roles := neon_auth._check_roles(org, role);
	IF neon_auth._is_owner(roles) AND NOT neon_auth._is_owner(me."role") THEN
		PERFORM neon_auth._raise('YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_MEMBER');
	END IF;
	IF NOT EXISTS (SELECT 1 FROM neon_auth."user" u WHERE u."id" = add_member.user_id) THEN
		PERFORM neon_auth._raise('MEMBER_NOT_FOUND');
	END IF;
	-- Serialize membership changes of one organization.
	PERFORM 1 FROM neon_auth."organization" WHERE "id" = org FOR UPDATE;
	IF (neon_auth._member_of(org, add_member.user_id))."id" IS NOT NULL THEN
		PERFORM neon_auth._raise('USER_IS_ALREADY_A_MEMBER_OF_THIS_ORGANIZATION');
	END IF;
	INSERT INTO neon_auth."member" ("organizationId", "userId", "role", "createdAt")
	VALUES (org, add_member.user_id, roles, neon_auth._now()) RETURNING * INTO m;
	PERFORM neon_auth._audit('member_added', caller.user_id, 'success', NULL,
		jsonb_build_object('organization_id', org, 'member_user_id', add_member.user_id, 'role', roles));
	RETURN neon_auth._member_json(m);
END
$$;

-- Better Auth POST /organization/remove-member (member:delete). Only owners
-- remove owners, and never the last one.
CREATE FUNCTION neon_auth.remove_member(member_id_or_email text, organization_id uuid DEFAULT NULL, session_token text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	org uuid;
	me neon_auth."member";
	m neon_auth."member";
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	org := neon_auth._target_org(organization_id, caller.s);
	me := neon_auth._membership(org, caller.user_id, '{"member": ["delete"]}', 'YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_MEMBER');
	PERFORM 1 FROM neon_auth."organization" WHERE "id" = org FOR UPDATE;
	SELECT mm.* INTO m FROM neon_auth."member" mm JOIN neon_auth."user" u ON u."id" = mm."userId"
	 WHERE mm."organizationId" = org
	   AND (mm."id"::text = member_id_or_email OR u."email" = lower(member_id_or_email));
	IF m."id" IS NULL THEN
		PERFORM neon_auth._raise('MEMBER_NOT_FOUND');
	END IF;
	IF neon_auth._is_owner(m."role") AND NOT neon_auth._is_owner(me."role") THEN
		PERFORM neon_auth._raise('YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_MEMBER');
	END IF;
	IF neon_auth._is_owner(m."role") AND neon_auth._other_owners(org, m."id") = 0 THEN
		PERFORM neon_auth._raise('YOU_CANNOT_LEAVE_THE_ORGANIZATION_AS_THE_ONLY_OWNER');
	END IF;
	DELETE FROM neon_auth."member" WHERE "id" = m."id";
	PERFORM neon_auth._leave_teams(org, m."userId");
	UPDATE neon_auth."session" SET "activeOrganizationId" = NULL, "activeTeamId" = NULL
	 WHERE "userId" = m."userId" AND "activeOrganizationId" = org::text;
	PERFORM neon_auth._audit('member_removed', caller.user_id, 'success', NULL,
		jsonb_build_object('organization_id', org, 'member_user_id', m."userId"));
	RETURN jsonb_build_object('member', neon_auth._member_json(m));
END
$$;

-- Better Auth POST /organization/update-member-role (member:update). Only
-- owners make or unmake owners, and the last owner keeps the role.
CREATE FUNCTION neon_auth.update_member_role(member_id uuid, role text, organization_id uuid DEFAULT NULL,
                                             session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	caller record := neon_auth._caller(session_token);
	org uuid;
	me neon_auth."member";
	m neon_auth."member";
	roles text;
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	org := neon_auth._target_org(update_member_role.organization_id, caller.s);
	me := neon_auth._membership(org, caller.user_id, '{"member": ["update"]}', 'YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_MEMBER');
	roles := neon_auth._check_roles(org, update_member_role.role);
	PERFORM 1 FROM neon_auth."organization" WHERE "id" = org FOR UPDATE;
	SELECT * INTO m FROM neon_auth."member" WHERE "id" = update_member_role.member_id AND "organizationId" = org;
	IF m."id" IS NULL THEN
		PERFORM neon_auth._raise('MEMBER_NOT_FOUND');
	END IF;
	IF (neon_auth._is_owner(roles) OR neon_auth._is_owner(m."role")) AND NOT neon_auth._is_owner(me."role") THEN
		PERFORM neon_auth._raise('YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_MEMBER');
	END IF;
	IF neon_auth._is_owner(m."role") AND NOT neon_auth._is_owner(roles) AND neon_auth._other_owners(org, m."id") = 0 THEN
		PERFORM neon_auth._raise('YOU_CANNOT_LEAVE_THE_ORGANIZATION_WITHOUT_AN_OWNER');
	END IF;
	UPDATE neon_auth."member" SET "role" = roles WHERE "id" = m."id" RETURNING * INTO m;
	PERFORM neon_auth._audit('member_role_updated', caller.user_id, 'success', NULL,
		jsonb_build_object('organization_id', org, 'member_user_id', m."userId", 'role', roles));
	RETURN neon_auth._member_json(m) - 'user';   -- Better Auth answers the member without its user
END
$$;

-- Better Auth POST /organization/leave. The only owner cannot leave.
CREATE FUNCTION neon_auth.leave_organization(organization_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	m neon_auth."member";
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	m := neon_auth._membership(organization_id, caller.user_id, NULL, NULL, 'MEMBER_NOT_FOUND');
	PERFORM 1 FROM neon_auth."organization" WHERE "id" = organization_id FOR UPDATE;
	IF neon_auth._is_owner(m."role") AND neon_auth._other_owners(organization_id, m."id") = 0 THEN
		PERFORM neon_auth._raise('YOU_CANNOT_LEAVE_THE_ORGANIZATION_AS_THE_ONLY_OWNER');
	END IF;
	DELETE FROM neon_auth."member" WHERE "id" = m."id";
	PERFORM neon_auth._leave_teams(organization_id, caller.user_id);
	UPDATE neon_auth."session" SET "activeOrganizationId" = NULL, "activeTeamId" = NULL
	 WHERE "userId" = caller.user_id AND "activeOrganizationId" = organization_id::text;
	PERFORM neon_auth._audit('member_left', caller.user_id, 'success', NULL, jsonb_build_object('organization_id', organization_id));
	RETURN neon_auth._member_json(m);
END
$$;

-- Better Auth GET /organization/get-active-member.
CREATE FUNCTION neon_auth.get_active_member(session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	m neon_auth."member";
BEGIN
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	IF (caller.s)."activeOrganizationId" IS NULL THEN
		PERFORM neon_auth._raise('NO_ACTIVE_ORGANIZATION');
	END IF;
	m := neon_auth._membership(((caller.s)."activeOrganizationId")::uuid, caller.user_id, NULL, NULL);
	RETURN neon_auth._member_json(m);
END
$$;

-- Better Auth GET /organization/list-members, paginated; the organization by
-- id, by slug (ORGANIZATION_NOT_FOUND for none) or the active one.
CREATE FUNCTION neon_auth.list_members(organization_id uuid DEFAULT NULL, "limit" integer DEFAULT 100, "offset" integer DEFAULT 0,
                                       session_token text DEFAULT NULL, organization_slug text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	org uuid;
BEGIN
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	org := CASE WHEN organization_slug IS NOT NULL THEN (neon_auth._organization_by(NULL, organization_slug))."id"
	            ELSE neon_auth._target_org(organization_id, caller.s) END;
	PERFORM neon_auth._membership(org, caller.user_id, NULL, NULL, 'YOU_ARE_NOT_A_MEMBER_OF_THIS_ORGANIZATION');
	RETURN jsonb_build_object(
		'members', (SELECT coalesce(jsonb_agg(neon_auth._member_json(p) ORDER BY p."createdAt", p."id"), '[]')
		              FROM (SELECT * FROM neon_auth."member" m WHERE m."organizationId" = org
		                     ORDER BY m."createdAt", m."id"
		                     LIMIT greatest(least(coalesce("limit", 100), 1000), 0) OFFSET greatest(coalesce("offset", 0), 0)) p),
		'total', (SELECT count(*) FROM neon_auth."member" m WHERE m."organizationId" = org));
END
$$;

-- Better Auth GET /organization/get-active-member-role: {role} of the caller
-- (or of `user_id`, a member too) in the organization given or active.
CREATE FUNCTION neon_auth.get_active_member_role(user_id uuid DEFAULT NULL, organization_id uuid DEFAULT NULL,
                                                 organization_slug text DEFAULT NULL, session_token text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	org uuid;
	m neon_auth."member";
BEGIN
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	org := CASE WHEN organization_slug IS NOT NULL THEN (neon_auth._organization_by(NULL, organization_slug))."id"
	            ELSE neon_auth._target_org(organization_id, caller.s) END;
	m := neon_auth._member_of(org, caller.user_id);
	IF m."id" IS NOT NULL AND user_id IS NOT NULL THEN
		m := neon_auth._member_of(org, user_id);
	END IF;
	IF m."id" IS NULL THEN
		PERFORM neon_auth._raise('YOU_ARE_NOT_A_MEMBER_OF_THIS_ORGANIZATION');
	END IF;
	RETURN jsonb_build_object('role', m."role");
END
$$;
COMMENT ON FUNCTION neon_auth.get_active_member_role(uuid, uuid, text, text) IS
	'Better Auth GET /organization/get-active-member-role: {role}';
