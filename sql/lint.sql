-- Every PL/pgSQL function of neon_auth passes plpgsql_check, with extra and
-- performance warnings on (trigger functions checked against config). The
-- rows below are the warnings that stay, each for a reason:
--
-- * _caller: 'composite OUT variable "s" is not single argument'. _caller
--   returns the caller's user id and session row together; callers read
--   them as fields of one record (caller.user_id, caller.s), which is what
--   the warning is about and is intended. The same holds for _tf_subject
--   (user, challenge and session) and _tf_caller_with_password (user and
--   refusal).
-- * send_two_factor_otp: 'unused parameter "trust_device"'. Better Auth's
--   /two-factor/send-otp takes trustDevice and ignores it too; the function
--   keeps the body's fields as its arguments.
-- * list_members and list_users: parameters named "limit" and "offset".
--   They mirror Better Auth's query fields (limit, offset), so callers pass
--   them by those names (list_users("limit" => 10)); the functions quote
--   them everywhere.
CREATE EXTENSION plpgsql_check;
SELECT p.oid::regprocedure AS function, r.lineno, r.level, r.message
  FROM pg_proc p
  JOIN pg_language l ON l.oid = p.prolang AND l.lanname = 'plpgsql',
       LATERAL plpgsql_check_function_tb(p.oid,
           relid => CASE WHEN p.prorettype = 'trigger'::regtype THEN 'neon_auth.config'::regclass ELSE 0 END,
           extra_warnings => true, performance_warnings => true) r
 WHERE p.pronamespace = 'neon_auth'::regnamespace
 ORDER BY 1, 2, 4;
DROP EXTENSION plpgsql_check;
