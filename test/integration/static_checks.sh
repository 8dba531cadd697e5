#!/usr/bin/env bash
# Build-level guarantees (no server needed): the module exports only its
# entry points, and the core never touches PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/../.."
checks=0; failures=0
check() { checks=$((checks + 1)); if [ "$2" = "$3" ]; then echo "ok $checks - $1"; else failures=$((failures + 1)); printf 'not ok %s - %s\n#   expected: %s\n#   actual:   %s\n' "$checks" "$1" "$2" "$3"; fi; }
unexpected=$(nm -D --defined-only neon_auth.so | awk '{print $3}' \
	| grep -vE '^(Pg_magic_func|_PG_init|(pg_finfo_)?neon_auth_[a-z0-9_]+)$' | tr '\n' ' ' || true)
check "neon_auth.so exports only its entry points" "" "$unexpected"
exported=$(nm -D --defined-only neon_auth.so | awk '$2 == "T" && $3 ~ /^neon_auth_/ { print $3 }' | sort | tr '\n' ' ')
# The library serves every SQL version it can be updated from (the frozen
# released scripts as well as src/sql), so it exports what any of them declares.
declared=$(cat neon_auth--[0-9]*.sql src/sql/*.sql | grep -oE "'MODULE_PATHNAME', '[a-z0-9_]+'" |
	sed -E "s/.*, '([a-z0-9_]+)'/\1/" | sort -u | tr '\n' ' ')
check "neon_auth.so exports exactly the C functions the SQL of every version declares" "$declared" "$exported"
# One error catalogue: every code in src/sql/04_errors.sql is documented in
# docs/errors.md (one table row each), and nothing else is.
catalogue=$(grep -oE "^\s*\('[A-Z0-9_]+', '[0-9A-Z]{5}'" src/sql/04_errors.sql | grep -oE "[A-Z0-9_]{6,}" | sort | tr '\n' ' ')
documented=$(grep -oE '^\| `[A-Z0-9_]+` \|' docs/errors.md | grep -oE '[A-Z0-9_]+' | sort | tr '\n' ' ')
check "docs/errors.md documents exactly the codes of the error catalogue" "$catalogue" "$documented"
raised=$(grep -ohE "neon_auth\._(raise|fail)\('[A-Z0-9_]+'" src/sql/*.sql | grep -oE "'[A-Z0-9_]+'" | tr -d "'" | sort -u |
	while read -r c; do case " $catalogue " in *" $c "*) ;; *) echo "$c" ;; esac; done | tr '\n' ' ')
check "every code the SQL raises is in the catalogue" "" "$raised"
check "neon_auth.so links libstdc++, libsodium and libcrypto" 3 \
	"$(ldd neon_auth.so | grep -cE 'libstdc\+\+|libsodium|libcrypto')"
core_pg=$(grep -lE 'postgres\.h|fmgr\.h|palloc|ereport|elog\(' src/core/* | grep -v cpp_only.hpp | tr '\n' ' ' || true)
check "src/core mentions no PostgreSQL API" "" "$core_pg"
# Files that call into the core (which may throw) must guard every entry
# point; a file that uses no core header has no C++ that can throw.
every_entry_guarded=$(for f in $(grep -l 'core::' src/pg/*_fns.cpp); do
	# C helpers for the plain-C glue (na_...) are guarded the same way.
	n_entry=$(grep -cE '^(neon_auth_[a-z0-9_]*\(PG_FUNCTION_ARGS\)|na_[a-z0-9_]*\(.*\))$' "$f")
	n_guard=$(grep -cE 'pg::guarded\(f,|pg::text_function<' "$f")
	[ "$n_entry" = "$n_guard" ] || echo "$f"
done | tr '\n' ' ')
check "every SQL entry point runs its C++ inside guarded()" "" "$every_entry_guarded"
echo "1..$checks"
[ "$failures" -eq 0 ]
