\set SHOW_CONTEXT never
\i sql/helpers.psql
-- Organizations: the users and the first organization. The plugin's other
-- regression files run after this one on the same database, in REGRESS
-- order: invitations, roles, tenant_rls, teams, members.
SELECT count(neon_auth.sign_up(u || '@org.example', u || '-password-1', initcap(u))) AS users
  FROM unnest(ARRAY['olga', 'adam', 'mia', 'eve']) u;
SELECT neon_auth.sign_in('olga@org.example', 'olga-password-1') ->> 'token' AS olga \gset
SELECT neon_auth.sign_in('adam@org.example', 'adam-password-1') ->> 'token' AS adam \gset
SELECT neon_auth.sign_in('mia@org.example', 'mia-password-1') ->> 'token' AS mia \gset
SELECT neon_auth.sign_in('eve@org.example', 'eve-password-1') ->> 'token' AS eve \gset

-- Create: the creator is the owner, and the organization becomes active.
SELECT o ->> 'slug' AS slug, o #>> '{members,0,role}' AS creator_role, o ->> 'metadata' AS metadata
  FROM neon_auth.create_organization('Acme', 'tenant-a', metadata => '{"plan": "pro"}', session_token => :'olga') o;
SELECT id AS acme FROM neon_auth.organization WHERE slug = 'tenant-a' \gset
SELECT "activeOrganizationId" = :'acme' AS active FROM neon_auth.session WHERE token = :'olga';
SELECT (pg_temp.part(neon_auth.token(:'olga'), 2) -> 'o') - 'id' AS o_claim;
SELECT pg_temp.try($$SELECT neon_auth.check_slug('tenant-a')$$) AS slug_taken, neon_auth.check_slug('tenant-a-2') AS slug_free,
       pg_temp.try($$SELECT neon_auth.check_slug('Not A Slug')$$) AS slug_form;
SELECT pg_temp.try(format('SELECT neon_auth.create_organization(%L, %L, session_token => %L)', 'Acme', 'Acme Inc', :'eve')) AS bad_slug;
SELECT pg_temp.try(format('SELECT neon_auth.create_organization(%L, %L, session_token => %L)', 'Acme 2', 'tenant-a', :'eve')) AS duplicate_slug;
SELECT pg_temp.try($$SELECT neon_auth.create_organization('Nobody', 'nobody')$$) AS signed_out;

-- organizationSlug, as Better Auth takes it: by slug, an unknown slug, a member only.
SELECT neon_auth.get_full_organization(session_token => :'olga', organization_slug => 'tenant-a') ->> 'slug' AS full_by_slug,
       neon_auth.list_members(session_token => :'olga', organization_slug => 'tenant-a') -> 'total' AS members_by_slug;
SELECT f AS function, pg_temp.try(format(f, :'olga')) AS unknown_slug
  FROM unnest(ARRAY['SELECT neon_auth.get_full_organization(session_token => %L, organization_slug => ''no-such-org'')',
                    'SELECT neon_auth.list_members(session_token => %L, organization_slug => ''no-such-org'')',
                    'SELECT neon_auth.set_active_organization(NULL, %L, organization_slug => ''no-such-org'')']) f;
SELECT neon_auth.set_active_organization(NULL, :'olga', organization_slug => 'tenant-a') ->> 'slug' AS active_by_slug;
SELECT "activeOrganizationId" = :'acme' AS session_active FROM neon_auth."session" WHERE "token" = :'olga';
SELECT pg_temp.try(format('SELECT neon_auth.list_members(session_token => %L, organization_slug => %L)', :'eve', 'tenant-a')) AS outsider;

-- metadata as Better Auth keeps it: JSON.stringify's text, answered as that text
-- (parsed by create and update only).
SELECT metadata AS stored, jsonb_typeof(neon_auth.list_organizations(:'olga') -> 0 -> 'metadata') AS listed_as,
       jsonb_typeof(neon_auth.update_organization('{"metadata": {"seats": 5, "plan": "team"}}', :'acme', :'olga') -> 'metadata') AS updated_as
  FROM neon_auth.organization WHERE slug = 'tenant-a';
SELECT metadata AS restored FROM neon_auth.organization WHERE slug = 'tenant-a';
SELECT neon_auth.update_organization('{"metadata": {"plan": "pro"}}', :'acme', :'olga') -> 'metadata' AS back;
