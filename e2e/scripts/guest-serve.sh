# shellcheck shell=sh
# Sourced by the guests' side of the e2e request protocol: guest-init.sh (busybox sh, the host-root
# guest) and debian13-agent.sh (bash, the Debian 13 system guest). POSIX sh.
#
#   guest_serve DIR RUN...  serves DIR/req/<n>.sh for n = 1, 2, ... in order: runs `RUN... <n>` with
#                           stdin /dev/null, stdout DIR/res/<n>.out, stderr DIR/res/<n>.err, then
#                           writes its exit code to DIR/res/<n>.rc (renamed into place: a reader never
#                           sees half of it). Returns once DIR/req/stop exists and the next request
#                           does not; guest_served is then the number of requests served.
#   guest_nap               what guest_serve does between looks: sleep 0.05. A caller may define its
#                           own after sourcing this file (the bash agent naps without a fork).

guest_nap() {
  sleep 0.05
}

guest_serve() {
  _gs_dir="$1"
  shift
  _gs_n=1
  while :; do
    if [ -f "$_gs_dir/req/$_gs_n.sh" ]; then
      "$@" "$_gs_n" > "$_gs_dir/res/$_gs_n.out" 2> "$_gs_dir/res/$_gs_n.err" < /dev/null
      echo $? > "$_gs_dir/res/$_gs_n.rc.tmp"
      mv "$_gs_dir/res/$_gs_n.rc.tmp" "$_gs_dir/res/$_gs_n.rc"
      _gs_n=$((_gs_n + 1))
      continue
    fi
    if [ -f "$_gs_dir/req/stop" ]; then
      [ -f "$_gs_dir/req/$_gs_n.sh" ] && continue
      break
    fi
    guest_nap
  done
  # shellcheck disable=SC2034 # for the caller
  guest_served=$((_gs_n - 1))
}
