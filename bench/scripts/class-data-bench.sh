#!/usr/bin/env bash
# Start-up with and without the launcher's class data, on JDK 17 (AppCDS dynamic archive) and on a
# JDK 24+ (AOT cache), whole process through ./autoprobe (issue 11):
#   daemon    `autoprobe daemon --dry-run --no-control --no-watch` from the launcher's start to the
#             daemon's `ready:` line (own loop, bash's $EPOCHREALTIME, the daemon stopped after each)
#   coldplug  `autoprobe coldplug --dry-run --quiet`, to its exit
#   resolve   `autoprobe resolve ALIAS`, to its exit
# over Debian's module tree (kernel-tree.sh, indexed by autoprobe's own depmod) and this machine's
# /sys. Per runtime: no class data (AUTOPROBE_CDS=0: the JDK's own CDS archive only), class data
# built ahead (`--build-class-data`: its trainings use the real /sys and /lib/modules), and class
# data the measured command line itself wrote lazily (two runs first).
# Not hyperfine: the configurations take turns, one run each per round, so that the other jobs of
# a shared host weigh on all of them alike (hyperfine runs one command's series, then the next's).
# Usage: class-data-bench.sh [ROUNDS]   (default 20; env JDK17, JDK25: the two java binaries)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../.." && pwd)"
runs="${1:-20}"
jdk17="${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}"
jdk25="${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
read -r root kver < <("$here/kernel-tree.sh")
work="$(mktemp -d /tmp/class-data-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
[ -f "$top/cli/target/autoprobe-cli.jar" ] || (cd "$top" && mvn -q -B -DskipTests package)
AUTOPROBE_CDS=0 "$top/autoprobe" depmod -b "$root" -o "$work/tree" "$kver"
tree=(-d "$work/tree" -S "$kver")
alias=pci:v00008086d000010D3sv00008086sd0000A01Fbc02sc00i00
unset AUTOPROBE_JAVA_OPTS JAVA_HOME

# ms from the launcher's start to the daemon's ready: line
ready_ms() {
  local fifo="$work/fifo" t0 t1="" line pid
  rm -f "$fifo"
  mkfifo "$fifo"
  t0=$EPOCHREALTIME
  "$top/autoprobe" daemon --dry-run --no-control --no-watch "${tree[@]}" 2>"$fifo" >/dev/null &
  pid=$!
  while IFS= read -r line; do
    case "$line" in *ready:*) t1=$EPOCHREALTIME; break ;; esac
  done < "$fifo"
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" || true
  [ -n "$t1" ] || { echo "no ready: line" >&2; return 1; }
  echo $(( (${t1/./} - ${t0/./}) / 1000 ))
}
exit_ms() {  # ms of a command to its exit
  local t0 t1
  t0=$EPOCHREALTIME
  "$@" >/dev/null 2>&1 </dev/null || true
  t1=$EPOCHREALTIME
  echo $(( (${t1/./} - ${t0/./}) / 1000 ))
}
measure() {  # command kind -> ms
  case "$1" in
    daemon) ready_ms ;;
    coldplug) exit_ms "$top/autoprobe" coldplug --dry-run --quiet "${tree[@]}" ;;
    resolve) exit_ms "$top/autoprobe" resolve "${tree[@]}" "$alias" ;;
  esac
}
# configuration NAME: "java none|ahead|lazy"
configure() {  # name java how
  export AUTOPROBE_JAVA="$2" AUTOPROBE_CDS_DIR="$work/cds-$1" AUTOPROBE_CDS=1
  [ "$3" != none ] || export AUTOPROBE_CDS=0
}
names=() labels=()
for java in "$jdk17" "$jdk25"; do
  v="$("$java" -version 2>&1 | head -n 1 | cut -d'"' -f2)"
  for how in none ahead lazy; do
    name="${v%%.*}_$how"
    names+=("$name")
    case "$how" in
      none) labels+=("JDK $v, none (AUTOPROBE_CDS=0: the JDK's own archive only)") ;;
      ahead) labels+=("JDK $v, built ahead (--build-class-data)") ;;
      lazy) labels+=("JDK $v, written by the measured command lines (lazily)") ;;
    esac
    declare "java_$name=$java" "how_$name=$how"
    configure "$name" "$java" "$how"
    mkdir -p "$AUTOPROBE_CDS_DIR"
    if [ "$how" = ahead ]; then
      "$top/autoprobe" --build-class-data daemon coldplug resolve >/dev/null
    elif [ "$how" = lazy ]; then
      for _ in 1 2 3; do
        for c in daemon coldplug resolve; do
          measure "$c" >/dev/null
        done
        sleep 5  # a JDK 24+ assembles its cache in the background
      done
    fi
    echo "$name: $(ls "$AUTOPROBE_CDS_DIR" | tr '\n' ' ')" >&2
  done
done
# Interleaved: each round runs every configuration once, so that the load of the shared host
# (other jobs come and go) falls on all of them alike. One round first, not counted.
echo "host: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg) at the start; $runs interleaved rounds; ms, min / median"
for ((round = 0; round <= runs; round++)); do
  for name in "${names[@]}"; do
    jv="java_$name" hv="how_$name"
    configure "$name" "${!jv}" "${!hv}"
    for c in daemon coldplug resolve; do
      t="$(measure "$c")"
      [ "$round" = 0 ] || echo "$name $c $t" >> "$work/times"
    done
  done
done
stat() {  # name command
  awk -v n="$1" -v c="$2" '$1 == n && $2 == c {print $3}' "$work/times" | sort -n \
    | awk '{a[NR]=$1} END {printf "%d / %d", a[1], (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'
}
echo
echo "| runtime, class data | daemon to ready: | coldplug -n | resolve (1 alias) |"
echo "|---|---:|---:|---:|"
for i in "${!names[@]}"; do
  printf '| %s | %s | %s | %s |\n' "${labels[$i]}" "$(stat "${names[$i]}" daemon)" "$(stat "${names[$i]}" coldplug)" \
    "$(stat "${names[$i]}" resolve)"
done
echo
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
