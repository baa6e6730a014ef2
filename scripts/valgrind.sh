#!/usr/bin/env bash
# Valgrind memcheck on the end-to-end suite (issue #11 item 5): runs `ctest -L e2e` with every
# tr69d the tests start wrapped in
#   valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99
# (the AgentTest fixture takes the daemon from $TR69D_BINARY; the wrapper execs valgrind on the
# real binary).
# Left out by default (-E): the tests whose daemon re-executes itself after a Reboot or
# FactoryReset (execv("/proc/self/exe")): under valgrind /proc/self/exe is valgrind's own tool
# binary, which cannot be started that way ("mmap(0x58000000) failed in UME"). Passing any ctest
# arguments replaces this default. Each daemon run writes its own log; the script then prints, per run, the memcheck
# errors and the definitely lost bytes, and exits 1 when a test failed or any run had an error or
# a definite leak. Not part of CI (a few minutes on 2 cores).
#   scripts/valgrind.sh [BUILD_DIR] [ctest args...]     default build/dev (configured when missing)
# The soak test runs with TR69_SOAK_SESSIONS=30 here, and every bounded wait of the test peers is
# stretched by TR69_TEST_TIMEOUT_SCALE=4 (valgrind is slow), unless the environment sets them.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/dev}"
shift || true
if (($# == 0)); then set -- -E 'RebootRpcComesBack|FactoryResetBootstraps'; fi
command -v valgrind >/dev/null || { echo "valgrind: not installed" >&2; exit 2; }
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S . -B "$build" -DTR69_BUILD_BENCH=ON "${launcher[@]}" >/dev/null
fi
# Only the daemon and the programs of the e2e suites (tr69_add_test(... LABELS e2e)).
mapfile -t suites < <(python3 -c '
import pathlib, re
for f in sorted(pathlib.Path("tests").rglob("CMakeLists.txt")):
    for m in re.finditer(r"tr69_add_test\((\w+)[^)]*LABELS e2e", f.read_text()):
        print(m.group(1))')
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target tr69d "${suites[@]}" >/dev/null
daemon=$(find "$build" -type f -name tr69d -perm -u+x | head -n 1)
[[ -x "$daemon" ]] || { echo "valgrind: no tr69d in $build" >&2; exit 1; }
daemon=$(realpath "$daemon")

logs=$(mktemp -d /tmp/tr69d-valgrind.XXXXXX)
cat >"$logs/tr69d" <<WRAP
#!/bin/sh
exec valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite \\
  --errors-for-leak-kinds=definite --error-exitcode=99 --num-callers=30 \\
  --log-file="$logs/memcheck.%p.log" "$daemon" "\$@"
WRAP
chmod +x "$logs/tr69d"

ctest_status=0
TR69D_BINARY="$logs/tr69d" TR69_SOAK_SESSIONS="${TR69_SOAK_SESSIONS:-30}" \
  TR69_TEST_TIMEOUT_SCALE="${TR69_TEST_TIMEOUT_SCALE:-4}" \
  ctest --test-dir "$build" -L e2e --output-on-failure "$@" || ctest_status=$?

runs=0
bad=0
for log in "$logs"/memcheck.*.log; do
  [[ -f "$log" ]] || continue
  runs=$((runs + 1))
  errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$log" | tr -d , | tail -n 1)
  lost=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tr -d , | tail -n 1)
  if [[ -z "$errors" ]]; then
    echo "valgrind: $(basename "$log"): no summary (the daemon was killed before exiting)"
    continue
  fi
  if ((errors > 0 || ${lost:-0} > 0)); then
    bad=$((bad + 1))
    echo "valgrind: $(basename "$log"): $errors error(s), ${lost:-0} bytes definitely lost"
    sed -n '/^==[0-9]*== [A-Z]/,/^==[0-9]*== $/p' "$log" | head -n 80
  fi
done
echo "valgrind: $runs tr69d run(s) under memcheck, $bad with errors or definite leaks;" \
  "ctest exit status $ctest_status; logs in $logs"
((ctest_status == 0 && bad == 0))
