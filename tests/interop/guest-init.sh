#!/bin/sh
# /init of the machc interop initramfs (busybox). Collects what the guest sees of the
# machine (PCI config spaces, ACPI tables, fw_cfg files, kernel log, /proc resources),
# packs it as gzip'd cpio, and prints it base64-encoded between markers on ttyS0.
# Kernel command line parameters it understands:
#   machc.vfs=BDF=N[,BDF=N...]   enable N VFs on PF BDF by writing sriov_numvfs
#   machc.mods=a,b               extra modules to load (from /lib/modules/machc/<name>.list)
#   machc.stub=BDF[,BDF...]      PFs given to pci-pf-stub before the modules load, so that a driver
#                                loaded for other devices leaves them be (Linux's igb offers 7 VFs of
#                                the 82576's 8: a PF whose machine enables all 8 keeps the stub)
#   machc.ping=BDF,BDF           the network interfaces of these two PCI functions exchange a ping
#                                (after the VFs are enabled; an unbound VF binds to its driver once
#                                the first interface, its PF's, is up; the second interface moves
#                                into a network namespace of its own so that the packets cannot
#                                take lo); the result goes to the init log
#   machc.nvmevf=PF,VF           NVMe SR-IOV (the PF bound to nvme, its VFs enabled by machc.vfs): assign
#                                the VF's secondary controller flexible resources (2 queues, 1 vector) and
#                                bring it online with Virtualization Management (/bin/nvme-virt), bind the
#                                VF to nvme, write a block through the VF's namespace and read it back
#                                through the PF's, then one the other way; the results go to the init log
#                                (boot with nvme_core.multipath=N so that each controller has its own disk)
#   machc.shell                  after loading modules and enabling VFs, run a shell on the console
#                                instead of collecting and dumping (for interactive and scripted runs)
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
/bin/busybox mkdir -p /proc /sys /dev /tmp /out /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null

LOG=/out/init.log
log() { echo "machc: $*" >> $LOG; echo "machc: $*"; }
: > $LOG

VFS=
MODS=
STUB=
PING=
NVMEVF=
SHELL_ONLY=
for w in $(cat /proc/cmdline); do
  case "$w" in
    machc.vfs=*) VFS="${w#machc.vfs=}" ;;
    machc.mods=*) MODS="${w#machc.mods=}" ;;
    machc.stub=*) STUB="${w#machc.stub=}" ;;
    machc.ping=*) PING="${w#machc.ping=}" ;;
    machc.nvmevf=*) NVMEVF="${w#machc.nvmevf=}" ;;
    machc.shell) SHELL_ONLY=1 ;;
  esac
done

# load_mod NAME: insmod NAME and its dependencies (order precomputed on the host from modules.dep),
# each with its parameters from the kernel command line (MODULE.PARAM=VALUE, as modprobe passes them)
load_mod() {
  list=/lib/modules/machc/$1.list
  if [ ! -f $list ]; then log "module $1 not in initramfs"; return 1; fi
  for ko in $(cat $list); do
    m=$(basename $ko .ko)
    m=$(echo $m | tr - _)
    grep -q "^$m " /proc/modules && continue
    params=$(for w in $(cat /proc/cmdline); do case "$w" in $m.*=*) echo "${w#$m.}" ;; esac; done)
    insmod $ko $params 2>>$LOG || log "insmod $ko failed"
  done
}

# qemu_fw_cfg binds to the ACPI QEMU0002 (FWCF) device only: this kernel has no
# CONFIG_FW_CFG_SYSFS_CMDLINE, so without QEMU's ACPI tables (acpi=off) /bin/fwcfg-read
# reads the fw_cfg directory through I/O ports 0x510/0x511 instead (see below).
load_mod qemu_fw_cfg

for bdf in $(echo "$STUB" | tr , ' '); do
  load_mod pci-pf-stub
  echo pci-pf-stub > /sys/bus/pci/devices/$bdf/driver_override
  echo $bdf > /sys/bus/pci/drivers_probe 2>>$LOG
done

for m in $(echo "$MODS" | tr , ' '); do load_mod $m; done

# SR-IOV: writes to sriov_numvfs are only accepted when the PF's bound driver implements
# sriov_configure. If nothing is bound, bind pci-pf-stub through driver_override (its
# probe does nothing, so the PF's command register / MSI state are left untouched).
# VF driver autoprobe is switched off so VFs stay unbound (config space as firmware+core left it).
if [ -n "$VFS" ]; then
  for spec in $(echo "$VFS" | tr , ' '); do
    bdf=${spec%=*}
    n=${spec##*=}
    d=/sys/bus/pci/devices/$bdf
    if [ ! -e $d ]; then log "vfs: $bdf not present"; continue; fi
    if [ ! -e $d/sriov_numvfs ]; then log "vfs: $bdf has no SR-IOV capability"; continue; fi
    if [ ! -e $d/driver ]; then
      load_mod pci-pf-stub
      echo pci-pf-stub > $d/driver_override
      echo $bdf > /sys/bus/pci/drivers_probe 2>>$LOG
    fi
    drv=$(basename $(readlink $d/driver) 2>/dev/null)
    log "vfs: $bdf driver=$drv totalvfs=$(cat $d/sriov_totalvfs) request=$n"
    echo 0 > $d/sriov_drivers_autoprobe 2>>$LOG
    if echo $n > $d/sriov_numvfs 2>>$LOG; then
      log "vfs: $bdf sriov_numvfs=$(cat $d/sriov_numvfs)"
    else
      log "vfs: writing $n to $bdf/sriov_numvfs failed"
    fi
  done
fi

# netif BDF: the network interface of PCI function BDF (empty if it has none); a virtio-net's
# interface is its virtio device's, under the PCI function's virtioN
netif() {
  for n in /sys/bus/pci/devices/$1/net/* /sys/bus/pci/devices/$1/virtio*/net/*; do
    [ -e "$n" ] && { basename $n; return; }
  done
}
# link_up IF [NETNS-PID]: wait (up to 20 s) for the interface's carrier
link_up() {
  n=0
  while [ $n -lt 200 ]; do
    if [ -n "$2" ]; then nsenter -t $2 -n ip link show $1 | grep -q LOWER_UP && return 0
    else ip link show $1 | grep -q LOWER_UP && return 0; fi
    sleep 0.1; n=$((n+1))
  done
  log "ping: $1 has no carrier"
  return 1
}
if [ -n "$PING" ]; then
  a=${PING%,*}
  b=${PING#*,}
  A=$(netif $a)
  [ -n "$A" ] && ip addr add 10.0.99.1/24 dev $A && ip link set $A up && link_up $A
  # A VF left unbound (sriov_drivers_autoprobe 0) binds to its driver now that its PF's interface is up
  # (igbvf's reset waits for the PF's; busybox's ip cannot give it a MAC: igbvf picks a random one).
  if [ -e /sys/bus/pci/devices/$b/physfn ] && [ ! -e /sys/bus/pci/devices/$b/driver ]; then
    pf=$(basename $(readlink /sys/bus/pci/devices/$b/physfn))
    echo 1 > /sys/bus/pci/devices/$pf/sriov_drivers_autoprobe
    echo $b > /sys/bus/pci/drivers_probe 2>>$LOG
    echo 0 > /sys/bus/pci/devices/$pf/sriov_drivers_autoprobe
  fi
  B=$(netif $b)
  if [ -z "$A" ] || [ -z "$B" ]; then
    log "ping: no interface on $a ($A) or $b ($B)"
  else
    unshare -n sleep 3600 &
    NS=$!
    while [ "$(readlink /proc/$NS/ns/net)" = "$(readlink /proc/self/ns/net)" ]; do sleep 0.1; done
    ip link set $B netns $NS
    nsenter -t $NS -n ip addr add 10.0.99.2/24 dev $B
    nsenter -t $NS -n ip link set $B up
    link_up $B $NS
    r=$(ping -c 3 -W 5 10.0.99.2 | grep 'packets transmitted')
    log "ping: $a ($A, $(cat /sys/class/net/$A/address)) -> $b ($B, $(nsenter -t $NS -n ip link show $B | grep -o 'ether [0-9a-f:]*' | cut -d' ' -f2)): $r"
    log "ping: $B $(nsenter -t $NS -n cat /proc/net/dev | grep "$B:" | { read i rb rp x x x x x x tb tp x; echo "rx=$rp tx=$tp"; })"
    kill $NS
  fi
fi

# nvme_disk BDF: the namespace 1 block device of the nvme controller of PCI function BDF (waits up to 20 s)
nvme_disk() {
  n=0
  while [ $n -lt 200 ]; do
    for b in /sys/bus/pci/devices/$1/nvme/nvme*/nvme*n1; do
      [ -e "$b/size" ] && { basename $b; return; }
    done
    sleep 0.1; n=$((n+1))
  done
}
# nvme_rw FROM TO SECTOR TAG: write a 512-byte block of TAG through /dev/FROM, read it through /dev/TO
nvme_rw() {
  if [ ! -b /dev/$1 ] || [ ! -b /dev/$2 ]; then log "nvmevf: /dev/$1 or /dev/$2 is no block device"; return; fi
  printf '%-511s\n' "machc-nvme $4 sector $3" > /tmp/nvme-block
  dd if=/tmp/nvme-block of=/dev/$1 bs=512 seek=$3 count=1 conv=fsync 2>>$LOG || log "nvmevf: write through $1 failed"
  blockdev --flushbufs /dev/$2 2>>$LOG
  echo 3 > /proc/sys/vm/drop_caches
  dd if=/dev/$2 of=/tmp/nvme-read bs=512 skip=$3 count=1 2>>$LOG || log "nvmevf: read through $2 failed"
  if cmp -s /tmp/nvme-block /tmp/nvme-read; then log "nvmevf: $1 -> $2 sector $3: same"
  else log "nvmevf: $1 -> $2 sector $3: differ: $(head -c 40 /tmp/nvme-read | tr -c '[:print:]' .)"; fi
}
if [ -n "$NVMEVF" ]; then
  pf=${NVMEVF%,*}
  vf=${NVMEVF#*,}
  pctl=$(basename /sys/bus/pci/devices/$pf/nvme/nvme* 2>/dev/null)
  # the VF's number (1-based): its index among the PF's virtfnN links
  vfn=
  for l in /sys/bus/pci/devices/$pf/virtfn*; do
    [ "$(basename $(readlink $l))" = "$vf" ] && vfn=$(( ${l##*virtfn} + 1 ))
  done
  # the PF's controller takes admin commands once it is live: wait for its disk
  pdisk=$(nvme_disk $pf)
  if [ ! -e /dev/$pctl ] || [ -z "$pdisk" ] || [ -z "$vfn" ]; then
    log "nvmevf: no live controller on $pf ($pctl, disk $pdisk) or $vf is not its VF"
  else
    sec=$(nvme-virt /dev/$pctl seclist $vfn 2>>$LOG)
    log "nvmevf: $pf ($pctl) VF $vf: $sec"
    scid=$(echo "$sec" | sed -n 's/^scid=\([0-9]*\) .*/\1/p')
    if [ -n "$scid" ]; then
      nvme-virt /dev/$pctl mgmt 8 0 $scid 2 >/dev/null 2>>$LOG || log "nvmevf: assigning 2 VQ to $scid failed"
      nvme-virt /dev/$pctl mgmt 8 1 $scid 1 >/dev/null 2>>$LOG || log "nvmevf: assigning 1 VI to $scid failed"
      nvme-virt /dev/$pctl mgmt 9 0 $scid 0 >/dev/null 2>>$LOG || log "nvmevf: online $scid failed"
      log "nvmevf: after online: $(nvme-virt /dev/$pctl seclist $vfn 2>>$LOG)"
    fi
    # VF driver autoprobe is off: the override names the driver, the probe binds just this VF
    echo nvme > /sys/bus/pci/devices/$vf/driver_override
    echo 1 > /sys/bus/pci/devices/$pf/sriov_drivers_autoprobe
    echo $vf > /sys/bus/pci/drivers_probe 2>>$LOG
    echo 0 > /sys/bus/pci/devices/$pf/sriov_drivers_autoprobe
    drv=$(basename $(readlink /sys/bus/pci/devices/$vf/driver) 2>/dev/null)
    vdisk=$(nvme_disk $vf)
    log "nvmevf: $vf driver=$drv disk=$vdisk; $pf disk=$pdisk"
    if [ -n "$pdisk" ] && [ -n "$vdisk" ]; then
      nvme_rw $vdisk $pdisk 4096 vf-to-pf
      nvme_rw $pdisk $vdisk 4097 pf-to-vf
    fi
  fi
fi

if [ -n "$SHELL_ONLY" ]; then
  log "shell"
  exec sh
fi

# --- collect ---
mkdir -p /out/pci /out/acpi /out/fwcfg /out/proc
: > /out/pci.txt
for d in /sys/bus/pci/devices/*; do
  b=$(basename $d)
  cat $d/config > /out/pci/$b 2>>$LOG
  tv=-; nv=-; pf=-; drv=-
  [ -e $d/sriov_totalvfs ] && tv=$(cat $d/sriov_totalvfs)
  [ -e $d/sriov_numvfs ] && nv=$(cat $d/sriov_numvfs)
  [ -e $d/physfn ] && pf=$(basename $(readlink $d/physfn))
  [ -e $d/driver ] && drv=$(basename $(readlink $d/driver))
  echo "$b $(cat $d/vendor) $(cat $d/device) $(cat $d/class) $tv $nv $pf $drv" >> /out/pci.txt
  # an instance number from ACPI (_DSM function 7: QEMU's acpi-index) and its label
  [ -e $d/acpi_index ] && echo "$b $(cat $d/acpi_index) $(cat $d/label 2>/dev/null)" >> /out/acpi-index.txt
done

if [ -d /sys/firmware/acpi/tables ]; then
  (cd /sys/firmware/acpi/tables && find . -type f) | while read f; do
    f=${f#./}
    mkdir -p /out/acpi/$(dirname $f)
    cat /sys/firmware/acpi/tables/$f > /out/acpi/$f 2>>$LOG
  done
fi

: > /out/fwcfg.txt
if [ -d /sys/firmware/qemu_fw_cfg/by_key ]; then
  for k in /sys/firmware/qemu_fw_cfg/by_key/*; do
    key=$(basename $k)
    size=$(cat $k/size)
    name=$(cat $k/name)
    if [ "$size" -le 1048576 ]; then
      cat $k/raw > /out/fwcfg/$key 2>>$LOG
      echo "$key $size $name" >> /out/fwcfg.txt
    else
      echo "$key $size $name SKIPPED" >> /out/fwcfg.txt
    fi
  done
elif [ -x /bin/fwcfg-read ]; then
  log "fw_cfg: no qemu_fw_cfg device (no FWCF in ACPI); reading I/O ports 0x510/0x511 with fwcfg-read"
  /bin/fwcfg-read /out/fwcfg /out/fwcfg.txt 1048576 2>>$LOG || log "fwcfg-read failed"
else
  log "fw_cfg: no qemu_fw_cfg device and no fwcfg-read helper"
fi

for p in iomem ioports interrupts cmdline cpuinfo meminfo; do cat /proc/$p > /out/proc/$p 2>/dev/null; done
ls -l /sys/bus/pci/devices/ > /out/proc/pci-devices-ls 2>/dev/null

# quiet the console before the dump so kernel messages cannot interleave with it
# What Linux made of machine files' own ACPI methods (asl: blocks, ssdts):
# PCI slots named by _SUN, device labels from _DSM function 7, and the ACPI
# devices with a machc test _HID (MCHCxxxx): their _STA and whether Linux made
# a device of them (an _STA of 0 hides one: no physical node).
# (slots with a power control are PCIe hot-plug slots of pciehp, not ACPI's)
for s in /sys/bus/pci/slots/*; do [ -e $s/address ] && [ ! -e $s/power ] && log "acpi-slot: $(basename $s) $(cat $s/address)"; done
for d in /sys/bus/pci/devices/*; do [ -e $d/label ] && log "acpi-label: $(basename $d) $(cat $d/label)"; done
for a in /sys/bus/acpi/devices/MCHC*; do [ -e $a ] && log "acpi-device: $(basename $a) status=$(cat $a/status 2>/dev/null) physical=$([ -e $a/physical_node ] && echo yes || echo no)"; done

dmesg -n 1
dmesg > /out/dmesg.txt
cd /out && find . | cpio -o -H newc 2>/dev/null | gzip -c > /tmp/dump.cpio.gz
sz=$(wc -c < /tmp/dump.cpio.gz)
md=$(md5sum /tmp/dump.cpio.gz | cut -d' ' -f1)
echo
echo "@@MACHC-DUMP-BEGIN size=$sz md5=$md@@"
base64 -w 76 /tmp/dump.cpio.gz
echo "@@MACHC-DUMP-END@@"
sync
poweroff -f
