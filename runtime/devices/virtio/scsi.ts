/**
 * The virtio SCSI host adapter (virtio 1.1 §5.6) as QEMU 7.2's virtio-scsi
 * offers it: HOTPLUG and CHANGE, a control queue, an event queue and one
 * request queue per vCPU (num_queues auto) of 256 entries, QEMU's
 * configuration (seg_max 254, max_sectors 0xffff, cmd_per_lun 128, sense
 * 96 bytes, CDB 32 bytes, channel 0, targets 0-255, LUNs 0-16383).
 *
 * A request (§5.6.6) is the command header (LUN, tag, CDB), data out, then
 * the response (sense length, residual, status, response, sense) and data
 * in. The logical units are the machine file's scsi-hd and scsi-cd devices
 * (scsi-unit.ts); a request for an absent target answers BAD_TARGET, as
 * QEMU's does. Task management requests on the control queue complete with
 * FUNCTION COMPLETE; event buffers are kept (no hot-plug events are sent).
 * Requests complete synchronously when the driver notifies the queue.
 */
import type { Width } from '../../bus/types.js';
import { readChain, writeChain, type Chain, type QueueDma, type Virtqueue } from './queue.js';
import { ScsiUnit } from './scsi-unit.js';
import type { VirtioDevice } from './transport.js';

export const SCSI_F_HOTPLUG = 1n;
export const SCSI_F_CHANGE = 2n;

/** QEMU 7.2's virtqueue_size default. */
const QUEUE_SIZE = 256;
const CDB_SIZE = 32;
const SENSE_SIZE = 96;
/** struct virtio_scsi_cmd_req with a 32-byte CDB. */
const REQ_SIZE = 19 + CDB_SIZE;
/** struct virtio_scsi_cmd_resp with 96 bytes of sense. */
const RESP_SIZE = 12 + SENSE_SIZE;
const CONFIG_SIZE = 36;
/** Response codes (§5.6.6.1). */
export const SCSI_S_OK = 0;
export const SCSI_S_BAD_TARGET = 3;
export const SCSI_S_FAILURE = 9;
/** Task management: request type 0, FUNCTION COMPLETE. */
const SCSI_T_TMF = 0;
const SCSI_S_FUNCTION_COMPLETE = 0;
/** Largest data one request may move: larger ones fail instead of being buffered. */
const MAX_REQUEST_BYTES = 64 * 1024 * 1024;

export class VirtioScsiDevice implements VirtioDevice {
  readonly queueMax = QUEUE_SIZE;
  readonly configSize = CONFIG_SIZE;
  readonly queueCount: number;
  /** Called when a queue used buffers (the transport interrupts the driver). */
  onUsed: (q: Virtqueue) => void = () => undefined;
  private readonly units = new Map<string, ScsiUnit>();

  constructor(
    private readonly dma: QueueDma,
    units: readonly ScsiUnit[],
    readonly requestQueues: number,
  ) {
    this.queueCount = 2 + requestQueues;
    for (const u of units) this.units.set(`${u.target}:${u.lun}`, u);
  }

  features(): bigint {
    return (1n << SCSI_F_HOTPLUG) | (1n << SCSI_F_CHANGE);
  }

  configRead(offset: number, width: Width): number {
    const b = new Uint8Array(CONFIG_SIZE);
    const v = new DataView(b.buffer);
    v.setUint32(0, this.requestQueues, true); // num_queues
    v.setUint32(4, QUEUE_SIZE - 2, true); // seg_max
    v.setUint32(8, 0xffff, true); // max_sectors
    v.setUint32(12, 128, true); // cmd_per_lun
    v.setUint32(16, 16, true); // event_info_size
    v.setUint32(20, SENSE_SIZE, true);
    v.setUint32(24, CDB_SIZE, true);
    v.setUint16(28, 0, true); // max_channel
    v.setUint16(30, 255, true); // max_target
    v.setUint32(32, 16383, true); // max_lun
    if (offset < 0 || offset + width > CONFIG_SIZE) return 0;
    return width === 4 ? v.getUint32(offset, true) : width === 2 ? v.getUint16(offset, true) : v.getUint8(offset);
  }

  // sense_size and cdb_size are writable in the spec; QEMU keeps its own sizes, as here.
  configWrite(): void {}

  reset(): void {
    for (const u of this.units.values()) u.reset();
  }

  /** The logical unit at (target, lun), if there is one. */
  unit(target: number, lun: number): ScsiUnit | undefined {
    return this.units.get(`${target}:${lun}`);
  }

  notify(q: Virtqueue): void {
    // The event queue keeps its buffers until there is an event to report.
    if (q.index === 1) return;
    let used = false;
    for (let chain = q.pop(); chain; chain = q.pop()) {
      q.push(chain.head, q.index === 0 ? this.control(chain) : this.request(chain));
      used = true;
    }
    if (used) this.onUsed(q);
  }

  /** A control request: task management completes at once; anything else is refused. */
  private control(chain: Chain): number {
    const head = new Uint8Array(4);
    if (!readChain(this.dma, chain.segments, 0, head)) return 0;
    const type = new DataView(head.buffer).getUint32(0, true);
    // virtio_scsi_ctrl_tmf_resp / virtio_scsi_ctrl_an_resp: the response byte is first (after event_actual for AN).
    const resp = type === SCSI_T_TMF ? new Uint8Array([SCSI_S_FUNCTION_COMPLETE]) : new Uint8Array([0, 0, 0, 0, SCSI_S_OK]);
    return Math.max(0, writeChain(this.dma, chain.segments, 0, resp));
  }

  /** One SCSI command; returns the bytes written into the chain (response + data in). */
  private request(chain: Chain): number {
    const segs = chain.segments;
    const readable = segs.filter((s) => !s.write).reduce((n, s) => n + s.length, 0);
    const writable = segs.filter((s) => s.write).reduce((n, s) => n + s.length, 0);
    if (writable < RESP_SIZE) return 0;
    const respond = (response: number, status = 0, sense?: Uint8Array, dataIn?: Uint8Array, resid = 0): number => {
      const r = new Uint8Array(RESP_SIZE);
      const v = new DataView(r.buffer);
      v.setUint32(0, sense?.length ?? 0, true);
      v.setUint32(4, resid, true);
      r[10] = status;
      r[11] = response;
      if (sense) r.set(sense.subarray(0, SENSE_SIZE), 12);
      const out = new Uint8Array(RESP_SIZE + (dataIn?.length ?? 0));
      out.set(r);
      if (dataIn) out.set(dataIn, RESP_SIZE);
      return Math.max(0, writeChain(this.dma, segs, 0, out));
    };
    const req = new Uint8Array(REQ_SIZE);
    if (readable < REQ_SIZE || !readChain(this.dma, segs, 0, req)) return respond(SCSI_S_FAILURE);
    // The LUN field (§5.6.6): 1, target, then the LUN in SAM flat addressing.
    if (req[0] !== 1) return respond(SCSI_S_BAD_TARGET);
    const target = req[1]!;
    const lun = ((req[2]! << 8) | req[3]!) & 0x3fff;
    const cdb = req.subarray(19, 19 + CDB_SIZE);
    const dataInLength = writable - RESP_SIZE;
    const dataOutLength = readable - REQ_SIZE;
    if (dataInLength > MAX_REQUEST_BYTES || dataOutLength > MAX_REQUEST_BYTES) return respond(SCSI_S_FAILURE);
    const unit = this.units.get(`${target}:${lun}`);
    if (!unit) {
      // A target with other LUNs answers for the missing one (REPORT LUNS, INQUIRY of an absent unit); a missing target does not.
      const present = [...this.units.values()].filter((u) => u.target === target);
      if (present.length === 0) return respond(SCSI_S_BAD_TARGET);
      const r = ScsiUnit.absentLun(cdb, present.map((u) => u.lun));
      return respond(SCSI_S_OK, r.status, r.sense, r.dataIn?.subarray(0, dataInLength), Math.max(0, dataInLength - (r.dataIn?.length ?? 0)));
    }
    const dataOut = (n: number): Uint8Array | undefined => {
      if (n > dataOutLength) return undefined;
      const b = new Uint8Array(n);
      return readChain(this.dma, segs, REQ_SIZE, b) ? b : undefined;
    };
    const r = unit.execute(cdb, dataInLength, dataOut);
    const dataIn = r.dataIn?.subarray(0, dataInLength);
    return respond(SCSI_S_OK, r.status, r.sense, dataIn, Math.max(0, (r.dataIn ? dataInLength : dataOutLength) - (dataIn?.length ?? (r.status === 0 ? dataOutLength : 0))));
  }
}
