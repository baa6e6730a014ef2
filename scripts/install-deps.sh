#!/usr/bin/env bash
# Installs the Debian packages of scripts/deps.txt (required) and scripts/deps-optional.txt
# (test peers, best-effort) that are not installed yet, plus any given as arguments. Uses sudo
# when not root. Does nothing when everything is present.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

# With a foreign architecture enabled (the armhf cross-build), dpkg-query prints one status per
# architecture: a package counts as present when any of them is installed.
missing_from() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -qx 'install ok installed' ||
      echo "$pkg"
  done
}

mapfile -t required < <(grep -v -E '^\s*(#|$)' "$here/deps.txt")
required+=("$@")
mapfile -t optional < <(grep -v -E '^\s*(#|$)' "$here/deps-optional.txt" 2>/dev/null || true)
mapfile -t need < <(missing_from "${required[@]}")
mapfile -t want < <(missing_from "${optional[@]}")
if ((${#need[@]} == 0 && ${#want[@]} == 0)); then
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# A stale or briefly inconsistent mirror must not stop a machine that has usable lists already.
$sudo apt-get update -qq || echo "install-deps: apt-get update failed; using the current lists"
if ((${#need[@]})); then
  echo "install-deps: installing ${need[*]}"
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
for pkg in "${want[@]}"; do
  $sudo apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null 2>&1 ||
    echo "install-deps: optional package $pkg not installed (tests that need it will skip)"
done
