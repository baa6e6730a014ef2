#!/usr/bin/env bash
# One command for every benchmark: builds a Release tree with Google Benchmark and runs each
# *_bench program, printing one short table (benchmark, wall time, CPU time, iterations).
#   bench/run.sh [FILTER]     FILTER is a regular expression on benchmark names
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
build=build/bench
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DTR69_BUILD_TESTS=OFF -DTR69_BUILD_BENCH=ON >/dev/null
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
filter="${1:-.}"
mapfile -t programs < <(find "$build" -type f -name '*_bench' -perm -u+x | sort)
if ((${#programs[@]} == 0)); then
  echo "bench: no benchmark programs built"
  exit 0
fi
printf '%-58s %14s %14s %12s\n' benchmark wall cpu iterations
for program in "${programs[@]}"; do
  "$program" --benchmark_filter="$filter" --benchmark_format=csv 2>/dev/null |
    awk -F, 'NR > 1 && $1 != "" {
      gsub(/"/, "", $1);
      printf "%-58s %11.3f %-2s %11.3f %-2s %12s\n", $1, $3, $5, $4, $5, $2 }'
done
