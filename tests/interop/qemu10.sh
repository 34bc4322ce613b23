#!/usr/bin/env bash
# A private QEMU 10 (Debian bookworm-backports) beside the system QEMU 7.2, for the devices 7.2
# lacks (igb needs 8.0). Nothing is installed: the .deb files are fetched with `apt-get download`
# and unpacked with `dpkg -x` into a prefix; the system QEMU stays the default.
#
#   tests/interop/qemu10.sh [PREFIX]     (PREFIX: $MACHC_QEMU10, else .cache/qemu10 in the repository)
#
# Prints the path of a launcher, PREFIX/bin/qemu-system-x86_64, that runs the unpacked binary with
#   - LD_LIBRARY_PATH on the libraries it needs that the host lacks (unpacked the same way),
#   - QEMU_MODULE_DIR on a folder that shadows the system QEMU's modules: the Debian build looks for
#     modules in /usr/lib/x86_64-linux-gnu/qemu, where 7.2's live, and loading one of those aborts
#     QEMU 10 ("Only modules from the same build can be loaded"); an empty file in front of each
#     makes the load fail cleanly instead (the boots here need no module),
#   - -L PREFIX/usr/share/qemu: its own option ROMs first; SeaBIOS and iPXE come from the system
#     (the harness passes -bios /usr/share/seabios/bios-256k.bin, SeaBIOS 1.16.2).
# Run it again and it only checks the launcher (well under a second).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
PREFIX=${1:-${MACHC_QEMU10:-$REPO/.cache/qemu10}}
SUITE=bookworm-backports
MIRROR=http://deb.debian.org/debian
ARCH_LIBDIRS=(usr/lib/x86_64-linux-gnu lib/x86_64-linux-gnu)
SYSTEM_MODULES=/usr/lib/x86_64-linux-gnu/qemu
LAUNCHER=$PREFIX/bin/qemu-system-x86_64
STAMP=$PREFIX/version

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

# The launcher works, lists igb and still has the q35 7.2 machine type.
check() {
  local devices machines
  devices=$("$LAUNCHER" -device help 2>/dev/null) || return 1
  machines=$("$LAUNCHER" -machine help 2>/dev/null) || return 1
  grep -q '^name "igb"' <<<"$devices" || { say "$LAUNCHER -device help does not list igb"; return 1; }
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

# A private apt configuration that knows only bookworm-backports: nothing of the system's is touched.
APT_DIR=$PREFIX/apt
mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial"
echo "deb $MIRROR $SUITE main" >"$APT_DIR/sources.list"
APT_PRIVATE=(-o "Dir::Etc::SourceList=$APT_DIR/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$APT_DIR/lists" -o "Dir::Cache=$APT_DIR/cache" -o Debug::NoLocking=1)
APT_SYSTEM=()
# As root apt downloads as the _apt user, which cannot write into the prefix.
if [ "$(id -u)" = 0 ]; then
  APT_PRIVATE+=(-o APT::Sandbox::User=root)
  APT_SYSTEM+=(-o APT::Sandbox::User=root)
fi

say "updating the $SUITE package list"
apt-get -qq "${APT_PRIVATE[@]}" update >/dev/null || die "apt-get update of $SUITE failed"

DEBS=$PREFIX/debs
ROOT=$PREFIX/root
rm -rf "$DEBS" "$ROOT"
mkdir -p "$DEBS" "$ROOT"

say "downloading qemu-system-x86 and qemu-system-data from $SUITE"
(cd "$DEBS" && apt-get -qq "${APT_PRIVATE[@]}" download "qemu-system-x86/$SUITE" "qemu-system-data/$SUITE" >/dev/null) ||
  die "apt-get download from $SUITE failed"
X86_DEB=$(ls "$DEBS"/qemu-system-x86_*.deb)
VERSION=$(dpkg-deb -f "$X86_DEB" Version)

# Shared libraries: a Depends entry on a library the host does not have at the version asked for is
# fetched as well, from bookworm-backports when it has it, else from the system's sources (bookworm).
# The non-library entries (qemu-system-common, seabios, ipxe-qemu) are not needed to boot.
missing_libs() {
  dpkg-deb -f "$1" Depends | tr ',' '\n' | sed 's/|.*//' | while read -r name rest; do
    case "$name" in lib* | zlib1g) ;; *) continue ;; esac
    local op='' want='' have
    if [[ "$rest" =~ \(([<>=]+)\ *([^\)]+)\) ]]; then op=${BASH_REMATCH[1]} want=${BASH_REMATCH[2]}; fi
    have=$(dpkg-query -W -f='${Status} ${Version}' "$name" 2>/dev/null | sed -n 's/^install ok installed //p') || true
    if [ -z "$have" ]; then echo "$name"; continue; fi
    if [ -n "$op" ] && ! dpkg --compare-versions "$have" "$op" "$want"; then echo "$name"; fi
  done
}
EXTRA=$(missing_libs "$X86_DEB" | sort -u)
for lib in $EXTRA; do
  say "the host lacks $lib (or has it too old): downloading it"
  if apt-cache "${APT_PRIVATE[@]}" madison "$lib" 2>/dev/null | grep -q " $SUITE/"; then
    (cd "$DEBS" && apt-get -qq "${APT_PRIVATE[@]}" download "$lib/$SUITE" >/dev/null)
  else
    (cd "$DEBS" && apt-get -qq "${APT_SYSTEM[@]}" download "$lib" >/dev/null) ||
      die "apt-get download $lib failed (run apt-get update once so the system's package lists are current)"
  fi
done

for deb in "$DEBS"/*.deb; do dpkg -x "$deb" "$ROOT"; done
[ -x "$ROOT/usr/bin/qemu-system-x86_64" ] || die "no usr/bin/qemu-system-x86_64 in the unpacked packages"

LIBPATH=""
for d in "${ARCH_LIBDIRS[@]}"; do [ -d "$ROOT/$d" ] && LIBPATH=${LIBPATH:+$LIBPATH:}$ROOT/$d; done
NOT_FOUND=$(LD_LIBRARY_PATH=$LIBPATH ldd "$ROOT/usr/bin/qemu-system-x86_64" | grep 'not found' || true)
[ -z "$NOT_FOUND" ] || die "shared libraries still missing:"$'\n'"$NOT_FOUND"

shadow_modules
mkdir -p "$PREFIX/bin"
LIBLINE=""
[ -z "$LIBPATH" ] || LIBLINE="LD_LIBRARY_PATH=\"$LIBPATH\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}\" export LD_LIBRARY_PATH"
cat >"$LAUNCHER.tmp" <<EOF
#!/bin/sh
# QEMU $VERSION from $SUITE, unpacked by tests/interop/qemu10.sh.
$LIBLINE
QEMU_MODULE_DIR="$PREFIX/modules" export QEMU_MODULE_DIR
exec "$ROOT/usr/bin/qemu-system-x86_64" -L "$ROOT/usr/share/qemu" "\$@"
EOF
chmod +x "$LAUNCHER.tmp"
mv "$LAUNCHER.tmp" "$LAUNCHER"

check || die "the unpacked QEMU does not work"
echo "$VERSION" >"$STAMP"
rm -rf "$DEBS" "$APT_DIR/cache"
say "QEMU $("$LAUNCHER" --version | head -1 | sed 's/^QEMU emulator version //') in $PREFIX"
echo "$LAUNCHER"
