-- Trigger functions of neon_auth's own tables (the triggers themselves are
-- created with the tables in 03_tables.sql).

-- config, secret and instance hold exactly one row. CREATE EXTENSION writes
-- that row; a restore from pg_dump then COPYs the original database's row
-- in. This trigger makes such an insert replace the existing row, so a
-- restored database keeps the original's secret and settings instead of
-- failing on the primary key.
CREATE FUNCTION neon_auth._replace_singleton() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	EXECUTE format('DELETE FROM %I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME);
	RETURN NEW;
END
$$;

CREATE FUNCTION neon_auth._touch_updated_at() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	NEW.updated_at := now();
	RETURN NEW;
END
$$;

-- Changes that can end an identity (sign-out, ban, user edits, key
-- retirement or revocation, new config or secret) end the generation of
-- every backend's identity cache (src/pg/identity_fns.cpp).
CREATE FUNCTION neon_auth._identity_changed() RETURNS trigger
	AS 'MODULE_PATHNAME', 'neon_auth_identity_changed' LANGUAGE C;
