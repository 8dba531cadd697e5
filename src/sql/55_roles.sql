---------------------------------------------------------------------------
-- Custom roles (Better Auth's dynamic access control): organizationRole
-- rows, managed by members with the ac permissions. A custom role's
-- statements add to a default role of the same name.
---------------------------------------------------------------------------

CREATE FUNCTION neon_auth._org_role_json(r neon_auth."organizationRole") RETURNS jsonb
	LANGUAGE sql STABLE
	RETURN jsonb_build_object('id', r."id", 'organizationId', r."organizationId", 'role', r."role",
		'permission', r."permission"::jsonb, 'createdAt', neon_auth._iso(r."createdAt"), 'updatedAt', neon_auth._iso(r."updatedAt"));

-- A permission object {resource: [action, ...]} with string actions.
CREATE FUNCTION neon_auth._check_permission_object(permission jsonb) RETURNS jsonb
	LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF permission IS NULL OR jsonb_typeof(permission) <> 'object' OR EXISTS (
	       SELECT 1 FROM jsonb_each(permission) p
	        WHERE jsonb_typeof(p.value) <> 'array'
	           OR EXISTS (SELECT 1 FROM jsonb_array_elements(p.value) a WHERE jsonb_typeof(a) <> 'string')) THEN
		PERFORM neon_auth._raise('INVALID_PERMISSIONS');
	END IF;
	RETURN permission;
END
$$;

-- Whether `roles` may grant `permission` in a role they create or update:
-- nobody grants what they do not hold (Better Auth's
-- checkIfMemberHasPermission). An application resource ("billing") can be
-- granted once the extension owner has given it to a default role (a custom
-- row named "owner" or "admin", see docs/organizations.md#custom-roles).
CREATE FUNCTION neon_auth._may_grant(organization_id uuid, roles text, permission jsonb) RETURNS boolean
	LANGUAGE sql STABLE
	RETURN permission = '{}' OR coalesce(neon_auth._roles_permit(organization_id, roles, permission), false);

CREATE FUNCTION neon_auth.create_role(role text, permission jsonb, organization_id uuid DEFAULT NULL, session_token text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	caller record := neon_auth._caller(session_token);
	org uuid;
	me neon_auth."member";
	r neon_auth."organizationRole";
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	org := neon_auth._target_org(create_role.organization_id, caller.s);
	me := neon_auth._membership(org, caller.user_id, '{"ac": ["create"]}', 'YOU_ARE_NOT_ALLOWED_TO_CREATE_A_ROLE');
	IF create_role.role IS NULL OR create_role.role !~ '^[A-Za-z0-9_-]{1,64}$' THEN
		PERFORM neon_auth._raise('INVALID_ROLE_NAME');
	END IF;
	PERFORM 1 FROM neon_auth."organization" WHERE "id" = org FOR UPDATE;
	IF create_role.role IN ('owner', 'admin', 'member') OR EXISTS (
	       SELECT 1 FROM neon_auth."organizationRole" WHERE "organizationId" = org AND "role" = create_role.role) THEN
		PERFORM neon_auth._raise('ROLE_NAME_IS_ALREADY_TAKEN');
	END IF;
	IF NOT neon_auth._may_grant(org, me."role", neon_auth._check_permission_object(create_role.permission)) THEN
		PERFORM neon_auth._raise('YOU_ARE_NOT_ALLOWED_TO_CREATE_A_ROLE');
	END IF;
	INSERT INTO neon_auth."organizationRole" ("organizationId", "role", "permission", "createdAt")
	VALUES (org, create_role.role, neon_auth._check_permission_object(create_role.permission)::text, neon_auth._now())
	RETURNING * INTO r;
	PERFORM neon_auth._audit('role_created', caller.user_id, 'success', NULL, jsonb_build_object('organization_id', org, 'role', r."role"));
	-- Better Auth's answer: the role, and its statements.
	RETURN jsonb_build_object('success', true, 'roleData', neon_auth._org_role_json(r), 'statements', r."permission"::jsonb);
END
$$;

CREATE FUNCTION neon_auth.update_role(role text, permission jsonb, organization_id uuid DEFAULT NULL, session_token text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	caller record := neon_auth._caller(session_token);
	org uuid;
	me neon_auth."member";
	r neon_auth."organizationRole";
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	org := neon_auth._target_org(update_role.organization_id, caller.s);
	me := neon_auth._membership(org, caller.user_id, '{"ac": ["update"]}', 'YOU_ARE_NOT_ALLOWED_TO_UPDATE_A_ROLE');
	IF NOT neon_auth._may_grant(org, me."role", neon_auth._check_permission_object(update_role.permission)) THEN
		PERFORM neon_auth._raise('YOU_ARE_NOT_ALLOWED_TO_UPDATE_A_ROLE');
	END IF;
	-- updatedAt stays as it was: Better Auth's update-role leaves it too.
	UPDATE neon_auth."organizationRole"
	   SET "permission" = neon_auth._check_permission_object(update_role.permission)::text
	 WHERE "organizationId" = org AND "role" = update_role.role RETURNING * INTO r;
	IF r."id" IS NULL THEN
		PERFORM neon_auth._raise('ROLE_NOT_FOUND');
	END IF;
	PERFORM neon_auth._audit('role_updated', caller.user_id, 'success', NULL, jsonb_build_object('organization_id', org, 'role', r."role"));
	RETURN jsonb_build_object('success', true, 'roleData', neon_auth._org_role_json(r));
END
$$;

CREATE FUNCTION neon_auth.delete_role(role text, organization_id uuid DEFAULT NULL, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	caller record := neon_auth._caller(session_token);
	org uuid;
	n integer;
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	org := neon_auth._target_org(delete_role.organization_id, caller.s);
	PERFORM neon_auth._membership(org, caller.user_id, '{"ac": ["delete"]}', 'YOU_ARE_NOT_ALLOWED_TO_DELETE_A_ROLE');
	IF delete_role.role IN ('owner', 'admin', 'member') THEN
		PERFORM neon_auth._raise('CANNOT_DELETE_A_PRE_DEFINED_ROLE');
	END IF;
	PERFORM 1 FROM neon_auth."organization" WHERE "id" = org FOR UPDATE;
	IF EXISTS (SELECT 1 FROM neon_auth."member" m, unnest(string_to_array(m."role", ',')) x
	            WHERE m."organizationId" = org AND btrim(x) = delete_role.role) THEN
		PERFORM neon_auth._raise('ROLE_IS_ASSIGNED_TO_MEMBERS');
	END IF;
	DELETE FROM neon_auth."organizationRole" WHERE "organizationId" = org AND "role" = delete_role.role;
	GET DIAGNOSTICS n = ROW_COUNT;
	IF n = 0 THEN
		PERFORM neon_auth._raise('ROLE_NOT_FOUND');
	END IF;
	PERFORM neon_auth._audit('role_deleted', caller.user_id, 'success', NULL, jsonb_build_object('organization_id', org, 'role', delete_role.role));
	RETURN jsonb_build_object('success', true);
END
$$;

CREATE FUNCTION neon_auth.list_roles(organization_id uuid DEFAULT NULL, session_token text DEFAULT NULL) RETURNS jsonb
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
	org := neon_auth._target_org(organization_id, caller.s);
	PERFORM neon_auth._membership(org, caller.user_id, '{"ac": ["read"]}', 'YOU_ARE_NOT_ALLOWED_TO_LIST_A_ROLE');
	RETURN (SELECT coalesce(jsonb_agg(neon_auth._org_role_json(r) ORDER BY r."role"), '[]')
	          FROM neon_auth."organizationRole" r WHERE r."organizationId" = org);
END
$$;

-- Better Auth GET /organization/get-role: one custom role of the organization
-- given or active, by name or id, for members with ac:read.
CREATE FUNCTION neon_auth.get_role(role_name text DEFAULT NULL, role_id uuid DEFAULT NULL, organization_id uuid DEFAULT NULL,
                                   session_token text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	org uuid;
	m neon_auth."member";
	r neon_auth."organizationRole";
BEGIN
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	org := neon_auth._target_org(organization_id, caller.s);
	m := neon_auth._member_of(org, caller.user_id);
	IF m."id" IS NULL THEN
		PERFORM neon_auth._raise('YOU_ARE_NOT_A_MEMBER_OF_THIS_ORGANIZATION');
	ELSIF NOT neon_auth._roles_permit(org, m."role", '{"ac": ["read"]}') THEN
		PERFORM neon_auth._raise('YOU_ARE_NOT_ALLOWED_TO_READ_A_ROLE');
	END IF;
	SELECT * INTO r FROM neon_auth."organizationRole" x
	 WHERE x."organizationId" = org AND (role_name IS NOT NULL AND x."role" = role_name OR role_name IS NULL AND x."id" = role_id);
	IF r."id" IS NULL THEN
		PERFORM neon_auth._raise('ROLE_NOT_FOUND');
	END IF;
	RETURN neon_auth._org_role_json(r);
END
$$;
COMMENT ON FUNCTION neon_auth.get_role(text, uuid, uuid, text) IS 'Better Auth GET /organization/get-role: a custom role';
