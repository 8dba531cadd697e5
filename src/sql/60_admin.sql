---------------------------------------------------------------------------
-- Admin (Better Auth's admin plugin): user administration for users whose
-- role is an admin role (config.admin_roles), or for the role that owns the
-- extension calling from plain SQL (not through PostgREST). Admins cannot
-- act on other admins (ban, remove, set password or role, impersonate):
-- only the owner can. Every action is in the audit trail.
---------------------------------------------------------------------------

-- Whether a user with `roles` (comma-joined; none is "user") may do
-- `permissions`: Better Auth's hasPermission with config.admin_permissions
-- as its roles and config.admin_user_ids as its adminUserIds. One role must
-- grant every resource asked for: all its actions (["ban"]), or any of them
-- ({"actions": [...], "connector": "OR"}); an empty request grants nothing.
CREATE FUNCTION neon_auth._admin_permits(user_id uuid, roles text, permissions jsonb) RETURNS boolean
	LANGUAGE sql STABLE
	RETURN (SELECT coalesce(_admin_permits.user_id = ANY (c.admin_user_ids), false)
	            OR coalesce(jsonb_typeof(permissions) = 'object' AND permissions <> '{}', false) AND EXISTS (
	               SELECT 1 FROM unnest(string_to_array(coalesce(nullif(btrim(roles), ''), 'user'), ',')) r
	                WHERE jsonb_typeof(c.admin_permissions -> btrim(r)) = 'object'
	                  AND NOT EXISTS (
	                      SELECT 1
	                        FROM jsonb_each(permissions) p(resource, request),
	                             LATERAL (SELECT CASE WHEN jsonb_typeof(p.request) = 'array' THEN p.request
	                                                  WHEN jsonb_typeof(p.request -> 'actions') = 'array' THEN p.request -> 'actions'
	                                                  ELSE '[]' END AS actions,
	                                             coalesce(jsonb_typeof(p.request) = 'object' AND p.request ->> 'connector' = 'OR', false) AS any_of,
	                                             c.admin_permissions -> btrim(r) -> p.resource AS allowed) q
	                       WHERE jsonb_typeof(q.allowed) IS DISTINCT FROM 'array'
	                          OR jsonb_array_length(q.actions) = 0
	                          OR q.any_of AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(q.actions) a
	                                                       WHERE jsonb_typeof(a) = 'string' AND q.allowed @> jsonb_build_array(a))
	                          OR NOT q.any_of AND EXISTS (SELECT 1 FROM jsonb_array_elements(q.actions) a
	                                                       WHERE jsonb_typeof(a) <> 'string' OR NOT q.allowed @> jsonb_build_array(a))))
	          FROM neon_auth.config c);

-- Whether the extension owner acts as itself: no session token given (an
-- invalid one is not "none"), no SET ROLE to another role in effect, not
-- through PostgREST.
CREATE FUNCTION neon_auth._owner_acting(session_token text) RETURNS boolean
	LANGUAGE sql STABLE
	RETURN session_token IS NULL AND NOT neon_auth._http_mode() AND current_setting('role') = 'none'
	       AND pg_has_role(session_user, (SELECT e.extowner FROM pg_extension e WHERE e.extname = 'neon_auth'), 'MEMBER');

-- The signed-in caller, who must be allowed `permissions` (else `denied`);
-- NULL for the extension owner, who may do everything.
CREATE FUNCTION neon_auth._admin(session_token text, permissions jsonb, denied text) RETURNS uuid
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
BEGIN
	IF caller.user_id IS NOT NULL THEN
		IF neon_auth._admin_permits(caller.user_id, (SELECT u."role" FROM neon_auth."user" u WHERE u."id" = caller.user_id), permissions) THEN
			RETURN caller.user_id;
		END IF;
		PERFORM neon_auth._raise(denied);
	ELSIF neon_auth._owner_acting(session_token) THEN
		RETURN NULL;
	END IF;
	PERFORM neon_auth._raise('YOU_ARE_NOT_ALLOWED_TO_PERFORM_THIS_ACTION');
	RETURN NULL;
END
$$;

-- The target user, which must exist; and not another admin unless the owner
-- acts or config.allow_acting_on_admins is on.
CREATE FUNCTION neon_auth._admin_target(admin_id uuid, user_id uuid) RETURNS neon_auth."user"
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	u neon_auth."user";
BEGIN
	SELECT * INTO u FROM neon_auth."user" WHERE "id" = user_id;
	IF u."id" IS NULL THEN
		PERFORM neon_auth._raise('USER_NOT_FOUND');
	END IF;
	IF admin_id IS NOT NULL AND u."id" <> admin_id AND neon_auth._is_admin_user(u)
	   AND NOT (SELECT c.allow_acting_on_admins FROM neon_auth.config c) THEN
		PERFORM neon_auth._raise('YOU_CANNOT_ACT_ON_ANOTHER_ADMIN');
	END IF;
	RETURN u;
END
$$;

-- An admin role: one of config.admin_roles (Better Auth's adminRoles), or
-- any role config.admin_permissions gives an action to, so that no role with
-- powers is outside the rule that admins do not act on admins.
CREATE FUNCTION neon_auth._is_admin_role(roles text) RETURNS boolean
	LANGUAGE sql STABLE
	RETURN EXISTS (SELECT 1 FROM unnest(string_to_array(roles, ',')) r, neon_auth.config c
	                WHERE btrim(r) = ANY (c.admin_roles)
	                   OR EXISTS (SELECT 1 FROM jsonb_each(c.admin_permissions -> btrim(r)) p
	                               WHERE jsonb_typeof(p.value) = 'array' AND jsonb_array_length(p.value) > 0));

-- An admin user: an admin role, or one of config.admin_user_ids (as Better
-- Auth counts both as admins).
CREATE FUNCTION neon_auth._is_admin_user(u neon_auth."user") RETURNS boolean
	LANGUAGE sql STABLE
	RETURN neon_auth._is_admin_role(u."role") OR EXISTS (SELECT 1 FROM neon_auth.config c WHERE u."id" = ANY (c.admin_user_ids));

CREATE FUNCTION neon_auth._admin_audit(event text, admin_id uuid, target uuid, detail jsonb DEFAULT '{}') RETURNS void
	LANGUAGE sql VOLATILE
BEGIN ATOMIC
	SELECT neon_auth._audit(event, admin_id, 'success', NULL,
		coalesce(detail, '{}') || jsonb_build_object('target_user_id', target, 'by', coalesce(admin_id::text, 'database owner')));
END;

-- Whether the acting admin (NULL: the owner) may do `permissions`.
CREATE FUNCTION neon_auth._admin_may(admin_id uuid, permissions jsonb) RETURNS boolean
	LANGUAGE sql STABLE
	RETURN admin_id IS NULL OR neon_auth._admin_permits(admin_id, (SELECT x."role" FROM neon_auth."user" x WHERE x."id" = admin_id), permissions);

-- Better Auth POST /admin/create-user: a user with a password, or without one
-- (no password account); `role` (or data.role) needs user:set-role, and an
-- admin role is the owner's to give; `data`: image, emailVerified.
-- (session_token stays fifth, where 1.0 had it; data comes after it.)
CREATE FUNCTION neon_auth.create_user(email text, password text, name text, role text DEFAULT NULL,
                                      session_token text DEFAULT NULL, data jsonb DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	admin_id uuid := neon_auth._admin(session_token, '{"user": ["create"]}', 'YOU_ARE_NOT_ALLOWED_TO_CREATE_USERS');
	cfg neon_auth.config;
	v_email text := neon_auth._normalize_email(create_user.email);
	v_password text;
	v_role text;
	bad text;
	u neon_auth."user";
BEGIN
	PERFORM neon_auth._writable();
	SELECT * INTO cfg FROM neon_auth.config;
	IF data IS NOT NULL AND jsonb_typeof(data) <> 'object' THEN
		PERFORM neon_auth._raise('BODY_MUST_BE_AN_OBJECT');
	END IF;
	SELECT k INTO bad FROM jsonb_object_keys(coalesce(data, '{}')) k WHERE k NOT IN ('image', 'emailVerified', 'role') LIMIT 1;
	IF bad IS NOT NULL THEN
		PERFORM neon_auth._raise('FIELD_NOT_UPDATABLE');
	END IF;
	IF create_user.password IS NOT NULL THEN
		v_password := neon_auth._normalize_password(create_user.password, cfg);
	END IF;
	IF create_user.name IS NULL THEN
		PERFORM neon_auth._raise('VALIDATION_ERROR', 'name');
	END IF;
	v_role := coalesce(create_user.role, data ->> 'role');
	IF v_role IS NOT NULL AND btrim(v_role) = '' OR data ? 'role' AND jsonb_typeof(data -> 'role') <> 'string' THEN
		PERFORM neon_auth._raise('INVALID_ROLE');
	END IF;
	-- A role given needs set-role too, as in Better Auth; making an admin is
	-- the owner's decision unless allow_acting_on_admins.
	IF v_role IS NOT NULL AND NOT neon_auth._admin_may(admin_id, '{"user": ["set-role"]}') THEN
		PERFORM neon_auth._raise('YOU_ARE_NOT_ALLOWED_TO_CHANGE_USERS_ROLE');
	END IF;
	v_role := coalesce(v_role, 'user');
	IF admin_id IS NOT NULL AND neon_auth._is_admin_role(v_role) AND NOT cfg.allow_acting_on_admins THEN
		PERFORM neon_auth._raise('YOU_CANNOT_ACT_ON_ANOTHER_ADMIN');
	END IF;
	INSERT INTO neon_auth."user" ("name", "email", "emailVerified", "image", "createdAt", "updatedAt", "role", "banned", "twoFactorEnabled", "isAnonymous")
	VALUES (create_user.name, v_email, coalesce((data ->> 'emailVerified')::boolean, false), data ->> 'image',
	        neon_auth._now(), neon_auth._now(), v_role, false, false, false)
	ON CONFLICT ("email") DO NOTHING RETURNING * INTO u;
	IF u."id" IS NULL THEN
		PERFORM neon_auth._raise('USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL');
	END IF;
	IF v_password IS NOT NULL THEN
		PERFORM neon_auth._set_password_hash(u."id", neon_auth._password_hash(v_password));
	END IF;
	PERFORM neon_auth._admin_audit('admin_user_created', admin_id, u."id", jsonb_build_object('role', u."role"));
	RETURN jsonb_build_object('user', neon_auth._user_json(u));
END
$$;

-- Better Auth GET /admin/list-users: search (contains, starts_with,
-- ends_with on email or name), filter (eq, ne on role, banned, emailVerified),
-- sort (createdAt, name, email; asc or desc), pagination.
CREATE FUNCTION neon_auth.list_users(search_value text DEFAULT NULL, search_field text DEFAULT 'email',
                                     search_operator text DEFAULT 'contains', "limit" integer DEFAULT 100, "offset" integer DEFAULT 0,
                                     sort_by text DEFAULT 'createdAt', sort_direction text DEFAULT 'asc',
                                     filter_field text DEFAULT NULL, filter_value text DEFAULT NULL, filter_operator text DEFAULT 'eq',
                                     session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	pattern text;
	matches text;
	sort_column text := CASE sort_by WHEN 'name' THEN '"name"' WHEN 'email' THEN '"email"' ELSE '"createdAt"' END;
	direction text := CASE lower(sort_direction) WHEN 'desc' THEN 'DESC' ELSE 'ASC' END;
	users jsonb;
	total bigint;
BEGIN
	PERFORM neon_auth._admin(session_token, '{"user": ["list"]}', 'YOU_ARE_NOT_ALLOWED_TO_LIST_USERS');
	-- NULL means the default, as an omitted option does in Better Auth.
	search_field := coalesce(search_field, 'email');
	search_operator := coalesce(search_operator, 'contains');
	sort_by := coalesce(sort_by, 'createdAt');
	sort_direction := coalesce(sort_direction, 'asc');
	filter_operator := coalesce(filter_operator, 'eq');
	IF search_field NOT IN ('email', 'name') OR search_operator NOT IN ('contains', 'starts_with', 'ends_with')
	   OR sort_by NOT IN ('createdAt', 'name', 'email') OR lower(sort_direction) NOT IN ('asc', 'desc')
	   OR (filter_field IS NOT NULL AND filter_field NOT IN ('role', 'banned', 'emailVerified'))
	   OR filter_operator NOT IN ('eq', 'ne') THEN
		PERFORM neon_auth._raise('INVALID_QUERY');
	END IF;
	-- LIKE wildcards in the search are literal.
	pattern := replace(replace(replace(lower(search_value), '\', '\\'), '%', '\%'), '_', '\_');
	pattern := CASE search_operator WHEN 'contains' THEN '%' || pattern || '%' WHEN 'starts_with' THEN pattern || '%' ELSE '%' || pattern END;
	-- Only the conditions in use, so that the page is read in index order
	-- ("createdAt", "name" or "email", then "id") and stops at its end: the
	-- first page of a million users costs what the page costs. Values are
	-- parameters ($1 pattern, $2 filter value); names come from the lists
	-- checked above.
	matches := concat_ws(' AND ', 'true',
		CASE WHEN search_value IS NOT NULL THEN format('lower(u.%I) LIKE $1', search_field) END,
		CASE filter_field
			WHEN 'role' THEN format('(u."role" = $2) = %s', (filter_operator = 'eq')::text)
			WHEN 'banned' THEN format('(coalesce(u."banned", false)::text = $2) = %s', (filter_operator = 'eq')::text)
			WHEN 'emailVerified' THEN format('(u."emailVerified"::text = $2) = %s', (filter_operator = 'eq')::text)
		END);
	EXECUTE format('SELECT coalesce(jsonb_agg(neon_auth._user_json(p) ORDER BY p.%1$s %2$s, p."id" %2$s), ''[]'')
	                  FROM (SELECT u.* FROM neon_auth."user" u WHERE %3$s
	                         ORDER BY u.%1$s %2$s, u."id" %2$s LIMIT $3 OFFSET $4) p',
	               sort_column, direction, matches)
	   INTO users
	  USING pattern, filter_value, greatest(least(coalesce("limit", 100), 1000), 0), greatest(coalesce("offset", 0), 0);
	EXECUTE format('SELECT count(*) FROM neon_auth."user" u WHERE %s', matches) INTO total USING pattern, filter_value;
	RETURN jsonb_build_object('users', users, 'total', total, 'limit', "limit", 'offset', "offset");
END
$$;

-- Better Auth POST /admin/set-role (comma-joined roles).
CREATE FUNCTION neon_auth.set_role(user_id uuid, role text, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	admin_id uuid := neon_auth._admin(session_token, '{"user": ["set-role"]}', 'YOU_ARE_NOT_ALLOWED_TO_CHANGE_USERS_ROLE');
	u neon_auth."user" := neon_auth._admin_target(admin_id, set_role.user_id);
BEGIN
	PERFORM neon_auth._writable();
	IF coalesce(btrim(set_role.role), '') = '' THEN
		PERFORM neon_auth._raise('INVALID_ROLE');
	END IF;
	-- Making or unmaking an admin is the owner's decision, unless
	-- config.allow_acting_on_admins.
	IF admin_id IS NOT NULL AND (neon_auth._is_admin_role(set_role.role) OR neon_auth._is_admin_user(u))
	   AND NOT (SELECT c.allow_acting_on_admins FROM neon_auth.config c) THEN
		PERFORM neon_auth._raise('YOU_CANNOT_ACT_ON_ANOTHER_ADMIN');
	END IF;
	UPDATE neon_auth."user" SET "role" = set_role.role, "updatedAt" = neon_auth._now() WHERE "id" = u."id" RETURNING * INTO u;
	PERFORM neon_auth._admin_audit('admin_role_set', admin_id, u."id", jsonb_build_object('role', set_role.role));
	RETURN jsonb_build_object('user', neon_auth._user_json(u));
END
$$;

-- Better Auth POST /admin/set-user-password.
CREATE FUNCTION neon_auth.set_user_password(user_id uuid, new_password text, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	admin_id uuid := neon_auth._admin(session_token, '{"user": ["set-password"]}', 'YOU_ARE_NOT_ALLOWED_TO_SET_USERS_PASSWORD');
	u neon_auth."user" := neon_auth._admin_target(admin_id, set_user_password.user_id);
	cfg neon_auth.config;
BEGIN
	PERFORM neon_auth._writable();
	SELECT * INTO cfg FROM neon_auth.config;
	PERFORM neon_auth._set_password_hash(u."id", neon_auth._password_hash(neon_auth._normalize_password(new_password, cfg)));
	DELETE FROM neon_auth."verification" WHERE "identifier" LIKE 'reset-password:%' AND "value" = u."id"::text;
	PERFORM neon_auth._admin_audit('admin_password_set', admin_id, u."id");
	RETURN jsonb_build_object('status', true);
END
$$;

-- Better Auth POST /admin/update-user (user:update): name, image; role
-- (user:set-role), banned, banReason, banExpires (user:ban), email,
-- emailVerified (user:set-email), phoneNumber, phoneNumberVerified
-- (user:set-phone), each checked as Better Auth checks it; the user.
CREATE FUNCTION neon_auth.admin_update_user(user_id uuid, data jsonb, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	admin_id uuid := neon_auth._admin(session_token, '{"user": ["update"]}', 'YOU_ARE_NOT_ALLOWED_TO_UPDATE_USERS');
	u neon_auth."user" := neon_auth._admin_target(admin_id, admin_update_user.user_id);
	cfg neon_auth.config;
	bad text;
	v_role text;
	v_email text;
	v_phone text;
BEGIN
	PERFORM neon_auth._writable();
	SELECT * INTO cfg FROM neon_auth.config;
	IF data IS NULL OR jsonb_typeof(data) <> 'object' OR data = '{}' THEN
		PERFORM neon_auth._raise('NO_DATA_TO_UPDATE');
	END IF;
	IF data ? 'password' THEN
		PERFORM neon_auth._raise('PASSWORD_CANNOT_BE_UPDATED_VIA_UPDATE_USER');
	END IF;
	IF data ? 'id' THEN
		PERFORM neon_auth._raise('USER_ID_CANNOT_BE_UPDATED');
	END IF;
	SELECT k INTO bad FROM jsonb_object_keys(data) k
	 WHERE k NOT IN ('name', 'image', 'role', 'banned', 'banReason', 'banExpires', 'email', 'emailVerified',
	                 'phoneNumber', 'phoneNumberVerified') LIMIT 1;
	IF bad IS NOT NULL THEN
		PERFORM neon_auth._raise('FIELD_NOT_UPDATABLE');
	END IF;
	IF data ? 'role' THEN
		IF NOT neon_auth._admin_may(admin_id, '{"user": ["set-role"]}') THEN
			PERFORM neon_auth._raise('YOU_ARE_NOT_ALLOWED_TO_CHANGE_USERS_ROLE');
		END IF;
		v_role := CASE jsonb_typeof(data -> 'role')
		               WHEN 'string' THEN data ->> 'role'
		               WHEN 'array' THEN (SELECT string_agg(r #>> '{}', ',') FROM jsonb_array_elements(data -> 'role') r)
		          END;
		IF v_role IS NULL OR btrim(v_role) = '' OR jsonb_typeof(data -> 'role') = 'array'
		   AND EXISTS (SELECT 1 FROM jsonb_array_elements(data -> 'role') r WHERE jsonb_typeof(r) <> 'string') THEN
			PERFORM neon_auth._raise('INVALID_ROLE_TYPE');
		END IF;
		IF admin_id IS NOT NULL AND (neon_auth._is_admin_role(v_role) OR neon_auth._is_admin_user(u)) AND NOT cfg.allow_acting_on_admins THEN
			PERFORM neon_auth._raise('YOU_CANNOT_ACT_ON_ANOTHER_ADMIN');
		END IF;
	END IF;
	-- Flags are JSON booleans (or null), never "yes" or 1: the checks below
	-- compare with true, and the update must mean what they checked.
	IF EXISTS (SELECT 1 FROM unnest(ARRAY['banned', 'emailVerified', 'phoneNumberVerified']) k
	            WHERE data ? k AND jsonb_typeof(data -> k) NOT IN ('boolean', 'null')) THEN
		PERFORM neon_auth._raise('VALIDATION_ERROR', 'banned, emailVerified and phoneNumberVerified must be booleans');
	END IF;
	IF data ?| ARRAY['banned', 'banReason', 'banExpires'] THEN
		IF NOT neon_auth._admin_may(admin_id, '{"user": ["ban"]}') THEN
			PERFORM neon_auth._raise('YOU_ARE_NOT_ALLOWED_TO_BAN_USERS');
		END IF;
		IF data -> 'banned' = 'true' AND u."id" = admin_id THEN
			PERFORM neon_auth._raise('YOU_CANNOT_BAN_YOURSELF');
		END IF;
	END IF;
	IF data ?| ARRAY['email', 'emailVerified'] THEN
		IF NOT neon_auth._admin_may(admin_id, '{"user": ["set-email"]}') THEN
			PERFORM neon_auth._raise('YOU_ARE_NOT_ALLOWED_TO_SET_USERS_EMAIL');
		END IF;
		IF data ? 'email' THEN
			v_email := neon_auth._normalize_email(data ->> 'email');
			IF EXISTS (SELECT 1 FROM neon_auth."user" x WHERE x."email" = v_email AND x."id" <> u."id") THEN
				PERFORM neon_auth._raise('USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL');
			END IF;
		END IF;
	END IF;
	IF data ?| ARRAY['phoneNumber', 'phoneNumberVerified'] THEN
		IF NOT neon_auth._admin_may(admin_id, '{"user": ["set-phone"]}') THEN
			PERFORM neon_auth._raise('YOU_ARE_NOT_ALLOWED_TO_SET_USERS_PHONE_NUMBER');
		END IF;
		IF data ? 'phoneNumber' AND jsonb_typeof(data -> 'phoneNumber') <> 'null' THEN
			v_phone := neon_auth._phone_number(data ->> 'phoneNumber');
			IF EXISTS (SELECT 1 FROM neon_auth."user" x WHERE x."phoneNumber" = v_phone AND x."id" <> u."id") THEN
				PERFORM neon_auth._raise('PHONE_NUMBER_EXIST');
			END IF;
		END IF;
	END IF;
	UPDATE neon_auth."user"
	   SET "name" = CASE WHEN data ? 'name' THEN coalesce(data ->> 'name', "name") ELSE "name" END,
	       "image" = CASE WHEN data ? 'image' THEN data ->> 'image' ELSE "image" END,
	       "role" = CASE WHEN data ? 'role' THEN v_role ELSE "role" END,
	       "banned" = CASE WHEN data ? 'banned' THEN coalesce((data ->> 'banned')::boolean, false) ELSE "banned" END,
	       "banReason" = CASE WHEN data ? 'banReason' THEN data ->> 'banReason' ELSE "banReason" END,
	       "banExpires" = CASE WHEN data ? 'banExpires' THEN (data ->> 'banExpires')::timestamptz ELSE "banExpires" END,
	       "email" = CASE WHEN data ? 'email' THEN v_email ELSE "email" END,
	       "emailVerified" = CASE WHEN data ? 'emailVerified' THEN coalesce((data ->> 'emailVerified')::boolean, "emailVerified") ELSE "emailVerified" END,
	       "phoneNumber" = CASE WHEN data ? 'phoneNumber' THEN v_phone ELSE "phoneNumber" END,
	       "phoneNumberVerified" = CASE WHEN data ? 'phoneNumberVerified' THEN (data ->> 'phoneNumberVerified')::boolean ELSE "phoneNumberVerified" END,
	       "updatedAt" = neon_auth._now()
	 WHERE "id" = u."id" RETURNING * INTO u;
	IF data -> 'banned' = 'true' THEN
		DELETE FROM neon_auth."session" WHERE "userId" = u."id";
	END IF;
	PERFORM neon_auth._admin_audit('admin_user_updated', admin_id, u."id", jsonb_build_object('fields', (SELECT jsonb_agg(k) FROM jsonb_object_keys(data) k)));
	RETURN neon_auth._user_json(u);
END
$$;

-- Better Auth POST /admin/remove-user (cascades to sessions, accounts, memberships).
CREATE FUNCTION neon_auth.remove_user(user_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	admin_id uuid := neon_auth._admin(session_token, '{"user": ["delete"]}', 'YOU_ARE_NOT_ALLOWED_TO_DELETE_USERS');
	u neon_auth."user" := neon_auth._admin_target(admin_id, remove_user.user_id);
BEGIN
	PERFORM neon_auth._writable();
	IF u."id" = admin_id THEN
		PERFORM neon_auth._raise('YOU_CANNOT_REMOVE_YOURSELF');
	END IF;
	DELETE FROM neon_auth."user" WHERE "id" = u."id";
	PERFORM neon_auth._admin_audit('admin_user_removed', admin_id, u."id");
	RETURN jsonb_build_object('success', true);
END
$$;

-- Better Auth POST /admin/ban-user: banned (with reason and, given a
-- number of seconds, an expiry); every session of the user ends.
CREATE FUNCTION neon_auth.ban_user(user_id uuid, ban_reason text DEFAULT NULL, ban_expires_in integer DEFAULT NULL,
                                   session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	admin_id uuid := neon_auth._admin(session_token, '{"user": ["ban"]}', 'YOU_ARE_NOT_ALLOWED_TO_BAN_USERS');
	u neon_auth."user" := neon_auth._admin_target(admin_id, ban_user.user_id);
BEGIN
	PERFORM neon_auth._writable();
	IF u."id" = admin_id THEN
		PERFORM neon_auth._raise('YOU_CANNOT_BAN_YOURSELF');
	END IF;
	IF ban_expires_in IS NOT NULL AND ban_expires_in <= 0 THEN
		PERFORM neon_auth._raise('INVALID_BAN_EXPIRY');
	END IF;
	UPDATE neon_auth."user"
	   SET "banned" = true, "banReason" = coalesce(ban_reason, 'No reason'),
	       "banExpires" = CASE WHEN ban_expires_in IS NOT NULL THEN neon_auth._now() + make_interval(secs => ban_expires_in) END,
	       "updatedAt" = neon_auth._now()
	 WHERE "id" = u."id" RETURNING * INTO u;
	DELETE FROM neon_auth."session" WHERE "userId" = u."id";
	PERFORM neon_auth._admin_audit('admin_user_banned', admin_id, u."id",
		jsonb_build_object('reason', u."banReason", 'expires', neon_auth._iso(u."banExpires")));
	RETURN jsonb_build_object('user', neon_auth._user_json(u));
END
$$;

CREATE FUNCTION neon_auth.unban_user(user_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	admin_id uuid := neon_auth._admin(session_token, '{"user": ["ban"]}', 'YOU_ARE_NOT_ALLOWED_TO_BAN_USERS');
	u neon_auth."user" := neon_auth._admin_target(admin_id, unban_user.user_id);
BEGIN
	PERFORM neon_auth._writable();
	UPDATE neon_auth."user" SET "banned" = false, "banReason" = NULL, "banExpires" = NULL, "updatedAt" = neon_auth._now()
	 WHERE "id" = u."id" RETURNING * INTO u;
	PERFORM neon_auth._admin_audit('admin_user_unbanned', admin_id, u."id");
	RETURN jsonb_build_object('user', neon_auth._user_json(u));
END
$$;

-- Better Auth POST /admin/list-user-sessions, revoke-user-session(s).
CREATE FUNCTION neon_auth.list_user_sessions(user_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	admin_id uuid := neon_auth._admin(session_token, '{"session": ["list"]}', 'YOU_ARE_NOT_ALLOWED_TO_LIST_USERS_SESSIONS');
	u neon_auth."user" := neon_auth._admin_target(admin_id, list_user_sessions.user_id);
	with_tokens boolean;
BEGIN
	-- A session's token is the session: only a caller who may impersonate
	-- anyway (or the owner) sees tokens; session:list alone shows the rest.
	SELECT admin_id IS NULL OR neon_auth._admin_permits(admin_id, x."role", '{"user": ["impersonate"]}')
	  INTO with_tokens FROM (SELECT (SELECT y."role" FROM neon_auth."user" y WHERE y."id" = admin_id) AS "role") x;
	RETURN jsonb_build_object('sessions', (SELECT coalesce(jsonb_agg(neon_auth._session_json(s) - CASE WHEN with_tokens THEN '' ELSE 'token' END
	                                                                 ORDER BY s."createdAt"), '[]')
	                                         FROM neon_auth."session" s WHERE s."userId" = u."id" AND s."expiresAt" >= now()));
END
$$;

-- Better Auth POST /admin/revoke-user-session {sessionToken}: the session
-- is named by its token (the body's field, so the admin's own session is
-- admin_session_token). As Better Auth, an unknown token is a success.
CREATE FUNCTION neon_auth.revoke_user_session(session_token text, admin_session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	admin_id uuid := neon_auth._admin(admin_session_token, '{"session": ["revoke"]}', 'YOU_ARE_NOT_ALLOWED_TO_REVOKE_USERS_SESSIONS');
	t text := neon_auth._session_token(revoke_user_session.session_token);
	target uuid := (SELECT s."userId" FROM neon_auth."session" s WHERE s."token" = t);
BEGIN
	PERFORM neon_auth._writable();
	-- 1.0 took the session id: a caller still passing one is told, not
	-- answered a success that revoked nothing.
	IF revoke_user_session.session_token ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
		PERFORM neon_auth._raise('VALIDATION_ERROR', 'session_token (a session token since 1.1, not the session id)');
	END IF;
	IF target IS NOT NULL THEN
		PERFORM neon_auth._admin_target(admin_id, target);
		DELETE FROM neon_auth."session" s WHERE s."token" = t;
		PERFORM neon_auth._admin_audit('admin_session_revoked', admin_id, target);
	END IF;
	RETURN jsonb_build_object('success', true);
END
$$;

CREATE FUNCTION neon_auth.revoke_user_sessions(user_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	admin_id uuid := neon_auth._admin(session_token, '{"session": ["revoke"]}', 'YOU_ARE_NOT_ALLOWED_TO_REVOKE_USERS_SESSIONS');
	u neon_auth."user" := neon_auth._admin_target(admin_id, revoke_user_sessions.user_id);
BEGIN
	PERFORM neon_auth._writable();
	DELETE FROM neon_auth."session" WHERE "userId" = u."id";
	PERFORM neon_auth._admin_audit('admin_sessions_revoked', admin_id, u."id");
	RETURN jsonb_build_object('success', true);
END
$$;

-- Better Auth POST /admin/impersonate-user: a session for the user with
-- impersonatedBy = the admin, lasting config.impersonation_session_duration
-- (1 h). Admins cannot be impersonated unless config.allow_impersonating_admins
-- or the caller has user:impersonate-admins.
CREATE FUNCTION neon_auth.impersonate_user(user_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	admin_id uuid := neon_auth._admin(session_token, '{"user": ["impersonate"]}', 'YOU_ARE_NOT_ALLOWED_TO_IMPERSONATE_USERS');
	cfg neon_auth.config;
	u neon_auth."user";
	s neon_auth."session";
BEGIN
	PERFORM neon_auth._writable();
	SELECT * INTO cfg FROM neon_auth.config;
	SELECT * INTO u FROM neon_auth."user" WHERE "id" = impersonate_user.user_id;
	IF u."id" IS NULL THEN
		PERFORM neon_auth._raise('USER_NOT_FOUND');
	END IF;
	IF neon_auth._is_admin_user(u) AND NOT cfg.allow_impersonating_admins AND admin_id IS NOT NULL
	   AND NOT neon_auth._admin_permits(admin_id, (SELECT x."role" FROM neon_auth."user" x WHERE x."id" = admin_id),
	                                    '{"user": ["impersonate-admins"]}') THEN
		PERFORM neon_auth._raise('YOU_CANNOT_IMPERSONATE_ADMINS');
	END IF;
	INSERT INTO neon_auth."session" ("token", "userId", "expiresAt", "createdAt", "updatedAt", "ipAddress", "userAgent", "impersonatedBy")
	VALUES (neon_auth._generate_id(32), u."id", neon_auth._now() + make_interval(secs => cfg.impersonation_session_duration),
	        neon_auth._now(), neon_auth._now(), neon_auth._client_ip(), neon_auth._user_agent(),
	        -- Better Auth records the admin's user id; the owner is named as a role.
	        coalesce(admin_id::text, 'owner:' || session_user))
	RETURNING * INTO s;
	PERFORM neon_auth._admin_audit('admin_impersonation_started', admin_id, u."id", jsonb_build_object('session_id', s."id"));
	RETURN jsonb_build_object('session', neon_auth._session_json(s), 'user', neon_auth._user_json(u));
END
$$;

-- Better Auth POST /admin/stop-impersonating: ends the impersonation session;
-- {session, user} of the admin's own session, named by admin_session_token
-- (the handler passes Better Auth's admin_session cookie), which must be a
-- live session of the admin who impersonated; {success: true} without one.
-- admin_session_token comes after session_token, which 1.0 had first.
CREATE FUNCTION neon_auth.stop_impersonating(session_token text DEFAULT NULL, admin_session_token text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	admin_s neon_auth."session";
	admin_u neon_auth."user";
	admin_t text;
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	IF (caller.s)."impersonatedBy" IS NULL THEN
		PERFORM neon_auth._raise('NOT_IMPERSONATING');
	END IF;
	IF admin_session_token IS NOT NULL THEN
		-- Better Auth's admin_session cookie (the signed "<token>:<flag>"), or
		-- the admin's session token or signed session cookie.
		admin_t := neon_auth._cookie_verify(admin_session_token, (SELECT value FROM neon_auth.secret));
		admin_t := CASE WHEN strpos(admin_t, ':') > 0 THEN split_part(admin_t, ':', 1)
		                ELSE neon_auth._session_token(admin_session_token) END;
		SELECT * INTO admin_s FROM neon_auth."session" x
		 WHERE x."token" = admin_t AND x."expiresAt" >= now()
		   AND x."userId"::text = (caller.s)."impersonatedBy";
		IF admin_s."id" IS NULL THEN
			PERFORM neon_auth._raise('ADMIN_SESSION_NOT_FOUND');
		END IF;
		SELECT * INTO admin_u FROM neon_auth."user" x WHERE x."id" = admin_s."userId";
	END IF;
	DELETE FROM neon_auth."session" WHERE "id" = (caller.s)."id";
	PERFORM neon_auth._audit('admin_impersonation_stopped',
		CASE WHEN (caller.s)."impersonatedBy" ~* '^[0-9a-f-]{36}$' THEN ((caller.s)."impersonatedBy")::uuid END, 'success', NULL,
		jsonb_build_object('target_user_id', caller.user_id, 'by', (caller.s)."impersonatedBy"));
	IF admin_s."id" IS NULL THEN
		RETURN jsonb_build_object('success', true);
	END IF;
	RETURN jsonb_build_object('session', neon_auth._session_json(admin_s), 'user', neon_auth._user_json(admin_u));
END
$$;

-- Better Auth GET /admin/get-user (user:get): the user.
CREATE FUNCTION neon_auth.get_user(id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	u neon_auth."user";
BEGIN
	PERFORM neon_auth._admin(session_token, '{"user": ["get"]}', 'YOU_ARE_NOT_ALLOWED_TO_GET_USER');
	SELECT * INTO u FROM neon_auth."user" x WHERE x."id" = get_user.id;
	IF u."id" IS NULL THEN
		PERFORM neon_auth._raise('USER_NOT_FOUND');
	END IF;
	RETURN neon_auth._user_json(u);
END
$$;

-- Better Auth POST /admin/has-permission: {error: null, success} for the
-- signed-in caller; the extension owner may ask about a `user_id` or a
-- `role` instead (Better Auth's server-side call).
CREATE FUNCTION neon_auth.user_has_permission(permissions jsonb, user_id uuid DEFAULT NULL, role text DEFAULT NULL,
                                              session_token text DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	who uuid;
	roles text;
BEGIN
	IF permissions IS NULL OR jsonb_typeof(permissions) <> 'object' THEN
		PERFORM neon_auth._raise('INVALID_PERMISSION_CHECK');
	END IF;
	IF caller.user_id IS NOT NULL THEN
		who := caller.user_id;
		roles := (SELECT u."role" FROM neon_auth."user" u WHERE u."id" = who);
	ELSIF NOT neon_auth._owner_acting(session_token) THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	ELSIF role IS NOT NULL THEN
		who := user_id;
		roles := role;
	ELSIF user_id IS NOT NULL THEN
		SELECT u."id", u."role" INTO who, roles FROM neon_auth."user" u WHERE u."id" = user_has_permission.user_id;
		IF who IS NULL THEN
			PERFORM neon_auth._raise('USER_NOT_FOUND');
		END IF;
	ELSE
		PERFORM neon_auth._raise('INVALID_PERMISSION_CHECK', NULL, 'Pass user_id or role, or call with a session.');
	END IF;
	RETURN jsonb_build_object('error', NULL, 'success', neon_auth._admin_permits(who, roles, permissions));
END
$$;
COMMENT ON FUNCTION neon_auth.get_user(uuid, text) IS 'Better Auth GET /admin/get-user: the user (user:get)';
COMMENT ON FUNCTION neon_auth.user_has_permission(jsonb, uuid, text, text) IS
	'Better Auth POST /admin/has-permission: {error, success} by config.admin_permissions';
