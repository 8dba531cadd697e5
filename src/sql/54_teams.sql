---------------------------------------------------------------------------
-- Teams (Better Auth's organization plugin with teams enabled).
---------------------------------------------------------------------------

CREATE FUNCTION neon_auth._team_json(t neon_auth."team") RETURNS jsonb
	LANGUAGE sql STABLE
	RETURN jsonb_build_object('id', t."id", 'name', t."name", 'organizationId', t."organizationId",
		'memberCount', t."memberCount", 'createdAt', neon_auth._iso(t."createdAt"), 'updatedAt', neon_auth._iso(t."updatedAt"));

-- A team of an organization the caller belongs to, locked; raises
-- TEAM_NOT_FOUND otherwise (another tenant's team is "not found" too).
CREATE FUNCTION neon_auth._team_for(team_id uuid, user_id uuid) RETURNS neon_auth."team"
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	t neon_auth."team";
BEGIN
	SELECT * INTO t FROM neon_auth."team" WHERE "id" = team_id FOR UPDATE;
	IF t."id" IS NULL OR (neon_auth._member_of(t."organizationId", user_id))."id" IS NULL THEN
		PERFORM neon_auth._raise('TEAM_NOT_FOUND');
	END IF;
	RETURN t;
END
$$;

CREATE FUNCTION neon_auth._add_team_member(t neon_auth."team", user_id uuid) RETURNS void
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM neon_auth."teamMember" tm WHERE tm."teamId" = t."id" AND tm."userId" = _add_team_member.user_id) THEN
		INSERT INTO neon_auth."teamMember" ("teamId", "userId", "createdAt") VALUES (t."id", user_id, neon_auth._now());
		UPDATE neon_auth."team" SET "memberCount" = "memberCount" + 1 WHERE "id" = t."id";
	END IF;
END
$$;

-- Better Auth POST /organization/create-team (team:create).
CREATE FUNCTION neon_auth.create_team(name text, organization_id uuid DEFAULT NULL, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	org uuid;
	t neon_auth."team";
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	org := neon_auth._target_org(organization_id, caller.s);
	PERFORM neon_auth._membership(org, caller.user_id, '{"team": ["create"]}', 'YOU_ARE_NOT_ALLOWED_TO_CREATE_TEAMS_IN_THIS_ORGANIZATION',
	                              'YOU_ARE_NOT_ALLOWED_TO_INVITE_USERS_TO_THIS_ORGANIZATION');
	IF name IS NULL OR btrim(name) = '' THEN
		PERFORM neon_auth._raise('VALIDATION_ERROR', 'name');
	END IF;
	INSERT INTO neon_auth."team" ("name", "organizationId", "memberCount", "createdAt", "updatedAt")
	VALUES (btrim(create_team.name), org, 0, neon_auth._now(), neon_auth._now()) RETURNING * INTO t;
	PERFORM neon_auth._audit('team_created', caller.user_id, 'success', NULL, jsonb_build_object('organization_id', org, 'team_id', t."id"));
	RETURN neon_auth._team_json(t) - 'memberCount';   -- Better Auth's team row
END
$$;

-- Better Auth POST /organization/update-team {teamId, data: {name?,
-- organizationId?}}: a team's updatable field is its name (NULL keeps it);
-- organizationId, else the session's active organization, is the one the
-- team must be in (TEAM_NOT_FOUND otherwise), as Better Auth. Without either,
-- the team's own organization (Better Auth would refuse: no active one).
CREATE FUNCTION neon_auth.update_team(team_id uuid, name text DEFAULT NULL, session_token text DEFAULT NULL,
                                      organization_id uuid DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	t neon_auth."team";
	org uuid;
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	t := neon_auth._team_for(team_id, caller.user_id);
	org := coalesce(organization_id, ((caller.s)."activeOrganizationId")::uuid, t."organizationId");
	PERFORM neon_auth._membership(org, caller.user_id, '{"team": ["update"]}', 'YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_TEAM');
	IF t."organizationId" <> org THEN
		PERFORM neon_auth._raise('TEAM_NOT_FOUND');
	END IF;
	IF name IS NOT NULL AND btrim(name) = '' THEN
		PERFORM neon_auth._raise('VALIDATION_ERROR', 'name');
	END IF;
	UPDATE neon_auth."team" x SET "name" = coalesce(btrim(update_team.name), x."name"), "updatedAt" = neon_auth._now()
	 WHERE x."id" = t."id" RETURNING * INTO t;
	PERFORM neon_auth._audit('team_updated', caller.user_id, 'success', NULL, jsonb_build_object('team_id', t."id"));
	RETURN neon_auth._team_json(t) - 'memberCount';
END
$$;

-- Better Auth POST /organization/remove-team (team:delete); not the last one.
CREATE FUNCTION neon_auth.remove_team(team_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	t neon_auth."team";
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	t := neon_auth._team_for(team_id, caller.user_id);
	-- Better Auth refuses to remove the caller's active team.
	IF (caller.s)."activeTeamId" = t."id"::text THEN
		PERFORM neon_auth._raise('YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_TEAM');
	END IF;
	PERFORM neon_auth._membership(t."organizationId", caller.user_id, '{"team": ["delete"]}', 'YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_TEAM');
	PERFORM 1 FROM neon_auth."organization" WHERE "id" = t."organizationId" FOR UPDATE;
	IF (SELECT count(*) FROM neon_auth."team" WHERE "organizationId" = t."organizationId") <= 1 THEN
		PERFORM neon_auth._raise('UNABLE_TO_REMOVE_LAST_TEAM');
	END IF;
	DELETE FROM neon_auth."team" WHERE "id" = t."id";
	UPDATE neon_auth."session" SET "activeTeamId" = NULL WHERE "activeTeamId" = t."id"::text;
	PERFORM neon_auth._audit('team_removed', caller.user_id, 'success', NULL, jsonb_build_object('team_id', t."id"));
	RETURN jsonb_build_object('message', 'Team removed successfully.');
END
$$;

-- Better Auth GET /organization/list-teams: an organization's teams, for members.
CREATE FUNCTION neon_auth.list_teams(organization_id uuid DEFAULT NULL, session_token text DEFAULT NULL) RETURNS jsonb
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
	PERFORM neon_auth._membership(org, caller.user_id, NULL, NULL, 'YOU_ARE_NOT_ALLOWED_TO_ACCESS_THIS_ORGANIZATION');
	RETURN (SELECT coalesce(jsonb_agg(neon_auth._team_json(t) - 'memberCount' ORDER BY t."createdAt", t."id"), '[]')
	          FROM neon_auth."team" t WHERE t."organizationId" = org);
END
$$;

-- Better Auth POST /organization/add-team-member and remove-team-member
-- (team:update); the user must be a member of the team's organization.
CREATE FUNCTION neon_auth.add_team_member(team_id uuid, user_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	t neon_auth."team";
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	t := neon_auth._team_for(team_id, caller.user_id);
	PERFORM neon_auth._membership(t."organizationId", caller.user_id, '{"team": ["update"]}', 'YOU_ARE_NOT_ALLOWED_TO_CREATE_A_NEW_TEAM_MEMBER');
	IF (neon_auth._member_of(t."organizationId", add_team_member.user_id))."id" IS NULL THEN
		PERFORM neon_auth._raise('USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION');
	END IF;
	PERFORM neon_auth._add_team_member(t, add_team_member.user_id);
	PERFORM neon_auth._audit('team_member_added', caller.user_id, 'success', NULL,
		jsonb_build_object('team_id', t."id", 'member_user_id', add_team_member.user_id));
	RETURN (SELECT jsonb_build_object('id', tm."id", 'teamId', tm."teamId", 'userId', tm."userId", 'createdAt', neon_auth._iso(tm."createdAt"))
	          FROM neon_auth."teamMember" tm WHERE tm."teamId" = t."id" AND tm."userId" = add_team_member.user_id);
END
$$;

CREATE FUNCTION neon_auth.remove_team_member(team_id uuid, user_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	t neon_auth."team";
	n integer;
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	t := neon_auth._team_for(team_id, caller.user_id);
	PERFORM neon_auth._membership(t."organizationId", caller.user_id, '{"team": ["update"]}', 'YOU_ARE_NOT_ALLOWED_TO_REMOVE_A_TEAM_MEMBER');
	DELETE FROM neon_auth."teamMember" tm WHERE tm."teamId" = t."id" AND tm."userId" = remove_team_member.user_id;
	GET DIAGNOSTICS n = ROW_COUNT;
	IF n = 0 THEN
		PERFORM neon_auth._raise('USER_IS_NOT_A_MEMBER_OF_THE_TEAM');
	END IF;
	UPDATE neon_auth."team" SET "memberCount" = greatest("memberCount" - n, 0) WHERE "id" = t."id";
	UPDATE neon_auth."session" SET "activeTeamId" = NULL
	 WHERE "userId" = remove_team_member.user_id AND "activeTeamId" = t."id"::text;
	PERFORM neon_auth._audit('team_member_removed', caller.user_id, 'success', NULL,
		jsonb_build_object('team_id', t."id", 'member_user_id', remove_team_member.user_id));
	RETURN jsonb_build_object('message', 'Team member removed successfully.');
END
$$;

-- Better Auth POST /organization/set-active-team: a team of the active
-- organization that the caller belongs to (NULL clears it).
CREATE FUNCTION neon_auth.set_active_team(team_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	t neon_auth."team";
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	IF team_id IS NOT NULL THEN
		t := neon_auth._team_for(team_id, caller.user_id);
		IF NOT EXISTS (SELECT 1 FROM neon_auth."teamMember" tm WHERE tm."teamId" = t."id" AND tm."userId" = caller.user_id) THEN
			PERFORM neon_auth._raise('USER_IS_NOT_A_MEMBER_OF_THE_TEAM');
		END IF;
	END IF;
	UPDATE neon_auth."session"
	   SET "activeTeamId" = t."id"::text,
	       "activeOrganizationId" = coalesce(t."organizationId"::text, "activeOrganizationId"), "updatedAt" = neon_auth._now()
	 WHERE "id" = (caller.s)."id";
	RETURN CASE WHEN t."id" IS NULL THEN 'null'::jsonb ELSE neon_auth._team_json(t) - 'memberCount' END;
END
$$;

-- Better Auth GET /organization/list-user-teams: the teams of the caller (in
-- the organizations it still belongs to, or in the one given); another
-- member's teams in the organization given or active, with member:update.
CREATE FUNCTION neon_auth.list_user_teams(organization_id uuid DEFAULT NULL, user_id uuid DEFAULT NULL,
                                          session_token text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	target uuid;
	org uuid := organization_id;
	m neon_auth."member";
BEGIN
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	target := coalesce(user_id, caller.user_id);
	IF target <> caller.user_id THEN
		org := neon_auth._target_org(organization_id, caller.s);
		m := neon_auth._member_of(org, caller.user_id);
		IF m."id" IS NULL THEN
			PERFORM neon_auth._raise('YOU_ARE_NOT_A_MEMBER_OF_THIS_ORGANIZATION');
		ELSIF NOT neon_auth._roles_permit(org, m."role", '{"member": ["update"]}') THEN
			PERFORM neon_auth._raise('YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_MEMBER');
		ELSIF (neon_auth._member_of(org, target))."id" IS NULL THEN
			PERFORM neon_auth._raise('USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION');
		END IF;
	ELSIF org IS NOT NULL AND (neon_auth._member_of(org, caller.user_id))."id" IS NULL THEN
		PERFORM neon_auth._raise('YOU_ARE_NOT_A_MEMBER_OF_THIS_ORGANIZATION');
	END IF;
	RETURN (SELECT coalesce(jsonb_agg(neon_auth._team_json(t) - 'memberCount' ORDER BY tm."createdAt", t."id"), '[]')
	          FROM neon_auth."teamMember" tm JOIN neon_auth."team" t ON t."id" = tm."teamId"
	         WHERE tm."userId" = target
	           AND (org IS NOT NULL AND t."organizationId" = org
	                OR org IS NULL AND (neon_auth._member_of(t."organizationId", target))."id" IS NOT NULL));
END
$$;

-- Better Auth GET /organization/list-team-members: the members of a team
-- (given, or the session's active team) the caller belongs to.
CREATE FUNCTION neon_auth.list_team_members(team_id uuid DEFAULT NULL, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	team uuid;
	t neon_auth."team";
BEGIN
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	team := coalesce(team_id, ((caller.s)."activeTeamId")::uuid);
	IF team IS NULL THEN
		PERFORM neon_auth._raise('YOU_DO_NOT_HAVE_AN_ACTIVE_TEAM');
	END IF;
	SELECT * INTO t FROM neon_auth."team" x WHERE x."id" = team;
	IF t."id" IS NULL THEN
		PERFORM neon_auth._raise('TEAM_NOT_FOUND');
	END IF;
	IF (neon_auth._member_of(t."organizationId", caller.user_id))."id" IS NULL
	   OR NOT EXISTS (SELECT 1 FROM neon_auth."teamMember" tm WHERE tm."teamId" = team AND tm."userId" = caller.user_id) THEN
		PERFORM neon_auth._raise('USER_IS_NOT_A_MEMBER_OF_THE_TEAM');
	END IF;
	RETURN (SELECT coalesce(jsonb_agg(jsonb_build_object('id', tm."id", 'teamId', tm."teamId", 'userId', tm."userId",
	                                                     'createdAt', neon_auth._iso(tm."createdAt"))
	                                  ORDER BY tm."createdAt", tm."id"), '[]')
	          FROM neon_auth."teamMember" tm WHERE tm."teamId" = team);
END
$$;
COMMENT ON FUNCTION neon_auth.list_user_teams(uuid, uuid, text) IS 'Better Auth GET /organization/list-user-teams';
COMMENT ON FUNCTION neon_auth.list_team_members(uuid, text) IS 'Better Auth GET /organization/list-team-members';
