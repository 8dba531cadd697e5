#!/usr/bin/env bash
# The whole test suite, from a clean clone on Debian 12 (run as root, or as a
# user with sudo for apt and make install):
#   unit tests of the C++ core (GoogleTest via ctest), again under ASan/UBSan,
#   the extension build with -Werror and its install into PostgreSQL 15,
#   static checks of the module, a short libFuzzer run of every parser of
#   outside input (bench/fuzz.sh), and, each against a throwaway server made by
#   pg_virtualenv: pg_regress (make installcheck), pgTAP (pg_prove), a real
#   Better Auth server on the same tables (test/interop), the HTTP handler
#   against Better Auth's client SDK (test/http), a real browser (test/browser)
#   and the integration suites in test/integration.
# Exits non-zero if any suite fails; the last line counts the suites.
set -uo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8
scripts/deps.sh || { echo "dependency install failed"; exit 1; }
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

# A run that was killed (a machine restart, a CI timeout) leaves pg_virtualenv's
# "regress" cluster behind, and pg_virtualenv then refuses to start: drop such a
# leftover, recognised by the marker pg_virtualenv writes, and nothing else.
for conf in /etc/postgresql/*/regress; do
	[ -f "$conf/.by_pg_virtualenv" ] || continue
	v=$(basename "$(dirname "$conf")")
	echo "dropping the cluster $v/regress left by an interrupted run"
	$sudo rm -f "$conf/.by_pg_virtualenv"
	$sudo pg_ctlcluster --mode immediate "$v" regress stop 2>/dev/null
	$sudo pg_dropcluster "$v" regress
done

passed=0
failed=0
failed_names=()
suite() { # suite NAME COMMAND...
	local name=$1
	shift
	echo
	echo "=== $name"
	local start=$SECONDS
	if "$@"; then
		passed=$((passed + 1))
		echo "=== $name: passed ($((SECONDS - start)) s)"
	else
		failed=$((failed + 1))
		failed_names+=("$name")
		echo "=== $name: FAILED ($((SECONDS - start)) s)"
	fi
}

unit() { # unit BUILD_DIR CMAKE_ARGS...
	local dir=$1
	shift
	cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null &&
		cmake --build "$dir" -j"$(nproc)" >/dev/null &&
		ctest --test-dir "$dir" --output-on-failure -j"$(nproc)"
}

build_and_install() {
	make clean >/dev/null &&
		make -j"$(nproc)" EXTRA_CXXFLAGS=-Werror >/dev/null &&
		$sudo make install >/dev/null
}

regress() {
	pg_virtualenv make installcheck
	local rc=$?
	[ $rc -eq 0 ] || cat regression.diffs output_iso/regression.diffs 2>/dev/null
	return $rc
}

suite "unit tests" unit build/core
suite "unit tests under ASan/UBSan" unit build/sanitize -DNEON_AUTH_SANITIZE=ON
suite "extension build (-Werror) and install" build_and_install
suite "static checks" bash test/integration/static_checks.sh
suite "fuzzing, 30 s per target (bench/fuzz.sh)" bench/fuzz.sh 30
suite "pg_regress" regress
suite "pgTAP" pg_virtualenv test/pgtap/run.sh
suite "Better Auth interop (npm better-auth 1.7.25)" pg_virtualenv test/interop/run.sh
suite "HTTP handler: client SDK against Better Auth and handler/, bad input, Hono, Mastra" pg_virtualenv test/http/run.sh
suite "browser (headless Chromium): examples/notes-app" pg_virtualenv bash test/browser/run.sh
for t in test/integration/*.sh; do
	case $t in */lib.sh | */static_checks.sh) continue ;; esac
	suite "integration: $(basename "$t" .sh)" pg_virtualenv bash "$t"
done

echo
[ $failed -eq 0 ] || echo "failed suites: ${failed_names[*]}"
echo "suites: $passed passed, $failed failed"
[ $failed -eq 0 ]
