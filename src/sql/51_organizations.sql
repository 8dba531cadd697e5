---------------------------------------------------------------------------
-- Organizations, part 2: create, check a slug, update, delete, read and
-- list organizations, and the session's active organization.
-- Callers: everyone (permissions are checked per call).
---------------------------------------------------------------------------

-- Better Auth POST /organization/create: the caller becomes its owner; the
-- new organization becomes the session's active one unless kept.
CREATE FUNCTION neon_auth.create_organization(name text, slug text, logo text DEFAULT NULL, metadata jsonb DEFAULT NULL,
                                              keep_current_active_organization boolean DEFAULT false,
                                              session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	caller record := neon_auth._caller(session_token);
	o neon_auth."organization";
	m neon_auth."member";
	t neon_auth."team";
	throttled jsonb;
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	throttled := neon_auth._throttle('/organization/create', (SELECT "email" FROM neon_auth."user" WHERE "id" = caller.user_id), caller.user_id);
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	IF name IS NULL OR btrim(name) = '' THEN
		PERFORM neon_auth._raise('VALIDATION_ERROR', 'name');
	END IF;
	IF slug IS NULL OR slug !~ '^[a-z0-9]+(-[a-z0-9]+)*$' OR length(slug) > 64 THEN
		PERFORM neon_auth._raise('INVALID_SLUG');
	END IF;
	INSERT INTO neon_auth."organization" ("name", "slug", "logo", "metadata", "createdAt")
	VALUES (create_organization.name, create_organization.slug, create_organization.logo,
	        neon_auth._metadata_text(create_organization.metadata), neon_auth._now())
	ON CONFLICT ("slug") DO NOTHING
	RETURNING * INTO o;
	IF o."id" IS NULL THEN
		PERFORM neon_auth._raise('ORGANIZATION_SLUG_ALREADY_TAKEN');
	END IF;
	INSERT INTO neon_auth."member" ("organizationId", "userId", "role", "createdAt")
	VALUES (o."id", caller.user_id, 'owner', neon_auth._now()) RETURNING * INTO m;
	-- As Better Auth with teams enabled: a first team named after the
	-- organization, with the creator in it.
	INSERT INTO neon_auth."team" ("name", "organizationId", "memberCount", "createdAt")
	VALUES (o."name", o."id", 0, neon_auth._now()) RETURNING * INTO t;
	PERFORM neon_auth._add_team_member(t, caller.user_id);
	-- Better Auth makes the new organization and its first team active.
	IF (caller.s)."id" IS NOT NULL AND NOT coalesce(keep_current_active_organization, false) THEN
		UPDATE neon_auth."session" SET "activeOrganizationId" = o."id"::text, "activeTeamId" = t."id"::text, "updatedAt" = neon_auth._now()
		 WHERE "id" = (caller.s)."id";
	END IF;
	PERFORM neon_auth._audit('organization_created', caller.user_id, 'success', NULL, jsonb_build_object('organization_id', o."id"));
	-- Better Auth's shape: no metadata member when there is none, and the
	-- member without its user.
	RETURN neon_auth._organization_json_parsed(o)
		|| jsonb_build_object('members', jsonb_build_array(neon_auth._member_json(m) - 'user'));
END
$$;

-- Better Auth POST /organization/check-slug.
CREATE FUNCTION neon_auth.check_slug(slug text) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF slug IS NULL OR slug !~ '^[a-z0-9]+(-[a-z0-9]+)*$' OR length(slug) > 64 THEN
		PERFORM neon_auth._raise('INVALID_SLUG');
	END IF;
	IF EXISTS (SELECT 1 FROM neon_auth."organization" o WHERE o."slug" = check_slug.slug) THEN
		PERFORM neon_auth._raise('ORGANIZATION_SLUG_ALREADY_TAKEN');
	END IF;
	RETURN jsonb_build_object('status', true);
END
$$;

-- Better Auth POST /organization/update: name, slug, logo, metadata.
CREATE FUNCTION neon_auth.update_organization(data jsonb, organization_id uuid DEFAULT NULL, session_token text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	org uuid;
	o neon_auth."organization";
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	org := neon_auth._target_org(organization_id, caller.s);
	PERFORM neon_auth._membership(org, caller.user_id, '{"organization": ["update"]}', 'YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_ORGANIZATION');
	IF data ? 'slug' AND ((data ->> 'slug') IS NULL OR (data ->> 'slug') !~ '^[a-z0-9]+(-[a-z0-9]+)*$' OR length(data ->> 'slug') > 64) THEN
		PERFORM neon_auth._raise('INVALID_SLUG');
	END IF;
	IF data ? 'slug' AND EXISTS (SELECT 1 FROM neon_auth."organization" WHERE "slug" = data ->> 'slug' AND "id" <> org) THEN
		PERFORM neon_auth._raise('ORGANIZATION_SLUG_ALREADY_TAKEN');
	END IF;
	UPDATE neon_auth."organization"
	   SET "name" = CASE WHEN data ? 'name' THEN coalesce(nullif(btrim(data ->> 'name'), ''), "name") ELSE "name" END,
	       "slug" = CASE WHEN data ? 'slug' THEN data ->> 'slug' ELSE "slug" END,
	       "logo" = CASE WHEN data ? 'logo' THEN data ->> 'logo' ELSE "logo" END,
	       "metadata" = CASE WHEN data ? 'metadata' THEN neon_auth._metadata_text(data -> 'metadata') ELSE "metadata" END
	 WHERE "id" = org RETURNING * INTO o;
	PERFORM neon_auth._audit('organization_updated', caller.user_id, 'success', NULL, jsonb_build_object('organization_id', org));
	RETURN neon_auth._organization_json_parsed(o);
END
$$;

-- Better Auth POST /organization/delete (owners: organization:delete).
CREATE FUNCTION neon_auth.delete_organization(organization_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	o neon_auth."organization";
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	PERFORM neon_auth._membership(organization_id, caller.user_id, '{"organization": ["delete"]}', 'YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_ORGANIZATION');
	DELETE FROM neon_auth."organization" WHERE "id" = organization_id RETURNING * INTO o;
	-- Sessions pointing at it lose their active organization (not an FK).
	UPDATE neon_auth."session" SET "activeOrganizationId" = NULL, "activeTeamId" = NULL
	 WHERE "activeOrganizationId" = organization_id::text;
	PERFORM neon_auth._audit('organization_deleted', caller.user_id, 'success', NULL, jsonb_build_object('organization_id', organization_id));
	RETURN neon_auth._organization_json(o);
END
$$;

-- Better Auth GET /organization/get-full-organization: the organization
-- with its members and invitations, for members only; by id, by slug
-- (ORGANIZATION_NOT_FOUND for none), or the active one. (organization_slug
-- comes after session_token, where 1.0 had it.)
CREATE FUNCTION neon_auth.get_full_organization(organization_id uuid DEFAULT NULL, session_token text DEFAULT NULL,
                                                organization_slug text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	org uuid;
	me neon_auth."member";
BEGIN
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	org := CASE WHEN organization_slug IS NOT NULL THEN (neon_auth._organization_by(NULL, organization_slug))."id"
	            ELSE coalesce(organization_id, ((caller.s)."activeOrganizationId")::uuid) END;
	IF org IS NULL THEN
		RETURN 'null'::jsonb;
	END IF;
	-- As Better Auth: an organization that does not exist is
	-- ORGANIZATION_NOT_FOUND (ids are random, so this tells no one much).
	PERFORM neon_auth._organization_by(org, NULL);
	me := neon_auth._membership(org, caller.user_id, NULL, NULL);
	RETURN (SELECT neon_auth._organization_json(o) FROM neon_auth."organization" o WHERE o."id" = org)
	    || jsonb_build_object(
	         'members', (SELECT coalesce(jsonb_agg(neon_auth._member_json(m) ORDER BY m."createdAt"), '[]')
	                       FROM neon_auth."member" m WHERE m."organizationId" = org),
	         -- Invitation ids are invitation links: only for those who may invite.
	         'invitations', CASE WHEN neon_auth._roles_permit(org, me."role", '{"invitation": ["create"]}')
	                             THEN (SELECT coalesce(jsonb_agg(neon_auth._invitation_json(i) ORDER BY i."createdAt"), '[]')
	                                     FROM neon_auth."invitation" i WHERE i."organizationId" = org)
	                             ELSE '[]' END,
	         'teams', (SELECT coalesce(jsonb_agg(neon_auth._team_json(t) ORDER BY t."createdAt", t."id"), '[]')
	                     FROM neon_auth."team" t WHERE t."organizationId" = org));
END
$$;

-- Better Auth GET /organization/list: the caller's organizations.
CREATE FUNCTION neon_auth.list_organizations(session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
BEGIN
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	RETURN (SELECT coalesce(jsonb_agg(neon_auth._organization_json(o) ORDER BY o."createdAt", o."id"), '[]')
	          FROM neon_auth."organization" o
	         WHERE o."id" IN (SELECT m."organizationId" FROM neon_auth."member" m WHERE m."userId" = caller.user_id));
END
$$;

-- Better Auth POST /organization/set-active: the session's active
-- organization (NULL clears it), which a member must belong to. It becomes
-- the "o" claim of token(). By slug when organization_id is NULL and
-- organization_slug is given (ORGANIZATION_NOT_FOUND for none).
CREATE FUNCTION neon_auth.set_active_organization(organization_id uuid, session_token text DEFAULT NULL,
                                                  organization_slug text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	IF organization_id IS NULL AND organization_slug IS NOT NULL THEN
		organization_id := (neon_auth._organization_by(NULL, organization_slug))."id";
	END IF;
	IF organization_id IS NOT NULL THEN
		PERFORM neon_auth._membership(organization_id, caller.user_id, NULL, NULL);
	END IF;
	UPDATE neon_auth."session" SET "activeOrganizationId" = organization_id::text, "activeTeamId" = NULL,
	       "updatedAt" = neon_auth._now()
	 WHERE "id" = (caller.s)."id";
	IF organization_id IS NULL THEN
		RETURN 'null'::jsonb;
	END IF;
	RETURN (SELECT neon_auth._organization_json(o) FROM neon_auth."organization" o WHERE o."id" = organization_id);
END
$$;

-- The organization named by slug (when given) or id: ORGANIZATION_NOT_FOUND
-- when there is none, as Better Auth answers (slugs are public through
-- check_slug anyway; ids are unguessable).
CREATE FUNCTION neon_auth._organization_by(organization_id uuid, organization_slug text) RETURNS neon_auth."organization"
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	o neon_auth."organization";
BEGIN
	IF organization_slug IS NOT NULL THEN
		SELECT * INTO o FROM neon_auth."organization" x WHERE x."slug" = organization_slug;
	ELSE
		SELECT * INTO o FROM neon_auth."organization" x WHERE x."id" = organization_id;
	END IF;
	IF o."id" IS NULL THEN
		PERFORM neon_auth._raise('ORGANIZATION_NOT_FOUND');
	END IF;
	RETURN o;
END
$$;

-- Better Auth GET /organization/get-organization: the organization (by slug,
-- id, or the session's active one), for its members; null without one.
CREATE FUNCTION neon_auth.get_organization(organization_id uuid DEFAULT NULL, organization_slug text DEFAULT NULL,
                                           session_token text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	o neon_auth."organization";
BEGIN
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	IF organization_slug IS NULL AND coalesce(organization_id, ((caller.s)."activeOrganizationId")::uuid) IS NULL THEN
		RETURN 'null'::jsonb;
	END IF;
	o := neon_auth._organization_by(coalesce(organization_id, ((caller.s)."activeOrganizationId")::uuid), organization_slug);
	PERFORM neon_auth._membership(o."id", caller.user_id, NULL, NULL);
	RETURN neon_auth._organization_json(o);
END
$$;
COMMENT ON FUNCTION neon_auth.get_organization(uuid, text, text) IS 'Better Auth GET /organization/get-organization: the organization, for its members';
