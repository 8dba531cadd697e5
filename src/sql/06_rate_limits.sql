---------------------------------------------------------------------------
-- Rate limits: Better Auth's database rate limiter (the rateLimit table),
-- keyed by client IP and by target email, and how the flows apply it.
-- Internal.
---------------------------------------------------------------------------

-- Better Auth's database rate limiter for one flow, keyed by client IP
-- ("<ip>|<path>", when the request carries one) and by the target email
-- ("email:<email>|<path>"). NULL when the call may go on (and is counted);
-- else the seconds until it may be retried, with nothing written.
-- Counters in shared memory, which no rollback undoes, when the library is
-- in shared_preload_libraries (src/pg/shared_limits.cpp).
CREATE FUNCTION neon_auth._shared_limits() RETURNS boolean
	AS 'MODULE_PATHNAME', 'neon_auth_shared_limits' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION neon_auth._shared_rate_limit(keys text[], window_ms bigint, max_requests integer, now_ms bigint)
	RETURNS integer
	AS 'MODULE_PATHNAME', 'neon_auth_shared_rate_limit' LANGUAGE C VOLATILE;
-- Once per backend without them: the WARNING that a rollback undoes a count.
CREATE FUNCTION neon_auth._warn_rollback_limits() RETURNS void
	AS 'MODULE_PATHNAME', 'neon_auth_warn_rollback_limits' LANGUAGE C VOLATILE;

CREATE FUNCTION neon_auth._rate_limited(path text, email text) RETURNS integer
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	cfg neon_auth.config;
	rule jsonb;
	window_ms bigint;
	max_requests integer;
	now_ms bigint := floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint;
	ip text := neon_auth._client_ip(nearest => true);
	keys text[];
	k text;
	r neon_auth."rateLimit";
	retry integer;
BEGIN
	SELECT * INTO cfg FROM neon_auth.config;
	rule := cfg.rate_limits -> path;
	IF NOT cfg.rate_limit_enabled OR rule IS NULL THEN
		RETURN NULL;
	END IF;
	window_ms := (rule ->> 'window')::bigint * 1000;
	max_requests := (rule ->> 'max')::integer;
	keys := array_remove(ARRAY[CASE WHEN ip <> '' THEN ip || '|' || path END,
	                           CASE WHEN email IS NOT NULL THEN 'email:' || email || '|' || path END], NULL);
	-- The shared counters first: an attempt they count stays counted whatever
	-- the caller does with its transaction, so a rolled-back guess is still a
	-- guess. The table then applies the same rule, as Better Auth's does.
	retry := neon_auth._shared_rate_limit(keys, window_ms, max_requests, now_ms);
	IF retry IS NOT NULL THEN
		RETURN retry;
	END IF;
	-- Check every key before counting any, so a refused call writes nothing.
	-- A transaction-scoped advisory lock per key (in key order, so no
	-- deadlock) serializes concurrent calls even before the key has a row,
	-- which FOR UPDATE could not lock.
	FOREACH k IN ARRAY (SELECT array_agg(x ORDER BY x) FROM unnest(keys) x) LOOP
		PERFORM pg_advisory_xact_lock(hashtext('neon_auth.rateLimit'), hashtext(k));
		SELECT * INTO r FROM neon_auth."rateLimit" WHERE "key" = k;
		IF r."key" IS NOT NULL AND now_ms - r."lastRequest" < window_ms AND r."count" >= max_requests THEN
			retry := greatest(retry, ceil((r."lastRequest" + window_ms - now_ms) / 1000.0)::integer);
		END IF;
	END LOOP;
	IF retry IS NOT NULL THEN
		RETURN greatest(retry, 1);
	END IF;
	FOREACH k IN ARRAY keys LOOP
		INSERT INTO neon_auth."rateLimit" ("key", "count", "lastRequest") VALUES (k, 1, now_ms)
		ON CONFLICT ("key") DO UPDATE
		   SET "count" = CASE WHEN now_ms - neon_auth."rateLimit"."lastRequest" >= window_ms THEN 1
		                      ELSE neon_auth."rateLimit"."count" + 1 END,
		       "lastRequest" = now_ms;
	END LOOP;
	RETURN NULL;
END
$$;

-- The rate limit of a flow as the flows apply it: NULL to go on, else the
-- TOO_MANY_REQUESTS failure (answered or raised, see _fail) with its audit row.
CREATE FUNCTION neon_auth._throttle(path text, email text, user_id uuid DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	retry integer;
BEGIN
	PERFORM neon_auth._writable();
	retry := neon_auth._rate_limited(path, email);
	IF retry IS NULL THEN
		RETURN NULL;
	END IF;
	PERFORM neon_auth._audit('rate_limited', user_id, 'TOO_MANY_REQUESTS', email, jsonb_build_object('path', path));
	RETURN neon_auth._fail('TOO_MANY_REQUESTS', retry::text);
END
$$;
