\set SHOW_CONTEXT never
\i sql/helpers.psql
-- Organizations: create, members, invitations, roles and permissions, the
-- tenant RLS helpers, and cross-tenant isolation.
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

-- Invitations: 48 h, pending, a message in the outbox; only the recipient accepts, once.
SELECT i ->> 'status' AS status, i ->> 'role' AS role,
       (i ->> 'expiresAt')::timestamptz - now() BETWEEN interval '47 hours' AND interval '48 hours' AS expires_in_48h
  FROM neon_auth.invite_member('Adam@Org.example', 'admin', session_token => :'olga') i;
SELECT id AS adam_invite FROM neon_auth.invitation WHERE email = 'adam@org.example' \gset
SELECT kind, recipient, data ->> 'organization' AS organization, data ->> 'url' = 'http://localhost:3000/accept-invitation/' || :'adam_invite' AS link
  FROM neon_auth.outbox ORDER BY id DESC LIMIT 1;
SELECT pg_temp.try(format('SELECT neon_auth.invite_member(%L, %L, session_token => %L)', 'adam@org.example', 'admin', :'olga')) AS invited_twice;
SELECT neon_auth.invite_member('adam@org.example', 'member', resend => true, session_token => :'olga') ->> 'role' AS resent_as;
SELECT neon_auth.invite_member('adam@org.example', 'admin', resend => true, session_token => :'olga') ->> 'role' AS resent_as;
SELECT pg_temp.try(format('SELECT neon_auth.accept_invitation(%L, %L)', :'adam_invite', :'eve')) AS eve_accepts;
SELECT neon_auth.get_invitation(:'adam_invite', :'adam') ->> 'organizationName' AS adam_sees;
SELECT a #>> '{member,role}' AS adam_role, a #>> '{invitation,status}' AS status FROM neon_auth.accept_invitation(:'adam_invite', :'adam') a;
SELECT pg_temp.try(format('SELECT neon_auth.accept_invitation(%L, %L)', :'adam_invite', :'adam')) AS accepted_twice;
SELECT neon_auth.invite_member('mia@org.example', 'member', session_token => :'adam') ->> 'id' AS mia_invite \gset
-- Invitations are listed by address: only once the address is verified (as Better Auth).
SELECT pg_temp.try($$SELECT neon_auth.list_user_invitations('$$ || :'mia' || $$')$$);
UPDATE neon_auth."user" SET "emailVerified" = true WHERE email = 'mia@org.example';
SELECT jsonb_array_length(neon_auth.list_user_invitations(:'mia')) AS mia_pending;
SELECT neon_auth.reject_invitation(:'mia_invite', :'mia') #>> '{invitation,status}' AS rejected;
SELECT neon_auth.invite_member('mia@org.example', 'member', session_token => :'adam') ->> 'id' AS mia_invite2 \gset
UPDATE neon_auth.invitation SET "expiresAt" = now() - interval '1 second' WHERE id = :'mia_invite2';
SELECT pg_temp.try(format('SELECT neon_auth.accept_invitation(%L, %L)', :'mia_invite2', :'mia')) AS expired;
SELECT neon_auth.invite_member('mia@org.example', 'member', session_token => :'adam') ->> 'id' AS mia_invite3 \gset
SELECT neon_auth.accept_invitation(:'mia_invite3', :'mia') #>> '{member,role}' AS mia_role;
SELECT pg_temp.try(format('SELECT neon_auth.invite_member(%L, %L, session_token => %L)', 'x@org.example', 'owner', :'adam')) AS admin_invites_owner;
SELECT pg_temp.try(format('SELECT neon_auth.invite_member(%L, %L, session_token => %L)', 'x@org.example', 'member', :'mia')) AS member_invites;
SELECT pg_temp.try(format('SELECT neon_auth.invite_member(%L, %L, session_token => %L)', 'x@org.example', 'superuser', :'olga')) AS unknown_role;

-- Permissions: Better Auth's default statements, and custom roles.
SELECT neon_auth.authenticate(:'adam', session_wide => true) IS NOT NULL AS as_adam;
SELECT neon_auth.has_permission(:'acme', '{"member": ["create", "delete"]}') AS adam_manages_members,
       neon_auth.has_permission(:'acme', '{"organization": ["delete"]}') AS adam_deletes_org,
       neon_auth.member_role(:'acme') AS adam_role, neon_auth.is_member(:'acme') AS adam_member;
SELECT neon_auth.authenticate(:'mia', session_wide => true) IS NOT NULL AS as_mia;
SELECT neon_auth.has_permission(:'acme', '{"member": ["create"]}') AS mia_manages_members,
       neon_auth.has_permission(:'acme', '{"ac": ["read"]}') AS mia_reads_ac,
       neon_auth.has_permission(:'acme', '{"billing": ["read"]}') AS mia_billing;
-- Custom roles: only with the ac permissions; default role names are taken.
SELECT pg_temp.try(format('SELECT neon_auth.create_role(%L, %L, %L, %L)', 'billing', '{"billing": ["read"]}', :'acme', :'mia')) AS member_creates_role;
SELECT pg_temp.try(format('SELECT neon_auth.create_role(%L, %L, %L, %L)', 'admin', '{"billing": ["read"]}', :'acme', :'adam')) AS redefine_admin;
SELECT pg_temp.try(format('SELECT neon_auth.create_role(%L, %L, %L, %L)', 'bad name!', '{"billing": ["read"]}', :'acme', :'adam')) AS bad_role_name;
SELECT pg_temp.try(format('SELECT neon_auth.create_role(%L, %L, %L, %L)', 'billing', '{"billing": "read"}', :'acme', :'adam')) AS bad_permission;
SELECT neon_auth.create_role('billing', '{"billing": ["read"]}', :'acme', :'adam') ->> 'role' AS created;
SELECT neon_auth.update_role('billing', '{"billing": ["read", "pay"]}', :'acme', :'adam') -> 'permission' AS updated;
SELECT jsonb_agg(r ->> 'role') AS roles FROM jsonb_array_elements(neon_auth.list_roles(:'acme', :'mia')) r;
SELECT (SELECT id FROM neon_auth.member WHERE "userId" = (SELECT id FROM neon_auth."user" WHERE email = 'mia@org.example')) AS mia_member \gset
SELECT neon_auth.update_member_role(:'mia_member', 'member,billing', session_token => :'adam') ->> 'role' AS mia_roles;
SELECT neon_auth.has_permission(:'acme', '{"billing": ["read"]}') AS mia_billing,
       neon_auth.has_permission(:'acme', '{"billing": ["read", "refund"]}') AS mia_refund;
SELECT neon_auth.has_permission(:'acme', '[]') AS not_an_object, neon_auth.has_permission(:'acme', '{}') AS empty,
       neon_auth.has_permission(:'acme', '{"anything": []}') AS unknown_resource;
SELECT split_part(pg_temp.try($$INSERT INTO neon_auth."organizationRole" ("organizationId", role, permission)
                     SELECT id, 'broken', '[1, 2]' FROM neon_auth.organization LIMIT 1$$), ' ', 1) AS non_object_permission;
SELECT pg_temp.try(format('SELECT neon_auth.delete_role(%L, %L, %L)', 'billing', :'acme', :'adam')) AS delete_assigned;
SELECT pg_temp.try(format('SELECT neon_auth.delete_role(%L, %L, %L)', 'member', :'acme', :'adam')) AS delete_predefined;
SELECT neon_auth.authenticate(NULL, session_wide => true) AS cleared;

-- Escalation attempts fail: a member making itself owner, an admin making
-- itself owner or removing the owner, the only owner leaving or stepping down.
SELECT (SELECT id FROM neon_auth.member WHERE "userId" = (SELECT id FROM neon_auth."user" WHERE email = 'adam@org.example')) AS adam_member,
       (SELECT id FROM neon_auth.member WHERE "userId" = (SELECT id FROM neon_auth."user" WHERE email = 'olga@org.example')) AS olga_member \gset
SELECT pg_temp.try(format('SELECT neon_auth.update_member_role(%L, %L, session_token => %L)', :'mia_member', 'owner', :'mia')) AS member_to_owner;
SELECT pg_temp.try(format('SELECT neon_auth.update_member_role(%L, %L, session_token => %L)', :'adam_member', 'owner', :'adam')) AS admin_to_owner;
SELECT pg_temp.try(format('SELECT neon_auth.remove_member(%L, session_token => %L)', 'olga@org.example', :'adam')) AS admin_removes_owner;
SELECT pg_temp.try(format('SELECT neon_auth.update_member_role(%L, %L, session_token => %L)', :'olga_member', 'admin', :'olga')) AS last_owner_steps_down;
SELECT pg_temp.try(format('SELECT neon_auth.leave_organization(%L, %L)', :'acme', :'olga')) AS last_owner_leaves;
SELECT string_agg(role, ',' ORDER BY role) AS roles_unchanged FROM neon_auth.member WHERE "organizationId" = :'acme';

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
SELECT neon_auth.authenticate(:'mia', session_wide => true) IS NOT NULL AS as_mia;
SELECT string_agg(name, ',' ORDER BY name) AS mia_sees FROM public.projects;
DELETE FROM public.projects WHERE name = 'anvil';
SELECT count(*) AS after_mia_delete FROM public.projects;
SELECT neon_auth.authenticate(:'adam', session_wide => true) IS NOT NULL AS as_adam;
DELETE FROM public.projects WHERE name = 'anvil';
SELECT string_agg(name, ',' ORDER BY name) AS after_adam_delete FROM public.projects;
SELECT neon_auth.authenticate(:'eve', session_wide => true) IS NOT NULL AS as_eve;
SELECT string_agg(name, ',' ORDER BY name) AS eve_sees FROM public.projects;
SELECT pg_temp.try(format('INSERT INTO public.projects (org_id, name) VALUES (%L, %L)', :'acme', 'planted')) AS eve_writes_into_acme;
INSERT INTO public.projects (org_id, name) VALUES (:'globex', 'own plan');
SELECT pg_temp.try(format('SELECT neon_auth.get_full_organization(%L, %L)', gen_random_uuid(), :'eve')) AS no_such_org;
DELETE FROM public.projects WHERE org_id = :'acme';
SELECT neon_auth.authenticate(:'olga', session_wide => true) IS NOT NULL AS as_olga;
SELECT count(*) AS acme_rows_left FROM public.projects;
SELECT neon_auth.active_organization_id() = :'acme' AS active_org;
-- The JWT's "o" claim after switching: Olga's second organization.
SELECT neon_auth.authenticate(NULL, session_wide => true) AS cleared;
RESET ROLE;
SELECT neon_auth.create_organization('Initech', 'tenant-c', session_token => :'olga') ->> 'slug' AS second_org;
SELECT pg_temp.part(neon_auth.token(:'olga'), 2) #>> '{o,slug}' AS o_after_create;
SELECT neon_auth.set_active_organization(:'acme', :'olga') ->> 'slug' AS switched_back;
SELECT pg_temp.part(neon_auth.token(:'olga'), 2) #>> '{o,slug}' AS o_after_switch;
SELECT neon_auth.set_active_organization(NULL, :'olga') AS unset;
SELECT pg_temp.part(neon_auth.token(:'olga'), 2) ? 'o' AS o_after_unset;

-- Teams: the first one is made with the organization; admins manage them;
-- members of the organization only; not the last team; other tenants' teams
-- are not found.
SELECT jsonb_agg(t ->> 'name') AS teams, min((t ->> 'memberCount')::int) AS creator_in_it
  FROM jsonb_array_elements(neon_auth.list_teams(:'acme', :'olga')) t;
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
