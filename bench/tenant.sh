#!/usr/bin/env bash
# Tenant RLS benchmarks (issue 5), ratios within one run on one throwaway
# server: a 1M-row table spread over 1,000 organizations, read by a member of
# 3 of them the way PostgREST reads (BEGIN; SET LOCAL ROLE; request.headers
# with a session token; query; COMMIT), under
#   A. USING (org_id = ANY (ARRAY(SELECT unnest(neon_auth.organization_ids()))))
#      (one evaluation per statement), and
#   B. USING (neon_auth.is_member(org_id)) (one call per row visited),
# against the same rows in a table without RLS queried with the 3 ids as
# literals. Also has_permission() per call.
# Usage: bench/tenant.sh [seconds-per-run]   (default 10; needs the extension installed)
. "$(dirname "$0")/lib.sh"
db=neon_auth_tenant_bench
bench_db $db
psql -X -q -v ON_ERROR_STOP=1 -d $db <<'SQL' >/dev/null
INSERT INTO neon_auth.organization (name, slug) SELECT 'org ' || i, 'org-' || i FROM generate_series(1, 1000) i;
INSERT INTO neon_auth.member ("organizationId", "userId", role)
SELECT o.id, u.id, 'member' FROM neon_auth.organization o, neon_auth."user" u WHERE o.slug IN ('org-1', 'org-500', 'org-1000');
CREATE TABLE docs (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, org_id uuid NOT NULL, body text NOT NULL);
INSERT INTO docs (org_id, body) SELECT o.id, 'doc ' || g FROM neon_auth.organization o, generate_series(1, 1000) g;
CREATE INDEX ON docs (org_id);
CREATE TABLE docs_a AS SELECT * FROM docs;  CREATE INDEX ON docs_a (org_id);
CREATE TABLE docs_b AS SELECT * FROM docs;  CREATE INDEX ON docs_b (org_id);
ALTER TABLE docs_a ENABLE ROW LEVEL SECURITY;
ALTER TABLE docs_b ENABLE ROW LEVEL SECURITY;
CREATE POLICY a ON docs_a TO authenticated USING (org_id = ANY (ARRAY(SELECT unnest(neon_auth.organization_ids()))));
CREATE POLICY b ON docs_b TO authenticated USING (neon_auth.is_member(org_id));
GRANT SELECT ON docs, docs_a, docs_b TO authenticated;
VACUUM ANALYZE;
SQL
tok=$(psql -X -At -d $db -c "SELECT neon_auth.sign_in('bench@example.com', 'bench-password-1') ->> 'token'")
ids=$(psql -X -At -d $db -c "SELECT string_agg(quote_literal(id), ',') FROM neon_auth.organization WHERE slug IN ('org-1', 'org-500', 'org-1000')")
request() { # request FILE QUERY
	printf 'BEGIN;\nSET LOCAL ROLE authenticated;\nSELECT set_config(%s, %s, true);\n%s\nCOMMIT;\n' \
		"'request.headers'" "'{\"authorization\": \"Bearer $tok\"}'" "$2" >"$1"
}
request "$out/literal.sql" "SELECT count(*) FROM docs WHERE org_id IN ($ids);"
request "$out/a.sql" "SELECT count(*) FROM docs_a;"
request "$out/b.sql" "SELECT count(*) FROM docs_b WHERE org_id IN ($ids);"
request "$out/perm.sql" "SELECT neon_auth.has_permission(${ids%%,*}::uuid, '{\"member\": [\"create\"]}');"
request "$out/empty.sql" "SELECT 1;"
rows=$(psql -X -At -d $db -c "SELECT count(*) FROM docs WHERE org_id IN ($ids)")
echo "tenant RLS vs literal: 3 alternating rounds of ${secs}s, 1 client, $rows rows visible of 1M"
for r in 1 2 3; do
	l=$(tps "$out/literal.sql" "$secs"); a=$(tps "$out/a.sql" "$secs"); b=$(tps "$out/b.sql" "$secs")
	e=$(tps "$out/empty.sql" "$secs"); p=$(tps "$out/perm.sql" "$secs")
	awk -v l="$l" -v x="$a" 'BEGIN { print l / x }' >>"$out/a.ratio"
	awk -v l="$l" -v x="$b" 'BEGIN { print l / x }' >>"$out/b.ratio"
	awk -v e="$e" -v p="$p" 'BEGIN { print (1e6 / p) - (1e6 / e) }' >>"$out/perm.us"
done
printf 'A: organization_ids() once per statement / literal:   %.2fx\n' "$(median <"$out/a.ratio")"
printf 'B: is_member(org_id) per row / literal:                %.2fx  (same rows, filtered by the ids too)\n' "$(median <"$out/b.ratio")"
printf 'has_permission() per request, over an empty request:  %.0f us\n' "$(median <"$out/perm.us")"
