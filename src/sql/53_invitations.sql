---------------------------------------------------------------------------
-- Organizations, part 4: invitations (invite, accept, reject, cancel,
-- read, list), delivered through the outbox. Callers: everyone.
---------------------------------------------------------------------------

-- Better Auth POST /organization/invite-member (invitation:create): a
-- pending invitation for 48 h and an outbox message to the address. Only
-- owners invite owners.
CREATE FUNCTION neon_auth.invite_member(email text, role text, organization_id uuid DEFAULT NULL, resend boolean DEFAULT false,
                                        session_token text DEFAULT NULL, team_id text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
#variable_conflict use_column
DECLARE
	caller record := neon_auth._caller(session_token);
	cfg neon_auth.config;
	org uuid;
	me neon_auth."member";
	v_email text := neon_auth._normalize_email(invite_member.email);
	roles text;
	i neon_auth."invitation";
	o neon_auth."organization";
	throttled jsonb;
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	SELECT * INTO cfg FROM neon_auth.config;
	org := neon_auth._target_org(invite_member.organization_id, caller.s);
	me := neon_auth._membership(org, caller.user_id, '{"invitation": ["create"]}', 'YOU_ARE_NOT_ALLOWED_TO_INVITE_USERS_TO_THIS_ORGANIZATION',
	                            'MEMBER_NOT_FOUND');
	-- Each invitation sends an email: limited per inviter.
	throttled := neon_auth._throttle('/organization/invite-member', (SELECT "email" FROM neon_auth."user" WHERE "id" = caller.user_id), caller.user_id);
	IF throttled IS NOT NULL THEN
		RETURN throttled;
	END IF;
	roles := neon_auth._check_roles(org, invite_member.role);
	-- Better Auth's teamId: one team, or several comma-joined, of this
	-- organization; accepting the invitation adds the user to each.
	IF nullif(team_id, '') IS NOT NULL AND EXISTS (
	       SELECT 1 FROM unnest(string_to_array(team_id, ',')) t
	        WHERE btrim(t) !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
	           OR NOT EXISTS (SELECT 1 FROM neon_auth."team" x WHERE x."id" = btrim(t)::uuid AND x."organizationId" = org)) THEN
		PERFORM neon_auth._raise('TEAM_NOT_FOUND');
	END IF;
	IF neon_auth._is_owner(roles) AND NOT neon_auth._is_owner(me."role") THEN
		PERFORM neon_auth._raise('YOU_ARE_NOT_ALLOWED_TO_INVITE_USER_WITH_THIS_ROLE');
	END IF;
	PERFORM 1 FROM neon_auth."organization" WHERE "id" = org FOR UPDATE;
	IF EXISTS (SELECT 1 FROM neon_auth."member" m JOIN neon_auth."user" u ON u."id" = m."userId"
	            WHERE m."organizationId" = org AND u."email" = v_email) THEN
		PERFORM neon_auth._raise('USER_IS_ALREADY_A_MEMBER_OF_THIS_ORGANIZATION');
	END IF;
	SELECT * INTO i FROM neon_auth."invitation"
	 WHERE "organizationId" = org AND "email" = v_email AND "status" = 'pending' AND "expiresAt" > now();
	IF i."id" IS NOT NULL AND NOT coalesce(resend, false) THEN
		PERFORM neon_auth._raise('USER_IS_ALREADY_INVITED_TO_THIS_ORGANIZATION');
	ELSIF i."id" IS NOT NULL THEN
		UPDATE neon_auth."invitation" SET "expiresAt" = neon_auth._now() + make_interval(secs => cfg.invitation_expires_in),
		       "role" = roles, "inviterId" = caller.user_id
		 WHERE "id" = i."id" RETURNING * INTO i;
	ELSE
		INSERT INTO neon_auth."invitation" ("organizationId", "email", "role", "status", "expiresAt", "createdAt", "inviterId", "teamId")
		VALUES (org, v_email, roles, 'pending', neon_auth._now() + make_interval(secs => cfg.invitation_expires_in),
		        neon_auth._now(), caller.user_id,
		        (SELECT string_agg(btrim(t), ',') FROM unnest(string_to_array(nullif(team_id, ''), ',')) t))
		RETURNING * INTO i;
	END IF;
	SELECT * INTO o FROM neon_auth."organization" WHERE "id" = org;
	PERFORM neon_auth._enqueue('invitation', v_email, NULL,
		jsonb_build_object('organization', o."name", 'inviter', (SELECT "name" FROM neon_auth."user" WHERE "id" = caller.user_id),
		                   'role', roles, 'token', i."id",
		                   'url', neon_auth._link(cfg.invitation_url, cfg.base_url, i."id"::text, '/'),
		                   'expires_at', neon_auth._iso(i."expiresAt")));
	PERFORM neon_auth._audit('member_invited', caller.user_id, 'success', v_email,
		jsonb_build_object('organization_id', org, 'invitation_id', i."id", 'role', roles));
	RETURN neon_auth._invitation_json(i);
END
$$;

-- The caller's pending invitation, locked: addressed to the caller's email.
CREATE FUNCTION neon_auth._my_invitation(invitation_id uuid, user_id uuid) RETURNS neon_auth."invitation"
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	i neon_auth."invitation";
BEGIN
	SELECT * INTO i FROM neon_auth."invitation" WHERE "id" = invitation_id FOR UPDATE;
	IF i."id" IS NULL THEN
		PERFORM neon_auth._raise('INVITATION_NOT_FOUND');
	END IF;
	IF i."email" <> (SELECT "email" FROM neon_auth."user" WHERE "id" = user_id) THEN
		PERFORM neon_auth._raise('YOU_ARE_NOT_THE_RECIPIENT_OF_THE_INVITATION');
	END IF;
	IF i."status" <> 'pending' THEN
		PERFORM neon_auth._raise('INVITATION_NOT_PENDING');
	END IF;
	IF i."expiresAt" <= now() THEN
		PERFORM neon_auth._raise('INVITATION_EXPIRED');
	END IF;
	RETURN i;
END
$$;

-- Better Auth POST /organization/accept-invitation: the member row, once
-- (the invitation row is locked; a second acceptance finds it accepted).
CREATE FUNCTION neon_auth.accept_invitation(invitation_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	i neon_auth."invitation";
	m neon_auth."member";
	t neon_auth."team";
	n_teams integer := 0;
	only_team uuid;
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	i := neon_auth._my_invitation(invitation_id, caller.user_id);
	UPDATE neon_auth."invitation" SET "status" = 'accepted' WHERE "id" = i."id" RETURNING * INTO i;
	INSERT INTO neon_auth."member" ("organizationId", "userId", "role", "createdAt")
	VALUES (i."organizationId", caller.user_id, coalesce(i."role", 'member'), neon_auth._now())
	ON CONFLICT ("organizationId", "userId") DO NOTHING;
	m := neon_auth._member_of(i."organizationId", caller.user_id);
	-- A Better Auth invitation may name teams (comma-separated ids): the new
	-- member joins them, and a single one becomes the active team.
	FOR t IN SELECT * FROM neon_auth."team"
	          WHERE "organizationId" = i."organizationId" AND "id"::text = ANY (string_to_array(i."teamId", ','))
	          ORDER BY "id" FOR UPDATE
	LOOP
		PERFORM neon_auth._add_team_member(t, caller.user_id);
		n_teams := n_teams + 1;
		only_team := t."id";
	END LOOP;
	IF n_teams <> cardinality(ARRAY(SELECT DISTINCT unnest(string_to_array(i."teamId", ',')))) THEN
		PERFORM neon_auth._raise('TEAM_NOT_FOUND');
	END IF;
	UPDATE neon_auth."session"
	   SET "activeOrganizationId" = i."organizationId"::text, "updatedAt" = neon_auth._now(),
	       "activeTeamId" = CASE WHEN n_teams = 1 THEN only_team::text END
	 WHERE "id" = (caller.s)."id";
	PERFORM neon_auth._audit('invitation_accepted', caller.user_id, 'success', NULL,
		jsonb_build_object('organization_id', i."organizationId", 'invitation_id', i."id"));
	RETURN jsonb_build_object('invitation', neon_auth._invitation_json(i), 'member', neon_auth._member_json(m) - 'user');
END
$$;

-- Better Auth POST /organization/reject-invitation.
CREATE FUNCTION neon_auth.reject_invitation(invitation_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	i neon_auth."invitation";
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	i := neon_auth._my_invitation(invitation_id, caller.user_id);
	UPDATE neon_auth."invitation" SET "status" = 'rejected' WHERE "id" = i."id" RETURNING * INTO i;
	PERFORM neon_auth._audit('invitation_rejected', caller.user_id, 'success', NULL, jsonb_build_object('invitation_id', i."id"));
	RETURN jsonb_build_object('invitation', neon_auth._invitation_json(i), 'member', NULL);
END
$$;

-- Better Auth POST /organization/cancel-invitation (invitation:cancel).
CREATE FUNCTION neon_auth.cancel_invitation(invitation_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	i neon_auth."invitation";
BEGIN
	PERFORM neon_auth._writable();
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	SELECT * INTO i FROM neon_auth."invitation" WHERE "id" = invitation_id FOR UPDATE;
	IF i."id" IS NULL THEN
		PERFORM neon_auth._raise('INVITATION_NOT_FOUND');
	END IF;
	PERFORM neon_auth._membership(i."organizationId", caller.user_id, '{"invitation": ["cancel"]}', 'YOU_ARE_NOT_ALLOWED_TO_CANCEL_THIS_INVITATION');
	IF i."status" <> 'pending' THEN
		PERFORM neon_auth._raise('INVITATION_NOT_PENDING');
	END IF;
	UPDATE neon_auth."invitation" SET "status" = 'canceled' WHERE "id" = i."id" RETURNING * INTO i;
	PERFORM neon_auth._audit('invitation_canceled', caller.user_id, 'success', NULL, jsonb_build_object('invitation_id', i."id"));
	RETURN neon_auth._invitation_json(i);
END
$$;

-- Better Auth GET /organization/get-invitation: for its recipient, with the
-- organization's name and slug and the inviter's email.
CREATE FUNCTION neon_auth.get_invitation(invitation_id uuid, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	i neon_auth."invitation";
BEGIN
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	SELECT * INTO i FROM neon_auth."invitation" WHERE "id" = invitation_id;
	IF i."id" IS NULL OR i."status" <> 'pending' OR i."expiresAt" <= now() THEN
		PERFORM neon_auth._raise('INVITATION_NOT_FOUND');
	END IF;
	IF i."email" <> (SELECT "email" FROM neon_auth."user" WHERE "id" = caller.user_id) THEN
		PERFORM neon_auth._raise('YOU_ARE_NOT_THE_RECIPIENT_OF_THE_INVITATION');
	END IF;
	RETURN neon_auth._invitation_json(i) || (
		SELECT jsonb_build_object('organizationName', o."name", 'organizationSlug', o."slug",
		                          'inviterEmail', (SELECT "email" FROM neon_auth."user" WHERE "id" = i."inviterId"))
		  FROM neon_auth."organization" o WHERE o."id" = i."organizationId");
END
$$;

-- Better Auth GET /organization/list-invitations (for those who may invite).
CREATE FUNCTION neon_auth.list_invitations(organization_id uuid DEFAULT NULL, session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
	org uuid;
BEGIN
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	org := neon_auth._target_org(organization_id, caller.s);
	PERFORM neon_auth._membership(org, caller.user_id, '{"invitation": ["create"]}', 'YOU_ARE_NOT_ALLOWED_TO_LIST_INVITATIONS',
	                              'YOU_ARE_NOT_A_MEMBER_OF_THIS_ORGANIZATION');
	RETURN (SELECT coalesce(jsonb_agg(neon_auth._invitation_json(i) ORDER BY i."createdAt", i."id"), '[]')
	          FROM neon_auth."invitation" i WHERE i."organizationId" = org);
END
$$;

-- Better Auth GET /organization/list-user-invitations: pending ones to the caller.
CREATE FUNCTION neon_auth.list_user_invitations(session_token text DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET log_min_error_statement = panic
AS $$
DECLARE
	caller record := neon_auth._caller(session_token);
BEGIN
	IF caller.user_id IS NULL THEN
		RETURN neon_auth._fail('UNAUTHORIZED');
	END IF;
	-- As Better Auth: invitations are listed by address, so only to someone
	-- who proved the address is theirs.
	IF NOT (SELECT "emailVerified" FROM neon_auth."user" WHERE "id" = caller.user_id) THEN
		PERFORM neon_auth._raise('EMAIL_VERIFICATION_REQUIRED_FOR_INVITATION');
	END IF;
	RETURN (SELECT coalesce(jsonb_agg(neon_auth._invitation_json(i) || jsonb_build_object('organizationName', o."name")
	                                  ORDER BY i."createdAt", i."id"), '[]')
	          FROM neon_auth."invitation" i JOIN neon_auth."organization" o ON o."id" = i."organizationId"
	         WHERE i."email" = (SELECT "email" FROM neon_auth."user" WHERE "id" = caller.user_id)
	           AND i."status" = 'pending' AND i."expiresAt" > now());
END
$$;
