/**
 * fw_cfg `bootorder` (QEMU softmmu/bootdevice.c get_boot_devices_list): the
 * OpenFirmware device paths of the boot devices in ascending bootindex order,
 * joined by '\n' and ended by one NUL counted in the file size. No boot
 * device gives an empty (0-byte) file. SeaBIOS (src/boot.c) matches each line
 * against the paths it builds for the devices it finds.
 */
export function encodeBootorder(paths: readonly string[]): Uint8Array {
  if (paths.length === 0) return new Uint8Array(0);
  for (const p of paths) if (p.includes('\n') || p.includes('\0')) throw new Error(`boot path ${JSON.stringify(p)} contains a separator`);
  return new TextEncoder().encode(`${paths.join('\n')}\0`);
}

export function decodeBootorder(bytes: Uint8Array): string[] {
  if (bytes.length === 0) return [];
  const text = new TextDecoder().decode(bytes[bytes.length - 1] === 0 ? bytes.subarray(0, -1) : bytes);
  return text.split('\n');
}
