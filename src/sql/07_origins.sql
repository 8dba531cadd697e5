---------------------------------------------------------------------------
-- Trusted origins, as Better Auth decides them (auth/trusted-origins,
-- api/middlewares/origin-check): the origin of config.base_url and the
-- entries of config.trusted_origins, which may be patterns with * and ?.
-- Callback URLs of emailed links must be on one (_callback, 40_outbox.sql),
-- and so must the Origin of a state-changing HTTP call identified by the
-- session cookie (_check_origin, Better Auth's CSRF check). Internal.
---------------------------------------------------------------------------

-- The origin (scheme://host[:port]) of a URL; also iss and aud of JWTs.
CREATE FUNCTION neon_auth._origin(url text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN substring(url FROM '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]+');

-- Better Auth's matchesOriginPattern for http(s) origins: a pattern without
-- wildcards is one origin; with * (any run of characters but "/") or ? (one
-- such character) it is matched against the whole origin, or, when it has no
-- scheme ("*.example.com"), against the host. A host pattern of digits,
-- dots and wildcards ("10.0.*.*") names IPv4 addresses only, so that it
-- cannot match "10.0.attacker.example". Stricter than Better Auth in one
-- way: a wildcard never matches ":", so no host pattern reaches into a port
-- ("https://evil.test:1.example.com" is no subdomain of example.com).
CREATE FUNCTION neon_auth._origin_matches(origin text, pattern text) RETURNS boolean
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	subject text := lower(origin);
	pattern_host text;
	re text;
BEGIN
	IF origin IS NULL OR pattern IS NULL THEN
		RETURN false;
	END IF;
	IF strpos(pattern, '*') = 0 AND strpos(pattern, '?') = 0 THEN
		RETURN subject = lower(rtrim(pattern, '/'));
	END IF;
	IF strpos(pattern, '://') = 0 THEN
		subject := regexp_replace(subject, '^[a-z][a-z0-9+.-]*://', '');
	END IF;
	re := '^' || replace(replace(regexp_replace(lower(pattern), '([.+^$()|\[\]{}\\])', '\\\1', 'g'),
	                             '*', '[^/\\:]*'), '?', '[^/\\:]') || '$';
	IF subject !~ re THEN
		RETURN false;
	END IF;
	pattern_host := split_part(regexp_replace(pattern, '^[A-Za-z][A-Za-z0-9+.-]*://', ''), ':', 1);
	IF pattern_host ~ '^[0-9*?.]+$' AND pattern_host ~ '[0-9]' THEN
		RETURN split_part(regexp_replace(subject, '^[a-z][a-z0-9+.-]*://', ''), ':', 1)
		       ~ '^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$';
	END IF;
	RETURN true;
END
$$;

-- Whether a URL's origin is base_url's or matches one of trusted_origins.
CREATE FUNCTION neon_auth._trusted_origin(url text) RETURNS boolean
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	cfg neon_auth.config;
	origin text := neon_auth._origin(url);
BEGIN
	-- User-info ("https://app.example.com@evil.example") is never an origin.
	IF origin IS NULL OR url !~* '^https?://' OR strpos(origin, '@') > 0 THEN
		RETURN false;
	END IF;
	SELECT * INTO cfg FROM neon_auth.config;
	RETURN lower(origin) = lower(neon_auth._origin(cfg.base_url))
	    OR EXISTS (SELECT 1 FROM unnest(cfg.trusted_origins) p WHERE neon_auth._origin_matches(origin, p));
END
$$;

-- Better Auth's origin check (CSRF): a call through PostgREST with a method
-- that may change something (not GET, HEAD or OPTIONS), identified by the
-- session cookie, which a browser attaches to cross-site requests by
-- itself, must come from a trusted origin: its Origin header, else its
-- Referer; "Origin: null" counts as base_url's origin when the browser says
-- sec-fetch-site: same-origin. Bearer tokens and authenticate() are not
-- checked: a page on another site cannot make the browser send them.
-- Beyond Better Auth, a GET (or HEAD, OPTIONS) identified by the cookie
-- that carries an Origin header must come from a trusted origin too: a
-- browser sends Origin on every cross-origin fetch (and none on a
-- same-origin GET or a link followed), and PostgREST's default CORS lets the
-- page that asked read the answer, which for list_sessions holds session
-- tokens.
-- The request's Origin header, else its Referer, must be base_url's origin
-- or a trusted one (MISSING_OR_NULL_ORIGIN, INVALID_ORIGIN). "Origin: null"
-- passes only with sec-fetch-site: same-origin, which browsers set
-- themselves.
CREATE FUNCTION neon_auth._require_trusted_origin(headers jsonb) RETURNS void
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	origin text := coalesce(nullif(headers ->> 'origin', ''), nullif(headers ->> 'referer', ''), '');
BEGIN
	IF origin = 'null' AND headers ->> 'sec-fetch-site' = 'same-origin' THEN
		RETURN;
	END IF;
	IF origin = '' OR origin = 'null' THEN
		PERFORM neon_auth._raise('MISSING_OR_NULL_ORIGIN');
	END IF;
	IF NOT neon_auth._trusted_origin(origin) THEN
		PERFORM neon_auth._raise('INVALID_ORIGIN');
	END IF;
END
$$;

-- Better Auth's login CSRF check (formCsrfMiddleware) for sign_in and
-- sign_up over HTTP. A request with cookies gets the Origin check of every
-- cookie call; a cookie-less one is checked only when a browser says where it
-- comes from (Sec-Fetch-*, Origin or Referer): a form posted from another
-- site (cross-site navigation) is refused outright, and any other must come
-- from a trusted origin. Server-to-server callers send none of these.
-- sign_out (login false) is checked only when the request has cookies, as
-- Better Auth checks every cookie-carrying POST: without them there is
-- nobody to sign out.
CREATE FUNCTION neon_auth._check_login_origin(login boolean DEFAULT true) RETURNS void
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	headers jsonb;
	cookies jsonb;
BEGIN
	IF coalesce(current_setting('request.method', true), '') = '' THEN
		RETURN;
	END IF;
	headers := coalesce(neon_auth._request_json('request.headers'), '{}');
	cookies := coalesce(neon_auth._request_json('request.cookies'), '{}');
	IF cookies = '{}' THEN
		IF NOT login THEN
			RETURN;
		END IF;
		IF NOT (headers ?| ARRAY['sec-fetch-site', 'sec-fetch-mode', 'sec-fetch-dest', 'origin', 'referer']) THEN
			RETURN;
		END IF;
		IF headers ->> 'sec-fetch-site' = 'cross-site' AND headers ->> 'sec-fetch-mode' = 'navigate' THEN
			PERFORM neon_auth._raise('CROSS_SITE_NAVIGATION_LOGIN_BLOCKED');
		END IF;
	END IF;
	PERFORM neon_auth._require_trusted_origin(headers);
END
$$;

CREATE FUNCTION neon_auth._check_origin() RETURNS void
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	method text := upper(coalesce(current_setting('request.method', true), ''));
	headers jsonb;
BEGIN
	IF method = '' OR neon_auth._credential_source() IS DISTINCT FROM 'cookie' THEN
		RETURN;
	END IF;
	headers := coalesce(neon_auth._request_json('request.headers'), '{}');
	IF method IN ('GET', 'HEAD', 'OPTIONS') AND coalesce(headers ->> 'origin', '') = '' THEN
		RETURN;
	END IF;
	PERFORM neon_auth._require_trusted_origin(headers);
END
$$;
