#!/usr/bin/env bash
# The whole test run, as CI does it: install what is missing, build with g++ and run every test,
# then build with clang++ + AddressSanitizer + UndefinedBehaviorSanitizer and run the unit tests
# again (plus short fuzzing runs when the fuzz targets exist).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=$(nproc 2>/dev/null || echo 2)

./scripts/install-deps.sh

# No debug info in CI: it only slows compiling and linking on the 2-core machine.
echo "== build (g++, -O2)"
cmake -S . -B build/ci-gcc -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
  -DCMAKE_CXX_COMPILER=g++ -DTR69_BUILD_BENCH=ON >/dev/null
cmake --build build/ci-gcc -j"$jobs"

echo "== tests (g++)"
ctest --test-dir build/ci-gcc --output-on-failure -j"$jobs" --timeout 600

echo "== demo (quiet)"
./scripts/demo.sh --quiet --build-dir build/ci-gcc

echo "== build (clang++, ASan + UBSan)"
cmake -S . -B build/ci-asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -gline-tables-only" \
  -DCMAKE_CXX_COMPILER=clang++ -DTR69_SANITIZE=ON -DTR69_BUILD_BENCH=OFF -DTR69_FUZZ=ON >/dev/null
cmake --build build/ci-asan -j"$jobs"

echo "== unit tests (ASan + UBSan)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build/ci-asan --output-on-failure -j"$jobs" -L unit --timeout 600

if [[ -x "$root/scripts/fuzz.sh" ]]; then
  echo "== short fuzzing runs"
  FUZZ_SECONDS="${FUZZ_SECONDS:-10}" "$root/scripts/fuzz.sh" build/ci-asan
fi
echo "== all tests passed"
