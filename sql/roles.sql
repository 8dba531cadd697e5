-- Organization roles and permissions (after sql/invitations.sql).
\i sql/org_setup.psql
-- Permissions: Better Auth's default statements, and custom roles.
SELECT pg_temp.as_bearer(:'adam') IS NOT NULL AS as_adam;
SELECT neon_auth.has_permission(:'acme', '{"member": ["create", "delete"]}') AS adam_manages_members,
       neon_auth.has_permission(:'acme', '{"organization": ["delete"]}') AS adam_deletes_org,
       neon_auth.member_role(:'acme') AS adam_role, neon_auth.is_member(:'acme') AS adam_member;
SELECT pg_temp.as_bearer(:'mia') IS NOT NULL AS as_mia;
SELECT neon_auth.has_permission(:'acme', '{"member": ["create"]}') AS mia_manages_members,
       neon_auth.has_permission(:'acme', '{"ac": ["read"]}') AS mia_reads_ac,
       neon_auth.has_permission(:'acme', '{"billing": ["read"]}') AS mia_billing;
-- Custom roles: only with the ac permissions; default role names are taken.
SELECT pg_temp.try(format('SELECT neon_auth.create_role(%L, %L, %L, %L)', 'billing', '{"billing": ["read"]}', :'acme', :'mia')) AS member_creates_role;
SELECT pg_temp.try(format('SELECT neon_auth.create_role(%L, %L, %L, %L)', 'admin', '{"billing": ["read"]}', :'acme', :'adam')) AS redefine_admin;
SELECT pg_temp.try(format('SELECT neon_auth.create_role(%L, %L, %L, %L)', 'bad name!', '{"billing": ["read"]}', :'acme', :'adam')) AS bad_role_name;
SELECT pg_temp.try(format('SELECT neon_auth.create_role(%L, %L, %L, %L)', 'billing', '{"billing": "read"}', :'acme', :'adam')) AS bad_permission;
-- Nobody grants what they do not hold: an admin has no organization:delete,
-- and no billing until the extension owner gives the admin role billing.
SELECT pg_temp.try(format('SELECT neon_auth.create_role(%L, %L, %L, %L)', 'billing', '{"billing": ["read"]}', :'acme', :'adam')) AS not_held;
INSERT INTO neon_auth."organizationRole" ("organizationId", role, permission) VALUES (:'acme', 'admin', '{"billing": ["read", "pay"]}');
SELECT pg_temp.try(format('SELECT neon_auth.create_role(%L, %L, %L, %L)', 'usurper', '{"organization": ["delete"]}', :'acme', :'adam')) AS escalation;
SELECT neon_auth.create_role('billing', '{"billing": ["read"]}', :'acme', :'adam') #>> '{roleData,role}' AS created;
SELECT neon_auth.update_role('billing', '{"billing": ["read", "pay"]}', :'acme', :'adam') #> '{roleData,permission}' AS updated;
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
SELECT pg_temp.as_bearer(NULL) AS cleared;

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
