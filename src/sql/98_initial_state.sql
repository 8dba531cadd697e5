-- The rows a new installation starts with. Run by CREATE EXTENSION only:
-- an update keeps the database's own. A pg_dump restore then replaces them
-- with the original's (see _replace_singleton).

INSERT INTO neon_auth.config DEFAULT VALUES;
-- 64 characters from a 62-letter alphabet: 381 bits from the system CSPRNG.
INSERT INTO neon_auth.secret (value) VALUES (neon_auth._generate_id(64));

-- The first signing key, so replicas and clones have one from the start.
SELECT neon_auth._create_signing_key('EdDSA');

-- The database this auth state belongs to (see 80_fork.sql).
INSERT INTO neon_auth.instance (system_identifier, database_oid, neon_timeline_id)
SELECT (h ->> 'system_identifier')::bigint, (h ->> 'database_oid')::oid, h ->> 'neon_timeline_id'
  FROM neon_auth._here() h;
