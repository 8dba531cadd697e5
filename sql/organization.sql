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
