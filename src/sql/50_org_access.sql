-- Better Auth's default roles and their permission statements
-- (plugins/organization/access/statement).
CREATE FUNCTION neon_auth._default_role_statements(role text) RETURNS jsonb
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN CASE role
		WHEN 'owner' THEN '{"organization": ["update", "delete"], "member": ["create", "update", "delete"],
		                    "invitation": ["create", "cancel"], "team": ["create", "update", "delete"],
		                    "ac": ["create", "read", "update", "delete"]}'::jsonb
		WHEN 'admin' THEN '{"organization": ["update"], "member": ["create", "update", "delete"],
		                    "invitation": ["create", "cancel"], "team": ["create", "update", "delete"],
		                    "ac": ["create", "read", "update", "delete"]}'::jsonb
		WHEN 'member' THEN '{"organization": [], "member": [], "invitation": [], "team": [], "ac": ["read"]}'::jsonb
	END;

-- A role's statements in an organization: the default role's, merged with the
-- organization's custom role of that name (organizationRole, Better Auth's
-- dynamic access control), action lists united.
CREATE FUNCTION neon_auth._role_statements(organization_id uuid, role text) RETURNS jsonb
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	statements jsonb := coalesce(neon_auth._default_role_statements(role), '{}');
	custom record;
	extra record;
BEGIN
	FOR custom IN SELECT r."permission" FROM neon_auth."organizationRole" r
	               WHERE r."organizationId" = _role_statements.organization_id AND r."role" = _role_statements.role LOOP
		IF jsonb_typeof(custom."permission"::jsonb) = 'object' THEN
			FOR extra IN SELECT * FROM jsonb_each(custom."permission"::jsonb) WHERE jsonb_typeof(value) = 'array' LOOP
				statements := jsonb_set(statements, ARRAY[extra.key],
					(SELECT coalesce(jsonb_agg(DISTINCT a), '[]')
					   FROM (SELECT jsonb_array_elements(coalesce(statements -> extra.key, '[]')) UNION ALL
					         SELECT jsonb_array_elements(extra.value)) x(a)));
			END LOOP;
		END IF;
	END LOOP;
	RETURN statements;
END
$$;

-- Better Auth's hasPermission for a member's role string ("admin,billing"):
-- allowed when one of the roles grants every requested action.
CREATE FUNCTION neon_auth._roles_permit(organization_id uuid, roles text, permissions jsonb) RETURNS boolean
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	role text;
	statements jsonb;
BEGIN
	IF jsonb_typeof(permissions) IS DISTINCT FROM 'object' OR permissions = '{}' THEN
		RETURN false;
	END IF;
	FOREACH role IN ARRAY string_to_array(roles, ',') LOOP
		statements := neon_auth._role_statements(organization_id, btrim(role));
		-- Every requested resource must be one the role has (even with no
		-- actions asked), and every requested action granted.
		IF NOT EXISTS (SELECT 1 FROM jsonb_object_keys(permissions) k WHERE NOT statements ? k)
		   AND NOT EXISTS (SELECT 1 FROM jsonb_each(permissions) p(resource, actions),
		                          LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(p.actions) = 'array' THEN p.actions ELSE '[null]' END) a(action)
		                    WHERE a.action IS NULL OR NOT coalesce(statements -> p.resource ? a.action, false)) THEN
			RETURN true;
		END IF;
	END LOOP;
	RETURN false;
END
$$;

CREATE FUNCTION neon_auth._member_of(organization_id uuid, user_id uuid) RETURNS neon_auth."member"
	LANGUAGE sql STABLE
	RETURN (SELECT m FROM neon_auth."member" m
	         WHERE m."organizationId" = _member_of.organization_id AND m."userId" = _member_of.user_id
	         ORDER BY m."createdAt" LIMIT 1);

CREATE FUNCTION neon_auth._is_owner(roles text) RETURNS boolean
	LANGUAGE sql IMMUTABLE
	RETURN 'owner' = ANY (SELECT btrim(r) FROM unnest(string_to_array(roles, ',')) r);

-- Owners left in an organization if `excluding` (a member id) went or lost
-- the role.
CREATE FUNCTION neon_auth._other_owners(organization_id uuid, excluding uuid) RETURNS bigint
	LANGUAGE sql STABLE
	RETURN (SELECT count(*) FROM neon_auth."member" m
	         WHERE m."organizationId" = _other_owners.organization_id AND m."id" <> excluding AND neon_auth._is_owner(m."role"));

CREATE FUNCTION neon_auth._organization_json(o neon_auth."organization") RETURNS jsonb
	LANGUAGE sql STABLE
	RETURN jsonb_build_object('id', o."id", 'name', o."name", 'slug', o."slug", 'logo', o."logo",
		'createdAt', neon_auth._iso(o."createdAt"),
		'metadata', CASE WHEN o."metadata" IS NOT NULL THEN o."metadata"::jsonb END);

CREATE FUNCTION neon_auth._member_json(m neon_auth."member") RETURNS jsonb
	LANGUAGE sql STABLE
	RETURN jsonb_build_object('id', m."id", 'organizationId', m."organizationId", 'userId', m."userId", 'role', m."role",
		'createdAt', neon_auth._iso(m."createdAt"),
		'user', (SELECT jsonb_build_object('id', u."id", 'name', u."name", 'email', u."email", 'image', u."image")
		           FROM neon_auth."user" u WHERE u."id" = m."userId"));

CREATE FUNCTION neon_auth._invitation_json(i neon_auth."invitation") RETURNS jsonb
	LANGUAGE sql STABLE
	RETURN jsonb_build_object('id', i."id", 'organizationId', i."organizationId", 'email', i."email", 'role', i."role",
		'teamId', i."teamId", 'status', i."status", 'expiresAt', neon_auth._iso(i."expiresAt"),
		'createdAt', neon_auth._iso(i."createdAt"), 'inviterId', i."inviterId");

-- The caller's membership of an organization, which must exist and grant
-- `permissions` when given; raises `denied` (or USER_IS_NOT_A_MEMBER...).
CREATE FUNCTION neon_auth._membership(organization_id uuid, user_id uuid, permissions jsonb, denied text)
	RETURNS neon_auth."member"
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	m neon_auth."member" := neon_auth._member_of(organization_id, user_id);
BEGIN
	-- A missing organization and someone else's get the same answer, so
	-- non-members learn nothing about which organizations exist.
	IF m."id" IS NULL THEN
		PERFORM neon_auth._raise_org('USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION');
	END IF;
	IF permissions IS NOT NULL AND NOT neon_auth._roles_permit(organization_id, m."role", permissions) THEN
		PERFORM neon_auth._raise_org(denied);
	END IF;
	RETURN m;
END
$$;

-- A user who leaves an organization leaves its teams too.
CREATE FUNCTION neon_auth._leave_teams(organization_id uuid, user_id uuid) RETURNS void
	LANGUAGE sql VOLATILE
BEGIN ATOMIC
	WITH gone AS (DELETE FROM neon_auth."teamMember" tm
	               USING neon_auth."team" t
	               WHERE tm."teamId" = t."id" AND t."organizationId" = _leave_teams.organization_id
	                 AND tm."userId" = _leave_teams.user_id
	           RETURNING tm."teamId")
	UPDATE neon_auth."team" t SET "memberCount" = greatest(t."memberCount" - 1, 0) FROM gone WHERE t."id" = gone."teamId";
END;

-- Roles are comma-joined names; each must be a default role or one of the
-- organization's custom roles.
CREATE FUNCTION neon_auth._check_roles(organization_id uuid, roles text) RETURNS text
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF roles IS NULL OR btrim(roles) = '' OR EXISTS (
	       SELECT 1 FROM unnest(string_to_array(roles, ',')) r
	        WHERE btrim(r) NOT IN ('owner', 'admin', 'member')
	          AND NOT EXISTS (SELECT 1 FROM neon_auth."organizationRole" o
	                           WHERE o."organizationId" = _check_roles.organization_id AND o."role" = btrim(r))) THEN
		PERFORM neon_auth._raise_org('ROLE_NOT_FOUND');
	END IF;
	RETURN (SELECT string_agg(btrim(r), ',') FROM unnest(string_to_array(roles, ',')) r);
END
$$;

-- The organization a call is about: the one given, else the session's
-- active one; raises NO_ACTIVE_ORGANIZATION when there is neither.
CREATE FUNCTION neon_auth._target_org(organization_id uuid, s neon_auth."session") RETURNS uuid
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	org uuid := coalesce(organization_id, (s."activeOrganizationId")::uuid);
BEGIN
	IF org IS NULL THEN
		PERFORM neon_auth._raise_org('NO_ACTIVE_ORGANIZATION');
	END IF;
	RETURN org;
END
$$;
-- Better Auth's organization error codes: the message is Better Auth's,
-- lower-cased; the SQLSTATE follows the kind of failure (PostgREST maps
-- P0002 to 404, 42501 to 403, 23505 to 409, 55000 to 500, 22023 to 400).
CREATE FUNCTION neon_auth._raise_org(code text) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	state text;
	message text;
BEGIN
	SELECT v.state, v.message INTO state, message FROM (VALUES
		('ORGANIZATION_NOT_FOUND', 'P0002', 'organization not found'),
		('MEMBER_NOT_FOUND', 'P0002', 'member not found'),
		('INVITATION_NOT_FOUND', 'P0002', 'invitation not found'),
		('ORGANIZATION_SLUG_ALREADY_TAKEN', '23505', 'organization slug already taken'),
		('USER_IS_ALREADY_A_MEMBER_OF_THIS_ORGANIZATION', '23505', 'user is already a member of this organization'),
		('USER_IS_ALREADY_INVITED_TO_THIS_ORGANIZATION', '23505', 'user is already invited to this organization'),
		('USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION', '42501', 'user is not a member of the organization'),
		('YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_ORGANIZATION', '42501', 'you are not allowed to update this organization'),
		('YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_ORGANIZATION', '42501', 'you are not allowed to delete this organization'),
		('YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_MEMBER', '42501', 'you are not allowed to delete this member'),
		('YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_MEMBER', '42501', 'you are not allowed to update this member'),
		('YOU_ARE_NOT_ALLOWED_TO_INVITE_USERS_TO_THIS_ORGANIZATION', '42501', 'you are not allowed to invite users to this organization'),
		('YOU_ARE_NOT_ALLOWED_TO_INVITE_USER_WITH_THIS_ROLE', '42501', 'you are not allowed to invite a user with this role'),
		('YOU_ARE_NOT_ALLOWED_TO_CANCEL_THIS_INVITATION', '42501', 'you are not allowed to cancel this invitation'),
		('YOU_ARE_NOT_ALLOWED_TO_LIST_INVITATIONS', '42501', 'you are not allowed to list invitations for this organization'),
		('YOU_ARE_NOT_THE_RECIPIENT_OF_THE_INVITATION', '42501', 'you are not the recipient of the invitation'),
		('YOU_CANNOT_LEAVE_THE_ORGANIZATION_AS_THE_ONLY_OWNER', '55000', 'you cannot leave the organization as the only owner'),
		('YOU_CANNOT_LEAVE_THE_ORGANIZATION_WITHOUT_AN_OWNER', '55000', 'you cannot leave the organization without an owner'),
		('NO_ACTIVE_ORGANIZATION', '55000', 'no active organization'),
		('INVITATION_EXPIRED', '55000', 'invitation expired'),
		('INVITATION_NOT_PENDING', '55000', 'invitation is no longer pending'),
		('ROLE_NOT_FOUND', '22023', 'role not found'),
		('INVALID_SLUG', '22023', 'invalid organization slug'),
		('EMAIL_VERIFICATION_REQUIRED_FOR_INVITATION', '42501', 'email verification required to view or list invitations for the session email'),
		('INVALID_PERMISSIONS', '22023', 'permissions must be an object of resource to list of actions'),
		('TEAM_NOT_FOUND', 'P0002', 'team not found'),
		('UNABLE_TO_REMOVE_LAST_TEAM', '55000', 'unable to remove last team'),
		('USER_IS_NOT_A_MEMBER_OF_THE_TEAM', '42501', 'user is not a member of the team'),
		('YOU_ARE_NOT_ALLOWED_TO_CREATE_TEAMS_IN_THIS_ORGANIZATION', '42501', 'you are not allowed to create teams in this organization'),
		('YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_TEAM', '42501', 'you are not allowed to update this team'),
		('YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_TEAM', '42501', 'you are not allowed to delete this team'),
		('YOU_ARE_NOT_ALLOWED_TO_CREATE_A_NEW_TEAM_MEMBER', '42501', 'you are not allowed to create a new member'),
		('YOU_ARE_NOT_ALLOWED_TO_REMOVE_A_TEAM_MEMBER', '42501', 'you are not allowed to remove a team member'),
		('YOU_ARE_NOT_ALLOWED_TO_CREATE_A_ROLE', '42501', 'you are not allowed to create a role'),
		('YOU_ARE_NOT_ALLOWED_TO_UPDATE_A_ROLE', '42501', 'you are not allowed to update a role'),
		('YOU_ARE_NOT_ALLOWED_TO_DELETE_A_ROLE', '42501', 'you are not allowed to delete a role'),
		('YOU_ARE_NOT_ALLOWED_TO_LIST_A_ROLE', '42501', 'you are not allowed to list a role'),
		('ROLE_NAME_IS_ALREADY_TAKEN', '23505', 'that role name is already taken'),
		('CANNOT_DELETE_A_PRE_DEFINED_ROLE', '55000', 'cannot delete a pre-defined role'),
		('INVALID_ROLE_NAME', '22023', 'role names are 1 to 64 letters, digits, "-" or "_"'),
		('ROLE_IS_ASSIGNED_TO_MEMBERS', '55000', 'cannot delete a role that is assigned to members')) AS v(code, state, message)
	 WHERE v.code = _raise_org.code;
	IF state IS NULL THEN
		RAISE EXCEPTION 'unknown neon_auth error code' USING ERRCODE = 'internal_error';
	END IF;
	RAISE EXCEPTION USING ERRCODE = state, DETAIL = code, MESSAGE = message;
END
$$;
