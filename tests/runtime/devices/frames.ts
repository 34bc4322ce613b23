/**
 * Frames for the NIC tests, built and checked here independently of the
 * device models' own packet code: Ethernet, IPv4 with UDP or TCP, and a
 * plain RFC 1071 checksum to verify what a NIC filled in.
 */

export const BROADCAST = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

/** A raw frame with a local experimental EtherType, padded to 60 bytes. */
export function rawFrame(dst: number[], src: number[], payload: string): Uint8Array {
  const p = new TextEncoder().encode(payload);
  const f = new Uint8Array(14 + Math.max(p.length, 46));
  f.set(dst, 0);
  f.set(src, 6);
  f[12] = 0x88;
  f[13] = 0xb5;
  f.set(p, 14);
  return f;
}

function sum16(b: Uint8Array, start: number, end: number, initial = 0): number {
  let s = initial;
  for (let i = start; i < end; i += 2) s += (b[i]! << 8) | (i + 1 < end ? b[i + 1]! : 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

/** An IPv4 frame (addresses 10.0.0.x) carrying UDP or TCP with `payload`; checksums left zero (for the NIC to fill) unless `checksums`. */
export function ipFrame(opts: {
  dst: number[];
  src: number[];
  proto: 'udp' | 'tcp';
  payload: Uint8Array;
  ipId?: number;
  seq?: number;
  checksums?: boolean;
  srcIp?: number;
  dstIp?: number;
}): Uint8Array {
  const l4len = (opts.proto === 'udp' ? 8 : 20) + opts.payload.length;
  const f = new Uint8Array(14 + 20 + l4len);
  const v = new DataView(f.buffer);
  f.set(opts.dst, 0);
  f.set(opts.src, 6);
  v.setUint16(12, 0x0800);
  f[14] = 0x45;
  v.setUint16(16, 20 + l4len);
  v.setUint16(18, opts.ipId ?? 0x1234);
  f[22] = 64;
  f[23] = opts.proto === 'udp' ? 17 : 6;
  v.setUint32(26, 0x0a00_0000 | (opts.srcIp ?? 1));
  v.setUint32(30, 0x0a00_0000 | (opts.dstIp ?? 2));
  const l4 = 34;
  v.setUint16(l4, 4000);
  v.setUint16(l4 + 2, 5000);
  if (opts.proto === 'udp') v.setUint16(l4 + 4, l4len);
  else {
    v.setUint32(l4 + 4, opts.seq ?? 1000);
    f[l4 + 12] = 5 << 4;
    f[l4 + 13] = 0x18; // PSH, ACK
    v.setUint16(l4 + 14, 0xffff);
  }
  f.set(opts.payload, l4 + (opts.proto === 'udp' ? 8 : 20));
  if (opts.checksums) {
    v.setUint16(24, ~sum16(f, 14, 34) & 0xffff);
    v.setUint16(l4 + (opts.proto === 'udp' ? 6 : 16), ~l4Sum(f) & 0xffff);
  }
  return f;
}

function l4Sum(f: Uint8Array): number {
  const v = new DataView(f.buffer, f.byteOffset);
  const total = v.getUint16(16);
  const end = 14 + total;
  const pseudo = sum16(f, 26, 34) + f[23]! + (total - 20);
  return sum16(f, 34, end, pseudo);
}

/** Whether the IPv4 header and the UDP/TCP checksums of an IPv4 frame are right. */
export function checksumsValid(f: Uint8Array): { ip: boolean; l4: boolean } {
  return { ip: sum16(f, 14, 34) === 0xffff, l4: l4Sum(f) === 0xffff };
}

/** The pseudo-header sum a driver places in the L4 checksum field before asking for checksum offload. */
export function prefillPseudoHeader(f: Uint8Array, tsoLength = false): void {
  const v = new DataView(f.buffer, f.byteOffset);
  const total = v.getUint16(16);
  const pseudo = sum16(f, 26, 34) + f[23]! + (tsoLength ? 0 : total - 20);
  let s = pseudo;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  v.setUint16(34 + (f[23] === 17 ? 6 : 16), s);
}
