#!/usr/bin/env bash
# The footprint of tr69d (issue #11 item 1), next to the floor program bench/footprint/floor.cpp
# (the same libraries initialised, nothing else). Builds a Release tree and prints one table:
#
#   stripped size        `strip` of the Release binary, in bytes
#   idle anon / RSS      RssAnon / VmRSS of /proc/<pid>/status, 1 s after a full-tree
#                        GetParameterValues session (the floor: 1 s after start). RssAnon is the
#                        private anonymous resident memory (heap, stacks, written .data/.bss/GOT
#                        pages); smaps_rollup's Anonymous is printed for cross-checking.
#   peak anon            the largest RssAnon seen while the daemon starts, runs the BOOTSTRAP
#                        session and the full-tree GetParameterValues session, sampled every
#                        ~2 ms by a reader of /proc/<pid>/status (a sample can miss a shorter peak)
#   peak RSS             VmHWM, the kernel's own high-water mark of VmRSS over the process life
#   heap allocs/session  valgrind memcheck's "total heap usage" (malloc/new calls) of two runs,
#                        one with the BOOTSTRAP session only and one with N more full-tree GPV
#                        sessions: (allocs(N+1) - allocs(1)) / N; also bytes allocated per session.
#                        The floor row shows the floor's allocations from start to exit.
#
# The daemon runs against tr69-test-acs on 127.0.0.1 in a throw-away phone directory (as
# scripts/demo.sh sets it up); sessions after the first are asked for with `tr69ctl inform`.
# The phone's own CPU is 32-bit ARM: when Debian's armhf cross toolchain and armhf libraries are
# installed (scripts/cross-armhf.sh installs them), the same Release tr69d is also cross-built
# (build/armhf-footprint, --no-armhf skips it) and its stripped size printed.
# The test ACS (not measured) comes from the developer tree (--acs-build, default build/dev,
# RelWithDebInfo): test code is not built at -O3. KEEP_FOOTPRINT=1 keeps the work directory, with
# /proc/<pid>/smaps of the idle daemon (run/tr69d.idle.smaps) and of the floor (floor.smaps).
#   bench/footprint.sh [--build-dir DIR] [--acs-build DIR] [--sessions N] [--no-valgrind]
#                      [--no-armhf]
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/footprint
acs_build=build/dev
sessions=10
use_valgrind=1
use_armhf=1
while (($#)); do
  case "$1" in
    --build-dir) build="$2"; shift ;;
    --acs-build) acs_build="$2"; shift ;;
    --sessions) sessions="$2"; shift ;;
    --no-valgrind) use_valgrind=0 ;;
    --no-armhf) use_armhf=0 ;;
    *) echo "usage: bench/footprint.sh [--build-dir DIR] [--acs-build DIR] [--sessions N]" \
         "[--no-valgrind] [--no-armhf]" >&2
       exit 2 ;;
  esac
  shift
done

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DTR69_BUILD_TESTS=OFF -DTR69_BUILD_BENCH=ON \
  "${launcher[@]}" >/dev/null
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" \
  --target tr69d tr69ctl tr69-footprint-floor >/dev/null
if [[ ! -f "$acs_build/CMakeCache.txt" ]]; then
  cmake -S . -B "$acs_build" -DTR69_BUILD_BENCH=ON "${launcher[@]}" >/dev/null
fi
cmake --build "$acs_build" -j"$(nproc 2>/dev/null || echo 2)" --target tr69-test-acs >/dev/null
find_bin() { find "$1" -type f -name "$2" -perm -u+x | head -n 1; }
tr69d=$(find_bin "$build" tr69d)
tr69ctl=$(find_bin "$build" tr69ctl)
acs=$(find_bin "$acs_build" tr69-test-acs)
floor=$(find_bin "$build" tr69-footprint-floor)
for b in "$tr69d" "$tr69ctl" "$acs" "$floor"; do
  [[ -x "$b" ]] || { echo "footprint: missing binaries in $build" >&2; exit 1; }
done
if ((use_valgrind)) && ! command -v valgrind >/dev/null; then
  echo "footprint: valgrind not installed: no allocation counts" >&2
  use_valgrind=0
fi

work=$(mktemp -d /tmp/tr69d-footprint.XXXXXX)
pids=()
stop_pid() {  # stop_pid PID: SIGTERM, SIGKILL after 10 s
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  if [[ "${KEEP_FOOTPRINT:-0}" == 1 ]]; then echo "footprint files kept in $work"; else
    rm -rf "$work"; fi
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
field() {  # field PID NAME: a kB field of /proc/PID/status
  awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"
}
rollup() {  # rollup PID NAME: a kB field of /proc/PID/smaps_rollup
  awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/smaps_rollup" 2>/dev/null || echo "?"
}
wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local limit=$1 what=$2
  shift 2
  for _ in $(seq $((limit * 20))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.05
  done
  echo "footprint: timed out waiting for $what" >&2
  tail -n 30 "$phone/tr69d.log" >&2 || true
  exit 1
}

# ---- a throw-away phone -------------------------------------------------------------------------
# make_phone DIR: config, identity, state and system root for one tr69d run; sets acs_port.
make_phone() {
  local dir=$1
  acs_port=$(free_port)
  local cr_port
  cr_port=$(free_port)
  mkdir -p "$dir/config" "$dir/state" "$dir/sysroot/run/tr69d" "$dir/sysroot/proc"
  echo 127.0.0.1 >"$dir/sysroot/run/tr69d/ipaddress"
  echo "4242.00 100.00" >"$dir/sysroot/proc/uptime"
  printf '%s\n' "model: 6757i" "mac: 00085D1A2B3C" "serial: 6757i0001234" \
    "software version: 3.3.1.4322" "hardware version: 6757i Rev 3" >"$dir/identity"
  cat >"$dir/config/aastra.cfg" <<CFG
tr69 server: http://127.0.0.1:$acs_port/acs
tr69 username: acs-user
tr69 password: acs-secret
tr69 connection request username: cr-user
tr69 connection request password: cr-secret
tr69 connection request port: $cr_port
tr69 periodic inform enable: 0
sip proxy ip: sip.example.net
sip proxy port: 5060
sip registrar ip: sip.example.net
CFG
  # Session 0: BOOTSTRAP, accepted. Every later session: GetParameterValues of the whole tree.
  cat >"$dir/scenario.xml" <<'XML'
<scenario>
  <session auth="digest"><expect-event code="0 BOOTSTRAP"/></session>
  <default-session auth="digest">
    <rpc method="GetParameterValues"><name>Device.</name></rpc>
  </default-session>
</scenario>
XML
}
start_acs() {  # start_acs DIR
  "$acs" --port "$acs_port" --path /acs --scenario "$1/scenario.xml" 2>"$1/acs.log" &
  acs_pid=$!
  pids+=("$acs_pid")
}
daemon_args() {  # daemon_args DIR
  echo --config-dir "$1/config" --state-dir "$1/state" --identity "$1/identity" --foreground \
    --log-level info --listen-address 127.0.0.1 --system-root "$1/sysroot"
}
sessions_done() { [[ $(grep -c 'session: ended successfully' "$phone/tr69d.log") -ge $1 ]]; }

# ---- sizes --------------------------------------------------------------------------------------
strip -o "$work/tr69d.stripped" "$tr69d"
strip -o "$work/floor.stripped" "$floor"
size_tr69d=$(stat -c %s "$work/tr69d.stripped")
size_floor=$(stat -c %s "$work/floor.stripped")

# ---- armhf (the phone's CPU), when the cross toolchain is installed ------------------------------
size_armhf=""
if ((use_armhf)) && command -v arm-linux-gnueabihf-g++ >/dev/null &&
  [[ -f /usr/lib/arm-linux-gnueabihf/pkgconfig/gsoap++.pc ]]; then
  armhf_build=build/armhf-footprint
  dmgen=$(find_bin "$build" tr69-dmgen)
  if cmake -S . -B "$armhf_build" -DCMAKE_TOOLCHAIN_FILE=third_party/cmake/toolchain-armhf.cmake \
    -DCMAKE_BUILD_TYPE=Release -DTR69_BUILD_TESTS=OFF -DTR69_BUILD_BENCH=OFF "${launcher[@]}" \
    ${dmgen:+-DTR69_DM_GENERATOR="$(pwd)/$dmgen"} >"$work/armhf-build.log" 2>&1 &&
    cmake --build "$armhf_build" -j"$(nproc 2>/dev/null || echo 2)" --target tr69d \
      >>"$work/armhf-build.log" 2>&1; then
    arm-linux-gnueabihf-strip -o "$work/tr69d.armhf.stripped" "$(find_bin "$armhf_build/src" tr69d)"
    size_armhf=$(stat -c %s "$work/tr69d.armhf.stripped")
  else
    tail -n 20 "$work/armhf-build.log" >&2
    echo "footprint: the armhf build failed: no armhf size" >&2
  fi
fi

# ---- the floor ----------------------------------------------------------------------------------
"$floor" >"$work/floor.out" &
floor_pid=$!
pids+=("$floor_pid")
phone=$work  # for wait_for's log tail
wait_for 10 "the floor program" grep -q ready "$work/floor.out"
sleep 1
floor_anon=$(field "$floor_pid" RssAnon)
floor_rss=$(field "$floor_pid" VmRSS)
floor_hwm=$(field "$floor_pid" VmHWM)
floor_rollup_anon=$(rollup "$floor_pid" Anonymous)
cp "/proc/$floor_pid/smaps" "$work/floor.smaps" 2>/dev/null || true
stop_pid "$floor_pid"

# ---- tr69d: BOOTSTRAP, then one full-tree GetParameterValues session, sampled ---------------------
phone=$work/run
make_phone "$phone"
start_acs "$phone"
# shellcheck disable=SC2046
"$tr69d" $(daemon_args "$phone") 2>"$phone/tr69d.log" &
daemon_pid=$!
pids+=("$daemon_pid")
# Samples RssAnon every ~2 ms (bash builtins and a sleep) until the stop file exists; prints the
# largest value.
sample_peak_anon() {  # sample_peak_anon PID STOPFILE
  local peak=0 key value _
  while [[ ! -e "$2" ]]; do
    while read -r key value _; do
      if [[ "$key" == RssAnon: ]]; then
        ((value > peak)) && peak=$value
        break
      fi
    done <"/proc/$1/status" || break
    sleep 0.001
  done
  echo "$peak"
}
sample_peak_anon "$daemon_pid" "$phone/sampler.stop" >"$phone/sampler.out" 2>/dev/null &
sampler_pid=$!
wait_for 60 "the BOOTSTRAP session" sessions_done 1
"$tr69ctl" --state-dir "$phone/state" inform >/dev/null
wait_for 60 "the GetParameterValues session" sessions_done 2
touch "$phone/sampler.stop"
wait "$sampler_pid"
peak_anon=$(cat "$phone/sampler.out")
sleep 1
idle_anon=$(field "$daemon_pid" RssAnon)
idle_rss=$(field "$daemon_pid" VmRSS)
peak_rss=$(field "$daemon_pid" VmHWM)
idle_rollup_anon=$(rollup "$daemon_pid" Anonymous)
cp "/proc/$daemon_pid/smaps" "$phone/tr69d.idle.smaps" 2>/dev/null || true
stop_pid "$daemon_pid"
stop_pid "$acs_pid"

# ---- heap allocations (valgrind memcheck "total heap usage") ------------------------------------
heap_line() {  # heap_line LOG -> "ALLOCS BYTES"
  sed -n 's/.*total heap usage: \([0-9,]*\) allocs, [0-9,]* frees, \([0-9,]*\) bytes allocated.*/\1 \2/p' \
    "$1" | tr -d , | tail -n 1
}
allocs_per_session="-"
bytes_per_session="-"
allocs_first="-"
floor_allocs="-"
if ((use_valgrind)); then
  valgrind_run() {  # valgrind_run NAME EXTRA_SESSIONS
    phone=$work/$1
    make_phone "$phone"
    start_acs "$phone"
    # shellcheck disable=SC2046
    valgrind --tool=memcheck --log-file="$phone/valgrind.log" "$tr69d" $(daemon_args "$phone") \
      2>"$phone/tr69d.log" &
    local vg=$!
    pids+=("$vg")
    wait_for 120 "the BOOTSTRAP session under valgrind" sessions_done 1
    local i
    for ((i = 1; i <= $2; i++)); do
      "$tr69ctl" --state-dir "$phone/state" inform >/dev/null
      wait_for 120 "session $((i + 1)) under valgrind" sessions_done $((i + 1))
    done
    stop_pid "$vg"
    stop_pid "$acs_pid"
    heap_line "$phone/valgrind.log"
  }
  read -r a1 b1 < <(valgrind_run vg1 0)
  read -r an bn < <(valgrind_run vgn "$sessions")
  allocs_first=$a1
  allocs_per_session=$(((an - a1) / sessions))
  bytes_per_session=$(((bn - b1) / sessions))
  valgrind --tool=memcheck --log-file="$work/floor-valgrind.log" "$floor" >"$work/floor-vg.out" &
  vg=$!
  pids+=("$vg")
  phone=$work
  wait_for 60 "the floor program under valgrind" grep -q ready "$work/floor-vg.out"
  stop_pid "$vg"
  read -r floor_allocs _ < <(heap_line "$work/floor-valgrind.log")
fi

# ---- the table ----------------------------------------------------------------------------------
mib() { awk -v k="$1" 'BEGIN { printf "%.2f MiB", k / 1024 }'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t) ? "met" : "MISSED" }'; }
printf '%-34s %14s %14s %14s\n' "footprint (Release)" tr69d floor "tr69d-floor"
printf '%-34s %14s %14s %14s\n' "stripped size" "$(mib $((size_tr69d / 1024)))" \
  "$(mib $((size_floor / 1024)))" "$(mib $(((size_tr69d - size_floor) / 1024)))"
printf '%-34s %14s %14s\n' "stripped size in bytes" "$size_tr69d" "$size_floor"
if [[ -n "$size_armhf" ]]; then
  printf '%-34s %14s\n' "stripped size, armhf" "$(mib $((size_armhf / 1024)))"
  printf '%-34s %14s\n' "stripped size, armhf, in bytes" "$size_armhf"
fi
printf '%-34s %14s %14s %14s\n' "idle RssAnon (private anonymous)" "$(mib "$idle_anon")" \
  "$(mib "$floor_anon")" "$(mib $((idle_anon - floor_anon)))"
printf '%-34s %14s %14s %14s\n' "idle VmRSS (total)" "$(mib "$idle_rss")" "$(mib "$floor_rss")" \
  "$(mib $((idle_rss - floor_rss)))"
printf '%-34s %14s %14s %14s\n' "idle smaps_rollup Anonymous" "$(mib "$idle_rollup_anon")" \
  "$(mib "$floor_rollup_anon")" "$(mib $((idle_rollup_anon - floor_rollup_anon)))"
printf '%-34s %14s %14s %14s\n' "peak RssAnon (sampled ~2 ms)" "$(mib "$peak_anon")" \
  "$(mib "$floor_anon")" "$(mib $((peak_anon - floor_anon)))"
printf '%-34s %14s %14s %14s\n' "peak VmRSS (VmHWM)" "$(mib "$peak_rss")" "$(mib "$floor_hwm")" \
  "$(mib $((peak_rss - floor_hwm)))"
if ((use_valgrind)); then
  printf '%-34s %14s %14s\n' "heap allocs: start + BOOTSTRAP" "$allocs_first" "$floor_allocs"
  printf '%-34s %14s\n' "heap allocs per full-tree GPV sess." "$allocs_per_session"
  printf '%-34s %14s\n' "heap bytes per full-tree GPV sess." "$bytes_per_session"
fi
((use_valgrind)) && echo "(allocations per session: the mean over $sessions full-tree GetParameterValues sessions)"
echo "targets"
printf '  %-58s %s\n' "stripped tr69d <= 1 MiB: $(mib $((size_tr69d / 1024)))" \
  "$(verdict "$size_tr69d" 1048576)"
if [[ -n "$size_armhf" ]]; then
  printf '  %-58s %s\n' "stripped tr69d (armhf) <= 1 MiB: $(mib $((size_armhf / 1024)))" \
    "$(verdict "$size_armhf" 1048576)"
fi
printf '  %-58s %s\n' "idle RssAnon <= floor + 0.5 MiB: +$(mib $((idle_anon - floor_anon)))" \
  "$(verdict $((idle_anon - floor_anon)) 512)"
printf '  %-58s %s\n' "peak RssAnon <= floor + 2 MiB: +$(mib $((peak_anon - floor_anon)))" \
  "$(verdict $((peak_anon - floor_anon)) 2048)"
printf '  %-58s %s\n' "peak VmRSS <= floor + 2 MiB: +$(mib $((peak_rss - floor_hwm)))" \
  "$(verdict $((peak_rss - floor_hwm)) 2048)"
