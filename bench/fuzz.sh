#!/usr/bin/env bash
# libFuzzer runs of the src/core parsers (targets in test/fuzz/*_fuzz.cpp).
# Usage: bench/fuzz.sh SECONDS [TARGET...]   (default: every target)
# Builds the targets with clang (-fsanitize=fuzzer,address,undefined -O1 -g)
# into build/fuzz/, runs each for SECONDS on a fresh copy of its seed corpus
# (test/fuzz/corpus/<target>/ is never written), two at a time, and prints
#   <target>: N executions, M crashes (S s)
# per target and, last, "fuzz: P passed, F failed". A target fails if it
# does not build, crashes, leaks, times out (-timeout=10 per input) or runs
# out of memory (-rss_limit_mb=2048); the input is saved under
# build/fuzz/artifacts/<target>/ and the log is build/fuzz/logs/<target>.log.
# Replay one: build/fuzz/<target> build/fuzz/artifacts/<target>/crash-...
# Needs clang and its libFuzzer runtime (Debian 12: clang, libclang-rt-14-dev).
set -uo pipefail
cd "$(dirname "$0")/.."
secs=${1:-}
if ! [[ $secs =~ ^[0-9]+$ ]] || [ "$secs" -eq 0 ]; then
	echo "usage: bench/fuzz.sh SECONDS [TARGET...]" >&2
	exit 2
fi
shift
if [ $# -gt 0 ]; then
	targets=("$@")
else
	targets=()
	for f in test/fuzz/*_fuzz.cpp; do
		f=${f##*/}
		targets+=("${f%_fuzz.cpp}")
	done
fi

out=build/fuzz
mkdir -p "$out/logs"
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Build (quietly; the compiler's output goes to build/fuzz/logs/build-*.log).
declare -A built
if cmake -S test/fuzz -B "$out" -DCMAKE_CXX_COMPILER="${CXX_FUZZ:-clang++}" >"$out/logs/build-configure.log" 2>&1; then
	for t in "${targets[@]}"; do
		if [ -f "test/fuzz/${t}_fuzz.cpp" ] &&
			cmake --build "$out" --target "$t" -j"$(nproc)" >"$out/logs/build-$t.log" 2>&1; then
			built[$t]=1
		fi
	done
else
	echo "fuzz: configure failed (clang++ and libclang-rt-14-dev installed?), see $out/logs/build-configure.log" >&2
fi

# run TARGET: one libFuzzer run; writes build/fuzz/run/TARGET/result
run() {
	local t=$1 dir=$out/run/$1 art=$out/artifacts/$1/ log=$out/logs/$1.log
	rm -rf "$dir"
	mkdir -p "$dir/corpus" "$art"
	cp -r "test/fuzz/corpus/$t/." "$dir/corpus/" 2>/dev/null
	touch "$dir/stamp"
	local start=$SECONDS rc=0
	timeout -k 10 $((secs + 300)) "$out/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$art" "$dir/corpus" >"$log" 2>&1 || rc=$?
	local took=$((SECONDS - start))
	local execs crashes
	execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
	[ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' "$log" | tail -n 1)
	crashes=$(find "$art" -maxdepth 1 -type f -newer "$dir/stamp" \
		\( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
	local line="$t: ${execs:-0} executions, $crashes crashes ($took s)"
	if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
		local why
		why=$(grep -m1 -E 'ERROR: |invariant violated|runtime error' "$log" | sed 's/^==[0-9]*== *//')
		line+=" FAILED (exit $rc${why:+: $why}); log $log"
	fi
	echo "$line" >"$dir/result"
}

passed=0
failed=0
running=0
for t in "${targets[@]}"; do
	if [ -z "${built[$t]:-}" ]; then
		mkdir -p "$out/run/$t"
		why="build; log $out/logs/build-$t.log"
		[ -f "test/fuzz/${t}_fuzz.cpp" ] || why="no test/fuzz/${t}_fuzz.cpp"
		echo "$t: 0 executions, 0 crashes (0 s) FAILED ($why)" >"$out/run/$t/result"
		continue
	fi
	if [ $running -ge 2 ]; then
		wait -n
		running=$((running - 1))
	fi
	run "$t" &
	running=$((running + 1))
done
wait

for t in "${targets[@]}"; do
	line=$(cat "$out/run/$t/result" 2>/dev/null || echo "$t: 0 executions, 0 crashes (0 s) FAILED (no result)")
	echo "$line"
	case $line in
	*FAILED*) failed=$((failed + 1)) ;;
	*) passed=$((passed + 1)) ;;
	esac
done
echo "fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ]
