/**
 * 82576 register offsets and bits (Intel 82576EB GbE Controller datasheet,
 * rev. 2.x, chapter 8 "Programming Interface"; the names are Linux's igb
 * driver's and QEMU's). Offsets are bytes into BAR0. What the 82576
 * defines as the 82574L does (CTRL, STATUS, EECD, EERD, MDIC,
 * ICR/ICS/IMS/IMC, RCTL, TCTL, the filters, the rings' register layout,
 * statistics) is in ../intel-nic/regs.ts, re-exported here.
 */
export * from '../intel-nic/regs.js';

/** RAL/RAH 16-23 (§8.10.15): a second block after the first 16 pairs. */
export const RA2 = 0x054e0;

// §8.8 Interrupts: extended causes, one bit per MSI-X vector in MSI-X mode.
export const EICS = 0x01520;
export const EIMS = 0x01524;
export const EIMC = 0x01528;
export const EIAC = 0x0152c;
export const EIAM = 0x01530;
export const EICR = 0x01580;
export const GPIE = 0x01514;
/** EITR 0-24 (§8.8.12). */
export const EITR = 0x01680;
export const EITR_COUNT = 25;
/** IVAR0-7 (§8.8.15): per queue pair n&7, bytes RX n<8, TX n<8, RX n>=8, TX n>=8. */
export const IVAR0 = 0x01700;
export const IVAR_MISC = 0x01740;
export const IVAR_VALID = 0x80;

export const GPIE_NSICR = 1 << 0;
export const GPIE_MSIX_MODE = 1 << 4;
export const GPIE_EIAME = 1 << 30;
export const GPIE_PBA = 1 << 31;
/** The causes EICS/EIMS/EIMC/EICR carry: every vector in MSI-X mode, queues 0-7 and Other otherwise. */
export const EICR_MSIX_MASK = 0x01ff_ffff;
export const EICR_LEGACY_MASK = 0x4000_ffff;
export const EICR_OTHER = 1 << 31;

// ICR causes the 82576 adds (§8.8.3).
export const ICR_RXDW = 1 << 7;
export const ICR_VMMB = 1 << 8;
export const ICR_DRSTA = 1 << 30;
export const ICR_INT_ASSERTED = 1 << 31;
/** The causes IMS can enable (QEMU igb_set_ims). */
export const IMS_VALID = 0x77d4_fbfd;

// CTRL (§8.2.1), STATUS (§8.2.2), CTRL_EXT (§8.2.3), EECD: the 82576's own bits.
export const CTRL_LRST = 1 << 3;
export const STATUS_NUM_VFS_SHIFT = 14;
export const STATUS_IOV_MODE = 1 << 18;
export const STATUS_PF_RST_DONE = 1 << 21;
export const CTRL_EXT_PFRSTD = 1 << 14;
export const EECD_FWE_DIS = 1 << 4;

// MRQC (§8.10.21): queueing mode in bits 2:0; the hashed fields where they differ from the 82574's.
export const MRQC_MODE_MASK = 7;
export const MRQC_RSS = 2;
export const MRQC_TCPIPV6EX = 1 << 18;
export const MRQC_TCPIPV6 = 1 << 21;

/**
 * Queue registers (§8.10, §8.12): queue n's receive block at 0xc000 +
 * 0x40 n, transmit block at 0xe000 + 0x40 n; queues 0-3 are also reached
 * at the 82574-compatible 0x2800/0x3800 + 0x100 n.
 */
export const RXQ_BASE = 0x0c000;
export const TXQ_BASE = 0x0e000;
export const QUEUE_STRIDE = 0x40;
export const QUEUES = 16;
export const Q_SRRCTL = 0x0c;
export const Q_TDWBAL = 0x38;
export const Q_TDWBAH = 0x3c;
export const DCTL_QUEUE_ENABLE = 1 << 25;
export const SRRCTL_BSIZEPKT_MASK = 0x7f;
export const SRRCTL_DESCTYPE_SHIFT = 25;
export const SRRCTL_DESCTYPE_MASK = 7 << 25;
export const SRRCTL_DROP_EN = 1 << 31;

// Advanced receive descriptor write-back (§7.1.5.2).
export const RXDADV_PKT_IPV4 = 1 << 4;
export const RXDADV_PKT_IPV6 = 1 << 6;
export const RXDADV_PKT_TCP = 1 << 8;
export const RXDADV_PKT_UDP = 1 << 9;

// Advanced transmit descriptors (§7.2.2).
export const TXD_DTYP_SHIFT = 20;
export const TXD_DTYP_CTXT = 2;
export const TXD_DTYP_DATA = 3;
export const TXD_CMD_TSE = 1 << 31;
export const TXD_POPTS_IXSM = 1 << 8;
export const TXD_POPTS_TXSM = 1 << 9;
export const TXD_IDX_SHIFT = 4;

/** The PHY's ID is IGP03E1000's (QEMU igb_phy_reg_init). */
export const PHY_ID = 0x02a8_0391;

// §8.14 Virtualization: pools, the PF/VF mailboxes, the VF interrupt map.
export const VMBMEM = 0x00800;
export const P2VMAILBOX = 0x00c00;
export const V2PMAILBOX = 0x00c40;
export const MBVFICR = 0x00c80;
export const MBVFIMR = 0x00c84;
export const VFLRE = 0x00c88;
export const VFRE = 0x00c8c;
export const VFTE = 0x00c90;
export const DTXSWC = 0x03500;
export const VT_CTL = 0x0581c;
export const VMOLR = 0x05ad0;
export const VTIVAR = 0x11700;
export const VTIVAR_MISC = 0x11720;
export const MRQC_VMDQ = 3;
export const MRQC_VMDQ_RSS = 5;
export const DTXSWC_LOOPBACK_EN = 1 << 31;
export const VT_CTL_DEF_POOL_SHIFT = 7;
export const VT_CTL_DIS_DEF_POOL = 1 << 29;
export const VT_CTL_REPL_EN = 1 << 30;
export const VMOLR_ROMPE = 1 << 25;
export const VMOLR_BAM = 1 << 27;
export const VMOLR_MPME = 1 << 28;
/** RAH bits 25:18: the pools an exact address match goes to. */
export const RAH_POOL_SHIFT = 18;
export const P2V_STS = 1 << 0;
export const P2V_ACK = 1 << 1;
export const P2V_VFU = 1 << 2;
export const P2V_PFU = 1 << 3;
export const P2V_RVFU = 1 << 4;
export const V2P_REQ = 1 << 0;
export const V2P_ACK = 1 << 1;
export const V2P_VFU = 1 << 2;
export const V2P_PFU = 1 << 3;
export const V2P_PFSTS = 1 << 4;
export const V2P_PFACK = 1 << 5;
export const V2P_RSTI = 1 << 6;
export const V2P_RSTD = 1 << 7;
