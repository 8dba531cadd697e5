---------------------------------------------------------------------------
-- The outbox: messages the database cannot send itself (verification,
-- reset and invitation links), the links they carry, and the worker's
-- interface. Owner only (or a worker role the owner grants them to):
-- outbox_claim, outbox_delivered, outbox_failed.
---------------------------------------------------------------------------

-- A message for the outbox worker, announced on channel neon_auth_outbox
-- when the transaction commits. No payload: any role may LISTEN, and the
-- worker claims whatever is due anyway.
--
-- Kind 'decoy' is what a flow writes for an address with no account (or no
-- message due) in place of the real message, through this same function:
-- already delivered (so never claimed, and removed by prune()), with no
-- recipient or data, announced like a real one. A role that can LISTEN, or
-- read its own transaction's statistics, then cannot tell whether an email
-- has an account (docs/security.md, account enumeration).
CREATE FUNCTION neon_auth._enqueue(kind text, recipient text, user_id uuid, data jsonb) RETURNS bigint
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	new_id bigint;
	decoy boolean := kind = 'decoy';
BEGIN
	INSERT INTO neon_auth.outbox (kind, recipient, user_id, data, delivered_at)
	VALUES (kind, CASE WHEN decoy THEN '' ELSE recipient END, CASE WHEN NOT decoy THEN user_id END,
	        CASE WHEN decoy THEN '{}' ELSE data END, CASE WHEN decoy THEN clock_timestamp() END)
	RETURNING id INTO new_id;
	PERFORM pg_notify('neon_auth_outbox', '');
	RETURN new_id;
END
$$;

-- A link from a config template: {base_url}, {token} and {callback_url}
-- (URL-encoded, as Better Auth's encodeURIComponent).
CREATE FUNCTION neon_auth._link(template text, base_url text, token text, callback_url text) RETURNS text
	LANGUAGE sql IMMUTABLE
	RETURN replace(replace(replace(template, '{base_url}', rtrim(base_url, '/')), '{token}', token),
	               '{callback_url}', (SELECT string_agg(CASE WHEN c ~ '^[A-Za-z0-9_.!~*''()-]$' THEN c
	                                                        ELSE upper(regexp_replace(encode(convert_to(c, 'UTF8'), 'hex'), '(..)', '%\1', 'g')) END, '' ORDER BY i)
	                                    FROM regexp_split_to_table(coalesce(callback_url, '/'), '') WITH ORDINALITY AS t(c, i)));

-- A callback URL for an emailed link, as Better Auth's origin check allows
-- it: a path on this site ("/x", not "//host"), or an absolute URL whose
-- origin is base_url's or in config.trusted_origins. Anything else raises,
-- so nobody can have a genuine email send its reader somewhere else.
CREATE FUNCTION neon_auth._callback(url text) RETURNS text
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF url IS NULL OR url = '' THEN
		RETURN '/';
	END IF;
	IF url ~ '^/([^/\\]|$)' AND url !~ '[\s\\]' THEN
		RETURN url;
	END IF;
	IF url ~ '^https?://' AND url !~ '[\s\\]' AND neon_auth._trusted_origin(url)
	   AND substr(url, length(neon_auth._origin(url)) + 1) ~ '^([/?#]|$)' THEN
		RETURN url;
	END IF;
	PERFORM neon_auth._raise('INVALID_CALLBACK_URL');
	RETURN NULL;
END
$$;

-- The outbox worker's interface (owner only; GRANT EXECUTE on these three
-- to a worker role: they are SECURITY DEFINER, so it needs nothing else).
-- Claiming leases the rows for 10 minutes and counts an attempt, so a worker
-- that dies mid-delivery leaves them to be claimed again; SKIP LOCKED lets
-- several workers share the queue. A failure backs off from the moment it
-- failed (1 min, doubling, at most 1 h); after 10 attempts, or once its
-- link has expired, a message is parked (next_attempt_at = infinity) for an
-- operator to look at. A message is never claimed an 11th time, even if
-- every worker died before reporting.
CREATE FUNCTION neon_auth.outbox_claim(max_messages integer DEFAULT 10) RETURNS SETOF neon_auth.outbox
	LANGUAGE sql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT neon_auth._writable();
	UPDATE neon_auth.outbox o
	   SET attempts = o.attempts + 1, next_attempt_at = clock_timestamp() + interval '10 minutes'
	 WHERE o.id IN (SELECT p.id FROM neon_auth.outbox p
	                 WHERE p.delivered_at IS NULL AND p.next_attempt_at <= clock_timestamp() AND p.attempts < 10
	                 ORDER BY p.next_attempt_at, p.id LIMIT max_messages FOR UPDATE SKIP LOCKED)
	RETURNING o.*;
END;

CREATE FUNCTION neon_auth.outbox_delivered(message_id bigint) RETURNS boolean
	LANGUAGE sql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT neon_auth._writable();
	WITH done AS (UPDATE neon_auth.outbox SET delivered_at = clock_timestamp(), last_error = NULL
	               WHERE id = message_id AND delivered_at IS NULL RETURNING 1)
	SELECT count(*) > 0 FROM done;
END;

CREATE FUNCTION neon_auth.outbox_failed(message_id bigint, error text) RETURNS boolean
	LANGUAGE sql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT neon_auth._writable();
	WITH failed AS (UPDATE neon_auth.outbox
	                   SET last_error = left(error, 1000),
	                       next_attempt_at = CASE WHEN attempts >= 10 OR (data ->> 'expires_at')::timestamptz <= clock_timestamp()
	                                              THEN 'infinity'
	                                              ELSE clock_timestamp() + least(interval '1 hour', interval '1 minute' * 2 ^ (attempts - 1)) END
	                 WHERE id = message_id AND delivered_at IS NULL RETURNING 1)
	SELECT count(*) > 0 FROM failed;
END;
