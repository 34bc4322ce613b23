/**
 * 82574L register offsets and bits (Intel 82574 GbE Controller Family
 * datasheet, rev. 3.4, chapter 10 "Register Descriptions"; the names are
 * Linux's and QEMU's). Offsets are bytes into BAR0. What the 82576 (igb)
 * defines alike is in ../intel-nic/regs.ts, re-exported here; this file
 * holds what is the 82574L's own.
 */
import { ICR_LSC, ICR_MDAC, ICR_TXDW } from '../intel-nic/regs.js';

export * from '../intel-nic/regs.js';

// §10.2.2 General.
export const FLA = 0x0001c;
export const FCAL = 0x00028;
export const FCAH = 0x0002c;
export const FCT = 0x00030;
export const FCTTV = 0x00170;
export const EXTCNF_CTRL = 0x00f00;
export const EXTCNF_SIZE = 0x00f08;
export const PBA = 0x01000;
export const PBS = 0x01008;
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
export const GCR2 = 0x05b64;
export const FACTPS = 0x05b30;
export const FWSM = 0x05b54;
export const PBACLR = 0x05b68;
export const FUNCTAG = 0x05b8c;
export const TIMINCA = 0x0b608;
export const SYSTIML = 0x0b600;
export const SYSTIMH = 0x0b604;

// §10.2.4 Interrupts.
export const ITR = 0x000c4;
export const IVAR = 0x000e4;
export const EIAC = 0x000dc;
/** EITR 0-4 (§10.2.4.10). */
export const EITR = 0x000e8;
export const MSIX_VECTORS = 5;

// §10.2.5 Receive.
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
export const RFCTL = 0x05008;
export const MTA_ENTRIES = 128;
export const RA_ENTRIES = 16;

// §10.2.6 Transmit.
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

// CTRL (§10.2.2.1).
export const CTRL_ASDE = 1 << 5;
export const CTRL_SWDPIN0 = 1 << 18;
export const CTRL_RFCE = 1 << 27;
export const CTRL_TFCE = 1 << 28;

// STATUS (§10.2.2.2).
export const STATUS_ASDV_1000 = 2 << 8;

// CTRL_EXT (§10.2.2.5).
export const CTRL_EXT_EIAME = 1 << 24;
export const CTRL_EXT_IAME = 1 << 27;
export const CTRL_EXT_INT_TIMERS_CLEAR_ENA = 1 << 29;
export const CTRL_EXT_PBA_CLR = 1 << 31;

// ICR/ICS/IMS/IMC causes (§10.2.4.1; TXDW, LSC and MDAC are shared).
export const ICR_TXQE = 1 << 1;
/** Receive sequence error: Linux enables it; the 82574 never reports it (QEMU drops it from IMS). */
export const ICR_RXSEQ = 1 << 3;
export const ICR_RXDMT0 = 1 << 4;
export const ICR_RXO = 1 << 6;
export const ICR_RXT0 = 1 << 7;
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
export const RCTL_RDMTS_SHIFT = 8;
export const RCTL_DTYP_MASK = 3 << 10;
export const RCTL_DTYP_PS = 1 << 10;
export const RCTL_BSIZE_SHIFT = 16;
export const RCTL_BSEX = 1 << 25;
export const RCTL_FLXBUF_SHIFT = 27;
export const RCTL_FLXBUF_MASK = 0xf << 27;

// PSRCTL (§10.2.5.3): buffer sizes of packet-split descriptors.
export const PSRCTL_BSIZE0_MASK = 0x7f;
export const PSRCTL_BSIZE1_SHIFT = 8;
export const PSRCTL_BSIZE2_SHIFT = 16;
export const PSRCTL_BSIZE3_SHIFT = 24;

// RFCTL (§10.2.5.16), MRQC (§10.2.5.22).
export const RFCTL_IPV6_DIS = 1 << 10;
export const RFCTL_IPV6_XSUM_DIS = 1 << 11;
export const RFCTL_ACK_DIS = 1 << 12;
export const RFCTL_ACK_DATA_DIS = 1 << 13;
export const RFCTL_EXTEN = 1 << 15;
export const MRQC_RSS_ENABLE = 1;
export const MRQC_ENABLE_MASK = 3;
export const MRQC_TCPIPV6 = 1 << 18;

// TARC (§10.2.6.12).
export const TARC_ENABLE = 1 << 10;
/** RDTR.FPD / TIDV.FPD: flush partial descriptor block (fire delayed interrupts now). */
export const DELAY_FPD = 1 << 31;

/** Descriptor length and base masks (§10.2.5.6-8): lengths in 128-byte units, bases 16-byte aligned. */
export const XDLEN_MASK = 0xfff80;
export const XDBAL_MASK = 0xffff_fff0;

// Receive descriptor status and errors (§7.1.4, §7.1.5): legacy status byte, extended status_error dword.
export const RXD_STAT_IPIDV = 1 << 9;
export const RXD_STAT_ACK = 1 << 15;
export const RXD_PKT_TYPE_SHIFT = 16;
export const RXD_PKT = { MAC: 0, IP4: 1, IP4_XDP: 2, IP6: 5, IP6_XDP: 6 } as const;
export const RXDPS_HDRSTAT_HDRSP = 1 << 15;

// Transmit descriptors (§7.2): lower dword command bits, upper dword status and options.
export const TXD_LENGTH_MASK = 0xffff;
export const TXD_DTYP_D = 1 << 20;
export const TXD_CMD_TCP = 1 << 24;
export const TXD_CMD_IP = 1 << 25;
export const TXD_CMD_TSE = 1 << 26;
export const TXD_CMD_IDE = 1 << 31;
export const TXD_POPTS_IXSM = 1 << 0;
export const TXD_POPTS_TXSM = 1 << 1;

/** Interrupt delay timers count in 1.024 us units, throttling intervals in 256 ns units (§10.2.4.3, §10.2.5.9). */
export const DELAY_UNIT_NS = 1024;
export const THROTTLE_UNIT_NS = 256;
/** QEMU's lowest throttling interval (E1000E_MIN_XITR: no more than 7813 interrupts a second, §10.2.4.2). */
export const MIN_XITR = 500;
