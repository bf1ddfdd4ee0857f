#!/bin/bash
# The e2e agent of the Debian 13 system guest (debian13-system.sh installs it as
# /usr/local/lib/autoprobe-e2e/agent, with guest-serve.sh next to it; systemd runs it as
# e2e-agent.service). It serves the host the same protocol as the busybox guest's init
# (guest-init.sh), on the real system rather than in a chroot:
#   - mounts the host's 9p share "e2e" (virtio) at /e2e; the kernel loads 9p, 9pnet, 9pnet_virtio
#     from the root's own /lib/modules when the mount asks for them (if udevd has not already);
#   - writes /e2e/res/boot-modules (/proc/modules as the agent starts) and /e2e/ready (uname -r);
#   - runs /e2e/req/<n>.sh in order, by bash as root in /, environment PATH, HOME=/root,
#     LANG=C.UTF-8, TERM=dumb; results in /e2e/res/<n>.{out,err,rc};
#   - /e2e/req/stop: syncs and powers off (an orderly systemd shutdown; QEMU exits).
# A share that cannot be mounted is reported on the console and powers the guest off, so that the
# host sees QEMU exit rather than waiting for a ready file that never comes.
set -u
lib=/usr/local/lib/autoprobe-e2e

fail() {
  echo "e2e-agent: FATAL: $*"
  sync
  systemctl --no-block poweroff
  exit 1
}

[ -f "$lib/guest-serve.sh" ] || fail "no $lib/guest-serve.sh"
# shellcheck source=guest-serve.sh
. "$lib/guest-serve.sh"

mkdir -p /e2e || fail "cannot make /e2e"
err=
for _ in $(seq 1 100); do
  if err="$(mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=none e2e /e2e 2>&1)"; then
    err=
    break
  fi
  sleep 0.1
done
[ -z "$err" ] || fail "cannot mount the 9p share e2e at /e2e (10 s of tries): $err"
mkdir -p /e2e/req /e2e/res || fail "cannot make /e2e/req and /e2e/res"

# the baseline tests may subtract from /proc/modules (on this guest: whatever initramfs, udevd and
# systemd had loaded when the agent started)
cat /proc/modules > /e2e/res/boot-modules || fail "cannot write /e2e/res/boot-modules"
{ uname -r > /e2e/ready.tmp && mv /e2e/ready.tmp /e2e/ready; } || fail "cannot write /e2e/ready"
echo "e2e-agent: ready"

# nap without a fork (under TCG twenty sleeps a second would cost a visible share of a CPU): a read
# that times out on a FIFO nobody writes to
if mkfifo -m 0600 /run/e2e-agent.nap 2>/dev/null && exec 9<>/run/e2e-agent.nap; then
  guest_nap() {
    read -r -t 0.05 -u 9 _ || true
  }
fi

# request <n>: bash, as root, in /, with a clean environment (and without the nap FIFO)
run_request() {
  cd / && env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 TERM=dumb /bin/bash "/e2e/req/$1.sh" 9<&-
}

guest_serve /e2e run_request
echo "e2e-agent: stop after $guest_served requests"
sync
systemctl --no-block poweroff
