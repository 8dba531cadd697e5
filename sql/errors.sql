\set SHOW_CONTEXT never
\i sql/helpers.psql
-- Bad input: a clear error with a stable SQLSTATE and the Better Auth code
-- (in DETAIL), never the input itself, and nothing half-written.
-- try_hint() (sql/helpers.psql) prints "SQLSTATE CODE | message | hint".
SELECT count(*) AS users_before FROM neon_auth."user" \gset

SELECT t.label, pg_temp.try_hint(t.statement) AS error FROM (VALUES
	-- NULLs
	('null email',        $q$SELECT neon_auth.sign_up(NULL, 'password123', 'N')$q$),
	('null password',     $q$SELECT neon_auth.sign_up('n@example.com', NULL, 'N')$q$),
	('null name',         $q$SELECT neon_auth.sign_up('n@example.com', 'password123', NULL)$q$),
	('sign_in null email',$q$SELECT neon_auth.sign_in(NULL, 'password123')$q$),
	('sign_in null pw',   $q$SELECT neon_auth.sign_in('n@example.com', NULL)$q$),
	-- emails
	('empty email',       $q$SELECT neon_auth.sign_up('', 'password123', 'N')$q$),
	('no at sign',        $q$SELECT neon_auth.sign_up('plainaddress', 'password123', 'N')$q$),
	('two at signs',      $q$SELECT neon_auth.sign_up('two@@example.com', 'password123', 'N')$q$),
	('leading dot',       $q$SELECT neon_auth.sign_up('.dot@example.com', 'password123', 'N')$q$),
	('double dot',        $q$SELECT neon_auth.sign_up('dot..dot@example.com', 'password123', 'N')$q$),
	('no tld',            $q$SELECT neon_auth.sign_up('no-tld@example', 'password123', 'N')$q$),
	('space',             $q$SELECT neon_auth.sign_up('sp ace@example.com', 'password123', 'N')$q$),
	('321 characters',    $q$SELECT neon_auth.sign_up(repeat('a', 309) || '@example.com', 'password123', 'N')$q$),
	('sign_in bad email', $q$SELECT neon_auth.sign_in('not-an-email', 'password123')$q$),
	-- passwords: empty, 7 and 129 characters
	('empty password',    $q$SELECT neon_auth.sign_up('n@example.com', '', 'N')$q$),
	('7 characters',      $q$SELECT neon_auth.sign_up('n@example.com', 'seven77', 'N')$q$),
	('129 characters',    $q$SELECT neon_auth.sign_up('n@example.com', repeat('p', 129), 'N')$q$),
	('sign_in 129',       $q$SELECT neon_auth.sign_in('n@example.com', repeat('p', 129))$q$),
	('sign_in 7',         $q$SELECT neon_auth.sign_in('n@example.com', 'seven77')$q$),
	-- JavaScript length: 3 emoji are 6 units, 65 are 130
	('3 emoji',           $q$SELECT neon_auth.sign_up('n@example.com', repeat(U&'\+01F600', 3), 'N')$q$),
	('65 emoji',          $q$SELECT neon_auth.sign_up('n@example.com', repeat(U&'\+01F600', 65), 'N')$q$),
	-- 129 characters that NFKC shrinks are still too long (checked before normalization)
	('129 ligatures',     $q$SELECT neon_auth.sign_up('n@example.com', repeat(U&'\FB01', 129), 'N')$q$)
) AS t(label, statement);

-- No error message contains the input it was given.
SELECT count(*) AS messages_echoing_input FROM (VALUES
	(pg_temp.try_hint($q$SELECT neon_auth.sign_in('echo-check@example.com', 'SuperSecret-Echo-123')$q$)),
	(pg_temp.try_hint($q$SELECT neon_auth.sign_up('echo-check@example', 'SuperSecret-Echo-123', 'N')$q$)),
	(pg_temp.try_hint($q$SELECT neon_auth.sign_up('echo@example.com', repeat('SuperSecret-Echo-123', 9), 'N')$q$))
) AS e(msg) WHERE msg LIKE '%SuperSecret%' OR msg LIKE '%echo-check%';

-- The boundaries are accepted: 8 and 128 characters, 4 emoji (8 units).
SELECT (neon_auth.sign_up('eight@example.com', 'eight888', 'N') ->> 'token') IS NOT NULL AS eight_ok;
SELECT (neon_auth.sign_up('max@example.com', repeat('p', 128), 'N') ->> 'token') IS NOT NULL AS max_ok;
SELECT (neon_auth.sign_up('emoji@example.com', repeat(U&'\+01F600', 4), 'N') ->> 'token') IS NOT NULL AS emoji_ok;
SELECT (neon_auth.sign_in('emoji@example.com', repeat(U&'\+01F600', 4)) ->> 'token') IS NOT NULL AS emoji_signs_in;
-- Only those three users were written.
SELECT count(*) - :users_before AS users_added FROM neon_auth."user";

-- The error catalogue: every code, its SQLSTATE, Better Auth's HTTP status,
-- message and hint templates, Better Auth's message, and whether HTTP mode
-- answers it. docs/errors.md lists the same codes (test/integration/static_checks.sh).
SELECT code, sqlstate, http_status, message, hint, api_message, answered FROM neon_auth.error_code ORDER BY code;
-- Each one raises as catalogued, with its placeholders filled.
SELECT e.code, pg_temp.try_hint(format('SELECT neon_auth._raise(%L, %L)', e.code, 'ARG')) AS raised
  FROM neon_auth.error_code e ORDER BY e.code;
-- An unknown code is an internal error, never a silent success.
SELECT pg_temp.try('SELECT neon_auth._raise(''NO_SUCH_CODE'')') AS unknown_code;
