#!/usr/bin/env bash
# Runs in an e2e guest (see guest.sh): module autoloading by systemd-udevd or by autoprobe's daemon,
# timed the same way for both. State lives in /run (the guest's own tmpfs).
#
#   autoload-guest.sh monitor [INTERVAL]    start recording "EPOCHREALTIME count" to /run/e2e-modtimes
#                                           each time the number of lines in /proc/modules changes,
#                                           looking every INTERVAL seconds (default 0.05; issue 11's
#                                           race: 0.2), with shell builtins only
#   autoload-guest.sh udev                  systemd-udevd + udevadm trigger (subsystems, devices) + settle;
#                                           prints start= settled= (EPOCHREALTIME)
#   autoload-guest.sh daemon-start ARG...   autoprobe daemon ARG... in the background (log:
#                                           /run/autoprobe-daemon.log, pid: /run/autoprobe-daemon.pid);
#                                           prints start=
#   autoload-guest.sh daemon-ready SECONDS  waits for the daemon's "ready:" log line; prints ready=
#   autoload-guest.sh daemon-stop SECONDS   SIGTERM to the daemon, waits (at most SECONDS) until it has
#                                           exited; prints stopped= (EPOCHREALTIME)
#   autoload-guest.sh quiet SECONDS LIMIT [changed]
#                                           waits until /proc/modules has not changed for SECONDS
#                                           (at most LIMIT seconds); prints last_change= first_change= count=;
#                                           "changed": and until it has changed at least once since the
#                                           monitor started (a loader slower than SECONDS to its first load)
#   autoload-guest.sh await-count N LIMIT  waits until /proc/modules has N lines; prints count= at=
#   autoload-guest.sh storm ROUNDS          writes "add" to every device's uevent file, ROUNDS times;
#                                           prints writes=
set -uo pipefail
repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
log=/run/autoprobe-daemon.log
times=/run/e2e-modtimes

die() { echo "autoload-guest.sh: $*" >&2; [ -f "$log" ] && { echo "--- daemon log ---" >&2; tail -n 60 "$log" >&2; }; exit 1; }

# sleep without a fork: a read that times out on a FIFO nobody writes to
nap() {
  [ -p /run/e2e-nap ] || mkfifo /run/e2e-nap 2>/dev/null || [ -p /run/e2e-nap ] || die "cannot make /run/e2e-nap"
  [ -e /dev/fd/7 ] || exec 7<> /run/e2e-nap
  read -r -t "$1" -u 7 _ || true # times out: that is the point
}

count_modules() {
  local lines
  mapfile -t lines < /proc/modules
  echo "${#lines[@]}"
}

monitor() {
  local interval=${1:-0.05}
  [[ "$interval" =~ ^[0-9]*\.?[0-9]+$ ]] || die "monitor: not an interval in seconds: $interval"
  (
    last=-1
    while :; do
      mapfile -t lines < /proc/modules
      n=${#lines[@]}
      if [ "$n" != "$last" ]; then
        echo "$EPOCHREALTIME $n" >> "$times"
        last=$n
      fi
      nap "$interval"
    done
  ) > /dev/null 2>&1 < /dev/null &
  disown
  while [ ! -s "$times" ]; do nap 0.01; done
}

udev() {
  export SYSTEMD_IGNORE_CHROOT=1 # the guest's bash runs chrooted into the overlay: udevadm would refuse
  [ -x /lib/systemd/systemd-udevd ] || die "no /lib/systemd/systemd-udevd on the host root (apt-get install udev)"
  echo "start=$EPOCHREALTIME"
  /lib/systemd/systemd-udevd --daemon || die "systemd-udevd --daemon failed"
  udevadm trigger --type=subsystems --action=add || die "udevadm trigger --type=subsystems failed"
  udevadm trigger --type=devices --action=add || die "udevadm trigger --type=devices failed"
  udevadm settle --timeout=300 || die "udevadm settle failed"
  echo "settled=$EPOCHREALTIME"
}

daemon_start() {
  echo "start=$EPOCHREALTIME"
  setsid "$repo/autoprobe" daemon "$@" > "$log" 2>&1 < /dev/null &
  echo $! > /run/autoprobe-daemon.pid
}

daemon_ready() {
  local limit=$1 pid
  pid="$(cat /run/autoprobe-daemon.pid)"
  local end=$(( ${EPOCHREALTIME%.*} + limit ))
  while ! grep -qE '^([0-9]+ )?INFO ready:' "$log"; do # (the number: showDateTime's elapsed ms)
    kill -0 "$pid" 2>/dev/null || die "the daemon (pid $pid) exited before it was ready"
    [ "${EPOCHREALTIME%.*}" -lt "$end" ] || { stuck "$pid"; die "the daemon was not ready within $limit s"; }
    nap 0.05
  done
  echo "ready=$EPOCHREALTIME"
}

# What a daemon that does not get ready is waiting for, on stderr: each thread's kernel state and
# stack (a thread in finit_module shows where the kernel holds it), every other process the kernel
# holds (D state: a module helper, a scan), then the JVM's own thread dump (SIGQUIT; it goes to the log)
state() { # the state letter of /proc/PID or /proc/PID/task/TID ($1): the field after the name's ")"
  local stat=""
  read -r stat < "$1/stat" 2>/dev/null || return 0
  stat="${stat##*) }"
  echo "${stat%% *}"
}
stuck() {
  local pid=$1 t name st p
  echo "--- the daemon's threads (kernel side) ---" >&2
  for t in /proc/"$pid"/task/*; do
    read -r name < "$t/comm" 2>/dev/null || name="?"
    st="$(state "$t")"
    echo "thread ${t##*/} $name state $st wchan $(cat "$t/wchan" 2>/dev/null)" >&2
    [ "$st" = D ] && sed 's/^/    /' "$t/stack" >&2 2>/dev/null
  done
  echo "--- other processes in D state ---" >&2
  for p in /proc/[0-9]*; do
    [ "${p##*/}" = "$pid" ] && continue
    st="$(state "$p")"
    [ "$st" = D ] || continue
    echo "pid ${p##*/} $(cat "$p/comm" 2>/dev/null): $(tr '\0' ' ' < "$p/cmdline" 2>/dev/null)" >&2
    sed 's/^/    /' "$p/stack" >&2 2>/dev/null
  done
  echo "--- /proc/modules ---" >&2
  cat /proc/modules >&2
  kill -QUIT "$pid" 2>/dev/null && nap 3
  echo "--- the JVM's thread dump ---" >&2
  sed -n '/^Full thread dump/,$p' "$log" >&2
}

# alive: the process exists and is not a zombie (an orphan waits for PID 1, the e2e init, to reap it)
alive() {
  local st=""
  [ -r "/proc/$1/stat" ] || return 1
  read -r _ _ st _ < "/proc/$1/stat" 2>/dev/null || return 1
  [ "$st" != Z ]
}

daemon_stop() {
  local limit=$1 pid
  pid="$(cat /run/autoprobe-daemon.pid)" || die "no daemon pid file"
  alive "$pid" || die "the daemon (pid $pid) had already exited"
  kill -TERM "$pid" || die "cannot signal the daemon (pid $pid)"
  local end=$(( ${EPOCHREALTIME%.*} + limit ))
  while alive "$pid"; do
    [ "${EPOCHREALTIME%.*}" -lt "$end" ] || die "the daemon (pid $pid) still runs $limit s after SIGTERM"
    nap 0.05
  done
  echo "stopped=$EPOCHREALTIME"
}

quiet() {
  local need=$1 limit=$2 changed=${3:-} start=${EPOCHREALTIME%.*} last n lines
  [ -f "$times" ] || die "no $times: run 'monitor' first"
  while :; do
    read -r last n < <(tail -n 1 "$times")
    local now=${EPOCHREALTIME%.*}
    if [ $(( now - ${last%.*} )) -ge "$need" ]; then
      [ "$changed" = changed ] || break
      mapfile -t lines < "$times"
      [ "${#lines[@]}" -lt 2 ] || break
    fi
    [ $(( now - start )) -lt "$limit" ] || die "/proc/modules still changing after $limit s"
    nap 0.2
  done
  echo "last_change=$last"
  echo "first_change=$(awk 'NR == 1 {c = $2} $2 != c {print $1; exit}' "$times")"
  echo "count=$n"
}

await_count() {
  local want=$1 limit=$2 start=${EPOCHREALTIME%.*}
  while [ "$(count_modules)" -lt "$want" ]; do
    [ $(( ${EPOCHREALTIME%.*} - start )) -lt "$limit" ] || die "fewer than $want modules after $limit s"
    nap 0.02
  done
  echo "count=$(count_modules)"
  echo "at=$EPOCHREALTIME"
}

storm() {
  local rounds=$1 writes=0 r f
  mapfile -t files < <(find /sys/devices -name uevent -type f)
  for r in $(seq 1 "$rounds"); do
    for f in "${files[@]}"; do
      echo add 2>/dev/null > "$f" && writes=$((writes + 1))
    done
  done
  echo "writes=$writes"
}

cmd="${1:-}"
shift || true
case "$cmd" in
  monitor) monitor "${1:-0.05}" ;;
  udev) udev ;;
  daemon-start) daemon_start "$@" ;;
  daemon-ready) daemon_ready "${1:-300}" ;;
  daemon-stop) daemon_stop "${1:-120}" ;;
  quiet) quiet "${1:-3}" "${2:-300}" "${3:-}" ;;
  await-count) await_count "$1" "${2:-300}" ;;
  storm) storm "${1:-3}" ;;
  daemon-pause) kill -STOP "$(cat /run/autoprobe-daemon.pid)" || die "cannot stop the daemon" ;;
  daemon-resume) kill -CONT "$(cat /run/autoprobe-daemon.pid)" || die "cannot continue the daemon" ;;
  *) die "usage: autoload-guest.sh monitor | udev | daemon-start ARG... | daemon-ready SECONDS | daemon-stop SECONDS | quiet SECONDS LIMIT | storm ROUNDS | daemon-pause | daemon-resume" ;;
esac
