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
SELECT neon_auth.set_active_team(:'rocketry', :'mia') ->> 'memberCount' AS active_team_members;
SELECT "activeTeamId" = :'rocketry' AS mia_active_team FROM neon_auth.session WHERE token = :'mia';
SELECT pg_temp.try(format('SELECT neon_auth.set_active_team(%L, %L)', :'rocketry', :'olga')) AS not_in_team;
SELECT pg_temp.try(format('SELECT neon_auth.update_team(%L, %L, %L)', :'rocketry', 'Hijacked', :'eve')) AS other_tenant_team;
SELECT neon_auth.update_team(:'rocketry', 'Rocket Science', :'adam') ->> 'name' AS renamed;
SELECT neon_auth.remove_team_member(:'rocketry', (SELECT id FROM neon_auth."user" WHERE email = 'mia@org.example'), :'adam') ->> 'message' AS removed_member;
SELECT "activeTeamId" IS NULL AS mia_team_cleared FROM neon_auth.session WHERE token = :'mia';
SELECT neon_auth.remove_team(:'rocketry', :'adam') ->> 'message' AS removed_team;
SELECT pg_temp.try(format('SELECT neon_auth.remove_team(%L, %L)', (SELECT id FROM neon_auth.team WHERE "organizationId" = :'acme'), :'olga')) AS last_team;
