-- A PostgREST RPC call, replayed the way PostgREST sends it: one statement of
-- transaction-local set_config calls, then the function call as the role.
BEGIN;
SELECT plan(8);

SELECT set_config('search_path', '"neon_auth", "public"', true),
       set_config('role', 'anon', true),
       set_config('request.jwt.claims', '{"role":"anon"}', true),
       set_config('request.method', 'POST', true),
       set_config('request.path', '/rpc/sign_up', true),
       set_config('request.headers', '{"accept":"application/json","user-agent":"Mozilla/5.0 (pgTAP)","x-forwarded-for":"198.51.100.7","authorization":"Bearer x"}', true),
       set_config('request.cookies', '{}', true);
SELECT is(current_user::text, 'anon', 'running as anon, as PostgREST does');

-- The body of POST /rpc/sign_up, the way PostgREST's RPC query calls it.
SELECT ok((pgrst_call.r ->> 'token') IS NOT NULL, 'sign_up through the RPC call shape')
  FROM (SELECT '{"email":"rest@example.com","password":"rest-password-1","name":"Rest"}'::json AS json_data) pgrst_payload,
       LATERAL (SELECT "email", "password", "name" FROM json_to_record(pgrst_payload.json_data)
                AS _("email" text, "password" text, "name" text) LIMIT 1) pgrst_body,
       LATERAL (SELECT neon_auth.sign_up("email" := pgrst_body."email", "password" := pgrst_body."password",
                                         "name" := pgrst_body."name") AS r) pgrst_call;

SELECT set_config('request.path', '/rpc/sign_in', true);
SELECT neon_auth.sign_in(email := 'rest@example.com', password := 'rest-password-1') ->> 'token' AS tok \gset
RESET ROLE;
SELECT is("ipAddress", '198.51.100.7', 'session records x-forwarded-for') FROM neon_auth.session WHERE token = :'tok';
SELECT is("userAgent", 'Mozilla/5.0 (pgTAP)', 'session records user-agent') FROM neon_auth.session WHERE token = :'tok';

-- A browser's signed cookie (as PostgREST passes it in request.cookies) is
-- what get_session / verify_session accept.
SELECT neon_auth.session_cookie(:'tok') AS cookie \gset
SET LOCAL ROLE authenticated;
SELECT ok(neon_auth.verify_session(:'cookie') IS NOT NULL, 'signed cookie verifies as authenticated');
SELECT is(neon_auth.get_session(:'cookie') #>> '{user,email}', 'rest@example.com', 'get_session with the cookie');

-- The setting is transaction-local: the next transaction sees no headers.
RESET ROLE;
SELECT is(nullif(current_setting('request.headers', true), '') IS NOT NULL, true, 'headers present in this transaction');
SELECT is(neon_auth._request_json('request.path'), NULL, 'a non-object setting is ignored');

SELECT * FROM finish();
ROLLBACK;
