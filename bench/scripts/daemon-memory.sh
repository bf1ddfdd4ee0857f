#!/usr/bin/env bash
# Resident memory of the idle daemon (issue 4): starts `autoprobe daemon -n` (dry run: decides,
# loads nothing, so it runs on a kernel without module support) against a depmod'ed module tree,
# waits for READY=1 on a private NOTIFY_SOCKET, lets it idle, then reads /proc/PID/status and the
# daemon's own status, and stops it with SIGTERM.
# Usage: daemon-memory.sh [ROOT KVER]   (default: /var/cache/autoprobe-test/ref 6.1.0-56-amd64)
# Environment: AUTOPROBE_JAVA_OPTS (passed to the launcher), IDLE (seconds, default 20),
#              MALLOC_ARENA_MAX (passed through), RUNS (default 1), DAEMON_ARGS (more daemon
#              options, e.g. "--ring-size 4096").
# Prints one line per run: ready_ms rss_kb hwm_kb rss_anon_kb rss_file_kb threads heap_used heap_committed stop_ms
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
root="${1:-/var/cache/autoprobe-test/ref}"
kver="${2:-6.1.0-56-amd64}"
idle="${IDLE:-20}"
runs="${RUNS:-1}"
[ -f "$root/lib/modules/$kver/modules.alias.bin" ] || { echo "daemon-memory.sh: no index in $root/lib/modules/$kver (run depmod)" >&2; exit 1; }
work="$(mktemp -d /tmp/daemon-memory.XXXXXX)"
pid="" listener="" launcher=""
cleanup() {
  for p in $pid $launcher $listener; do kill -TERM "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
echo "# opts: ${AUTOPROBE_JAVA_OPTS:-(none)} MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-unset} AUTOPROBE_CDS=${AUTOPROBE_CDS:-1} daemon: ${DAEMON_ARGS:-}"
echo "# ready_ms rss_kb hwm_kb rss_anon_kb rss_file_kb threads heap_used heap_committed stop_ms"
for _ in $(seq "$runs"); do
  rm -f "$work"/*
  # the service manager's side of sd_notify: one datagram socket, print READY=1's arrival
  python3 - "$work/notify" > "$work/notify.log" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("bound", flush=True)
while True:
    m = s.recv(4096).decode()
    for line in m.splitlines():
        print(f"{time.monotonic_ns() // 1000000} {line}", flush=True)
    if "STOPPING=1" in m:
        break
PY
  listener=$!
  while ! grep -q bound "$work/notify.log" 2>/dev/null; do sleep 0.05; done
  t0=$(python3 -c 'import time; print(time.monotonic_ns() // 1000000)')
  # shellcheck disable=SC2086 # DAEMON_ARGS is split on spaces
  NOTIFY_SOCKET="$work/notify" "$here/autoprobe" daemon -n -d "$root" -S "$kver" ${DAEMON_ARGS:-} --control "$work/control" \
      > "$work/out" 2> "$work/err" &
  launcher=$!
  while ! grep -q 'READY=1' "$work/notify.log"; do
    kill -0 "$launcher" 2>/dev/null || { cat "$work/err" >&2; exit 1; }
    sleep 0.05
  done
  ready=$(awk '/READY=1/ {print $1; exit}' "$work/notify.log")
  # (an `if`, and `|| true`: with pipefail, a last candidate that is bash, or head closing the pipe
  # early, would otherwise end the script without a line for the run)
  pid="$(pgrep -f -- "--control $work/control" | while read -r p; do
           if [ "$(readlink "/proc/$p/exe")" != "$(readlink -f "$(command -v bash)")" ]; then echo "$p"; fi
         done | head -n 1 || true)"
  [ -n "$pid" ] || { echo "daemon-memory.sh: the daemon's process was not found" >&2; exit 1; }
  sleep "$idle"
  st=/proc/$pid/status
  val() { awk -v k="$1:" '$1 == k {print $2}' "$st"; }
  status="$("$here/autoprobe" status --control "$work/control" status)"
  sval() { printf '%s\n' "$status" | awk -F= -v k="$1" '$1 == k {print $2}'; }
  line="$((ready - t0)) $(val VmRSS) $(val VmHWM) $(val RssAnon) $(val RssFile) $(val Threads) $(sval jvm.heap.used) $(sval jvm.heap.committed)"
  s0=$(python3 -c 'import time; print(time.monotonic_ns() // 1000000)')
  kill -TERM "$pid"
  wait "$launcher" || true
  s1=$(python3 -c 'import time; print(time.monotonic_ns() // 1000000)')
  wait "$listener" 2>/dev/null || true
  echo "$line $((s1 - s0))"
  pid="" launcher="" listener=""
done
