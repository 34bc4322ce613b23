/**
 * Ethernet frames as Intel's gigabit NICs look into them: the L2/L3/L4
 * layout (802.1Q tag, IPv4 or IPv6, TCP or UDP), the Internet checksum
 * (RFC 1071) with the IPv4/IPv6 pseudo headers (RFC 793, RFC 768, RFC 8200
 * §8.1), TCP segmentation (TSO) as the hardware performs it, and the
 * Toeplitz hash of Receive-Side Scaling (82574L datasheet §7.1.9.1, 82576
 * datasheet §7.1.2.9.1), and the 802.1Q tag inserted or stripped. Shared
 * by e1000e and igb; every function takes any bytes and never throws.
 */

export const ETH_HEADER = 14;
export const VLAN_TAG = 4;
export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
/** The smallest frame on the wire without FCS; shorter frames are padded with zeros. */
export const MIN_WIRE_FRAME = 60;

export type PacketKind = 'unicast' | 'multicast' | 'broadcast';

/** What a NIC's parser finds in a frame (offsets from the frame's first byte). */
export interface FrameLayout {
  /** Offset of the L3 header (after the Ethernet header and any VLAN tag). */
  readonly l3: number;
  readonly ipv4: boolean;
  readonly ipv6: boolean;
  /** Offset of the TCP/UDP header, or -1. */
  readonly l4: number;
  readonly tcp: boolean;
  readonly udp: boolean;
  /** Offset of the TCP/UDP payload, or -1. */
  readonly l5: number;
  /** An IP fragment (IPv4 MF or offset, IPv6 Fragment header). */
  readonly fragment: boolean;
  /** IPv6 extension headers were present. */
  readonly ipv6Ext: boolean;
  /** Bytes of the IP packet as its header says (capped at the frame). */
  readonly ipEnd: number;
}

export function packetKind(frame: Uint8Array): PacketKind {
  if (frame.length >= 6 && frame.subarray(0, 6).every((b) => b === 0xff)) return 'broadcast';
  return (frame[0] ?? 0) & 1 ? 'multicast' : 'unicast';
}

/** The frame padded with zeros to `length` bytes (the frame itself when it is that long already). */
export function padFrame(frame: Uint8Array, length = MIN_WIRE_FRAME): Uint8Array {
  if (frame.length >= length) return frame;
  const out = new Uint8Array(length);
  out.set(frame);
  return out;
}

/** The parts of a frame gathered from several buffers, as one (`total` bytes). */
export function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The frame with an 802.1Q tag (TPID `tpid`, TCI `tci`) after the MAC addresses. */
export function insertVlan(frame: Uint8Array, tpid: number, tci: number): Uint8Array {
  const out = new Uint8Array(frame.length + VLAN_TAG);
  out.set(frame.subarray(0, 12));
  out[12] = (tpid >>> 8) & 0xff;
  out[13] = tpid & 0xff;
  out[14] = (tci >>> 8) & 0xff;
  out[15] = tci & 0xff;
  out.set(frame.subarray(12), 16);
  return out;
}

/** The frame without its 802.1Q tag when it carries one with TPID `tpid`, and the tag's TCI (-1: none). */
export function stripVlan(frame: Uint8Array, tpid: number): { frame: Uint8Array; vlan: number } {
  if (frame.length < 18 || ((frame[12]! << 8) | frame[13]!) !== tpid) return { frame, vlan: -1 };
  const stripped = new Uint8Array(frame.length - VLAN_TAG);
  stripped.set(frame.subarray(0, 12));
  stripped.set(frame.subarray(16), 12);
  return { frame: stripped, vlan: (frame[14]! << 8) | frame[15]! };
}

function be16(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
}

function setBe16(b: Uint8Array, at: number, v: number): void {
  if (at + 1 >= b.length) return;
  b[at] = (v >>> 8) & 0xff;
  b[at + 1] = v & 0xff;
}

function be32(b: Uint8Array, at: number): number {
  return ((be16(b, at) << 16) | be16(b, at + 2)) >>> 0;
}

/** Parses the headers; a frame that is too short for a header ends the parse at that layer. */
export function parseFrame(frame: Uint8Array, vlanEthertype = ETHERTYPE_VLAN): FrameLayout {
  let l3 = ETH_HEADER;
  let type = be16(frame, 12);
  if (type === vlanEthertype && frame.length >= ETH_HEADER + VLAN_TAG) {
    type = be16(frame, 16);
    l3 += VLAN_TAG;
  }
  const none: FrameLayout = { l3, ipv4: false, ipv6: false, l4: -1, tcp: false, udp: false, l5: -1, fragment: false, ipv6Ext: false, ipEnd: frame.length };
  let proto = -1;
  let l4 = -1;
  let fragment = false;
  let ipv6Ext = false;
  let ipEnd = frame.length;
  let ipv4 = false;
  let ipv6 = false;
  if (type === ETHERTYPE_IPV4 && frame.length >= l3 + 20 && frame[l3]! >> 4 === 4) {
    const ihl = (frame[l3]! & 0xf) * 4;
    if (ihl < 20 || frame.length < l3 + ihl) return none;
    ipv4 = true;
    ipEnd = Math.min(frame.length, l3 + be16(frame, l3 + 2));
    const frag = be16(frame, l3 + 6);
    fragment = (frag & 0x2000) !== 0 || (frag & 0x1fff) !== 0;
    proto = frame[l3 + 9]!;
    l4 = l3 + ihl;
  } else if (type === ETHERTYPE_IPV6 && frame.length >= l3 + 40 && frame[l3]! >> 4 === 6) {
    ipv6 = true;
    ipEnd = Math.min(frame.length, l3 + 40 + be16(frame, l3 + 4));
    proto = frame[l3 + 6]!;
    l4 = l3 + 40;
    // Extension headers (RFC 8200 §4): hop-by-hop 0, routing 43, fragment 44, destination options 60.
    for (let guard = 0; guard < 8 && (proto === 0 || proto === 43 || proto === 44 || proto === 60); guard++) {
      if (frame.length < l4 + 8) return { ...none, ipv6: true, ipv6Ext: true };
      ipv6Ext = true;
      if (proto === 44) {
        fragment = true;
        proto = frame[l4]!;
        l4 += 8;
      } else {
        const next = frame[l4]!;
        l4 += (frame[l4 + 1]! + 1) * 8;
        proto = next;
      }
    }
  } else return none;
  const tcp = proto === IPPROTO_TCP && !fragment && frame.length >= l4 + 20;
  const udp = proto === IPPROTO_UDP && !fragment && frame.length >= l4 + 8;
  const l5 = tcp ? l4 + ((frame[l4 + 12]! >> 4) * 4) : udp ? l4 + 8 : -1;
  return { l3, ipv4, ipv6, l4, tcp, udp, l5, fragment, ipv6Ext, ipEnd };
}

/** The 16-bit one's complement sum of `data[start, end)` added to `initial` (RFC 1071), not yet complemented. */
export function onesSum(data: Uint8Array, start: number, end: number, initial = 0): number {
  let sum = initial;
  end = Math.min(end, data.length);
  let i = start;
  for (; i + 1 < end; i += 2) sum += (data[i]! << 8) | data[i + 1]!;
  if (i < end) sum += data[i]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** The IPv4 or IPv6 pseudo header's sum for an L4 segment of `length` bytes of protocol `proto`. */
function pseudoSum(frame: Uint8Array, layout: FrameLayout, proto: number, length: number): number {
  const l3 = layout.l3;
  let sum = layout.ipv4 ? onesSum(frame, l3 + 12, l3 + 20) : onesSum(frame, l3 + 8, l3 + 40);
  sum += proto + (length & 0xffff) + (length >>> 16);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** Offset of the L4 checksum field in its header. */
function l4ChecksumField(layout: FrameLayout): number {
  return layout.l4 + (layout.tcp ? 16 : 6);
}

/** Writes the IPv4 header checksum (in place). */
export function fillIpv4Checksum(frame: Uint8Array, layout: FrameLayout): void {
  if (!layout.ipv4) return;
  const ihl = (frame[layout.l3]! & 0xf) * 4;
  setBe16(frame, layout.l3 + 10, 0);
  setBe16(frame, layout.l3 + 10, ~onesSum(frame, layout.l3, layout.l3 + ihl) & 0xffff);
}

/** Writes the TCP or UDP checksum over the segment with its pseudo header (in place). */
export function fillL4Checksum(frame: Uint8Array, layout: FrameLayout): void {
  if (!layout.tcp && !layout.udp) return;
  const end = layout.ipEnd;
  const field = l4ChecksumField(layout);
  setBe16(frame, field, 0);
  const sum = onesSum(frame, layout.l4, end, pseudoSum(frame, layout, layout.tcp ? IPPROTO_TCP : IPPROTO_UDP, end - layout.l4));
  let c = ~sum & 0xffff;
  if (layout.udp && c === 0) c = 0xffff; // a computed UDP checksum of 0 is sent as all ones (RFC 768)
  setBe16(frame, field, c);
}

/** Whether the IPv4 header checksum is right (undefined: not IPv4). */
export function ipv4ChecksumValid(frame: Uint8Array, layout: FrameLayout): boolean | undefined {
  if (!layout.ipv4) return undefined;
  const ihl = (frame[layout.l3]! & 0xf) * 4;
  return onesSum(frame, layout.l3, layout.l3 + ihl) === 0xffff;
}

/** Whether the TCP/UDP checksum is right (undefined: neither, or a UDP datagram sent without one). */
export function l4ChecksumValid(frame: Uint8Array, layout: FrameLayout): boolean | undefined {
  if (!layout.tcp && !layout.udp) return undefined;
  if (layout.udp && layout.ipv4 && be16(frame, l4ChecksumField(layout)) === 0) return undefined;
  const end = layout.ipEnd;
  const sum = onesSum(frame, layout.l4, end, pseudoSum(frame, layout, layout.tcp ? IPPROTO_TCP : IPPROTO_UDP, end - layout.l4));
  return sum === 0xffff;
}

/**
 * TCP segmentation (82574L §7.3.6, 82576 §7.2.4): the headers (the first
 * `headerLength` bytes) repeated in front of each `mss`-byte piece of the
 * payload, with the IPv4 total length and identification (incremented per
 * segment) or the IPv6 payload length, the TCP sequence number advanced,
 * FIN and PSH only on the last segment, and fresh checksums. UDP is cut the
 * same way (each datagram with its own header). Returns the frames, or the
 * whole frame when it cannot be segmented.
 */
export function segment(frame: Uint8Array, mss: number, headerLength?: number): Uint8Array[] {
  const layout = parseFrame(frame);
  if ((!layout.tcp && !layout.udp) || mss <= 0) return [frame];
  const hdr = headerLength && headerLength >= layout.l5 && headerLength <= frame.length ? headerLength : layout.l5;
  const end = Math.max(layout.ipEnd, hdr);
  const payload = end - hdr;
  if (payload <= mss) {
    const one = frame.slice(0, end);
    fixSegment(one, parseFrame(one), 0, true);
    return [one];
  }
  const out: Uint8Array[] = [];
  for (let at = hdr, i = 0; at < end; at += mss, i++) {
    const n = Math.min(mss, end - at);
    const seg = new Uint8Array(hdr + n);
    seg.set(frame.subarray(0, hdr));
    seg.set(frame.subarray(at, at + n), hdr);
    const l = { ...layout, ipEnd: seg.length };
    if (layout.tcp) {
      setBe16(seg, layout.l4 + 4, 0);
      const seq = (be32(frame, layout.l4 + 4) + (at - hdr)) >>> 0;
      seg[layout.l4 + 4] = seq >>> 24;
      seg[layout.l4 + 5] = (seq >>> 16) & 0xff;
      seg[layout.l4 + 6] = (seq >>> 8) & 0xff;
      seg[layout.l4 + 7] = seq & 0xff;
    }
    fixSegment(seg, l, i, at + n >= end);
    out.push(seg);
  }
  return out;
}

function fixSegment(seg: Uint8Array, layout: FrameLayout, index: number, last: boolean): void {
  const l3 = layout.l3;
  if (layout.ipv4) {
    setBe16(seg, l3 + 2, seg.length - l3);
    setBe16(seg, l3 + 4, (be16(seg, l3 + 4) + index) & 0xffff);
    fillIpv4Checksum(seg, layout);
  } else if (layout.ipv6) setBe16(seg, l3 + 4, seg.length - l3 - 40);
  if (layout.tcp && !last) seg[layout.l4 + 13] = seg[layout.l4 + 13]! & ~0x09; // FIN, PSH
  if (layout.udp) setBe16(seg, layout.l4 + 4, seg.length - layout.l4);
  fillL4Checksum(seg, layout);
}

/** The Toeplitz hash of `input` under the 40-byte secret key `key` (Microsoft RSS). */
export function toeplitz(key: Uint8Array, input: Uint8Array): number {
  let hash = 0;
  // The 32-bit window of the key that lines up with the current input bit.
  let window = ((key[0]! << 24) | (key[1]! << 16) | (key[2]! << 8) | key[3]!) >>> 0;
  for (let i = 0; i < input.length; i++) {
    for (let bit = 7; bit >= 0; bit--) {
      if ((input[i]! >> bit) & 1) hash = (hash ^ window) >>> 0;
      const nextByte = key[i + 4] ?? 0;
      window = ((window << 1) | ((nextByte >> bit) & 1)) >>> 0;
    }
  }
  return hash >>> 0;
}

/** What RSS hashes over: the IP addresses, and the TCP ports when `withPorts`. */
export function rssInput(frame: Uint8Array, layout: FrameLayout, withPorts: boolean): Uint8Array {
  const l3 = layout.l3;
  const addrs = layout.ipv4 ? frame.subarray(l3 + 12, l3 + 20) : frame.subarray(l3 + 8, l3 + 40);
  const ports = withPorts && layout.tcp ? frame.subarray(layout.l4, layout.l4 + 4) : new Uint8Array(0);
  const out = new Uint8Array(addrs.length + ports.length);
  out.set(addrs);
  out.set(ports, addrs.length);
  return out;
}
