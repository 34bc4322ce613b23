/**
 * The registers the 82574L (e1000e) and the 82576 (igb) define alike: the
 * same offset into BAR0 and the same bits, as the 82574 GbE Controller
 * Family datasheet (rev. 3.4, chapter 10) and the 82576EB datasheet
 * (rev. 2.x, chapter 8) describe them; the names are Linux's and QEMU's.
 * ../e1000e/regs.ts and ../igb/regs.ts re-export these and add what is
 * each part's own (where the two differ, such as ICR's queue causes, MRQC's
 * modes or the transmit descriptors' TSE and POPTS bits, each keeps its own).
 */

// General (82574 §10.2.2, 82576 §8.2).
export const CTRL = 0x00000;
/** CTRL alias (82574 §10.2.2.1: writes act like CTRL). */
export const CTRL_DUP = 0x00004;
export const STATUS = 0x00008;
export const EECD = 0x00010;
export const EERD = 0x00014;
export const CTRL_EXT = 0x00018;
export const MDIC = 0x00020;
export const VET = 0x00038;
export const LEDCTL = 0x00e00;
export const EEMNGCTL = 0x01010;
export const GCR = 0x05b00;
export const SWSM = 0x05b50;

// Interrupts (82574 §10.2.4, 82576 §8.8).
export const ICR = 0x000c0;
export const ICS = 0x000c8;
export const IMS = 0x000d0;
export const IMC = 0x000d8;
export const IAM = 0x000e0;

// Receive and transmit (82574 §10.2.5-6, 82576 §8.10-12).
export const RCTL = 0x00100;
export const TCTL = 0x00400;
export const TIPG = 0x00410;
export const RXCSUM = 0x05000;
export const MTA = 0x05200;
export const RA = 0x05400;
export const VFTA = 0x05600;
export const MRQC = 0x05818;
export const RETA = 0x05c00;
export const RSSRK = 0x05c80;

/**
 * A descriptor ring's registers, from its block's first (RDBAL/TDBAL):
 * base low and high, length, head, tail, descriptor control (82574
 * §10.2.5-6; 82576 §8.10, §8.12).
 */
export const Q_BAL = 0x00;
export const Q_BAH = 0x04;
export const Q_LEN = 0x08;
export const Q_HEAD = 0x10;
export const Q_TAIL = 0x18;
export const Q_DCTL = 0x28;

// Statistics (82574 §10.2.8): read-only counters, most clear when read; the 82576 keeps them at the same offsets.
export const STATS_START = 0x04000;
export const STATS_END = 0x04124;
export const CRCERRS = 0x04000;
export const MPC = 0x04010;
export const PRC64 = 0x0405c;
export const GPRC = 0x04074;
export const BPRC = 0x04078;
export const MPRC = 0x0407c;
export const GPTC = 0x04080;
export const GORCL = 0x04088;
export const GORCH = 0x0408c;
export const GOTCL = 0x04090;
export const GOTCH = 0x04094;
export const RNBC = 0x040a0;
export const RUC = 0x040a4;
export const ROC = 0x040ac;
export const TORL = 0x040c0;
export const TORH = 0x040c4;
export const TOTL = 0x040c8;
export const TOTH = 0x040cc;
export const TPR = 0x040d0;
export const TPT = 0x040d4;
export const PTC64 = 0x040d8;
export const MPTC = 0x040f0;
export const BPTC = 0x040f4;
export const TSCTC = 0x040f8;
export const IAC = 0x04100;

// CTRL (82574 §10.2.2.1, 82576 §8.2.1).
export const CTRL_FD = 1 << 0;
export const CTRL_GIO_MASTER_DISABLE = 1 << 2;
export const CTRL_SLU = 1 << 6;
export const CTRL_SPD_SEL = 3 << 8;
export const CTRL_SPD_10 = 0 << 8;
export const CTRL_SPD_100 = 1 << 8;
export const CTRL_SPD_1000 = 2 << 8;
export const CTRL_FRCSPD = 1 << 11;
export const CTRL_FRCDPX = 1 << 12;
export const CTRL_ADVD3WUC = 1 << 20;
export const CTRL_RST = 1 << 26;
export const CTRL_VME = 1 << 30;
export const CTRL_PHY_RST = 1 << 31;

// STATUS (82574 §10.2.2.2, 82576 §8.2.2).
export const STATUS_FD = 1 << 0;
export const STATUS_LU = 1 << 1;
export const STATUS_SPEED_10 = 0 << 6;
export const STATUS_SPEED_100 = 1 << 6;
export const STATUS_SPEED_1000 = 2 << 6;
export const STATUS_PHYRA = 1 << 10;
export const STATUS_GIO_MASTER_ENABLE = 1 << 19;

// EECD (82574 §10.2.2.3).
export const EECD_PRES = 1 << 8;
export const EECD_AUTO_RD = 1 << 9;
export const EECD_SIZE_EX_SHIFT = 11;
export const EECD_SIZE_EX_MASK = 0xf << 11;

// CTRL_EXT (82574 §10.2.2.5, 82576 §8.2.3).
export const CTRL_EXT_ASDCHK = 1 << 12;
export const CTRL_EXT_EE_RST = 1 << 13;
export const CTRL_EXT_SPD_BYPS = 1 << 15;

// MDIC (82574 §10.2.2.7, 82576 §8.2.4).
export const MDIC_DATA_MASK = 0xffff;
export const MDIC_REG_SHIFT = 16;
export const MDIC_PHY_SHIFT = 21;
export const MDIC_OP_WRITE = 1 << 26;
export const MDIC_OP_READ = 2 << 26;
export const MDIC_READY = 1 << 28;
export const MDIC_INT_EN = 1 << 29;
export const MDIC_ERROR = 1 << 30;
/** The PHY answers at MDIO address 1. */
export const PHY_ADDRESS = 1;

// ICR causes both parts have at the same bit (82574 §10.2.4.1, 82576 §8.8.3).
export const ICR_TXDW = 1 << 0;
export const ICR_LSC = 1 << 2;
export const ICR_MDAC = 1 << 9;

// RCTL (82574 §10.2.5.1, 82576 §8.10.1).
export const RCTL_EN = 1 << 1;
export const RCTL_SBP = 1 << 2;
export const RCTL_UPE = 1 << 3;
export const RCTL_MPE = 1 << 4;
export const RCTL_LPE = 1 << 5;
export const RCTL_LBM_MAC = 1 << 6;
export const RCTL_LBM_MASK = 3 << 6;
export const RCTL_BAM = 1 << 15;
export const RCTL_VFE = 1 << 18;
export const RCTL_SECRC = 1 << 26;

// TCTL (82574 §10.2.6.1).
export const TCTL_EN = 1 << 1;
export const TCTL_PSP = 1 << 3;

// RXCSUM (82574 §10.2.5.15).
export const RXCSUM_IPOFLD = 1 << 8;
export const RXCSUM_TUOFLD = 1 << 9;
export const RXCSUM_PCSD = 1 << 13;

// MRQC's hashed fields both parts place alike (82574 §10.2.5.22, 82576 §8.10.21).
export const MRQC_TCPIPV4 = 1 << 16;
export const MRQC_IPV4 = 1 << 17;
export const MRQC_IPV6EX = 1 << 19;
export const MRQC_IPV6 = 1 << 20;
/** The RSS Type a receive descriptor reports (82574 §7.1.5, 82576 §7.1.5.2). */
export const RSS_TYPE = { NONE: 0, IPV4TCP: 1, IPV4: 2, IPV6TCP: 3, IPV6EX: 4, IPV6: 5 } as const;

// Receive descriptor write-back status and errors (82574 §7.1.4-5, 82576 §7.1.5.2).
export const RXD_STAT_DD = 1 << 0;
export const RXD_STAT_EOP = 1 << 1;
export const RXD_STAT_VP = 1 << 3;
export const RXD_STAT_UDPCS = 1 << 4;
export const RXD_STAT_TCPCS = 1 << 5;
export const RXD_STAT_IPCS = 1 << 6;
export const RXDEXT_ERR_TCPE = 1 << 29;
export const RXDEXT_ERR_IPE = 1 << 30;

// Transmit descriptors' command bits and status both parts share (82574 §7.2, 82576 §7.2.2).
export const TXD_CMD_EOP = 1 << 24;
export const TXD_CMD_IFCS = 1 << 25;
export const TXD_CMD_RS = 1 << 27;
export const TXD_CMD_DEXT = 1 << 29;
export const TXD_CMD_VLE = 1 << 30;
export const TXD_STAT_DD = 1 << 0;
