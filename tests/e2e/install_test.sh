#!/usr/bin/env bash
# `cmake --install` of a built tree puts the programs, the init script, the systemd unit and the
# example configuration in place: once with --prefix, once with DESTDIR (how a firmware image
# is staged).
#   tests/e2e/install_test.sh BUILD_DIR
set -uo pipefail
build=$1
work=$(mktemp -d /tmp/tr69d-install-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

check_tree() {  # check_tree ROOT
  local root=$1
  [[ -x "$root/sbin/tr69d" ]] || fail "$root/sbin/tr69d missing or not executable"
  [[ -x "$root/bin/tr69ctl" ]] || fail "$root/bin/tr69ctl missing or not executable"
  [[ -x "$root/etc/init.d/tr69d" ]] || fail "$root/etc/init.d/tr69d missing or not executable"
  [[ -f "$root/lib/systemd/system/tr69d.service" ]] || fail "systemd unit missing under $root"
  [[ -f "$root/etc/tr69d/aastra.cfg" ]] || fail "example aastra.cfg missing under $root"
  [[ -f "$root/etc/tr69d/identity.example" ]] || fail "example identity missing under $root"
  if [[ -x "$root/sbin/tr69d" ]]; then
    "$root/sbin/tr69d" --version | grep -q '^tr69d ' || fail "installed tr69d --version"
  fi
  if [[ -x "$root/bin/tr69ctl" && -f "$root/etc/tr69d/identity.example" ]]; then
    "$root/bin/tr69ctl" --identity "$root/etc/tr69d/identity.example" option125 >/dev/null ||
      fail "installed tr69ctl option125 with the example identity"
  fi
}

cmake --install "$build" --prefix "$work/prefix" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log"; fail "cmake --install --prefix"; }
check_tree "$work/prefix"

DESTDIR="$work/image" cmake --install "$build" --prefix /usr >"$work/install2.log" 2>&1 ||
  { cat "$work/install2.log"; fail "DESTDIR=... cmake --install --prefix /usr"; }
check_tree "$work/image/usr"

if ((failures)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "install: all checks passed"
