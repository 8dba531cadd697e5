-- Reading organizations, tenant isolation and the tenant RLS helpers
-- (after sql/roles.sql).
\i sql/org_setup.psql
-- Reading the organization: members see members; invitations only for those who invite.
SELECT jsonb_array_length(o -> 'members') AS members, jsonb_array_length(o -> 'invitations') AS invitations
  FROM neon_auth.get_full_organization(:'acme', :'adam') o;
SELECT jsonb_array_length(o -> 'members') AS members, jsonb_array_length(o -> 'invitations') AS invitations_for_member
  FROM neon_auth.get_full_organization(:'acme', :'mia') o;
SELECT l -> 'total' AS total, jsonb_array_length(l -> 'members') AS page FROM neon_auth.list_members(:'acme', 2, 0, :'mia') l;
SELECT neon_auth.get_active_member(:'mia') ->> 'role' AS mia_active_role;

-- Tenants are isolated: Eve's organization is invisible and closed to Olga.
SELECT neon_auth.create_organization('Globex', 'tenant-b', session_token => :'eve') ->> 'slug' AS eve_org;
SELECT id AS globex FROM neon_auth.organization WHERE slug = 'tenant-b' \gset
SELECT pg_temp.try(format('SELECT neon_auth.get_full_organization(%L, %L)', :'globex', :'olga')) AS read_other;
SELECT pg_temp.try(format('SELECT neon_auth.invite_member(%L, %L, %L, session_token => %L)', 'olga2@org.example', 'owner', :'globex', :'olga')) AS invite_into_other;
SELECT pg_temp.try(format('SELECT neon_auth.set_active_organization(%L, %L)', :'globex', :'olga')) AS activate_other;
SELECT pg_temp.try(format('SELECT neon_auth.list_members(%L, session_token => %L)', :'globex', :'olga')) AS list_other;
SELECT jsonb_agg(o ->> 'slug') AS olga_sees FROM jsonb_array_elements(neon_auth.list_organizations(:'olga')) o;
SELECT pg_temp.try(format('SELECT neon_auth.delete_organization(%L, %L)', :'globex', :'olga')) AS delete_other;

-- A multi-tenant table under RLS: members see their organization's rows,
-- only those who may delete members (owners, admins) delete.
CREATE TABLE public.projects (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, org_id uuid NOT NULL, name text NOT NULL);
ALTER TABLE public.projects ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_read ON public.projects FOR SELECT TO authenticated
	USING (org_id = ANY (ARRAY(SELECT unnest(neon_auth.organization_ids()))));
CREATE POLICY tenant_delete ON public.projects FOR DELETE TO authenticated
	USING (neon_auth.has_permission(org_id, '{"member": ["delete"]}'));
CREATE POLICY tenant_write ON public.projects FOR INSERT TO authenticated
	WITH CHECK (org_id = ANY (ARRAY(SELECT unnest(neon_auth.organization_ids()))));
GRANT SELECT, INSERT, DELETE ON public.projects TO authenticated;
GRANT USAGE ON SEQUENCE public.projects_id_seq TO authenticated;
INSERT INTO public.projects (org_id, name) VALUES (:'acme', 'rocket'), (:'acme', 'anvil'), (:'globex', 'secret plan');
SET ROLE authenticated;
SELECT pg_temp.as_bearer(:'mia') IS NOT NULL AS as_mia;
SELECT string_agg(name, ',' ORDER BY name) AS mia_sees FROM public.projects;
DELETE FROM public.projects WHERE name = 'anvil';
SELECT count(*) AS after_mia_delete FROM public.projects;
SELECT pg_temp.as_bearer(:'adam') IS NOT NULL AS as_adam;
DELETE FROM public.projects WHERE name = 'anvil';
SELECT string_agg(name, ',' ORDER BY name) AS after_adam_delete FROM public.projects;
SELECT pg_temp.as_bearer(:'eve') IS NOT NULL AS as_eve;
SELECT string_agg(name, ',' ORDER BY name) AS eve_sees FROM public.projects;
SELECT pg_temp.try(format('INSERT INTO public.projects (org_id, name) VALUES (%L, %L)', :'acme', 'planted')) AS eve_writes_into_acme;
INSERT INTO public.projects (org_id, name) VALUES (:'globex', 'own plan');
SELECT pg_temp.try(format('SELECT neon_auth.get_full_organization(%L, %L)', gen_random_uuid(), :'eve')) AS no_such_org;
DELETE FROM public.projects WHERE org_id = :'acme';
SELECT pg_temp.as_bearer(:'olga') IS NOT NULL AS as_olga;
SELECT count(*) AS acme_rows_left FROM public.projects;
SELECT neon_auth.active_organization_id() = :'acme' AS active_org;
-- The JWT's "o" claim after switching: Olga's second organization.
SELECT pg_temp.as_bearer(NULL) AS cleared;
RESET ROLE;
SELECT neon_auth.create_organization('Initech', 'tenant-c', session_token => :'olga') ->> 'slug' AS second_org;
SELECT pg_temp.part(neon_auth.token(:'olga'), 2) #>> '{o,slug}' AS o_after_create;
SELECT neon_auth.set_active_organization(:'acme', :'olga') ->> 'slug' AS switched_back;
SELECT pg_temp.part(neon_auth.token(:'olga'), 2) #>> '{o,slug}' AS o_after_switch;
SELECT neon_auth.set_active_organization(NULL, :'olga') AS unset;
SELECT pg_temp.part(neon_auth.token(:'olga'), 2) ? 'o' AS o_after_unset;
