/**
 * The QEMU a machine is built for. A target fixes the machine type on the
 * command line, which devices and properties exist, and the exact bytes of
 * every firmware file: under a target, machc's ACPI tables and fw_cfg files
 * equal the ones that QEMU release generates for the same machine.
 *
 * Each target is one QEMU build that Debian ships and the test suite runs:
 * 7.2 (bookworm, the system QEMU), 10.0 (bookworm-backports) and 11.1
 * (trixie-backports; tests/interop/qemu10.sh unpacks both beside 7.2).
 * Data only.
 */

export const TARGET_VERSIONS = ['7.2', '10.0', '11.1'] as const;
export type TargetVersion = (typeof TARGET_VERSIONS)[number];

export interface QemuTarget {
  /** '7.2', '10.0', '11.1': what machine files and --qemu say. */
  readonly version: TargetVersion;
  /** The versioned q35 machine type of that release (what `-machine q35` means there). */
  readonly machineType: string;
  /** The build the tables were proven against. */
  readonly build: string;
  /** Where Debian ships it. */
  readonly debian: string;
}

export const TARGETS: Readonly<Record<TargetVersion, QemuTarget>> = {
  '7.2': { version: '7.2', machineType: 'pc-q35-7.2', build: 'QEMU 7.2.0 (Debian 1:7.2+dfsg-7+deb12u18)', debian: 'bookworm' },
  '10.0': { version: '10.0', machineType: 'pc-q35-10.0', build: 'QEMU 10.0.2 (Debian 1:10.0.2+ds-2+deb13u1~bpo12+1)', debian: 'bookworm-backports' },
  '11.1': { version: '11.1', machineType: 'pc-q35-11.1', build: 'QEMU 11.1.3 (Debian 1:11.1.3+ds-2~bpo13+1)', debian: 'trixie-backports' },
};

/** Debian stable's QEMU: what a machine file without `qemu:` is built for. */
export const DEFAULT_TARGET: QemuTarget = TARGETS['7.2'];

export function isTargetVersion(text: string): text is TargetVersion {
  return (TARGET_VERSIONS as readonly string[]).includes(text);
}

/** [major, minor] of a release number such as '8.0' or '10.1.2'. */
export function releaseOf(version: string): [number, number] {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!m) throw new Error(`not a QEMU release number: ${JSON.stringify(version)}`);
  return [Number(m[1]), Number(m[2])];
}

/** Whether the target is `version` or newer (`since(t, '10.0')`). */
export function since(target: QemuTarget, version: string): boolean {
  const [a, b] = releaseOf(target.version);
  const [c, d] = releaseOf(version);
  return a > c || (a === c && b >= d);
}
