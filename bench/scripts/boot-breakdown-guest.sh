#!/usr/bin/env bash
# Runs in an e2e guest (see bench/scripts/boot-breakdown.sh, which boots it): starts `autoprobe
# daemon --no-watch` through the launcher as ColdplugE2EIT's race does, with its CDS archive in
# /var/cache/autoprobe (AUTOPROBE_CDS_DIR, as the systemd unit), first cold (no archive: the run
# writes one at exit), then warm (the archive promoted and mapped), with BOOT_BREAKDOWN_AHEAD=1 last
# a run with class data built ahead (--build-class-data daemon), and keeps for each run what the
# host needs to break the time to the first finit_module down:
#   OUT/RUN.start      the launcher's start (EPOCHREALTIME, seconds)
#   OUT/RUN.classload  -Xlog:class+load with uptimemillis,timemillis decorations
#   OUT/RUN.log        the daemon's log, each line with ms since slf4j-simple started (showDateTime)
#   OUT/RUN.modtimes   "EPOCHREALTIME count" each time /proc/modules changed (50 ms polls)
#   OUT/RUN.perf-first, OUT/RUN.perf-ready   the JVM's hsperfdata when the first module appeared, at ready
# Between runs the daemon is stopped (SIGTERM) and every module it loaded is unloaded again, so each
# run loads from the same state. Last, with BOOT_BREAKDOWN_JFR=1, one warm run under a JFR
# recording (OUT/jfr.jfr), the JVM started as the launcher starts it, with the warm archive.
#
#   boot-breakdown-guest.sh OUT [WARM-RUNS]
set -uo pipefail
out="${1:?usage: boot-breakdown-guest.sh OUT [WARM-RUNS]}"
warm_runs="${2:-2}"
repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
mkdir -p "$out"
export AUTOPROBE_CDS_DIR=/var/cache/autoprobe
mkdir -p "$AUTOPROBE_CDS_DIR"
# the same options in every run (they are part of the archive's stamp): logs to tmpfs, moved after
# -XX:+UsePerfData (the launcher turns it off): the JVM's own counters (class loading, linking,
# initialisation, JIT, GC), snapshotted when the first module appears and at "ready"
# (showDateTime without a dateTimeFormat: a SimpleDateFormat costs ~0.6 s of locale data under TCG)
opts="-Xlog:class+load=info:file=/run/bb-classload.log:uptimemillis,timemillis -XX:+UsePerfData ${BOOT_BREAKDOWN_JAVA_OPTS:-}"
opts+=" -Dorg.slf4j.simpleLogger.showDateTime=true"
boot_mods=" $(awk '{printf "%s ", $1}' /proc/modules)"

die() { echo "boot-breakdown-guest.sh: $*" >&2; exit 1; }

modtimes_loop() {
  local f=$1 name=$2 last=-1 first="" n lines
  [ -p /run/bb-nap ] || mkfifo /run/bb-nap
  exec 7<> /run/bb-nap # nobody writes: a read on it is a sleep without a fork
  while [ -e /run/bb-monitor ]; do
    mapfile -t lines < /proc/modules
    n=${#lines[@]}
    if [ "$n" != "$last" ]; then
      echo "$EPOCHREALTIME $n" >> "$f"
      if [ -z "$first" ]; then
        first=$n
      elif [ "$first" != done ]; then
        first=done
        perf_snapshot "$name.perf-first"
      fi
      last=$n
    fi
    read -r -t 0.05 -u 7 _ || true
  done
}

# the JVM's hsperfdata file as it is now (jstat -snap file://... reads it on the host)
perf_snapshot() {
  local p
  for p in /tmp/hsperfdata_root/*; do
    [ -f "$p" ] && cp "$p" "$out/$1"
  done
}

unload_added() {
  local pass progress name ref rest _size
  for pass in $(seq 1 30); do
    progress=0
    while read -r name _size ref rest; do
      case "$boot_mods" in *" $name "*) continue ;; esac
      if [ "$ref" = 0 ] && rmmod "$name" 2>/dev/null; then progress=1; fi
    done < /proc/modules
    [ $progress = 1 ] || break
  done
  while read -r name rest; do case "$boot_mods" in *" $name "*) ;; *) echo "$name" ;; esac; done < /proc/modules
}

# run NAME [env...]: one daemon start to "ready" and 3 s without a change in /proc/modules, then stop
run() {
  local name=$1 pid end
  shift
  rm -f /run/bb-classload.log /run/bb-daemon.log
  touch /run/bb-monitor
  rm -rf /tmp/hsperfdata_root
  modtimes_loop "$out/$name.modtimes" "$name" &
  local mon=$!
  sleep 0.3
  echo "$EPOCHREALTIME" > "$out/$name.start"
  env "$@" AUTOPROBE_JAVA_OPTS="$opts" setsid "$repo/autoprobe" daemon --no-watch ${BOOT_BREAKDOWN_DAEMON_ARGS:-} > /run/bb-daemon.log 2>&1 < /dev/null &
  pid=$!
  end=$(( ${EPOCHREALTIME%.*} + 300 ))
  until grep -q ' INFO ready:' /run/bb-daemon.log; do
    kill -0 "$pid" 2>/dev/null || { cat /run/bb-daemon.log >&2; die "$name: the daemon exited before it was ready"; }
    [ "${EPOCHREALTIME%.*}" -lt "$end" ] || die "$name: not ready within 300 s"
    sleep 0.1
  done
  perf_snapshot "$name.perf-ready"
  # quiet: /proc/modules unchanged for 3 s
  while :; do
    local last
    last="$(tail -n 1 "$out/$name.modtimes" | cut -d' ' -f1)"
    [ $(( ${EPOCHREALTIME%.*} - ${last%.*} )) -ge 3 ] && break
    sleep 0.2
  done
  rm -f /run/bb-monitor
  wait "$mon" 2>/dev/null
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null # the cold run writes its archive here
  # a JDK 24+ AOT cache is assembled in the background by the next start: let it finish before the
  # run after that, as it would on a machine up for more than a minute
  for _ in $(seq 1 600); do
    compgen -G "$AUTOPROBE_CDS_DIR/*.assembling.*" >/dev/null || break
    sleep 0.5
  done
  cp /run/bb-daemon.log "$out/$name.log"
  cp /run/bb-classload.log "$out/$name.classload" 2>/dev/null || true
  local left
  left="$(unload_added | tr '\n' ' ')"
  echo "$name: done; still loaded after unloading: ${left:-none}" >&2
}

run cold
ls -l "$AUTOPROBE_CDS_DIR" >&2
for i in $(seq 1 "$warm_runs"); do
  run "warm$i"
done
ls -l "$AUTOPROBE_CDS_DIR" >&2
if [ "${BOOT_BREAKDOWN_AHEAD:-0}" = 1 ]; then
  # class data built ahead (a package's postinst): the daemon's own thrown away, built again by its
  # training (a dry run over this guest's /sys), with the runs' options (they are in the stamp)
  rm -f "$AUTOPROBE_CDS_DIR"/autoprobe-daemon.*
  t0=$EPOCHREALTIME
  AUTOPROBE_JAVA_OPTS="$opts" "$repo/autoprobe" --build-class-data daemon > "$out/ahead.build" 2>&1 \
    || echo "ahead: --build-class-data failed" >&2
  t1=$EPOCHREALTIME
  echo "ahead: --build-class-data daemon: $(( (${t1/./} - ${t0/./}) / 1000 )) ms: $(cat "$out/ahead.build")" >&2
  run ahead
  ls -l "$AUTOPROBE_CDS_DIR" >&2
fi

if [ "${BOOT_BREAKDOWN_JFR:-0}" = 1 ]; then
  # the launcher's own command line for a warm daemon (its archive is current), plus a recording
  jsa="$AUTOPROBE_CDS_DIR/autoprobe-daemon.jsa"
  [ -f "$jsa" ] || die "no warm archive $jsa for the JFR run (it runs JDK 17's java with its dynamic archive: with a JDK 24+ installed, boot with AUTOPROBE_JAVA=/usr/lib/jvm/java-17-openjdk-amd64/bin/java)"
  jfr_opts="-XX:StartFlightRecording=filename=/run/bb.jfr,settings=profile"
  java_opts=(-XX:TieredStopAtLevel=1 -Xshare:auto -XX:-UsePerfData -Xlog:disable -Xlog:all=warning:stderr
    -XX:+UseSerialGC -Xms8m -Xmx32m -Xmn4m -XX:ReservedCodeCacheSize=16m)
  # shellcheck disable=SC2206
  java_opts+=($opts "$jfr_opts" -XX:SharedArchiveFile="$jsa" -Xlog:cds=off -Xlog:cds+dynamic=off)
  rm -f /run/bb-classload.log /run/bb-daemon.log
  touch /run/bb-monitor
  rm -rf /tmp/hsperfdata_root
  modtimes_loop "$out/jfr.modtimes" jfr &
  mon=$!
  sleep 0.3
  echo "$EPOCHREALTIME" > "$out/jfr.start"
  MALLOC_ARENA_MAX=2 setsid java "${java_opts[@]}" -cp "$repo/cli/target/autoprobe-cli.jar:$repo/cli/target/lib/*" \
    org.autoprobe.cli.Main daemon --no-watch > /run/bb-daemon.log 2>&1 < /dev/null &
  pid=$!
  end=$(( ${EPOCHREALTIME%.*} + 300 ))
  until grep -q ' INFO ready:' /run/bb-daemon.log; do
    kill -0 "$pid" 2>/dev/null || { cat /run/bb-daemon.log >&2; die "jfr: the daemon exited before it was ready"; }
    [ "${EPOCHREALTIME%.*}" -lt "$end" ] || die "jfr: not ready within 300 s"
    sleep 0.1
  done
  rm -f /run/bb-monitor
  wait "$mon" 2>/dev/null
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null # the recording is written at exit
  cp /run/bb-daemon.log "$out/jfr.log"
  cp /run/bb-classload.log "$out/jfr.classload" 2>/dev/null || true
  cp /run/bb.jfr "$out/jfr.jfr" || echo "jfr: no recording" >&2
  unload_added > /dev/null
fi
echo "boot-breakdown-guest.sh: done" >&2
