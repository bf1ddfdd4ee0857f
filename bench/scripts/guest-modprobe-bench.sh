#!/usr/bin/env bash
# modprobe of a module with a deep dependency chain and modprobe -r, whole process, kmod's against
# autoprobe's, in one QEMU guest running Debian's current kernel (e2e/scripts/guest.sh).
# Each round loads the module (timed), removes it (timed), then unloads what modprobe -r left
# (untimed) so every round starts from the boot state. One untimed warm-up round per tool first.
# Usage: guest-modprobe-bench.sh [ROUNDS (default 5)] [MODULE (default snd-hda-intel)]
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
rounds="${1:-5}"
module="${2:-snd-hda-intel}"
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "guest-modprobe-bench.sh: ROUNDS must be a positive number" >&2; exit 1; }
if [ ! -f "$repo/cli/target/autoprobe-cli.jar" ] || [ ! -d "$repo/cli/target/lib" ]; then
  (cd "$repo" && mvn -q -B -DskipTests package)
fi
script="$(mktemp /tmp/guest-bench.XXXXXX.sh)"
trap 'rm -f "$script"' EXIT
cat > "$script" <<EOF
set -euo pipefail
module='$module'; rounds=$rounds; ap='$repo/autoprobe'
EOF
cat >> "$script" <<'EOF'
keep=" $(cut -d' ' -f1 /proc/modules | tr '\n' ' ') "
reset() {
  local pass progress name ref rest
  for pass in $(seq 1 30); do
    progress=0
    while read -r name _ ref rest; do
      case "$keep" in *" $name "*) continue ;; esac
      if [ "$ref" = 0 ] && rmmod "$name" 2>/dev/null; then progress=1; fi
    done < /proc/modules
    [ $progress = 1 ] || break
  done
}
ms() { echo $(( ($2 - $1) / 1000 )); }   # microsecond stamps to ms
stamp() { local t=$EPOCHREALTIME; echo "${t/./}"; }
median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : int((v[NR/2]+v[NR/2+1])/2)}'; }
chain=$(modprobe --show-depends "$module" | wc -l)
[ "$chain" -ge 6 ] || { echo "$module loads only $chain modules; pick one with five or more dependencies" >&2; exit 1; }
echo "kernel $(uname -r), module $module ($chain modules), $rounds rounds after one warm-up round per tool"
declare -A load remove
for tool in kmod autoprobe; do
  if [ $tool = kmod ]; then cmd=(modprobe); else cmd=("$ap" modprobe); fi
  "${cmd[@]}" "$module"; "${cmd[@]}" -r "$module"; reset
  for r in $(seq 1 "$rounds"); do
    t0=$(stamp); "${cmd[@]}" "$module"; t1=$(stamp); "${cmd[@]}" -r "$module"; t2=$(stamp)
    reset
    [ "$(wc -l < /proc/modules)" -eq "$(echo $keep | wc -w)" ] || { echo "round $r of $tool did not get back to the boot state" >&2; exit 1; }
    load[$tool]+="$(ms $t0 $t1) "; remove[$tool]+="$(ms $t1 $t2) "
  done
done
printf '%-10s %12s %12s   %s\n' tool "load ms" "remove ms" "(median; every round: load/remove)"
for tool in kmod autoprobe; do
  l=$(echo ${load[$tool]} | tr ' ' '\n' | median); m=$(echo ${remove[$tool]} | tr ' ' '\n' | median)
  printf '%-10s %12s %12s   %s / %s\n' $tool "$l" "$m" "${load[$tool]}" "${remove[$tool]}"
  eval "med_$tool=\$(( l + m ))"
done
awk -v a="$med_autoprobe" -v k="$med_kmod" 'BEGIN { printf "ratio autoprobe/kmod (load + remove medians): %.1f (%d ms / %d ms)\n", a / k, a, k }'
EOF
accel="$("$repo/e2e/scripts/guest.sh" prepare | sed -n 's/^accel=//p')"
echo "guest accel: $accel, $(nproc) host CPUs"
"$repo/e2e/scripts/guest.sh" run "$script"
