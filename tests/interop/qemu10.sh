#!/usr/bin/env bash
# A private QEMU 10 (Debian bookworm-backports) beside the system QEMU 7.2, for the devices 7.2
# lacks (igb needs 8.0). Nothing is installed: the .deb files are fetched with `apt-get download`
# and unpacked with `dpkg -x` into a prefix; the system QEMU stays the default.
#
#   tests/interop/qemu10.sh [--suite SUITE] [PREFIX]
#
# PREFIX: $MACHC_QEMU10, else .cache/qemu10 in the repository (.cache/qemu-SUITE for another suite).
# SUITE: a Debian backports suite, default bookworm-backports. A newer one (trixie-backports has a
# QEMU with user-created SR-IOV functions) is built against a newer C library: its libraries, libc6
# included, come from that suite's release and the binary runs under their dynamic loader.
#
# Prints the path of a launcher, PREFIX/bin/qemu-system-x86_64, that runs the unpacked binary with
#   - the libraries it needs that the host lacks (unpacked the same way) first on the library path,
#   - QEMU_MODULE_DIR on a folder that shadows the system QEMU's modules: the Debian build looks for
#     modules in /usr/lib/x86_64-linux-gnu/qemu, where 7.2's live, and loading one of those aborts
#     QEMU 10 ("Only modules from the same build can be loaded"); an empty file in front of each
#     makes the load fail cleanly instead. The modules the captures need, the virtio GPU's
#     (virtio-gpu-pci, virtio-vga: hw-display-virtio-gpu*.so, hw-display-virtio-vga.so, shipped in
#     the suite's qemu-system-common), come from the same build and replace their empty files,
#   - -L PREFIX/root/usr/share/qemu: its own option ROMs first; SeaBIOS and iPXE (/usr/lib/ipxe/qemu)
#     come from the system (the harness passes -bios /usr/share/seabios/bios-256k.bin, SeaBIOS 1.16.2).
# Run it again and it only checks the launcher (well under a second).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
SUITE=bookworm-backports
if [ "${1:-}" = --suite ]; then SUITE=${2:?--suite needs a suite}; shift 2; fi
case "$SUITE" in *-backports) ;; *) echo "qemu10: --suite takes a Debian backports suite (bookworm-backports, trixie-backports)" >&2; exit 2 ;; esac
BASE=${SUITE%-backports}
if [ "$SUITE" = bookworm-backports ]; then DEFAULT_PREFIX=${MACHC_QEMU10:-$REPO/.cache/qemu10}; else DEFAULT_PREFIX=$REPO/.cache/qemu-$SUITE; fi
PREFIX=${1:-$DEFAULT_PREFIX}
MIRROR=http://deb.debian.org/debian
ARCH_LIBDIRS=(usr/lib/x86_64-linux-gnu lib/x86_64-linux-gnu)
SYSTEM_MODULES=/usr/lib/x86_64-linux-gnu/qemu

say() { printf 'qemu10: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

mkdir -p "$PREFIX"
PREFIX=$(cd "$PREFIX" && pwd)
LAUNCHER=$PREFIX/bin/qemu-system-x86_64
STAMP=$PREFIX/version

# One setup at a time per prefix.
exec 9>"$PREFIX/.lock"
flock 9

# An empty file in the private module folder for every module the system QEMU has.
shadow_modules() {
  mkdir -p "$PREFIX/modules"
  if [ -d "$SYSTEM_MODULES" ]; then
    for m in "$SYSTEM_MODULES"/*.so; do
      [ -e "$m" ] || continue
      [ -e "$PREFIX/modules/${m##*/}" ] || : >"$PREFIX/modules/${m##*/}"
    done
  fi
}

# The modules of the build (from its qemu-system-common) that the captures use: the virtio GPU's.
BUILD_MODULES=(hw-display-virtio-gpu.so hw-display-virtio-gpu-pci.so hw-display-virtio-vga.so)

# The launcher works, lists igb and the virtio GPU (its modules load) and still has the q35 7.2 machine type.
check() {
  local devices machines
  devices=$("$LAUNCHER" -device help 2>/dev/null) || return 1
  machines=$("$LAUNCHER" -machine help 2>/dev/null) || return 1
  grep -q '^name "igb"' <<<"$devices" || { say "$LAUNCHER -device help does not list igb"; return 1; }
  grep -q '^name "virtio-gpu-pci"' <<<"$devices" || { say "$LAUNCHER -device help does not list virtio-gpu-pci (its modules are missing)"; return 1; }
  grep -q '^pc-q35-7\.2 ' <<<"$machines" || { say "$LAUNCHER -machine help does not list pc-q35-7.2"; return 1; }
}

if [ -x "$LAUNCHER" ] && [ -s "$STAMP" ]; then
  shadow_modules
  if check; then
    echo "$LAUNCHER"
    exit 0
  fi
  say "the unpacked QEMU in $PREFIX does not work any more; unpacking it again"
fi

command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || die "needs apt-get and dpkg-deb (Debian)"

# A private apt configuration that knows only the backports suite (and, for a release newer than
# the host's, that release): nothing of the system's is touched.
APT_DIR=$PREFIX/apt
mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial"
{
  echo "deb $MIRROR $SUITE main"
  [ "$BASE" = bookworm ] || echo "deb $MIRROR $BASE main"
} >"$APT_DIR/sources.list"
APT_PRIVATE=(-o "Dir::Etc::SourceList=$APT_DIR/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$APT_DIR/lists" -o "Dir::Cache=$APT_DIR/cache" -o Debug::NoLocking=1)
APT_SYSTEM=()
# As root apt downloads as the _apt user, which cannot write into the prefix.
if [ "$(id -u)" = 0 ]; then
  APT_PRIVATE+=(-o APT::Sandbox::User=root)
  APT_SYSTEM+=(-o APT::Sandbox::User=root)
fi

say "updating the package list of $(tr '\n' ' ' <"$APT_DIR/sources.list" | sed 's/deb [^ ]* //g; s/ main/,/g; s/, *$//')"
# (--error-on=any: an index that failed to download fails the update, instead of leaving a
# package list without the suite's packages for the lookups below.)
apt-get -qq --error-on=any "${APT_PRIVATE[@]}" update >/dev/null || die "apt-get update of $SUITE failed"

DEBS=$PREFIX/debs
ROOT=$PREFIX/root
rm -rf "$DEBS" "$ROOT"
mkdir -p "$DEBS" "$ROOT"

say "downloading qemu-system-x86, qemu-system-data and qemu-system-common from $SUITE"
(cd "$DEBS" && apt-get -qq "${APT_PRIVATE[@]}" download "qemu-system-x86/$SUITE" "qemu-system-data/$SUITE" "qemu-system-common/$SUITE" >/dev/null) ||
  die "apt-get download from $SUITE failed"
X86_DEB=$(ls "$DEBS"/qemu-system-x86_*.deb)
VERSION=$(dpkg-deb -f "$X86_DEB" Version)

# Shared libraries: a Depends entry on a library the host does not have at the version asked for is
# fetched as well (and so are the libraries those need), from the suite's release when the private
# list has it, else from the system's sources (bookworm). The non-library entries
# (qemu-system-common, seabios, ipxe-qemu) are not needed to boot; qemu-system-common is unpacked
# for the virtio GPU's modules only, which need no library the binary does not (check proves it).
missing_libs() {
  dpkg-deb -f "$1" Depends Pre-Depends | sed 's/^[A-Za-z-]*: //' | tr ',' '\n' | sed 's/|.*//' | while read -r name rest; do
    name=${name%%:*}
    case "$name" in lib* | zlib1g) ;; *) continue ;; esac
    local op='' want='' have
    if [[ "$rest" =~ \(([<>=]+)\ *([^\)]+)\) ]]; then op=${BASH_REMATCH[1]} want=${BASH_REMATCH[2]}; fi
    have=$(dpkg-query -W -f='${Status} ${Version}' "$name" 2>/dev/null | sed -n 's/^install ok installed //p') || true
    if [ -z "$have" ]; then echo "$name"; continue; fi
    if [ -n "$op" ] && ! dpkg --compare-versions "$have" "$op" "$want"; then echo "$name"; fi
  done
}
# Downloads the given libraries, level by level: one apt call per source, not one per package.
fetch_libs() {
  local private=() system=() lib suites
  for lib in "$@"; do
    suites=$(apt-cache "${APT_PRIVATE[@]}" madison "$lib" 2>/dev/null | awk -F'|' '{print $3}' | grep -o "$BASE[a-z-]*/" | tr -d / || true)
    if [ "$BASE" != bookworm ] && grep -qx "$BASE" <<<"$suites"; then private+=("$lib/$BASE")
    elif grep -qx "$SUITE" <<<"$suites"; then private+=("$lib/$SUITE")
    else system+=("$lib"); fi
  done
  if [ ${#private[@]} -gt 0 ]; then
    (cd "$DEBS" && apt-get -qq "${APT_PRIVATE[@]}" download "${private[@]}" >/dev/null) || die "apt-get download ${private[*]} failed"
  fi
  if [ ${#system[@]} -gt 0 ]; then
    (cd "$DEBS" && apt-get -qq "${APT_SYSTEM[@]}" download "${system[@]}" >/dev/null) ||
      die "apt-get download ${system[*]} failed (run apt-get update once so the system's package lists are current)"
  fi
}
declare -A FETCHED=()
LEVEL=("$X86_DEB")
while [ ${#LEVEL[@]} -gt 0 ]; do
  NEW=()
  for lib in $(for deb in "${LEVEL[@]}"; do missing_libs "$deb"; done | sort -u); do
    [ -z "${FETCHED[$lib]:-}" ] || continue
    FETCHED[$lib]=1
    NEW+=("$lib")
  done
  [ ${#NEW[@]} -gt 0 ] || break
  say "the host lacks (or has too old): ${NEW[*]}; downloading them"
  fetch_libs "${NEW[@]}"
  LEVEL=()
  for lib in "${NEW[@]}"; do LEVEL+=("$(ls -t "$DEBS"/"${lib}"_*.deb | head -1)"); done
done

for deb in "$DEBS"/*.deb; do dpkg -x "$deb" "$ROOT"; done
[ -x "$ROOT/usr/bin/qemu-system-x86_64" ] || die "no usr/bin/qemu-system-x86_64 in the unpacked packages"

LIBPATH=""
for d in "${ARCH_LIBDIRS[@]}"; do [ -d "$ROOT/$d" ] && LIBPATH=${LIBPATH:+$LIBPATH:}$ROOT/$d; done
# With a C library of its own the binary runs under that library's dynamic loader.
LOADER=""
for d in "${ARCH_LIBDIRS[@]}"; do [ -e "$ROOT/$d/ld-linux-x86-64.so.2" ] && LOADER=$ROOT/$d/ld-linux-x86-64.so.2 && break; done
if [ -n "$LOADER" ]; then
  LISTED=$("$LOADER" --library-path "$LIBPATH" --list "$ROOT/usr/bin/qemu-system-x86_64")
else
  LISTED=$(LD_LIBRARY_PATH=$LIBPATH ldd "$ROOT/usr/bin/qemu-system-x86_64")
fi
NOT_FOUND=$(grep 'not found' <<<"$LISTED" || true)
[ -z "$NOT_FOUND" ] || die "shared libraries still missing:"$'\n'"$NOT_FOUND"

# The build's own modules in front of their empty files (the rest of qemu-system-common stays unused).
rm -rf "$PREFIX/modules"
mkdir -p "$PREFIX/modules"
for m in "${BUILD_MODULES[@]}"; do
  [ -s "$ROOT/usr/lib/x86_64-linux-gnu/qemu/$m" ] || die "no $m in $SUITE's qemu-system-common"
  cp "$ROOT/usr/lib/x86_64-linux-gnu/qemu/$m" "$PREFIX/modules/$m"
done
shadow_modules
mkdir -p "$PREFIX/bin"
if [ -n "$LOADER" ]; then
  RUN="exec \"$LOADER\" --library-path \"$LIBPATH:/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu\" \"$ROOT/usr/bin/qemu-system-x86_64\""
elif [ -n "$LIBPATH" ]; then
  RUN="LD_LIBRARY_PATH=\"$LIBPATH\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}\"; export LD_LIBRARY_PATH; exec \"$ROOT/usr/bin/qemu-system-x86_64\""
else
  RUN="exec \"$ROOT/usr/bin/qemu-system-x86_64\""
fi
# The system's iPXE option ROMs, as 7.2 finds them (newer builds no longer look in /usr/lib/ipxe/qemu).
IPXE=""
[ ! -d /usr/lib/ipxe/qemu ] || IPXE=' -L /usr/lib/ipxe/qemu'
cat >"$LAUNCHER.tmp" <<EOF
#!/bin/sh
# QEMU $VERSION from $SUITE, unpacked by tests/interop/qemu10.sh.
QEMU_MODULE_DIR="$PREFIX/modules" export QEMU_MODULE_DIR
$RUN -L "$ROOT/usr/share/qemu"$IPXE "\$@"
EOF
chmod +x "$LAUNCHER.tmp"
mv "$LAUNCHER.tmp" "$LAUNCHER"

check || die "the unpacked QEMU does not work"
echo "$VERSION" >"$STAMP"
rm -rf "$DEBS" "$APT_DIR/cache"
say "QEMU $("$LAUNCHER" --version | head -1 | sed 's/^QEMU emulator version //') in $PREFIX"
echo "$LAUNCHER"
