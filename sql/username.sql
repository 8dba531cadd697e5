\set SHOW_CONTEXT never
\i sql/helpers.psql
-- Usernames (src/sql/12_username.sql): Better Auth's username plugin.

-- Sign-up with a username: stored lowercased, displayUsername as typed.
SELECT neon_auth.sign_up('un-alice@example.com', 'alice-password-1', 'Alice', username => 'Alice_B') -> 'user' AS u \gset
SELECT :'u'::jsonb ->> 'username' AS username, :'u'::jsonb ->> 'displayUsername' AS display_username;
-- A valid displayUsername alone is the username too; an invalid one is only a display name.
SELECT neon_auth.sign_up('un-bob@example.com', 'bob-password-1', 'Bob', display_username => 'Bob_X') -> 'user' AS u \gset
SELECT :'u'::jsonb ->> 'username' AS username, :'u'::jsonb ->> 'displayUsername' AS display_username;
SELECT neon_auth.sign_up('un-carl@example.com', 'carl-password-1', 'Carl', display_username => 'Carl Z!') -> 'user' AS u \gset
SELECT :'u'::jsonb ->> 'username' AS username, :'u'::jsonb ->> 'displayUsername' AS display_username;
SELECT neon_auth.sign_up('un-dave@example.com', 'dave-password-1', 'Dave', username => 'dave', display_username => 'Dave The Great') -> 'user' AS u \gset
SELECT :'u'::jsonb ->> 'username' AS username, :'u'::jsonb ->> 'displayUsername' AS display_username;
-- Taken (in any case), too short, too long, bad characters: nothing is written.
SELECT u AS username, pg_temp.try_hint(format('SELECT neon_auth.sign_up(%L, %L, %L, username => %L)',
                                              'un-x-' || md5(u) || '@example.com', 'x-password-1', 'X', u)) AS result
  FROM unnest(ARRAY['ALICE_B', 'ab', '', repeat('a', 31), 'bad-name', ' alice ', 'émile', '😀😀']) u;
SELECT count(*) AS stray_users FROM neon_auth."user" WHERE email LIKE 'un-x-%';

-- Availability.
SELECT u AS username, pg_temp.try(format('SELECT neon_auth.is_username_available(%L)', u)) AS checked,
       CASE WHEN neon_auth._username_error(u, (SELECT c FROM neon_auth.config c)) IS NULL AND u <> ''
            THEN neon_auth.is_username_available(u) END AS answer
  FROM unnest(ARRAY['ALICE_B', 'free_name', 'ab', '', 'bad-name']) u;

-- Sign-in by username: any case; wrong password and unknown username alike.
SELECT neon_auth.sign_in_username('ALICE_b', 'alice-password-1') AS r \gset
SELECT :'r'::jsonb -> 'redirect' AS redirect, :'r'::jsonb #>> '{user,email}' AS email,
       neon_auth.verify_session(:'r'::jsonb ->> 'token') IS NOT NULL AS session_live;
SELECT pg_temp.try('SELECT neon_auth.sign_in_username(''alice_b'', ''wrong-password-1'')') AS wrong_password,
       pg_temp.try('SELECT neon_auth.sign_in_username(''nobody_here'', ''alice-password-1'')') AS unknown_username;
SELECT pg_temp.try(format('SELECT neon_auth.sign_in_username(%L, %L)', u, p)) AS result
  FROM (VALUES ('', 'alice-password-1'), ('alice_b', ''), ('ab', 'alice-password-1'), ('bad-name', 'alice-password-1'),
               (NULL, 'alice-password-1')) AS t(u, p);
-- In HTTP mode the failures are answered, as Better Auth's.
SET neon_auth.json_errors = on;
SELECT neon_auth.sign_in_username('alice_b', 'wrong-password-1') AS answered, current_setting('response.status') AS status;
SELECT neon_auth.sign_in_username('nobody_here', 'wrong-password-1') AS answered, current_setting('response.status') AS status;
RESET neon_auth.json_errors;
SELECT event, outcome, email FROM neon_auth.audit_log WHERE email LIKE 'username:%' ORDER BY id;

-- Renaming: the new username is checked and free of others; displayUsername stays unless given.
SELECT :'r'::jsonb ->> 'token' AS alice \gset
SELECT neon_auth.update_user(username => 'Alice.C', session_token => :'alice') AS renamed;
SELECT username, "displayUsername" FROM neon_auth."user" WHERE email = 'un-alice@example.com';
SELECT neon_auth.update_user(display_username => 'Alice C.', session_token => :'alice') ->> 'status' AS display_renamed;
SELECT username, "displayUsername" FROM neon_auth."user" WHERE email = 'un-alice@example.com';
SELECT pg_temp.try(format('SELECT neon_auth.update_user(username => %L, session_token => %L)', 'Dave', :'alice')) AS taken;
SELECT neon_auth.update_user(username => 'ALICE.C', session_token => :'alice') ->> 'status' AS own_name_other_case;

-- The length limits are configurable, as the plugin's options.
SELECT neon_auth.configure('{"username_min_length": 5, "username_max_length": 8}') ->> 'username_min_length' AS min;
SELECT pg_temp.try_hint('SELECT neon_auth.is_username_available(''abcd'')') AS four,
       pg_temp.try_hint('SELECT neon_auth.is_username_available(''abcdefghi'')') AS nine;
SELECT neon_auth.configure('{"username_min_length": 3, "username_max_length": 30}') ->> 'username_max_length' AS max;

-- A two-factor user signing in by username gets the challenge.
UPDATE neon_auth."user" SET "twoFactorEnabled" = true WHERE email = 'un-dave@example.com';
SELECT neon_auth.sign_in_username('dave', 'dave-password-1') ? 'twoFactorRedirect' AS challenged;
UPDATE neon_auth."user" SET "twoFactorEnabled" = false WHERE email = 'un-dave@example.com';
