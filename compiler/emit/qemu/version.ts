/** QEMU release numbers ('7.2', '10.0') and the oldest release a machine needs. */

export interface QemuVersion {
  readonly major: number;
  readonly minor: number;
}

/** The release machc models: everything runs on it unless a device says otherwise. */
export const BASELINE_QEMU: QemuVersion = { major: 7, minor: 2 };

export function parseVersion(text: string): QemuVersion {
  const m = /^(\d+)\.(\d+)(?:\.\d+)?/.exec(text.trim());
  if (!m) throw new Error(`not a QEMU version: ${JSON.stringify(text)}`);
  return { major: Number(m[1]), minor: Number(m[2]) };
}

export function compareVersions(a: QemuVersion, b: QemuVersion): number {
  return a.major - b.major || a.minor - b.minor;
}

export function formatVersion(v: QemuVersion): string {
  return `${v.major}.${v.minor}`;
}
