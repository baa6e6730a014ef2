#!/usr/bin/env bash
# The SysV init script (config/tr69d.init) against the real tr69d in a temporary phone directory:
# start / status / reload / restart / stop, their LSB exit codes, and that the process really
# starts and stops. No ACS is needed (the daemon starts and retries its Inform).
#   tests/e2e/init_script_test.sh TR69D_BINARY INIT_SCRIPT
set -uo pipefail
tr69d=$1
init=$2
work=$(mktemp -d /tmp/tr69d-init-test.XXXXXX)
failures=0
cleanup() {
  local pid
  pid=$(cat "$work/run/tr69d.pid" 2>/dev/null || true)
  [[ -n "$pid" ]] && kill -KILL "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# expect CODE ACTION: runs the init script, checks its exit status.
expect() {
  local want=$1 action=$2 got=0
  out=$("$init" "$action" 2>&1) || got=$?
  echo "\$ tr69d.init $action -> $got: $out"
  [[ "$got" == "$want" ]] || fail "'$action' exited $got, expected $want"
}
pid_of() { cat "$TR69D_PIDFILE" 2>/dev/null; }
alive() { [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null; }
is_tr69d() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q -- "--state-dir $work/state"; }
wait_gone() {
  for _ in $(seq 100); do alive "$1" || return 0; sleep 0.1; done
  return 1
}
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

mkdir -p "$work/config" "$work/run" "$work/sysroot/run/tr69d" "$work/sysroot/proc"
echo 127.0.0.1 >"$work/sysroot/run/tr69d/ipaddress"
echo "42.00 10.00" >"$work/sysroot/proc/uptime"
printf 'model: 6757i\nmac: 00085D0A0B0C\nserial: 00085D0A0B0C\n' >"$work/identity"
cat >"$work/config/aastra.cfg" <<CFG
tr69 server: http://127.0.0.1:$(free_port)/acs
tr69 connection request port: $(free_port)
CFG

export TR69D_BIN="$tr69d"
export TR69D_CONFIG_DIR="$work/config"
export TR69D_STATE_DIR="$work/state"  # created by the script
export TR69D_IDENTITY="$work/identity"
export TR69D_PIDFILE="$work/run/tr69d.pid"
export TR69D_OPTS="--listen-address 127.0.0.1 --system-root $work/sysroot --log-stderr"

expect 3 status
expect 0 stop
expect 7 reload
expect 2 bogus

expect 0 start
first=$(pid_of)
alive "$first" && is_tr69d "$first" || fail "start: no tr69d process behind the pid file ($first)"
[[ -d "$work/state" ]] || fail "start did not create the state dir"
expect 0 status
[[ "$out" == *"running (pid $first)"* ]] || fail "status does not name pid $first"
expect 0 start
[[ "$(pid_of)" == "$first" ]] || fail "a second start replaced the running daemon"

expect 0 reload
sleep 0.3
alive "$first" || fail "reload (SIGHUP) ended the daemon"
[[ "$(pid_of)" == "$first" ]] || fail "reload changed the pid"

expect 0 restart
second=$(pid_of)
wait_gone "$first" || fail "restart left the old daemon ($first) running"
alive "$second" && is_tr69d "$second" || fail "restart: no new daemon ($second)"
[[ "$second" != "$first" ]] || fail "restart kept the same pid"

expect 0 stop
wait_gone "$second" || fail "stop left the daemon ($second) running"
[[ ! -e "$TR69D_PIDFILE" ]] || fail "stop left the pid file"
expect 3 status

# A daemon killed outright leaves its pid file: status says so (1), start still works.
expect 0 start
third=$(pid_of)
kill -KILL "$third"
wait_gone "$third" || fail "SIGKILL did not end $third"
expect 1 status
expect 0 start
alive "$(pid_of)" || fail "start after a crash did not start tr69d"
expect 0 stop

# A start that cannot succeed is a failure, not a silent success.
TR69D_CONFIG_DIR="$work/missing" expect 1 start
expect 3 status

if ((failures)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "init script: all checks passed"
