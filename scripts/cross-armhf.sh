#!/usr/bin/env bash
# Cross-compiles tr69d for the phone's CPU (32-bit ARM, armhf) and runs the unit tests under
# qemu-user. Installs Debian's armhf cross toolchain and armhf -dev packages when missing.
#   scripts/cross-armhf.sh [--no-tests]
set -euo pipefail
cd "$(dirname "$0")/.."
run_tests=1
[[ "${1:-}" == "--no-tests" ]] && run_tests=0
sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive

armhf_pkgs=(libcurl4-openssl-dev libssl-dev libpugixml-dev libmicrohttpd-dev libgsoap-dev
            libgtest-dev libgmock-dev)
need=()
for p in crossbuild-essential-armhf qemu-user gsoap; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
for p in "${armhf_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p:armhf" 2>/dev/null | grep -q 'install ok installed' ||
    need+=("$p:armhf")
done
if ((${#need[@]})); then
  if ! dpkg --print-foreign-architectures | grep -qx armhf; then
    $sudo dpkg --add-architecture armhf
  fi
  $sudo apt-get update -qq
  # Multi-Arch "same" packages must have the same version for both architectures. The security
  # suite here carries amd64 only, so take both from the main suite (-t bookworm); the kernel
  # headers are pinned to the armhf candidate for the same reason.
  headers=$(apt-cache policy linux-libc-dev:armhf | awk '/Candidate/{print $2}')
  $sudo apt-get install -y -qq --no-install-recommends --allow-downgrades -t bookworm \
    "${need[@]}" "linux-libc-dev=$headers" "linux-libc-dev:armhf=$headers" >/dev/null
fi

jobs=$(nproc 2>/dev/null || echo 2)
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# Host tools first (the data-model generator runs at build time on the build host).
cmake -S . -B build/host-tools -DCMAKE_BUILD_TYPE=Release -DTR69_BUILD_TESTS=OFF \
  -DTR69_BUILD_BENCH=OFF "${launcher[@]}" >/dev/null
host_generator=""
if cmake --build build/host-tools -j"$jobs" --target tr69-dmgen >/dev/null 2>&1; then
  host_generator=$(find build/host-tools -type f -name tr69-dmgen -perm -u+x | head -n 1)
fi

cmake -S . -B build/armhf -DCMAKE_TOOLCHAIN_FILE=third_party/cmake/toolchain-armhf.cmake \
  -DCMAKE_BUILD_TYPE=Release -DTR69_BUILD_BENCH=OFF "${launcher[@]}" \
  ${host_generator:+-DTR69_DM_GENERATOR="$(pwd)/$host_generator"} >/dev/null
cmake --build build/armhf -j"$jobs"
for program in tr69d tr69ctl; do
  bin=$(find build/armhf/src -type f -name "$program" -perm -u+x | head -n 1)
  [[ -n "$bin" ]] || continue
  file "$bin"
  # What goes into the firmware image: the stripped program (shared libraries not counted).
  arm-linux-gnueabihf-strip -o "build/armhf/$program.stripped" "$bin"
  echo "$program stripped: $(stat -c %s "build/armhf/$program.stripped") bytes"
done
if ((run_tests)); then
  ctest --test-dir build/armhf --output-on-failure -j"$jobs" -L unit -LE fuzz --timeout 900
fi
