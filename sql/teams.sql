-- Teams (after sql/tenant_rls.sql).
\i sql/org_setup.psql
-- Teams: the first one is made with the organization; admins manage them;
-- members of the organization only; not the last team; other tenants' teams
-- are not found.
SELECT jsonb_agg(t ->> 'name') AS teams, min(tm."memberCount") AS creator_in_it,
       bool_or(t ? 'memberCount') AS count_listed
  FROM jsonb_array_elements(neon_auth.list_teams(:'acme', :'olga')) t
  JOIN neon_auth.team tm ON tm.id = (t ->> 'id')::uuid;
SELECT neon_auth.create_team('Rocketry', :'acme', :'adam') ->> 'id' AS rocketry \gset
SELECT pg_temp.try(format('SELECT neon_auth.create_team(%L, %L, %L)', 'Sneaky', :'acme', :'mia')) AS member_creates_team;
SELECT pg_temp.try(format('SELECT neon_auth.create_team(%L, %L, %L)', 'Intruders', :'acme', :'eve')) AS outsider_creates_team;
SELECT neon_auth.add_team_member(:'rocketry', (SELECT id FROM neon_auth."user" WHERE email = 'mia@org.example'), :'adam') ->> 'teamId' = :'rocketry' AS mia_added;
SELECT pg_temp.try(format('SELECT neon_auth.add_team_member(%L, %L, %L)', :'rocketry', (SELECT id FROM neon_auth."user" WHERE email = 'eve@org.example'), :'adam')) AS outsider_added;
SELECT (SELECT "memberCount" FROM neon_auth.team WHERE id = (neon_auth.set_active_team(:'rocketry', :'mia') ->> 'id')::uuid) AS active_team_members;
SELECT "activeTeamId" = :'rocketry' AS mia_active_team FROM neon_auth.session WHERE token = :'mia';
SELECT pg_temp.try(format('SELECT neon_auth.set_active_team(%L, %L)', :'rocketry', :'olga')) AS not_in_team;
SELECT pg_temp.try(format('SELECT neon_auth.update_team(%L, %L, %L)', :'rocketry', 'Hijacked', :'eve')) AS other_tenant_team;
SELECT neon_auth.update_team(:'rocketry', 'Rocket Science', :'adam') ->> 'name' AS renamed;
SELECT neon_auth.remove_team_member(:'rocketry', (SELECT id FROM neon_auth."user" WHERE email = 'mia@org.example'), :'adam') ->> 'message' AS removed_member;
SELECT "activeTeamId" IS NULL AS mia_team_cleared FROM neon_auth.session WHERE token = :'mia';
SELECT neon_auth.remove_team(:'rocketry', :'adam') ->> 'message' AS removed_team;
SELECT pg_temp.try(format('SELECT neon_auth.remove_team(%L, %L)', (SELECT id FROM neon_auth.team WHERE "organizationId" = :'acme'), :'olga')) AS last_team;

-- Better Auth's other organization reads (issue 17): get_organization,
-- get_active_member_role, list_user_teams, list_team_members, get_role.
SELECT neon_auth.get_organization(:'acme', session_token => :'mia') ->> 'slug' AS by_id,
       neon_auth.get_organization(organization_slug => 'tenant-a', session_token => :'mia') ->> 'slug' AS by_slug,
       neon_auth.get_organization(session_token => :'eve') ->> 'slug' AS eve_active;
SELECT pg_temp.try(format('SELECT neon_auth.get_organization(%L, session_token => %L)', :'acme', :'eve')) AS outsider,
       pg_temp.try(format('SELECT neon_auth.get_organization(organization_slug => %L, session_token => %L)', 'no-such-org', :'mia')) AS no_such_slug;
SELECT neon_auth.get_active_member_role(organization_id => :'acme', session_token => :'mia') AS mia_role,
       neon_auth.get_active_member_role((SELECT id FROM neon_auth."user" WHERE email = 'olga@org.example'), :'acme', session_token => :'mia') AS olga_role,
       neon_auth.get_active_member_role(organization_slug => 'tenant-a', session_token => :'adam') AS adam_role;
SELECT pg_temp.try(format('SELECT neon_auth.get_active_member_role(organization_id => %L, session_token => %L)', :'acme', :'eve')) AS outsider_role,
       neon_auth.get_active_member_role(session_token => :'eve') AS eve_in_active;
SELECT neon_auth.create_team('Parity', :'acme', :'adam') ->> 'id' AS parity \gset
SELECT neon_auth.add_team_member(:'parity', (SELECT id FROM neon_auth."user" WHERE email = 'mia@org.example'), :'adam') IS NOT NULL AS mia_added;
SELECT jsonb_agg(t ->> 'name') AS mia_teams, bool_or(t ? 'memberCount') AS count_listed
  FROM jsonb_array_elements(neon_auth.list_user_teams(session_token => :'mia')) t;
SELECT jsonb_array_length(neon_auth.list_user_teams((SELECT id FROM neon_auth.organization WHERE slug = 'tenant-b'), session_token => :'eve')) AS eve_teams;
SELECT jsonb_array_length(neon_auth.list_user_teams(:'acme', (SELECT id FROM neon_auth."user" WHERE email = 'mia@org.example'), :'adam')) AS adam_sees_mia_teams;
SELECT pg_temp.try(format('SELECT neon_auth.list_user_teams(%L, %L, %L)', :'acme', (SELECT id FROM neon_auth."user" WHERE email = 'adam@org.example'), :'mia')) AS member_asks_about_admin,
       pg_temp.try(format('SELECT neon_auth.list_user_teams(%L, session_token => %L)', :'acme', :'eve')) AS outsider_lists;
SELECT (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(m) k) AS member_keys, m ->> 'teamId' = :'parity' AS of_parity
  FROM jsonb_array_elements(neon_auth.list_team_members(:'parity', :'mia')) m LIMIT 1;
SELECT jsonb_array_length(neon_auth.list_team_members(:'parity', :'mia')) AS parity_members;
SELECT pg_temp.try(format('SELECT neon_auth.list_team_members(%L, %L)', :'parity', :'olga')) AS not_in_team,
       pg_temp.try(format('SELECT neon_auth.list_team_members(%L, %L)', :'parity', :'eve')) AS outsider,
       pg_temp.try(format('SELECT neon_auth.list_team_members(%L, %L)', gen_random_uuid(), :'mia')) AS no_such_team,
       pg_temp.try(format('SELECT neon_auth.list_team_members(session_token => %L)', :'olga')) AS no_active_team;
SELECT neon_auth.create_role('auditor', '{"billing": ["read"]}', :'acme', :'adam') #>> '{roleData,role}' AS auditor_made;
SELECT r ->> 'role' AS role, r -> 'permission' AS permission
  FROM neon_auth.get_role('auditor', organization_id => :'acme', session_token => :'adam') r;
SELECT neon_auth.get_role(role_id => (SELECT id FROM neon_auth."organizationRole" WHERE role = 'auditor' AND "organizationId" = :'acme'),
                          organization_id => :'acme', session_token => :'olga') ->> 'role' AS by_id;
SELECT pg_temp.try(format('SELECT neon_auth.get_role(%L, organization_id => %L, session_token => %L)', 'auditor', :'acme', :'mia')) AS member_reads,
       pg_temp.try(format('SELECT neon_auth.get_role(%L, organization_id => %L, session_token => %L)', 'auditor', :'acme', :'eve')) AS outsider_reads,
       pg_temp.try(format('SELECT neon_auth.get_role(%L, organization_id => %L, session_token => %L)', 'nobody', :'acme', :'adam')) AS no_such_role;
SELECT neon_auth.remove_team(:'parity', :'adam') ->> 'message' AS removed_team;

-- update_team as Better Auth's {teamId, data}: no name keeps it; the team must be
-- in data.organizationId (else the active organization).
SELECT neon_auth.create_team('Gamma', :'acme', :'adam') ->> 'id' AS gamma \gset
SELECT neon_auth.update_team(:'gamma', organization_id => :'acme', session_token => :'adam') ->> 'name' AS name_kept;
SELECT pg_temp.try(format('SELECT neon_auth.update_team(%L, %L, %L, %L)', :'gamma', 'Moved', :'eve',
                          (SELECT id FROM neon_auth.organization WHERE slug = 'tenant-b'))) AS team_of_another_org;
SELECT neon_auth.update_team(:'gamma', 'Gamma Ray', :'adam', :'acme') ->> 'name' AS in_its_org;
SELECT pg_temp.try(format('SELECT neon_auth.update_team(%L, %L, %L, %L)', :'gamma', '  ', :'adam', :'acme')) AS blank_name;
SELECT neon_auth.remove_team(:'gamma', :'adam') AS removed;
