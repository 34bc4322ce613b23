/** Small formatting helpers shared by the passes. */

/** 'dd.f' in hex, as QEMU's addr= and lspci print it. */
export function formatSlotFn(device: number, fn: number): string {
  return `${device.toString(16).padStart(2, '0')}.${fn}`;
}

/** 'bb:dd.f' in hex. */
export function formatBdf(bus: number, device: number, fn: number): string {
  return `${bus.toString(16).padStart(2, '0')}:${formatSlotFn(device, fn)}`;
}
