#!/usr/bin/env bash
# The demo: builds tr69d and shows what it can do so far.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build/demo -DCMAKE_BUILD_TYPE=Release -DTR69_BUILD_TESTS=OFF -DTR69_BUILD_BENCH=OFF >/dev/null
cmake --build build/demo -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
echo "tr69d built in build/demo. (The provisioning demo grows as the agent does.)"
