/** Extended capabilities: Advanced Error Reporting, ARI, ACS, Device Serial Number. */
import { Capability } from './capability.js';
import type { ConfigSpace } from './config-space.js';
import * as R from './registers.js';

/**
 * Advanced Error Reporting (PCIe 4.0 §7.8.4) with QEMU 7.2's defaults: the
 * supported uncorrectable errors are W1C in the status and settable in the
 * severity register; ECRC generation/checking capable; ports log multiple
 * headers (aer_log_max 8) and get the Root Error Command/Status registers.
 * The Uncorrectable Error Mask is read-only zero in QEMU 7.2.
 */
export class AerCapability extends Capability {
  readonly id = R.EXT_CAP_ID_ERR;
  override readonly extended = true;
  override readonly version: number;
  readonly size: number;

  /** `uncMask`: Internal Error and TLP Prefix Blocked masked from reset (QEMU x-pcie-err-unc-mask). */
  constructor(private readonly opts: { version?: number; size?: number; multiHeader: boolean; root?: boolean; port?: boolean; uncMask?: boolean }) {
    super();
    this.version = opts.version ?? 2;
    this.size = opts.size ?? R.ERR_SIZEOF;
  }

  layout(cs: ConfigSpace): void {
    const o = this.offset;
    cs.setW1c32(o + R.ERR_UNCOR_STATUS, R.ERR_UNC_SUPPORTED);
    if (this.opts.uncMask) cs.set32(o + R.ERR_UNCOR_MASK, R.ERR_UNC_MASK_DEFAULT);
    cs.set32(o + R.ERR_UNCOR_SEVER, R.ERR_UNC_SEVERITY_DEFAULT);
    cs.setWmask32(o + R.ERR_UNCOR_SEVER, R.ERR_UNC_SUPPORTED);
    cs.setW1c32(o + R.ERR_COR_STATUS, R.ERR_COR_SUPPORTED);
    cs.set32(o + R.ERR_COR_MASK, R.ERR_COR_MASK_DEFAULT);
    cs.setWmask32(o + R.ERR_COR_MASK, R.ERR_COR_SUPPORTED);
    if (this.opts.multiHeader) {
      cs.set32(o + R.ERR_CAP, R.ERR_CAP_ECRC_GENC | R.ERR_CAP_ECRC_CHKC | R.ERR_CAP_MHRC);
      cs.setWmask32(o + R.ERR_CAP, R.ERR_CAP_ECRC_GENE | R.ERR_CAP_ECRC_CHKE | R.ERR_CAP_MHRE);
    } else {
      cs.set32(o + R.ERR_CAP, R.ERR_CAP_ECRC_GENC | R.ERR_CAP_ECRC_CHKC);
      cs.setWmask32(o + R.ERR_CAP, R.ERR_CAP_ECRC_GENE | R.ERR_CAP_ECRC_CHKE);
    }
    if (this.opts.port) {
      // Switch and root ports forward SERR# (bridge control) and report it in Status.
      cs.setWmask16(R.BRIDGE_CONTROL, cs.getWmask16(R.BRIDGE_CONTROL) | R.BRCTL_SERR);
    }
    if (this.opts.root) {
      cs.setWmask32(o + R.ERR_ROOT_COMMAND, R.EXP_RTCTL_ERR_ENABLES);
      cs.setW1c32(o + R.ERR_ROOT_STATUS, R.ERR_ROOT_STATUS_REPORT_MASK);
    }
  }

  override reset(cs: ConfigSpace): void {
    if (this.opts.root) cs.set32(this.offset + R.ERR_ROOT_COMMAND, 0);
  }
}

/** Alternative Routing-ID Interpretation (PCIe 4.0 §7.8.7): the Next Function Number. */
export class AriCapability extends Capability {
  readonly id = R.EXT_CAP_ID_ARI;
  override readonly extended = true;
  override readonly version = 1;
  readonly size = R.ARI_SIZEOF;

  constructor(private readonly nextFunction: number) {
    super();
  }

  layout(cs: ConfigSpace): void {
    cs.set32(this.offset + R.ARI_CAP, (this.nextFunction & 0xff) << 8);
  }
}

/** Access Control Services (PCIe 4.0 §7.7.8): downstream ports implement SV, TB, RR, CR, UF, DT. */
export class AcsCapability extends Capability {
  readonly id = R.EXT_CAP_ID_ACS;
  override readonly extended = true;
  override readonly version = 1;
  readonly size = R.ACS_SIZEOF;
  private readonly bits: number;

  constructor(downstreamPort: boolean) {
    super();
    this.bits = downstreamPort ? R.ACS_SV | R.ACS_TB | R.ACS_RR | R.ACS_CR | R.ACS_UF | R.ACS_DT : 0;
  }

  layout(cs: ConfigSpace): void {
    cs.set16(this.offset + R.ACS_CAP, this.bits);
    cs.setWmask16(this.offset + R.ACS_CTRL, this.bits);
  }

  override reset(cs: ConfigSpace): void {
    cs.set16(this.offset + R.ACS_CTRL, 0);
  }
}

/** Device Serial Number (PCIe 4.0 §7.9.3): a 64-bit EUI-64. */
export class DsnCapability extends Capability {
  readonly id = R.EXT_CAP_ID_DSN;
  override readonly extended = true;
  override readonly version = 1;
  readonly size = R.DSN_SIZEOF;

  constructor(private readonly serial: bigint) {
    super();
  }

  layout(cs: ConfigSpace): void {
    cs.set32(this.offset + 4, Number(this.serial & 0xffff_ffffn));
    cs.set32(this.offset + 8, Number((this.serial >> 32n) & 0xffff_ffffn));
  }
}
