#!/bin/busybox sh
# /init of every FaaSCell microVM (runs from the initramfs).
# Loads the virtio modules, mounts the read-only runtime root at /newroot with writable tmpfs for
# /tmp and the function's code (/fn), then becomes the guest agent, which stays PID 1.
export PATH=/bin
mount -t devtmpfs dev /dev
mount -t proc proc /proc
mount -t sysfs sys /sys
# load order matters: the transport before the devices
for m in virtio_ring virtio virtio_mmio virtio_console virtio_blk virtio-rng; do
  insmod /lib/modules/$m.ko || echo "faascell-init: cannot load $m" > /dev/ttyS0
done
# a function with network egress has a virtio-net device (virtio id 1): the same MAC, address and
# gateway in every VM and every snapshot clone, made unique by the VM's namespace on the host
# (dev.faascell.network.GuestNetwork holds the host's side of these numbers). Without one, only lo.
ip link set lo up
for d in /sys/bus/virtio/devices/*; do
  read id < $d/device
  if [ "$id" = "0x0001" ]; then
    # IPv4 only: no IPv6 link-local address, duplicate detection or router solicitations, whose
    # timers would all fire in every clone after a restore
    echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6
    for m in failover net_failover virtio_net; do
      insmod /lib/modules/$m.ko || echo "faascell-init: cannot load $m" > /dev/ttyS0
    done
    ip addr add 172.16.0.2/30 dev eth0 && ip link set eth0 up && ip route add default via 172.16.0.1 \
      || echo "faascell-init: cannot configure eth0" > /dev/ttyS0
  fi
done
mkdir -p /newroot
tries=0
until mount -t ext4 -o ro,noatime /dev/vda /newroot 2>/dev/null; do
  tries=$((tries + 1))
  if [ $tries -gt 500 ]; then
    echo "faascell-init: cannot mount the runtime root /dev/vda" > /dev/ttyS0
    poweroff -f
  fi
  sleep 0.01
done
mount -t devtmpfs dev /newroot/dev
mount -t proc proc /newroot/proc
mount -t tmpfs -o mode=1777 tmp /newroot/tmp
mount -t tmpfs -o mode=0755 fn /newroot/fn
exec /sbin/faascell-agent dev.faascell.agent /newroot
