#!/usr/bin/env bash
# Runs every libFuzzer target (*_fuzz) of a clang build with -DTR69_FUZZ=ON for a bounded time,
# starting from its seed corpus in tests/fuzz/corpus/<name>/. New inputs go to a scratch copy, so
# the repository corpus changes only when someone adds a regression input on purpose.
#   scripts/fuzz.sh [BUILD_DIR]          default build/fuzz (configured and built when missing)
#   FUZZ_SECONDS=300 scripts/fuzz.sh     per-target time (default 60)
#   FUZZ_TARGETS="cwmp_decode stun_parse" scripts/fuzz.sh   only these targets (built alone)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build="${1:-build/fuzz}"
seconds="${FUZZ_SECONDS:-60}"
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ \
    -DTR69_SANITIZE=ON -DTR69_FUZZ=ON -DTR69_BUILD_BENCH=OFF >/dev/null
fi
if [[ -n "${FUZZ_TARGETS:-}" ]]; then
  read -r -a names <<<"$FUZZ_TARGETS"
  cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target "${names[@]/%/_fuzz}" >/dev/null
  targets=()
  for name in "${names[@]}"; do
    targets+=("$(find "$build" -type f -name "${name}_fuzz" -perm -u+x | head -n 1)")
  done
else
  cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
  mapfile -t targets < <(find "$build" -type f -name '*_fuzz' -perm -u+x | sort)
fi
if ((${#targets[@]} == 0)); then
  echo "fuzz: no fuzz targets in $build"
  exit 0
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failed=0
for target in "${targets[@]}"; do
  name=$(basename "$target" _fuzz)
  work="$scratch/$name"
  mkdir -p "$work/corpus" "$work/artifacts"
  if [[ -d "$root/tests/fuzz/corpus/$name" ]]; then
    cp -r "$root/tests/fuzz/corpus/$name/." "$work/corpus/"
  fi
  echo "fuzz: $name for ${seconds}s"
  if ! "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$work/artifacts/" "$work/corpus" >"$work/log" 2>&1; then
    echo "fuzz: $name FAILED; last lines:"
    tail -n 30 "$work/log"
    mkdir -p "$root/build/fuzz-artifacts/$name"
    cp -r "$work/artifacts/." "$root/build/fuzz-artifacts/$name/" || true
    failed=1
  else
    grep -E '^(Done|#[0-9]+ +DONE)' "$work/log" | tail -n 1 || true
  fi
done
exit "$failed"
