-- Members leaving and being removed, and deleting an organization (after
-- sql/teams.sql).
\i sql/org_setup.psql
-- Removing and leaving; deleting needs organization:delete (owners).
SELECT neon_auth.add_team_member((SELECT id FROM neon_auth.team WHERE "organizationId" = :'acme'),
                                 (SELECT id FROM neon_auth."user" WHERE email = 'mia@org.example'), :'adam') IS NOT NULL AS mia_in_team;
SELECT neon_auth.remove_member('mia@org.example', :'acme', :'adam') #>> '{member,role}' AS removed;
SELECT count(*) AS mia_team_rows, (SELECT "memberCount" FROM neon_auth.team WHERE "organizationId" = :'acme') AS team_count
  FROM neon_auth."teamMember" WHERE "userId" = (SELECT id FROM neon_auth."user" WHERE email = 'mia@org.example');
SELECT neon_auth.leave_organization(:'acme', :'adam') ->> 'role' AS adam_left;
SELECT pg_temp.try(format('SELECT neon_auth.delete_organization(%L, %L)', :'acme', :'mia')) AS non_member_deletes;
SELECT neon_auth.delete_organization(:'acme', :'olga') ->> 'slug' AS deleted;
SELECT count(*) AS acme_members, (SELECT count(*) FROM neon_auth.invitation WHERE "organizationId" = :'acme') AS acme_invitations
  FROM neon_auth.member WHERE "organizationId" = :'acme';
SELECT event, count(*) FROM neon_auth.audit_log WHERE event ~ '^(organization|member|invitation)_' GROUP BY 1 ORDER BY 1;
DROP TABLE public.projects;
