---------------------------------------------------------------------------
-- Organizations, part 1: access control. Better Auth's default roles and
-- permission statements, custom roles' statements, membership checks and
-- the JSON shapes shared by the organization, member, invitation and team
-- functions. Internal.
---------------------------------------------------------------------------

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

-- An organization as Better Auth answers it: metadata is the stored JSON text
-- (create and update answer it parsed, _organization_json_parsed).
CREATE FUNCTION neon_auth._organization_json(o neon_auth."organization") RETURNS jsonb
	LANGUAGE sql STABLE
	RETURN jsonb_build_object('id', o."id", 'name', o."name", 'slug', o."slug", 'logo', o."logo",
		'createdAt', neon_auth._iso(o."createdAt"), 'metadata', o."metadata");

-- As create and update answer: metadata parsed, and no metadata member while
-- there is none.
CREATE FUNCTION neon_auth._organization_json_parsed(o neon_auth."organization") RETURNS jsonb
	LANGUAGE sql STABLE
	RETURN CASE WHEN o."metadata" IS NULL THEN neon_auth._organization_json(o) - 'metadata'
	            ELSE neon_auth._organization_json(o) || jsonb_build_object('metadata', o."metadata"::jsonb) END;

-- Metadata stored as Better Auth stores it, JSON.stringify's text (jsonb has
-- already ordered the members by length and name).
CREATE FUNCTION neon_auth._metadata_text(metadata jsonb) RETURNS text
	LANGUAGE sql IMMUTABLE
	RETURN coalesce(neon_auth._json_compact(metadata::text), metadata::text);

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
-- `permissions` when given; raises `denied`, or for a non-member
-- `not_member` (the code Better Auth's endpoint answers: it differs by
-- endpoint).
CREATE FUNCTION neon_auth._membership(organization_id uuid, user_id uuid, permissions jsonb, denied text,
                                      not_member text DEFAULT 'USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION')
	RETURNS neon_auth."member"
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	m neon_auth."member" := neon_auth._member_of(organization_id, user_id);
BEGIN
	-- A missing organization and someone else's get the same answer, so
	-- non-members learn nothing about which organizations exist.
	IF m."id" IS NULL THEN
		PERFORM neon_auth._raise(not_member);
	END IF;
	IF permissions IS NOT NULL AND NOT neon_auth._roles_permit(organization_id, m."role", permissions) THEN
		PERFORM neon_auth._raise(denied);
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
		PERFORM neon_auth._raise('ROLE_NOT_FOUND');
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
		PERFORM neon_auth._raise('NO_ACTIVE_ORGANIZATION');
	END IF;
	RETURN org;
END
$$;
