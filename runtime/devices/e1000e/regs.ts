/**
 * 82574L register offsets and bits (Intel 82574 GbE Controller Family
 * datasheet, rev. 3.4, chapter 10 "Register Descriptions"; the names are
 * Linux's and QEMU's). Offsets are bytes into BAR0.
 */

// §10.2.2 General.
export const CTRL = 0x00000;
/** CTRL alias (§10.2.2.1: writes act like CTRL). */
export const CTRL_DUP = 0x00004;
export const STATUS = 0x00008;
export const EECD = 0x00010;
export const EERD = 0x00014;
export const CTRL_EXT = 0x00018;
export const FLA = 0x0001c;
export const MDIC = 0x00020;
export const FCAL = 0x00028;
export const FCAH = 0x0002c;
export const FCT = 0x00030;
export const VET = 0x00038;
export const FCTTV = 0x00170;
export const LEDCTL = 0x00e00;
export const EXTCNF_CTRL = 0x00f00;
export const EXTCNF_SIZE = 0x00f08;
export const PBA = 0x01000;
export const PBS = 0x01008;
export const EEMNGCTL = 0x01010;
export const EEWR = 0x0102c;
export const FLASHT = 0x01028;
export const FLSWCTL = 0x01030;
export const FLSWDATA = 0x01034;
export const FLSWCNT = 0x01038;
export const FLOP = 0x0103c;
export const FLOL = 0x01050;
export const POEMB = 0x00f10;
export const FCRTL = 0x02160;
export const FCRTH = 0x02168;
export const FCRTV = 0x05f40;
export const GCR = 0x05b00;
export const GCR2 = 0x05b64;
export const FACTPS = 0x05b30;
export const SWSM = 0x05b50;
export const FWSM = 0x05b54;
export const PBACLR = 0x05b68;
export const FUNCTAG = 0x05b8c;
export const TIMINCA = 0x0b608;
export const SYSTIML = 0x0b600;
export const SYSTIMH = 0x0b604;

// §10.2.4 Interrupts.
export const ICR = 0x000c0;
export const ITR = 0x000c4;
export const ICS = 0x000c8;
export const IMS = 0x000d0;
export const IMC = 0x000d8;
export const IAM = 0x000e0;
export const IVAR = 0x000e4;
export const EIAC = 0x000dc;
/** EITR 0-4 (§10.2.4.10). */
export const EITR = 0x000e8;
export const MSIX_VECTORS = 5;

// §10.2.5 Receive.
export const RCTL = 0x00100;
export const PSRCTL = 0x02170;
export const RDBAL0 = 0x02800;
export const RDBAH0 = 0x02804;
export const RDLEN0 = 0x02808;
export const RDH0 = 0x02810;
export const RDT0 = 0x02818;
export const RDTR = 0x02820;
export const RXDCTL = 0x02828;
export const RADV = 0x0282c;
/** Queue 1 registers are 0x100 above queue 0's. */
export const QUEUE_STRIDE = 0x100;
export const RSRPD = 0x02c00;
export const RAID = 0x02c08;
export const RXCSUM = 0x05000;
export const RFCTL = 0x05008;
export const MTA = 0x05200;
export const MTA_ENTRIES = 128;
export const RA = 0x05400;
export const RA_ENTRIES = 16;
export const VFTA = 0x05600;
export const MRQC = 0x05818;
export const RETA = 0x05c00;
export const RSSRK = 0x05c80;

// §10.2.6 Transmit.
export const TCTL = 0x00400;
export const TIPG = 0x00410;
export const AIT = 0x00458;
export const TDBAL = 0x03800;
export const TDBAH = 0x03804;
export const TDLEN = 0x03808;
export const TDH = 0x03810;
export const TDT = 0x03818;
export const TIDV = 0x03820;
export const TXDCTL = 0x03828;
export const TADV = 0x0382c;
export const TARC0 = 0x03840;

// §10.2.7 Management and wake-up.
export const WUC = 0x05800;
export const WUFC = 0x05808;
export const WUS = 0x05810;
export const MANC = 0x05820;
export const MANC2H = 0x05860;

// §10.2.8 Statistics (read-only counters).
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

// CTRL (§10.2.2.1).
export const CTRL_FD = 1 << 0;
export const CTRL_GIO_MASTER_DISABLE = 1 << 2;
export const CTRL_ASDE = 1 << 5;
export const CTRL_SLU = 1 << 6;
export const CTRL_SPD_SEL = 3 << 8;
export const CTRL_SPD_100 = 1 << 8;
export const CTRL_SPD_1000 = 2 << 8;
export const CTRL_FRCSPD = 1 << 11;
export const CTRL_FRCDPX = 1 << 12;
export const CTRL_SWDPIN0 = 1 << 18;
export const CTRL_ADVD3WUC = 1 << 20;
export const CTRL_RST = 1 << 26;
export const CTRL_RFCE = 1 << 27;
export const CTRL_TFCE = 1 << 28;
export const CTRL_VME = 1 << 30;
export const CTRL_PHY_RST = 1 << 31;

// STATUS (§10.2.2.2).
export const STATUS_FD = 1 << 0;
export const STATUS_LU = 1 << 1;
export const STATUS_SPEED_100 = 1 << 6;
export const STATUS_SPEED_1000 = 2 << 6;
export const STATUS_ASDV_1000 = 2 << 8;
export const STATUS_PHYRA = 1 << 10;
export const STATUS_GIO_MASTER_ENABLE = 1 << 19;

// EECD (§10.2.2.3).
export const EECD_PRES = 1 << 8;
export const EECD_AUTO_RD = 1 << 9;
export const EECD_SIZE_EX_MASK = 0xf << 11;

// CTRL_EXT (§10.2.2.5).
export const CTRL_EXT_ASDCHK = 1 << 12;
export const CTRL_EXT_EE_RST = 1 << 13;
export const CTRL_EXT_SPD_BYPS = 1 << 15;
export const CTRL_EXT_EIAME = 1 << 24;
export const CTRL_EXT_IAME = 1 << 27;
export const CTRL_EXT_INT_TIMERS_CLEAR_ENA = 1 << 29;
export const CTRL_EXT_PBA_CLR = 1 << 31;

// MDIC (§10.2.2.7).
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

// ICR/ICS/IMS/IMC causes (§10.2.4.1).
export const ICR_TXDW = 1 << 0;
export const ICR_TXQE = 1 << 1;
export const ICR_LSC = 1 << 2;
/** Receive sequence error: Linux enables it; the 82574 never reports it (QEMU drops it from IMS). */
export const ICR_RXSEQ = 1 << 3;
export const ICR_RXDMT0 = 1 << 4;
export const ICR_RXO = 1 << 6;
export const ICR_RXT0 = 1 << 7;
export const ICR_MDAC = 1 << 9;
export const ICR_TXD_LOW = 1 << 15;
export const ICR_SRPD = 1 << 16;
export const ICR_ACK = 1 << 17;
export const ICR_MNG = 1 << 18;
export const ICR_RXQ0 = 1 << 20;
export const ICR_RXQ1 = 1 << 21;
export const ICR_TXQ0 = 1 << 22;
export const ICR_TXQ1 = 1 << 23;
export const ICR_OTHER = 1 << 24;
export const ICR_ASSERTED = 1 << 31;
/** Causes reported through the Other vector in MSI-X mode (§7.4.2). */
export const ICR_OTHER_CAUSES = ICR_LSC | ICR_RXO | ICR_MDAC | ICR_SRPD | ICR_ACK | ICR_MNG;
/** The causes IMS can enable (QEMU e1000e_set_ims). */
export const IMS_VALID =
  ICR_TXDW | ICR_TXQE | ICR_LSC | ICR_RXDMT0 | ICR_RXO | ICR_RXT0 | ICR_MDAC | ICR_TXD_LOW | ICR_SRPD | ICR_ACK | ICR_MNG | ICR_RXQ0 | ICR_RXQ1 | ICR_TXQ0 | ICR_TXQ1 | ICR_OTHER;
export const IMS_EXTENDED = ICR_RXQ0 | ICR_RXQ1 | ICR_TXQ0 | ICR_TXQ1 | ICR_OTHER;

// IVAR (§10.2.4.9): five 4-bit entries (RxQ0, RxQ1, TxQ0, TxQ1, Other), each a vector and a valid bit.
export const IVAR_ENTRY_VALID = 0x8;
export const IVAR_ENTRY_VECTOR = 0x7;
export const IVAR_TX_INT_EVERY_WB = 1 << 31;

// RCTL (§10.2.5.1).
export const RCTL_EN = 1 << 1;
export const RCTL_SBP = 1 << 2;
export const RCTL_UPE = 1 << 3;
export const RCTL_MPE = 1 << 4;
export const RCTL_LPE = 1 << 5;
export const RCTL_LBM_MAC = 1 << 6;
export const RCTL_LBM_MASK = 3 << 6;
export const RCTL_RDMTS_SHIFT = 8;
export const RCTL_DTYP_MASK = 3 << 10;
export const RCTL_DTYP_PS = 1 << 10;
export const RCTL_BAM = 1 << 15;
export const RCTL_BSIZE_SHIFT = 16;
export const RCTL_VFE = 1 << 18;
export const RCTL_BSEX = 1 << 25;
export const RCTL_SECRC = 1 << 26;
export const RCTL_FLXBUF_SHIFT = 27;
export const RCTL_FLXBUF_MASK = 0xf << 27;

// PSRCTL (§10.2.5.3): buffer sizes of packet-split descriptors.
export const PSRCTL_BSIZE0_MASK = 0x7f;
export const PSRCTL_BSIZE1_SHIFT = 8;
export const PSRCTL_BSIZE2_SHIFT = 16;
export const PSRCTL_BSIZE3_SHIFT = 24;

// RXCSUM (§10.2.5.15), RFCTL (§10.2.5.16), MRQC (§10.2.5.22).
export const RXCSUM_IPOFLD = 1 << 8;
export const RXCSUM_TUOFLD = 1 << 9;
export const RXCSUM_PCSD = 1 << 13;
export const RFCTL_IPV6_DIS = 1 << 10;
export const RFCTL_IPV6_XSUM_DIS = 1 << 11;
export const RFCTL_ACK_DIS = 1 << 12;
export const RFCTL_ACK_DATA_DIS = 1 << 13;
export const RFCTL_EXTEN = 1 << 15;
export const MRQC_RSS_ENABLE = 1;
export const MRQC_ENABLE_MASK = 3;
export const MRQC_TCPIPV4 = 1 << 16;
export const MRQC_IPV4 = 1 << 17;
export const MRQC_TCPIPV6 = 1 << 18;
export const MRQC_IPV6EX = 1 << 19;
export const MRQC_IPV6 = 1 << 20;
export const RSS_TYPE = { NONE: 0, IPV4TCP: 1, IPV4: 2, IPV6TCP: 3, IPV6EX: 4, IPV6: 5 } as const;

// TCTL (§10.2.6.1), TARC (§10.2.6.12).
export const TCTL_EN = 1 << 1;
export const TCTL_PSP = 1 << 3;
export const TARC_ENABLE = 1 << 10;
/** RDTR.FPD / TIDV.FPD: flush partial descriptor block (fire delayed interrupts now). */
export const DELAY_FPD = 1 << 31;

/** Descriptor length and base masks (§10.2.5.6-8): lengths in 128-byte units, bases 16-byte aligned. */
export const XDLEN_MASK = 0xfff80;
export const XDBAL_MASK = 0xffff_fff0;

// Receive descriptor status and errors (§7.1.4, §7.1.5): legacy status byte, extended status_error dword.
export const RXD_STAT_DD = 1 << 0;
export const RXD_STAT_EOP = 1 << 1;
export const RXD_STAT_VP = 1 << 3;
export const RXD_STAT_UDPCS = 1 << 4;
export const RXD_STAT_TCPCS = 1 << 5;
export const RXD_STAT_IPCS = 1 << 6;
export const RXD_STAT_IPIDV = 1 << 9;
export const RXD_STAT_ACK = 1 << 15;
export const RXD_PKT_TYPE_SHIFT = 16;
export const RXD_PKT = { MAC: 0, IP4: 1, IP4_XDP: 2, IP6: 5, IP6_XDP: 6 } as const;
export const RXDEXT_ERR_TCPE = 1 << 29;
export const RXDEXT_ERR_IPE = 1 << 30;
export const RXDPS_HDRSTAT_HDRSP = 1 << 15;

// Transmit descriptors (§7.2): lower dword command bits, upper dword status and options.
export const TXD_LENGTH_MASK = 0xffff;
export const TXD_DTYP_D = 1 << 20;
export const TXD_CMD_EOP = 1 << 24;
export const TXD_CMD_IFCS = 1 << 25;
export const TXD_CMD_TCP = 1 << 24;
export const TXD_CMD_IP = 1 << 25;
export const TXD_CMD_TSE = 1 << 26;
export const TXD_CMD_RS = 1 << 27;
export const TXD_CMD_DEXT = 1 << 29;
export const TXD_CMD_VLE = 1 << 30;
export const TXD_CMD_IDE = 1 << 31;
export const TXD_STAT_DD = 1 << 0;
export const TXD_POPTS_IXSM = 1 << 0;
export const TXD_POPTS_TXSM = 1 << 1;

/** Interrupt delay timers count in 1.024 us units, throttling intervals in 256 ns units (§10.2.4.3, §10.2.5.9). */
export const DELAY_UNIT_NS = 1024;
export const THROTTLE_UNIT_NS = 256;
/** QEMU's lowest throttling interval (E1000E_MIN_XITR: no more than 7813 interrupts a second, §10.2.4.2). */
export const MIN_XITR = 500;
