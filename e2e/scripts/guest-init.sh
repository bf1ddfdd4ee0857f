#!/bin/busybox sh
# /init of the e2e guest's initramfs (busybox). Mounts the host's root (9p, read-only) under a
# tmpfs overlay, puts the kernel's own modules at /lib/modules/<kver>, mounts the writable "out"
# share at /e2e and then runs the host's requests: /e2e/req/<n>.sh, in order, each in a chroot of
# that overlay with bash; stdout, stderr and the exit code go to /e2e/res/<n>.{out,err,rc}
# (guest_serve of /guest-serve.sh, shared with the Debian 13 system guest's agent).
# The file /e2e/req/stop ends the loop and powers the guest off.
# Kernel command line (the kernel hands unknown name=value words to init as environment):
#   e2e_kver=<kernel release>  e2e_moddir=<host path of the depmod'ed lib/modules/<kver>>
#   e2e_repo=<host path of the project's checkout> (its own share: the checkout may live under
#   /tmp or /run, which are fresh tmpfs in the guest)
#   e2e_state=1: the read-write share "state" (a host directory that outlives the guest) holds the
#   guest's /var/lib/autoprobe (its lib/) and /var/cache/autoprobe (its cache/)
/bin/busybox --install -s /bin
export PATH=/bin

fail() {
  echo "e2e-init: FATAL: $*"
  ls -l /newroot/e2e 2>/dev/null
  sync
  poweroff -f
  sleep 5
  exit 1
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

[ -n "$e2e_kver" ] || fail "no e2e_kver= on the kernel command line"
[ -n "$e2e_moddir" ] || fail "no e2e_moddir= on the kernel command line"
[ "$(uname -r)" = "$e2e_kver" ] || fail "kernel is $(uname -r), initramfs built for $e2e_kver"

while read -r ko; do
  insmod "/modules/$ko" || fail "insmod $ko failed"
done < /modules/order

mkdir -p /lower /rw /newroot
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=loose,ro hostroot /lower \
  || fail "cannot mount the host root (9p tag hostroot)"
mount -t tmpfs -o mode=0755 rw /rw
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /newroot \
  || fail "cannot mount the overlay"

mount -t proc proc /newroot/proc
mount -t sysfs sysfs /newroot/sys
mount -t devtmpfs devtmpfs /newroot/dev
mkdir -p /newroot/dev/pts /newroot/dev/shm
mount -t devpts devpts /newroot/dev/pts
mount -t tmpfs tmpfs /newroot/dev/shm
ln -sf /proc/self/fd /newroot/dev/fd
ln -sf /proc/self/fd/0 /newroot/dev/stdin
ln -sf /proc/self/fd/1 /newroot/dev/stdout
ln -sf /proc/self/fd/2 /newroot/dev/stderr
mount -t tmpfs -o mode=1777 tmpfs /newroot/tmp
mount -t tmpfs -o mode=0755 tmpfs /newroot/run
if [ -n "$e2e_repo" ]; then
  mkdir -p /repo-lower /rw/repo-upper /rw/repo-work "/newroot$e2e_repo"
  mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=loose,ro repo /repo-lower \
    || fail "cannot mount the checkout (9p tag repo)"
  mount -t overlay -o lowerdir=/repo-lower,upperdir=/rw/repo-upper,workdir=/rw/repo-work overlay "/newroot$e2e_repo" \
    || fail "cannot overlay the checkout at $e2e_repo"
fi
# the host may or may not have these directories; the overlay makes them when needed
mkdir -p "/newroot/lib/modules/$e2e_kver" /newroot/e2e
[ -f "/newroot$e2e_moddir/modules.dep.bin" ] || fail "no depmod'ed module tree at $e2e_moddir"
mount -o bind "/newroot$e2e_moddir" "/newroot/lib/modules/$e2e_kver"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=none out /newroot/e2e \
  || fail "cannot mount the out share (9p tag out)"
if [ "$e2e_state" = 1 ]; then
  # cache=mmap: the launcher maps its class-data archive from here; nothing else is cached, so
  # what the guest writes is on the host when it powers off
  mkdir -p /state
  mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=mmap state /state \
    || fail "cannot mount the state share (9p tag state)"
  mkdir -p /state/lib /state/cache /newroot/var/lib/autoprobe /newroot/var/cache/autoprobe
  mount -o bind /state/lib /newroot/var/lib/autoprobe || fail "cannot bind the state share's lib/"
  mount -o bind /state/cache /newroot/var/cache/autoprobe || fail "cannot bind the state share's cache/"
fi
mkdir -p /newroot/e2e/req /newroot/e2e/res

# what was loaded to get here: tests subtract this from /proc/modules
cat /proc/modules > /newroot/e2e/res/boot-modules
echo "$e2e_kver" > /newroot/e2e/ready.tmp && mv /newroot/e2e/ready.tmp /newroot/e2e/ready
echo "e2e-init: ready"

# request <n>: bash, as root, chrooted into the overlay, with a clean environment
run_request() {
  chroot /newroot /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 TERM=dumb /bin/bash "/e2e/req/$1.sh"
}
[ -f /guest-serve.sh ] || fail "no /guest-serve.sh in the initramfs"
. /guest-serve.sh
guest_serve /newroot/e2e run_request
echo "e2e-init: stop after $guest_served requests"
sync
if [ "$e2e_state" = 1 ]; then
  umount /newroot/var/lib/autoprobe /newroot/var/cache/autoprobe /state 2>/dev/null
fi
umount /newroot/e2e
poweroff -f
