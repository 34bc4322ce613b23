/**
 * Comparing machc's `show --iomem`/`--ioports` with what a booted Linux
 * printed: the lines that depend on the kernel image, on which drivers bound
 * or on option ROM images are left out, with everything nested under them.
 */

/** Names Linux lists that machc does not print, and why. */
export const IGNORED: readonly [RegExp, string][] = [
  [/^Kernel (code|rodata|data|bss)$/, 'where the kernel image sits in RAM: the kernel build, not the machine'],
  [/^(Video ROM|Adapter ROM)$/, 'option ROMs SeaBIOS copied below 1 MiB: their sizes are the ROM images (vgabios, iPXE) after initialisation'],
  [/^pnp \d\d:\d\d$/, "Linux's PnP layer claiming motherboard resources: names in its enumeration order"],
  [/^(rtc0|rtc_cmos)$/, 'the RTC driver (its range is 2 or 8 ports depending on how it bound)'],
  [/^(vga\+|cga)$/, 'the VGA console driver'],
  [/^serial$/, 'the 8250 serial driver'],
  [/^(igb|igbvf|virtio-pci-modern|nvme)$/, 'a network driver (or virtio_pci, or nvme) claiming the BARs of the function it bound to (which drivers the guest loaded)'],
  [/^QEMU0002:00$/, "the fw_cfg driver's ACPI device (and fw_cfg_io under it)"],
];

/** The lines of a /proc/iomem or /proc/ioports text that machc's output is compared on. */
export function kept(text: string): string[] {
  const out: string[] = [];
  let skipBelow = -1;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const depth = (line.length - line.trimStart().length) / 2;
    if (skipBelow >= 0 && depth > skipBelow) continue;
    skipBelow = -1;
    const name = line.slice(line.indexOf(' : ') + 3);
    if (IGNORED.some(([re]) => re.test(name))) {
      skipBelow = depth;
      continue;
    }
    out.push(line);
  }
  return out;
}
