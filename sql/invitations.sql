-- Organization invitations (after sql/organization.sql).
\i sql/org_setup.psql
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
