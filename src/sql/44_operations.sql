---------------------------------------------------------------------------
-- Operations, owner only: configure() (every setting, validated) and
-- prune() (expired rows, for a scheduler).
---------------------------------------------------------------------------

-- Owner only. The one way to change settings: every value is checked (types,
-- the table's CHECK constraints, the rate-limit rules), unknown names are
-- refused, and nothing changes unless all of it is valid.
CREATE FUNCTION neon_auth.configure(settings jsonb) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	cfg neon_auth.config;
	bad text;
	rule record;
BEGIN
	PERFORM neon_auth._writable();
	IF settings IS NULL OR jsonb_typeof(settings) <> 'object' THEN
		PERFORM neon_auth._raise('INVALID_CONFIG', 'settings must be a JSON object');
	END IF;
	SELECT k INTO bad FROM jsonb_object_keys(settings) k
	 WHERE k IN ('singleton', 'updated_at')
	    OR k NOT IN (SELECT attname FROM pg_attribute WHERE attrelid = 'neon_auth.config'::regclass AND attnum > 0 AND NOT attisdropped)
	 LIMIT 1;
	IF bad IS NOT NULL THEN
		PERFORM neon_auth._raise('INVALID_CONFIG', format('unknown setting "%s"', bad));
	END IF;
	SELECT k INTO bad FROM jsonb_each(settings) AS e(k, v) WHERE jsonb_typeof(v) = 'null' LIMIT 1;
	IF bad IS NOT NULL THEN
		PERFORM neon_auth._raise('INVALID_CONFIG', format('"%s" must not be null', bad));
	END IF;
	-- No user-info ("http://a@evil.example"), query or fragment: the origin
	-- of base_url is iss, aud and a trusted origin.
	IF settings ? 'base_url' AND (settings ->> 'base_url') !~ '^https?://[^/?#\s\\@]+(/[^?#\s\\]*)?$' THEN
		PERFORM neon_auth._raise('INVALID_CONFIG', '"base_url" must be an http(s) URL without user-info, query or fragment');
	END IF;
	-- Origins ("https://app.example.com"), or Better Auth's patterns with * and
	-- ? ("https://*.example.com", "*.example.com", "http://10.0.*.*:3000");
	-- nothing else. A pattern must name its domain after its last wildcard
	-- (".example.com"), or begin with two literal IPv4 octets: "*" or
	-- "https://*" would trust every site.
	IF settings ? 'trusted_origins' AND (jsonb_typeof(settings -> 'trusted_origins') <> 'array'
	   OR EXISTS (SELECT 1 FROM jsonb_array_elements(settings -> 'trusted_origins') o
	               WHERE jsonb_typeof(o) <> 'string'
	                  OR (o #>> '{}') !~ '^(https?://[^/?#\s\\@]+|[^/?#\s\\@:]*[*?][^/?#\s\\@]*)$'
	                  OR ((o #>> '{}') ~ '[*?]'
	                      AND (o #>> '{}') !~ '[*?][^*?]*\.[A-Za-z0-9-]+\.[A-Za-z][A-Za-z0-9-]*(:[0-9]+)?$'
	                      AND (o #>> '{}') !~ '^(https?://)?[0-9]{1,3}\.[0-9]{1,3}\.[0-9*?.]+(:[0-9]+)?$'))) THEN
		PERFORM neon_auth._raise('INVALID_CONFIG', '"trusted_origins" must be an array of http(s) origins or patterns such as "https://app.example.com" or "*.example.com"');
	END IF;
	SELECT k INTO bad FROM unnest(ARRAY['verify_email_url', 'reset_password_url', 'invitation_url', 'delete_user_url']) k
	 WHERE settings ? k AND (settings ->> k) !~ '^(\{base_url\}|https?://)' LIMIT 1;
	IF bad IS NOT NULL THEN
		PERFORM neon_auth._raise('INVALID_CONFIG', format('"%s" must start with {base_url} or http(s)://', bad));
	END IF;
	IF settings ? 'rate_limits' THEN
		IF jsonb_typeof(settings -> 'rate_limits') <> 'object' THEN
			PERFORM neon_auth._raise('INVALID_CONFIG', '"rate_limits" must be an object of {"window": seconds, "max": requests} by path');
		END IF;
		FOR rule IN SELECT * FROM jsonb_each(settings -> 'rate_limits') LOOP
			IF jsonb_typeof(rule.value) <> 'object' OR NOT rule.value ?& ARRAY['window', 'max']
			   OR (SELECT count(*) FROM jsonb_object_keys(rule.value)) <> 2
			   OR jsonb_typeof(rule.value -> 'window') <> 'number' OR jsonb_typeof(rule.value -> 'max') <> 'number'
			   OR (rule.value ->> 'window') !~ '^[1-9][0-9]{0,5}$' OR (rule.value ->> 'max') !~ '^[1-9][0-9]{0,5}$' THEN
				PERFORM neon_auth._raise('INVALID_CONFIG', format('rate limit "%s" needs a positive integer window and max', rule.key));
			END IF;
			IF NOT (SELECT rate_limits FROM neon_auth.config) ? rule.key THEN
				PERFORM neon_auth._raise('INVALID_CONFIG', format('no rate limit applies to "%s"', rule.key));
			END IF;
		END LOOP;
		-- Rules given replace those paths' rules; the others stay.
		settings := jsonb_set(settings, '{rate_limits}', (SELECT rate_limits FROM neon_auth.config) || (settings -> 'rate_limits'));
	END IF;
	-- {"<role>": {"<resource>": ["<action>", ...]}}: anything else would make
	-- every permission check quietly false.
	IF settings ? 'admin_permissions' AND (jsonb_typeof(settings -> 'admin_permissions') <> 'object'
	   OR EXISTS (SELECT 1 FROM jsonb_each(settings -> 'admin_permissions') r
	               WHERE jsonb_typeof(r.value) <> 'object'
	                  OR EXISTS (SELECT 1 FROM jsonb_each(r.value) p
	                              WHERE jsonb_typeof(p.value) <> 'array'
	                                 OR EXISTS (SELECT 1 FROM jsonb_array_elements(p.value) a WHERE jsonb_typeof(a) <> 'string')))) THEN
		PERFORM neon_auth._raise('INVALID_CONFIG', '"admin_permissions" must be an object of {"<resource>": ["<action>", ...]} by role');
	END IF;
	IF settings -> 'jwt_hs256' = 'true' AND (SELECT postgrest_secret FROM neon_auth.secret) IS NULL THEN
		PERFORM neon_auth._raise('INVALID_CONFIG', '"jwt_hs256" needs PostgREST''s secret: call set_postgrest_secret first');
	END IF;
	SELECT * INTO cfg FROM neon_auth.config;
	BEGIN
		cfg := jsonb_populate_record(cfg, settings);
		UPDATE neon_auth.config SET (base_url, session_expires_in, session_update_age, session_fresh_age,
			dont_remember_expires_in, min_password_length, max_password_length, require_email_verification,
			jwt_expires_in, jwt_leeway, jwks_grace_period, jwt_alg, send_verification_on_sign_up,
			verification_expires_in, verify_email_url, reset_password_expires_in, reset_password_url,
			revoke_sessions_on_password_reset, rate_limit_enabled, rate_limits, audit_retention_days, trusted_origins,
			invitation_expires_in, invitation_url, admin_roles, impersonation_session_duration, allow_impersonating_admins,
			two_factor_otp, username_min_length, username_max_length, email_otp_expires_in, email_otp_allowed_attempts,
			email_otp_store, email_otp_change_email, admin_permissions, admin_user_ids, allow_acting_on_admins,
			delete_user_verification, delete_user_expires_in, delete_user_url, cookie_prefix,
			multi_session, multi_session_maximum, jwt_hs256, jwt_hs256_audience, cookie_cache_max_age)
		  = (cfg.base_url, cfg.session_expires_in, cfg.session_update_age, cfg.session_fresh_age,
			cfg.dont_remember_expires_in, cfg.min_password_length, cfg.max_password_length, cfg.require_email_verification,
			cfg.jwt_expires_in, cfg.jwt_leeway, cfg.jwks_grace_period, cfg.jwt_alg, cfg.send_verification_on_sign_up,
			cfg.verification_expires_in, cfg.verify_email_url, cfg.reset_password_expires_in, cfg.reset_password_url,
			cfg.revoke_sessions_on_password_reset, cfg.rate_limit_enabled, cfg.rate_limits, cfg.audit_retention_days,
			cfg.trusted_origins, cfg.invitation_expires_in, cfg.invitation_url, cfg.admin_roles,
			cfg.impersonation_session_duration, cfg.allow_impersonating_admins, cfg.two_factor_otp,
			cfg.username_min_length, cfg.username_max_length, cfg.email_otp_expires_in, cfg.email_otp_allowed_attempts,
			cfg.email_otp_store, cfg.email_otp_change_email, cfg.admin_permissions, cfg.admin_user_ids, cfg.allow_acting_on_admins,
			cfg.delete_user_verification, cfg.delete_user_expires_in, cfg.delete_user_url, cfg.cookie_prefix,
			cfg.multi_session, cfg.multi_session_maximum, cfg.jwt_hs256, cfg.jwt_hs256_audience, cfg.cookie_cache_max_age)
		RETURNING * INTO cfg;
	EXCEPTION WHEN data_exception OR integrity_constraint_violation THEN
		PERFORM neon_auth._raise('INVALID_CONFIG', SQLERRM);
	END;
	RETURN to_jsonb(cfg) - 'singleton';
END
$$;
COMMENT ON FUNCTION neon_auth.configure(jsonb) IS
	'owner only: change settings (validated; all or nothing); returns the whole configuration';

-- Owner only, for a scheduler (pg_cron): drop what has expired. Verification
-- rows past expiry, rate-limit rows older than the longest window, delivered
-- messages and audit rows older than audit_retention_days. Returns counts.
CREATE FUNCTION neon_auth.prune() RETURNS jsonb
	LANGUAGE plpgsql VOLATILE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	cfg neon_auth.config;
	longest bigint;
	n_verification integer;
	n_rate integer;
	n_outbox integer;
	n_audit integer;
BEGIN
	PERFORM neon_auth._writable();
	SELECT * INTO cfg FROM neon_auth.config;
	SELECT coalesce(max((v ->> 'window')::bigint), 60) INTO longest FROM jsonb_each(cfg.rate_limits) AS e(k, v);
	DELETE FROM neon_auth."verification" WHERE "expiresAt" < now();
	GET DIAGNOSTICS n_verification = ROW_COUNT;
	DELETE FROM neon_auth."rateLimit" WHERE "lastRequest" < floor(extract(epoch FROM now()) * 1000) - longest * 1000;
	GET DIAGNOSTICS n_rate = ROW_COUNT;
	DELETE FROM neon_auth.outbox
	 WHERE delivered_at < now() - make_interval(days => cfg.audit_retention_days) OR kind = 'decoy';
	GET DIAGNOSTICS n_outbox = ROW_COUNT;
	DELETE FROM neon_auth.audit_log WHERE at < now() - make_interval(days => cfg.audit_retention_days);
	GET DIAGNOSTICS n_audit = ROW_COUNT;
	RETURN jsonb_build_object('verification', n_verification, 'rateLimit', n_rate, 'outbox', n_outbox, 'audit_log', n_audit);
END
$$;
