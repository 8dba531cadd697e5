\set SHOW_CONTEXT never
\i sql/helpers.psql
-- Copies of the database (src/sql/80_fork.sql). The copies themselves
-- (TEMPLATE, pg_dump, pg_basebackup) are made by
-- test/integration/branching.sh; here, in the database neon_auth was
-- installed in: it is not a copy, and fork() refuses what it must.
SELECT s ->> 'unforked_copy' AS unforked_copy, s ->> 'reason' AS reason, s ->> 'fork_mode' AS fork_mode,
       s -> 'recorded' = s -> 'current' AS recorded_is_current
  FROM neon_auth.fork_status() s;
SELECT t.label, pg_temp.try(t.statement) AS error FROM (VALUES
	('unknown mode',         $q$SELECT neon_auth.fork('copy')$q$),
	('null mode',            $q$SELECT neon_auth.fork(NULL)$q$),
	('password with keep',   $q$SELECT neon_auth.fork('keep', preview_password => 'preview-password-1')$q$),
	('not a copy',           $q$SELECT neon_auth.fork('rekey')$q$)) AS t(label, statement);
-- App roles cannot fork, but can ask whether this is a copy.
SET ROLE authenticated;
SELECT pg_temp.try($q$SELECT neon_auth.fork('keep', force => true)$q$) AS app_role_forks;
SELECT (neon_auth.fork_status() ->> 'unforked_copy')::boolean AS app_role_reads_status;
RESET ROLE;
-- force => true records this database again (keep changes nothing else);
-- then it is the recorded one, and a second fork is refused as well.
SELECT (neon_auth.fork('keep', force => true) ->> 'mode') AS forked;
SELECT fork_mode FROM neon_auth.instance;
SELECT pg_temp.try($q$SELECT neon_auth.fork('keep')$q$) AS second_fork;
