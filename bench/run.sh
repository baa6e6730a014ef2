#!/usr/bin/env bash
# One command for every benchmark: builds a Release tree with Google Benchmark, runs each
# *_bench program and prints one short table (program/benchmark, wall time, CPU time per
# iteration, iterations), then the targets of bench/targets.tsv next to what was measured.
#   bench/run.sh [FILTER]     FILTER is a regular expression on benchmark names
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
build=build/bench
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DTR69_BUILD_TESTS=OFF -DTR69_BUILD_BENCH=ON \
  "${launcher[@]}" >/dev/null
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
filter="${1:-.}"
mapfile -t programs < <(find "$build" -type f -name '*_bench' -perm -u+x | sort)
if ((${#programs[@]} == 0)); then
  echo "bench: no benchmark programs built"
  exit 0
fi
results=$(mktemp)
trap 'rm -f "$results"' EXIT
# One line per benchmark: program, name, iterations, wall and CPU time in ms.
for program in "${programs[@]}"; do
  "$program" --benchmark_filter="$filter" --benchmark_format=csv 2>/dev/null |
    awk -F, -v program="$(basename "$program")" '
      NR > 1 && $1 != "" {
        gsub(/"/, "", $1);
        scale = ($5 == "ns") ? 1e-6 : ($5 == "us") ? 1e-3 : ($5 == "s") ? 1e3 : 1;
        printf "%s\t%s\t%s\t%.6f\t%.6f\n", program, $1, $2, $3 * scale, $4 * scale }' >>"$results"
done
show() {  # a time in ms, printed in a readable unit
  awk -v t="$1" 'BEGIN {
    if (t >= 1) printf "%9.2f ms", t; else if (t >= 0.001) printf "%9.2f us", t * 1e3;
    else printf "%9.1f ns", t * 1e6 }'
}
printf '%-52s %12s %12s %11s\n' "program/benchmark" wall cpu iterations
while IFS=$'\t' read -r program name iterations wall cpu; do
  printf '%-52s %12s %12s %11s\n' "${program%_bench}/$name" "$(show "$wall")" "$(show "$cpu")" \
    "$iterations"
done <"$results"
echo "targets (bench/targets.tsv)"
while IFS=$'\t' read -r pattern measure limit what; do
  [[ -z "$pattern" || "$pattern" == \#* ]] && continue
  found=0
  while IFS=$'\t' read -r program name _ wall cpu; do
    [[ "$name" =~ ^(${pattern})$ ]] || continue
    found=1
    value=$([[ "$measure" == cpu ]] && echo "$cpu" || echo "$wall")
    verdict=$(awk -v v="$value" -v l="$limit" 'BEGIN { print (v <= l) ? "met" : "MISSED" }')
    printf '  %-58s %s %s <= %s ms: %s\n' "$what" "$measure" "$(show "$value")" "$limit" \
      "$verdict"
  done <"$results"
  ((found)) || printf '  %-58s not measured (no benchmark named %s)\n' "$what" "$pattern"
done <bench/targets.tsv
