\set SHOW_CONTEXT never
\i sql/helpers.psql
-- The admin plugin: admins (config.admin_roles) or the extension owner from
-- SQL administer users; admins cannot act on other admins; everyone else is
-- refused; every action is audited.
-- The owner (this superuser session) creates the first admin.
SELECT neon_auth.create_user('Root@Admin.example', 'root-password-1', 'Root', 'admin') #>> '{user,role}' AS root_role;
SELECT neon_auth.create_user('pat@admin.example', 'pat-password-1', 'Pat') #>> '{user,role}' AS pat_role;
SELECT neon_auth.create_user('quinn@admin.example', 'quinn-password-1', 'Quinn', 'admin') #>> '{user,role}' AS quinn_role;
SELECT id AS root_id FROM neon_auth."user" WHERE email = 'root@admin.example' \gset
SELECT id AS pat_id FROM neon_auth."user" WHERE email = 'pat@admin.example' \gset
SELECT id AS quinn_id FROM neon_auth."user" WHERE email = 'quinn@admin.example' \gset
SELECT neon_auth.sign_in('root@admin.example', 'root-password-1') ->> 'token' AS root \gset
SELECT neon_auth.sign_in('pat@admin.example', 'pat-password-1') ->> 'token' AS pat \gset

-- Non-admins are refused; so is the owner's role through PostgREST.
SELECT pg_temp.try(format('SELECT neon_auth.list_users(session_token => %L)', :'pat')) AS user_lists;
SELECT pg_temp.try($$SELECT neon_auth.list_users(session_token => 'expired-or-made-up')$$) AS owner_with_bad_token;
SELECT pg_temp.try(format('SELECT neon_auth.ban_user(%L, session_token => %L)', :'root_id', :'pat')) AS user_bans_admin;
SET ROLE authenticated;
SELECT pg_temp.try('SELECT neon_auth.list_users()') AS owner_after_set_role;
RESET ROLE;
SELECT set_config('request.method', 'GET', false) IS NOT NULL AS via_postgrest;
SELECT pg_temp.try('SELECT neon_auth.list_users()') AS owner_via_http;
SELECT set_config('request.method', '', false) IS NOT NULL AS plain_sql;

-- Listing: search, filter, sort, paginate.
SELECT l -> 'total' AS total, jsonb_agg(u ->> 'email' ORDER BY ord) AS emails
  FROM neon_auth.list_users('admin.example', "limit" => 2, sort_by => 'email', sort_direction => 'desc', session_token => :'root') l,
       jsonb_array_elements(l -> 'users') WITH ORDINALITY AS x(u, ord)
 GROUP BY l;
SELECT (neon_auth.list_users(filter_field => 'role', filter_value => 'admin', session_token => :'root') -> 'total') AS admins;
SELECT (neon_auth.list_users('q', search_field => 'name', search_operator => 'starts_with', session_token => :'root') -> 'users' -> 0 ->> 'email') AS starts_with_q;
SELECT (neon_auth.list_users('%', session_token => :'root') -> 'total') AS literal_percent;
SELECT pg_temp.try(format('SELECT neon_auth.list_users(sort_by => %L, session_token => %L)', 'password', :'root')) AS bad_sort;

-- Roles and passwords; admins cannot make admins or touch other admins.
SELECT neon_auth.set_role(:'pat_id', 'user,support', :'root') #>> '{user,role}' AS pat_role;
SELECT pg_temp.try(format('SELECT neon_auth.set_role(%L, %L, %L)', :'pat_id', 'admin', :'root')) AS admin_makes_admin;
SELECT pg_temp.try(format('SELECT neon_auth.set_role(%L, %L, %L)', :'quinn_id', 'user', :'root')) AS admin_demotes_admin;
SELECT pg_temp.try(format('SELECT neon_auth.set_user_password(%L, %L, %L)', :'quinn_id', 'taken-over-1', :'root')) AS admin_resets_admin;
SELECT neon_auth.set_user_password(:'pat_id', 'pat-password-2', :'root') AS pat_password;
SELECT neon_auth.sign_in('pat@admin.example', 'pat-password-2') ->> 'token' AS pat \gset
SELECT neon_auth.admin_update_user(:'pat_id', '{"name": "Patricia", "emailVerified": true}', :'root') ->> 'name' AS renamed;
SELECT pg_temp.try(format('SELECT neon_auth.admin_update_user(%L, %L, %L)', :'pat_id', '{"role": "admin"}', :'root')) AS admin_makes_admin_via_update;

-- Sessions, bans (sessions end; sign-in refused), unban.
SELECT jsonb_array_length(neon_auth.list_user_sessions(:'pat_id', :'root') -> 'sessions') AS pat_sessions;
SELECT pg_temp.try(format('SELECT neon_auth.ban_user(%L, session_token => %L)', :'root_id', :'root')) AS ban_self;
SELECT pg_temp.try(format('SELECT neon_auth.ban_user(%L, session_token => %L)', :'quinn_id', :'root')) AS ban_other_admin;
SELECT pg_temp.try(format('SELECT neon_auth.ban_user(%L, %L, 0, %L)', :'pat_id', 'x', :'root')) AS zero_expiry;
SELECT u #>> '{user,banned}' AS banned, u #>> '{user,banReason}' AS reason, (u #>> '{user,banExpires}') IS NOT NULL AS expires
  FROM neon_auth.ban_user(:'pat_id', 'spam', 3600, :'root') u;
SELECT neon_auth.verify_session(:'pat') IS NULL AS pat_signed_out;
SELECT pg_temp.try($$SELECT neon_auth.sign_in('pat@admin.example', 'pat-password-2')$$) AS banned_sign_in;
SELECT neon_auth.unban_user(:'pat_id', :'root') #>> '{user,banned}' AS banned;
SELECT neon_auth.sign_in('pat@admin.example', 'pat-password-2') ->> 'token' AS pat \gset
SELECT neon_auth.revoke_user_sessions(:'pat_id', :'root') AS revoked;
SELECT neon_auth.verify_session(:'pat') IS NULL AS pat_signed_out;

-- Impersonation: an hour-long session marked impersonatedBy; not of admins.
SELECT i #>> '{session,impersonatedBy}' = :'root_id' AS marked,
       ((i #>> '{session,expiresAt}')::timestamptz - now()) BETWEEN interval '59 minutes' AND interval '1 hour' AS one_hour,
       i #>> '{user,email}' AS as_user
  FROM neon_auth.impersonate_user(:'pat_id', :'root') i;
SELECT s.token AS imp FROM neon_auth.session s WHERE s."impersonatedBy" = :'root_id' \gset
SELECT neon_auth.verify_session(:'imp') = :'pat_id' AS impersonating;
SELECT pg_temp.try(format('SELECT neon_auth.impersonate_user(%L, %L)', :'quinn_id', :'root')) AS impersonate_admin;
SELECT pg_temp.try(format('SELECT neon_auth.stop_impersonating(%L)', :'root')) AS not_impersonating;
SELECT neon_auth.stop_impersonating(:'imp') AS stopped;
SELECT neon_auth.verify_session(:'imp') IS NULL AS session_gone;
-- The owner's impersonation is marked too, and can be stopped.
SELECT neon_auth.impersonate_user(:'pat_id') #>> '{session,impersonatedBy}' AS by_owner;
SELECT s.token AS imp2 FROM neon_auth.session s WHERE s."impersonatedBy" LIKE 'owner:%' \gset
SELECT neon_auth.stop_impersonating(:'imp2') AS stopped;

-- Removing: cascades; not oneself.
SELECT pg_temp.try(format('SELECT neon_auth.remove_user(%L, %L)', :'root_id', :'root')) AS remove_self;
SELECT neon_auth.remove_user(:'pat_id', :'root') AS removed;
SELECT count(*) AS pat_rows FROM neon_auth.account WHERE "userId" = :'pat_id';
-- The owner can act on admins.
SELECT neon_auth.set_role(:'quinn_id', 'user') #>> '{user,role}' AS quinn_demoted_by_owner;
SELECT event, count(*) FROM neon_auth.audit_log WHERE event LIKE 'admin\_%' GROUP BY 1 ORDER BY 1;
SELECT count(*) AS by_owner FROM neon_auth.audit_log WHERE event LIKE 'admin\_%' AND detail ->> 'by' = 'database owner';

-- Access control as Better Auth's: each role's statements in
-- config.admin_permissions, checked by every admin function; get_user and
-- user_has_permission.
SELECT neon_auth.create_user('sue@admin.example', 'sue-password-1', 'Sue', 'support') #>> '{user,role}' AS sue_role;
SELECT neon_auth.create_user('val@admin.example', 'val-password-1', 'Val') ->> 'user' IS NOT NULL AS val_made;
SELECT id AS val_id FROM neon_auth."user" WHERE email = 'val@admin.example' \gset
SELECT neon_auth.sign_in('sue@admin.example', 'sue-password-1') ->> 'token' AS sue \gset
SELECT neon_auth.sign_in('val@admin.example', 'val-password-1') ->> 'token' AS val \gset
-- A support role may list and get users, and nothing else.
SELECT neon_auth.configure(jsonb_build_object('admin_permissions',
	(SELECT admin_permissions FROM neon_auth.config) || '{"support": {"user": ["list", "get"], "session": []}}')) IS NOT NULL AS configured;
SELECT neon_auth.get_user(:'val_id', :'sue') ->> 'email' AS sue_gets;
SELECT (neon_auth.list_users(session_token => :'sue') ->> 'total')::int > 0 AS sue_lists;
SELECT f AS denied, pg_temp.try(format(f, :'val_id', :'sue')) AS result
  FROM unnest(ARRAY['SELECT neon_auth.ban_user(%L, session_token => %L)', 'SELECT neon_auth.set_role(%L, ''user'', %L)',
                    'SELECT neon_auth.set_user_password(%L, ''val-password-2'', %L)',
                    'SELECT neon_auth.admin_update_user(%L, ''{"name": "V"}'', %L)', 'SELECT neon_auth.remove_user(%L, %L)',
                    'SELECT neon_auth.list_user_sessions(%L, %L)', 'SELECT neon_auth.revoke_user_sessions(%L, %L)',
                    'SELECT neon_auth.impersonate_user(%L, %L)', 'SELECT neon_auth.unban_user(%L, %L)']) f;
SELECT pg_temp.try(format($$SELECT neon_auth.create_user('x@admin.example', 'x-password-1', 'X', session_token => %L)$$, :'sue')) AS sue_creates;
SELECT pg_temp.try(format('SELECT neon_auth.get_user(%L, %L)', :'val_id', :'val')) AS user_gets;
SELECT pg_temp.try(format('SELECT neon_auth.get_user(%L, %L)', gen_random_uuid(), :'root')) AS unknown_user;
-- has-permission: for the caller's roles; the owner asks about a role or a user.
SELECT p AS permissions, neon_auth.user_has_permission(p::jsonb, session_token => :'sue') AS sue
  FROM unnest(ARRAY['{"user": ["list"]}', '{"user": ["list", "get"]}', '{"user": ["list", "ban"]}', '{"session": ["list"]}',
                    '{"billing": ["read"]}', '{}', '{"user": []}', '{"user": {"actions": ["ban", "get"], "connector": "OR"}}',
                    '{"user": {"actions": ["ban", "get"]}}', '{"user": "list"}']) p;
SELECT neon_auth.user_has_permission('{"user": ["ban"]}', role => 'admin') AS admin_role,
       neon_auth.user_has_permission('{"user": ["impersonate-admins"]}', role => 'admin') AS admin_impersonates_admins,
       neon_auth.user_has_permission('{"user": ["ban"]}', role => 'user,support') AS user_support,
       neon_auth.user_has_permission('{"user": ["get"]}', user_id => :'val_id') AS val;
SELECT pg_temp.try('SELECT neon_auth.user_has_permission(NULL, role => ''admin'')') AS no_permissions,
       pg_temp.try('SELECT neon_auth.user_has_permission(''{"user": ["get"]}'')') AS no_subject;
-- adminUserIds: a user with no admin role may do everything.
SELECT neon_auth.configure(jsonb_build_object('admin_user_ids', ARRAY[:'val_id'])) IS NOT NULL AS configured;
SELECT neon_auth.create_user('wes@admin.example', 'wes-password-1', 'Wes') ->> 'user' IS NOT NULL AS wes_made;
SELECT neon_auth.ban_user((SELECT id FROM neon_auth."user" WHERE email = 'wes@admin.example'), session_token => :'val') #>> '{user,banned}' AS val_bans_wes;
-- A role with any admin permission (support) counts as an admin role: out of reach of other admins.
SELECT pg_temp.try(format('SELECT neon_auth.ban_user(%L, session_token => %L)', (SELECT id FROM neon_auth."user" WHERE email = 'sue@admin.example'), :'val')) AS val_bans_sue;
-- ... and so is a user of admin_user_ids, whatever its role.
SELECT pg_temp.try(format('SELECT neon_auth.set_user_password(%L, %L, %L)', :'val_id', 'val-password-9', :'root')) AS root_sets_vals_password;
-- session:list without user:impersonate shows no session tokens.
SELECT neon_auth.configure(jsonb_build_object('admin_permissions',
	(SELECT admin_permissions FROM neon_auth.config) || '{"support": {"user": ["list", "get"], "session": ["list"]}}')) IS NOT NULL AS configured;
SELECT neon_auth.create_user('xia@admin.example', 'xia-password-1', 'Xia') ->> 'user' IS NOT NULL AS xia_made;
SELECT neon_auth.sign_in('xia@admin.example', 'xia-password-1') IS NOT NULL AS xia_signed_in;
SELECT count(*) AS xia_sessions, bool_or(s ? 'token') AS sue_sees_tokens
  FROM jsonb_array_elements(neon_auth.list_user_sessions((SELECT id FROM neon_auth."user" WHERE email = 'xia@admin.example'), :'sue') -> 'sessions') s;
SELECT bool_and(s ? 'token') AS root_sees_tokens
  FROM jsonb_array_elements(neon_auth.list_user_sessions((SELECT id FROM neon_auth."user" WHERE email = 'xia@admin.example'), :'root') -> 'sessions') s;
SELECT neon_auth.user_has_permission('{"user": ["impersonate-admins"]}', session_token => :'val') AS val_may_all;
-- Acting on admins: refused by default, allowed when turned on.
SELECT neon_auth.create_user('ada@admin.example', 'ada-password-1', 'Ada', 'admin') #>> '{user,role}' AS ada_role;
SELECT id AS ada_id FROM neon_auth."user" WHERE email = 'ada@admin.example' \gset
SELECT pg_temp.try(format('SELECT neon_auth.ban_user(%L, session_token => %L)', :'ada_id', :'root')) AS root_bans_ada;
SELECT neon_auth.configure('{"allow_acting_on_admins": true}') IS NOT NULL AS configured;
SELECT neon_auth.ban_user(:'ada_id', session_token => :'root') #>> '{user,banned}' AS root_bans_ada_now;
SELECT neon_auth.configure('{"allow_acting_on_admins": false, "admin_user_ids": []}') IS NOT NULL AS configured;
-- A NULL in admin_user_ids (an unset variable in a deploy script) is refused, not a hole.
SELECT pg_temp.try($$SELECT neon_auth.configure('{"admin_user_ids": [null]}')$$) AS null_admin_id;
-- Bad configurations are refused.
SELECT pg_temp.try($$SELECT neon_auth.configure('{"admin_permissions": {"support": ["list"]}}')$$) AS bad_role,
       pg_temp.try($$SELECT neon_auth.configure('{"admin_permissions": {"support": {"user": "list"}}}')$$) AS bad_actions;

-- create_user without a password, with data; admin_update_user with Better Auth's fields and checks.
SELECT (neon_auth.create_user('nopw@admin.example', NULL, 'No Password', data => '{"image": "https://example.com/n.png", "emailVerified": true}') -> 'user')
       - 'id' - 'createdAt' - 'updatedAt' AS created;
SELECT count(*) AS nopw_accounts FROM neon_auth.account a JOIN neon_auth."user" u ON u.id = a."userId" WHERE u.email = 'nopw@admin.example';
SELECT pg_temp.try($$SELECT neon_auth.create_user('x2@admin.example', NULL, 'X', data => '{"banned": true}')$$) AS data_field;
SELECT id AS nopw_id FROM neon_auth."user" WHERE email = 'nopw@admin.example' \gset
SELECT neon_auth.admin_update_user(:'nopw_id', '{"email": "NoPw2@Admin.example", "role": ["user", "editor"], "phoneNumber": "+15550007777", "phoneNumberVerified": true}', :'root')
       - 'id' - 'createdAt' - 'updatedAt' - 'image' AS updated;
SELECT d AS data, pg_temp.try(format('SELECT neon_auth.admin_update_user(%L, %L, %L)', :'nopw_id', d, :'root')) AS result
  FROM unnest(ARRAY['{}', '{"password": "x-password-1"}', '{"id": "x"}', '{"createdAt": "2020-01-01"}', '{"role": 5}',
                    '{"email": "root@admin.example"}', '{"phoneNumber": "555"}', '{"banned": true, "banReason": "spam"}']) d;
SELECT "banned", "banReason" FROM neon_auth."user" WHERE id = :'nopw_id';
SELECT pg_temp.try(format('SELECT neon_auth.admin_update_user(%L, %L, %L)', :'root_id', '{"banned": true}', :'root')) AS ban_self;
SELECT pg_temp.try(format('SELECT neon_auth.admin_update_user(%L, %L, %L)', :'nopw_id', '{"email": "z@admin.example"}', :'sue')) AS sue_sets_email;

-- revoke_user_session by token, as Better Auth; an unknown token is a success.
SELECT neon_auth.create_user('rev@admin.example', 'rev-password-1', 'Rev', session_token => :'root') #>> '{user,email}' AS rev;
SELECT neon_auth.sign_in('rev@admin.example', 'rev-password-1') ->> 'token' AS pat_again \gset
SELECT neon_auth.revoke_user_session(:'pat_again', admin_session_token => :'root') AS revoked_one;
SELECT count(*) AS left_after FROM neon_auth."session" WHERE "token" = :'pat_again';
SELECT neon_auth.revoke_user_session('no-such-token', admin_session_token => :'root') AS unknown_token;
SELECT pg_temp.try(format('SELECT neon_auth.revoke_user_session(%L, admin_session_token => %L)', :'pat_again', :'sue')) AS sue_revokes;
