#!/usr/bin/env bash
# The demo: tr69d provisioned by the bundled test ACS, on loopback, in a throw-away phone directory.
#
#   1. first contact: 0 BOOTSTRAP + 1 BOOT, the ACS reads the whole tree (GetParameterNames,
#      GetParameterValues) and configures SIP line 1 (SetParameterValues -> local.cfg);
#   2. the ACS sends a connection request (HTTP digest) and asks for a configuration backup
#      (Upload "1 Vendor Configuration File" -> <MAC>_local.cfg on the ACS file server);
#   3. the phone reports the finished upload (7 TRANSFER COMPLETE, M Upload, TransferComplete).
# It prints what happened (scripts/demo-story.py condenses the ACS transcript to one line per
# message) and the resulting local.cfg, then stops everything it started.
#
#   scripts/demo.sh [--quiet] [--build-dir DIR]
#     --quiet      only a summary and the exit status (CI runs the demo this way)
#     --build-dir  use binaries from an existing build tree instead of building build/demo
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
quiet=0
build=""
while (($#)); do
  case "$1" in
    --quiet) quiet=1 ;;
    --build-dir) build="$2"; shift ;;
    *) echo "usage: scripts/demo.sh [--quiet] [--build-dir DIR]" >&2; exit 2 ;;
  esac
  shift
done
say() { ((quiet)) || printf '%s\n' "$*"; }
section() { ((quiet)) || printf '\n\033[1m== %s\033[0m\n' "$*"; }

if [[ -z "$build" ]]; then
  ./scripts/install-deps.sh
  build=build/demo
  section "building tr69d, tr69ctl and tr69-test-acs (Release, $build)"
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DTR69_BUILD_BENCH=OFF >/dev/null
  cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target tr69d tr69ctl tr69-test-acs \
    >/dev/null
fi
find_bin() { find "$build" -type f -name "$1" -perm -u+x | head -n 1; }
tr69d=$(find_bin tr69d)
tr69ctl=$(find_bin tr69ctl)
acs=$(find_bin tr69-test-acs)
for b in "$tr69d" "$tr69ctl" "$acs"; do
  [[ -x "$b" ]] || { echo "demo: missing binaries in $build" >&2; exit 1; }
done

work=$(mktemp -d /tmp/tr69d-demo.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [[ "${KEEP_DEMO:-0}" == 1 ]]; then echo "demo files kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
acs_port=$(free_port)
files_port=$(free_port)
cr_port=$(free_port)
mac=00085D1A2B3C
mkdir -p "$work/config" "$work/state" "$work/files" "$work/sysroot/run/tr69d" "$work/sysroot/proc"
echo 127.0.0.1 >"$work/sysroot/run/tr69d/ipaddress"
echo "4242.00 100.00" >"$work/sysroot/proc/uptime"
cat >"$work/identity" <<ID
model: 6757i
mac: $mac
serial: 6757i0001234
software version: 3.3.1.4322
hardware version: 6757i Rev 3
ID
cat >"$work/config/aastra.cfg" <<CFG
# Served by the provisioning server to every phone.
tr69 server: http://127.0.0.1:$acs_port/acs
tr69 username: acs-user
tr69 password: acs-secret
tr69 connection request username: cr-user
tr69 connection request password: cr-secret
tr69 connection request port: $cr_port
tr69 connection request path: aastra/tr69
tr69 periodic inform enable: 0
sip proxy ip: sip.example.net
sip proxy port: 5060
sip registrar ip: sip.example.net
CFG
cat >"$work/apply.sh" <<'APPLY'
#!/bin/sh
echo "apply: SIP lines $* re-configured and re-registering" >>"$(dirname "$0")/apply.log"
APPLY
chmod +x "$work/apply.sh"

line1=Device.Services.VoiceService.1.VoiceProfile.1
cat >"$work/scenario.xml" <<XML
<scenario check-conformance="true">
  <session auth="digest" username="acs-user" password="acs-secret">
    <expect-event code="0 BOOTSTRAP"/>
    <expect-event code="1 BOOT"/>
    <rpc method="GetParameterNames"><arg name="ParameterPath">Device.</arg>
      <arg name="NextLevel">false</arg></rpc>
    <rpc method="GetParameterValues"><name>Device.</name></rpc>
    <rpc method="SetParameterValues">
      <value name="$line1.SIP.ProxyServer">pbx.example.com</value>
      <value name="$line1.SIP.ProxyServerPort" type="xsd:unsignedInt">5061</value>
      <value name="$line1.SIP.RegistrarServer">pbx.example.com</value>
      <value name="$line1.Line.1.SIP.AuthUserName">2001</value>
      <value name="$line1.Line.1.SIP.AuthPassword">s3cret-2001</value>
      <value name="$line1.Line.1.SIP.URI">2001</value>
      <value name="$line1.Line.1.CallingFeatures.CallerIDName">Reception</value>
      <arg name="ParameterKey">provision-1</arg>
      <expect status="0"/>
    </rpc>
    <rpc method="GetParameterValues"><name>$line1.SIP.ProxyServer</name>
      <name>$line1.Line.1.SIP.AuthPassword</name>
      <expect result="success">
        <value name="$line1.SIP.ProxyServer">pbx.example.com</value>
        <value name="$line1.Line.1.SIP.AuthPassword"></value>
      </expect>
    </rpc>
  </session>
  <session auth="digest" username="acs-user" password="acs-secret">
    <expect-event code="6 CONNECTION REQUEST"/>
    <rpc method="Upload"><arg name="CommandKey">backup-1</arg>
      <arg name="FileType">1 Vendor Configuration File</arg>
      <arg name="URL">http://127.0.0.1:$files_port/</arg></rpc>
  </session>
  <session auth="digest" username="acs-user" password="acs-secret">
    <expect-event code="7 TRANSFER COMPLETE"/>
    <expect-event code="M Upload" command-key="backup-1"/>
  </session>
</scenario>
XML

section "starting tr69-test-acs on 127.0.0.1:$acs_port (files on :$files_port)"
"$acs" --port "$acs_port" --path /acs --scenario "$work/scenario.xml" \
  --transcript "$work/transcript.txt" --files-dir "$work/files" --files-port "$files_port" \
  2>"$work/acs.log" &
pids+=($!)
section "starting tr69d (phone 6757i, MAC $mac) in $work"
"$tr69d" --config-dir "$work/config" --state-dir "$work/state" --identity "$work/identity" \
  --foreground --log-level info --listen-address 127.0.0.1 --system-root "$work/sysroot" \
  --apply-command "$work/apply.sh" 2>"$work/tr69d.log" &
pids+=($!)

ctl() { "$tr69ctl" --state-dir "$work/state" "$@"; }
wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local limit=$1 what=$2
  shift 2
  for _ in $(seq $((limit * 10))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "demo: timed out waiting for $what" >&2
  echo "---- tr69d log ----" >&2; tail -n 40 "$work/tr69d.log" >&2
  echo "---- ACS log ----" >&2; tail -n 20 "$work/acs.log" >&2
  exit 1
}
sessions_done() { [[ $(grep -c 'session: ended successfully' "$work/tr69d.log") -ge $1 ]]; }

wait_for 60 "the BOOTSTRAP session" sessions_done 1
say "session 1 done: BOOTSTRAP, tree read, SIP line 1 configured"
section "the ACS sends a connection request to http://127.0.0.1:$cr_port/aastra/tr69"
code=$(curl -s -o /dev/null -w '%{http_code}' --digest -u cr-user:cr-secret \
  "http://127.0.0.1:$cr_port/aastra/tr69")
say "connection request answered HTTP $code"
[[ "$code" == 200 ]] || { echo "demo: connection request refused ($code)" >&2; exit 1; }
wait_for 60 "the configuration backup upload" test -s "$work/files/${mac}_local.cfg"
wait_for 60 "the TransferComplete session" sessions_done 3

section "what went over the wire, message by message (full transcript: $work/transcript.txt)"
# The story is also the check that the transcript holds the three sessions it should.
python3 scripts/demo-story.py "$work/transcript.txt" >"$work/story.txt" ||
  { echo "demo: cannot read the ACS transcript" >&2; exit 1; }
((quiet)) || cat "$work/story.txt"
for step in "Inform \[0 BOOTSTRAP, 1 BOOT\]" "GetParameterNamesResponse" "SetParameterValues " \
  "Inform \[6 CONNECTION REQUEST\]" "Upload '1 Vendor Configuration File'" \
  "TransferComplete (CommandKey 'backup-1', FaultCode 0)"; do
  grep -q "$step" "$work/story.txt" || { echo "demo: the story lacks: $step" >&2; exit 1; }
done
section "tr69ctl status"
((quiet)) || ctl status
section "local.cfg written through from the ACS (SIP line 1)"
((quiet)) || cat "$work/config/local.cfg"
section "apply command invocations"
((quiet)) || cat "$work/apply.log" 2>/dev/null || true
section "configuration backup received by the ACS file server: ${mac}_local.cfg"
((quiet)) || cat "$work/files/${mac}_local.cfg"

grep -q 'sip line1 proxy ip: pbx.example.com' "$work/config/local.cfg" ||
  { echo "demo: local.cfg lacks the line 1 proxy" >&2; exit 1; }
cmp -s "$work/config/local.cfg" "$work/files/${mac}_local.cfg" ||
  { echo "demo: the uploaded backup differs from local.cfg" >&2; exit 1; }
if grep -q 's3cret-2001' "$work/tr69d.log" "$work/acs.log"; then
  echo "demo: a password reached a log" >&2
  exit 1
fi
kill -TERM "${pids[0]}" 2>/dev/null || true
acs_status=0
wait "${pids[0]}" || acs_status=$?
if ((acs_status != 0)); then
  echo "demo: the test ACS recorded failures:" >&2
  tail -n 20 "$work/acs.log" >&2
  exit 1
fi
echo "demo: OK: 3 sessions (bootstrap + provisioning, connection request + backup, transfer" \
  "complete), local.cfg written, backup uploaded byte for byte, no secrets in the logs"
