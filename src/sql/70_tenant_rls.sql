---------------------------------------------------------------------------
-- Tenant helpers for RLS policies: the caller is requesting_user_id(), as
-- for every policy helper. SECURITY DEFINER (members are not readable by
-- app roles), STABLE: evaluate them once per statement with a sub-select,
-- USING (org_id = ANY (ARRAY(SELECT unnest(neon_auth.organization_ids())))).
---------------------------------------------------------------------------

CREATE FUNCTION neon_auth.organization_ids() RETURNS uuid[]
	LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	-- PL/pgSQL, not SQL: a SQL function with SET is not inlined and would be
	-- planned again in every transaction; PL/pgSQL keeps its plan.
	RETURN coalesce((SELECT array_agg(DISTINCT m."organizationId") FROM neon_auth."member" m
	                  WHERE m."userId" = neon_auth.requesting_user_id()), '{}');
END
$$;
COMMENT ON FUNCTION neon_auth.organization_ids() IS 'the organizations the caller (requesting_user_id()) is a member of';

CREATE FUNCTION neon_auth.is_member(organization_id uuid) RETURNS boolean
	LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	RETURN EXISTS (SELECT 1 FROM neon_auth."member" m
	                WHERE m."organizationId" = is_member.organization_id AND m."userId" = neon_auth.requesting_user_id());
END
$$;
COMMENT ON FUNCTION neon_auth.is_member(uuid) IS 'whether the caller is a member of the organization';

CREATE FUNCTION neon_auth.member_role(organization_id uuid) RETURNS text
	LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	RETURN (SELECT m."role" FROM neon_auth."member" m
	         WHERE m."organizationId" = member_role.organization_id AND m."userId" = neon_auth.requesting_user_id()
	         ORDER BY m."createdAt" LIMIT 1);
END
$$;
COMMENT ON FUNCTION neon_auth.member_role(uuid) IS 'the caller''s role string in the organization (e.g. "admin,billing"), else NULL';

-- The session's active organization, for a JWT its "o" claim; only while the
-- caller is still a member.
CREATE FUNCTION neon_auth.active_organization_id() RETURNS uuid
	LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	identity jsonb := neon_auth._identity();
	org text := coalesce(identity #>> '{session,session,activeOrganizationId}', identity #>> '{claims,o,id}');
BEGIN
	IF org IS NULL OR org !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
		RETURN NULL;
	END IF;
	RETURN CASE WHEN EXISTS (SELECT 1 FROM neon_auth."member" m
	                          WHERE m."organizationId" = org::uuid AND m."userId" = (identity ->> 'sub')::uuid)
	            THEN org::uuid END;
END
$$;
COMMENT ON FUNCTION neon_auth.active_organization_id() IS 'the caller''s active organization (session, or the JWT''s "o" claim) while a member, else NULL';

-- The active organization as pg_session_jwt's auth.organization() and Neon
-- Auth's "o" claim give it: {id, slug, role} with the caller's role, while a
-- member; else NULL. (neon_auth_compat's auth.organization() is this.)
CREATE FUNCTION neon_auth.active_organization() RETURNS jsonb
	LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	RETURN (SELECT jsonb_build_object('id', o."id", 'slug', o."slug", 'role', neon_auth.member_role(o."id"))
	          FROM neon_auth."organization" o WHERE o."id" = neon_auth.active_organization_id());
COMMENT ON FUNCTION neon_auth.active_organization() IS 'the caller''s active organization {id, slug, role} while a member, else NULL';

-- Better Auth POST /organization/has-permission, for the caller.
CREATE FUNCTION neon_auth.has_permission(organization_id uuid, permissions jsonb) RETURNS boolean
	LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	roles text := neon_auth.member_role(organization_id);
BEGIN
	RETURN roles IS NOT NULL AND neon_auth._roles_permit(organization_id, roles, permissions);
END
$$;
COMMENT ON FUNCTION neon_auth.has_permission(uuid, jsonb) IS
	'whether the caller''s roles in the organization grant every action in {resource: [actions]} (Better Auth''s statements)';
