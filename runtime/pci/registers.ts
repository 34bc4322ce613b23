/**
 * PCI configuration-space register offsets and bits, named as in the PCI
 * Local Bus Specification 3.0 (chapter 6), the PCI-to-PCI Bridge
 * Architecture Specification 1.2 (chapter 3), and the PCI Express Base
 * Specification 4.0 (chapter 7). Offsets in capabilities are relative to
 * the capability's own offset.
 */

// ---- type-0 / type-1 common header (PCI 3.0 §6.1) -----------------------------------
export const VENDOR_ID = 0x00;
export const DEVICE_ID = 0x02;
export const COMMAND = 0x04;
export const STATUS = 0x06;
export const REVISION_ID = 0x08;
export const CLASS_PROG = 0x09;
export const CLASS_DEVICE = 0x0a;
export const CACHE_LINE_SIZE = 0x0c;
export const LATENCY_TIMER = 0x0d;
export const HEADER_TYPE = 0x0e;
export const BIST = 0x0f;
export const BAR0 = 0x10;
export const CAPABILITY_LIST = 0x34;
export const INTERRUPT_LINE = 0x3c;
export const INTERRUPT_PIN = 0x3d;

// type-0 only
export const CARDBUS_CIS = 0x28;
export const SUBSYSTEM_VENDOR_ID = 0x2c;
export const SUBSYSTEM_ID = 0x2e;
export const ROM_ADDRESS = 0x30;

// type-1 only (PCI-to-PCI Bridge 1.2 §3.2)
export const PRIMARY_BUS = 0x18;
export const SECONDARY_BUS = 0x19;
export const SUBORDINATE_BUS = 0x1a;
export const SEC_LATENCY_TIMER = 0x1b;
export const IO_BASE = 0x1c;
export const IO_LIMIT = 0x1d;
export const SEC_STATUS = 0x1e;
export const MEMORY_BASE = 0x20;
export const MEMORY_LIMIT = 0x22;
export const PREF_MEMORY_BASE = 0x24;
export const PREF_MEMORY_LIMIT = 0x26;
export const PREF_BASE_UPPER32 = 0x28;
export const PREF_LIMIT_UPPER32 = 0x2c;
export const IO_BASE_UPPER16 = 0x30;
export const IO_LIMIT_UPPER16 = 0x32;
export const ROM_ADDRESS1 = 0x38;
export const BRIDGE_CONTROL = 0x3e;

export const HEADER_SIZE = 0x40;
export const CONFIG_SPACE_SIZE = 0x100;
export const EXT_CONFIG_SPACE_SIZE = 0x1000;

// Command register bits (PCI 3.0 §6.2.2)
export const CMD_IO = 0x0001;
export const CMD_MEMORY = 0x0002;
export const CMD_MASTER = 0x0004;
export const CMD_SERR = 0x0100;
export const CMD_INTX_DISABLE = 0x0400;

// Status register bits (PCI 3.0 §6.2.3)
export const STATUS_INTERRUPT = 0x0008;
export const STATUS_CAP_LIST = 0x0010;
export const STATUS_66MHZ = 0x0020;
export const STATUS_FAST_BACK = 0x0080;
export const STATUS_PARITY = 0x0100;
export const STATUS_SIG_TARGET_ABORT = 0x0800;
export const STATUS_REC_TARGET_ABORT = 0x1000;
export const STATUS_REC_MASTER_ABORT = 0x2000;
export const STATUS_SIG_SYSTEM_ERROR = 0x4000;
export const STATUS_DETECTED_PARITY = 0x8000;
/** The error bits software clears by writing 1. */
export const STATUS_W1C =
  STATUS_PARITY | STATUS_SIG_TARGET_ABORT | STATUS_REC_TARGET_ABORT | STATUS_REC_MASTER_ABORT | STATUS_SIG_SYSTEM_ERROR | STATUS_DETECTED_PARITY;

export const HEADER_TYPE_NORMAL = 0x00;
export const HEADER_TYPE_BRIDGE = 0x01;
export const HEADER_TYPE_MULTI_FUNCTION = 0x80;

// BAR bits (PCI 3.0 §6.2.5.1)
export const BAR_SPACE_IO = 0x01;
export const BAR_MEM_TYPE_64 = 0x04;
export const BAR_MEM_PREFETCH = 0x08;
export const ROM_ENABLE = 0x01;

// Bridge window type bits (PCI-to-PCI Bridge 1.2 §3.2.5)
export const IO_RANGE_TYPE_MASK = 0x0f;
export const IO_RANGE_TYPE_32 = 0x01;
export const IO_RANGE_MASK = 0xf0;
export const MEMORY_RANGE_MASK = 0xfff0;
export const PREF_RANGE_TYPE_64 = 0x0001;
export const PREF_RANGE_MASK = 0xfff0;

// Bridge control bits (PCI-to-PCI Bridge 1.2 §3.2.5.18)
export const BRCTL_PARITY = 0x0001;
export const BRCTL_SERR = 0x0002;
export const BRCTL_ISA = 0x0004;
export const BRCTL_VGA = 0x0008;
export const BRCTL_VGA_16BIT = 0x0010;
export const BRCTL_MASTER_ABORT = 0x0020;
export const BRCTL_BUS_RESET = 0x0040;
export const BRCTL_FAST_BACK = 0x0080;
export const BRCTL_DISCARD = 0x0100;
export const BRCTL_SEC_DISCARD = 0x0200;
export const BRCTL_DISCARD_STATUS = 0x0400;
export const BRCTL_DISCARD_SERR = 0x0800;

// ---- capability IDs (PCI Code and ID Assignment 1.11 §2) -----------------------------
export const CAP_ID_PM = 0x01;
export const CAP_ID_MSI = 0x05;
export const CAP_ID_VNDR = 0x09;
export const CAP_ID_SLOTID = 0x04;
export const CAP_ID_SHPC = 0x0c;
export const CAP_ID_SSVID = 0x0d;
export const CAP_ID_EXP = 0x10;
export const CAP_ID_MSIX = 0x11;
export const CAP_ID_SATA = 0x12;

// Extended capability IDs (PCI Code and ID Assignment 1.11 §3)
export const EXT_CAP_ID_ERR = 0x0001;
export const EXT_CAP_ID_DSN = 0x0003;
export const EXT_CAP_ID_ACS = 0x000d;
export const EXT_CAP_ID_ARI = 0x000e;
export const EXT_CAP_ID_SRIOV = 0x0010;

// ---- Power Management (PCI PM 1.2 §3.2) ----------------------------------------------
export const PM_PMC = 2;
export const PM_CTRL = 4;
export const PM_CAP_VER_1_1 = 0x0002;
export const PM_CAP_VER_1_2 = 0x0003;
export const PM_CAP_DSI = 0x0020;
export const PM_CTRL_STATE_MASK = 0x0003;
export const PM_CTRL_NO_SOFT_RESET = 0x0008;
export const PM_CTRL_PME_ENABLE = 0x0100;
export const PM_CTRL_DATA_SEL_MASK = 0x1e00;
export const PM_CTRL_PME_STATUS = 0x8000;
export const PM_SIZEOF = 8;

// ---- MSI (PCI 3.0 §6.8.1) ------------------------------------------------------------
export const MSI_FLAGS = 2;
export const MSI_FLAGS_ENABLE = 0x0001;
export const MSI_FLAGS_QMASK = 0x000e;
export const MSI_FLAGS_QSIZE = 0x0070;
export const MSI_FLAGS_64BIT = 0x0080;
export const MSI_FLAGS_MASKBIT = 0x0100;
export const MSI_ADDRESS_LO = 4;
export const MSI_ADDRESS_LO_MASK = 0xfffffffc;

// ---- MSI-X (PCI 3.0 §6.8.2) ----------------------------------------------------------
export const MSIX_FLAGS = 2;
export const MSIX_FLAGS_QSIZE = 0x07ff;
export const MSIX_FLAGS_MASKALL = 0x4000;
export const MSIX_FLAGS_ENABLE = 0x8000;
export const MSIX_TABLE = 4;
export const MSIX_PBA = 8;
export const MSIX_CAP_LENGTH = 12;
export const MSIX_ENTRY_SIZE = 16;
export const MSIX_ENTRY_VECTOR_CTRL = 12;
export const MSIX_ENTRY_CTRL_MASKBIT = 0x1;

// ---- PCI Express capability (PCIe 4.0 §7.5.3) ----------------------------------------
export const EXP_FLAGS = 0x02;
export const EXP_FLAGS_VERS = 0x000f;
export const EXP_FLAGS_TYPE = 0x00f0;
export const EXP_FLAGS_SLOT = 0x0100;
export const EXP_FLAGS_IRQ = 0x3e00;
export const EXP_DEVCAP = 0x04;
export const EXP_DEVCTL = 0x08;
export const EXP_DEVSTA = 0x0a;
export const EXP_LNKCAP = 0x0c;
export const EXP_LNKCTL = 0x10;
export const EXP_LNKSTA = 0x12;
export const EXP_SLTCAP = 0x14;
export const EXP_SLTCTL = 0x18;
export const EXP_SLTSTA = 0x1a;
export const EXP_RTCTL = 0x1c;
export const EXP_RTCAP = 0x1e;
export const EXP_RTSTA = 0x20;
export const EXP_DEVCAP2 = 0x24;
export const EXP_DEVCTL2 = 0x28;
export const EXP_LNKCAP2 = 0x2c;
export const EXP_LNKCTL2 = 0x30;
export const EXP_VER1_SIZEOF = 0x14;
export const EXP_VER2_SIZEOF = 0x3c;

export const EXP_TYPE_ENDPOINT = 0x0;
export const EXP_TYPE_ROOT_PORT = 0x4;
export const EXP_TYPE_UPSTREAM = 0x5;
export const EXP_TYPE_DOWNSTREAM = 0x6;
export const EXP_TYPE_PCI_BRIDGE = 0x7;
export const EXP_TYPE_RC_END = 0x9;

export const EXP_DEVCAP_EXT_TAG = 0x00000020;
export const EXP_DEVCAP_RBER = 0x00008000;
export const EXP_DEVCAP_FLR = 0x10000000;
export const EXP_DEVCTL_CERE = 0x0001;
export const EXP_DEVCTL_NFERE = 0x0002;
export const EXP_DEVCTL_FERE = 0x0004;
export const EXP_DEVCTL_URRE = 0x0008;
export const EXP_DEVCTL_BCR_FLR = 0x8000;
export const EXP_DEVSTA_ERRORS = 0x000f;
export const EXP_LNKCAP_SLS = 0x0000000f;
export const EXP_LNKCAP_MLW = 0x000003f0;
export const EXP_LNKCAP_ASPMS_0S = 0x00000400;
export const EXP_LNKCAP_DLLLARC = 0x00100000;
export const EXP_LNKCAP_LBNC = 0x00200000;
export const EXP_LNKCTL_CCC = 0x0040;
export const EXP_LNKCTL_ES = 0x0080;
export const EXP_LNKSTA_CLS = 0x000f;
export const EXP_LNKSTA_NLW = 0x03f0;
export const EXP_LNKSTA_DLLLA = 0x2000;
export const EXP_SLTCAP_ABP = 0x00000001;
export const EXP_SLTCAP_PCP = 0x00000002;
export const EXP_SLTCAP_AIP = 0x00000008;
export const EXP_SLTCAP_PIP = 0x00000010;
export const EXP_SLTCAP_HPS = 0x00000020;
export const EXP_SLTCAP_HPC = 0x00000040;
export const EXP_SLTCAP_EIP = 0x00020000;
export const EXP_SLTCAP_PSN_SHIFT = 19;
export const EXP_SLTCTL_ABPE = 0x0001;
export const EXP_SLTCTL_PDCE = 0x0008;
export const EXP_SLTCTL_CCIE = 0x0010;
export const EXP_SLTCTL_HPIE = 0x0020;
export const EXP_SLTCTL_AIC = 0x00c0;
export const EXP_SLTCTL_AIC_OFF = 0x00c0;
export const EXP_SLTCTL_PIC = 0x0300;
export const EXP_SLTCTL_PIC_ON = 0x0100;
export const EXP_SLTCTL_PIC_OFF = 0x0300;
export const EXP_SLTCTL_PCC = 0x0400;
export const EXP_SLTCTL_EIC = 0x0800;
export const EXP_SLTSTA_ABP = 0x0001;
export const EXP_SLTSTA_PFD = 0x0002;
export const EXP_SLTSTA_MRLSC = 0x0004;
export const EXP_SLTSTA_PDC = 0x0008;
export const EXP_SLTSTA_CC = 0x0010;
export const EXP_SLTSTA_PDS = 0x0040;
export const EXP_SLTSTA_EIS = 0x0080;
/** Hot-plug events a port reports (ABP, PDC, CC) plus DLLSC. */
export const EXP_HP_EV_SUPPORTED = 0x0001 | 0x0008 | 0x0010 | 0x0100;
export const EXP_RTCTL_ERR_ENABLES = 0x0007;
export const EXP_DEVCAP2_ARI = 0x00000020;
export const EXP_DEVCAP2_EFF = 0x00100000;
export const EXP_DEVCAP2_EETLPP = 0x00200000;
export const EXP_DEVCTL2_ARI = 0x0020;
export const EXP_DEVCTL2_EETLPPB = 0x8000;
export const EXP_LNKCTL2_TLS = 0x000f;

/** Link speeds and widths as the LinkCap/LinkSta encodings (PCIe 4.0 §7.5.3.6). */
export const LINK_SPEED_2_5GT = 1;
export const LINK_SPEED_5GT = 2;
export const LINK_SPEED_8GT = 3;
export const LINK_SPEED_16GT = 4;

// ---- extended capabilities (PCIe 4.0 §7.8, §9.3) --------------------------------------
export const EXT_CAP_NEXT_SHIFT = 20;

// AER (PCIe 4.0 §7.8.4)
export const ERR_UNCOR_STATUS = 0x04;
export const ERR_UNCOR_MASK = 0x08;
export const ERR_UNCOR_SEVER = 0x0c;
export const ERR_COR_STATUS = 0x10;
export const ERR_COR_MASK = 0x14;
export const ERR_CAP = 0x18;
export const ERR_ROOT_COMMAND = 0x2c;
export const ERR_ROOT_STATUS = 0x30;
export const ERR_UNC_SUPPORTED = 0x03fff030;
export const ERR_UNC_SEVERITY_DEFAULT = 0x00462030;
/** Uncorrectable Internal Error and TLP Prefix Blocked, masked from reset (QEMU PCI_ERR_UNC_MASK_DEFAULT). */
export const ERR_UNC_MASK_DEFAULT = 0x02400000;
export const ERR_COR_SUPPORTED = 0x0000f1c1;
export const ERR_COR_MASK_DEFAULT = 0x0000e000;
export const ERR_CAP_ECRC_GENC = 0x020;
export const ERR_CAP_ECRC_GENE = 0x040;
export const ERR_CAP_ECRC_CHKC = 0x080;
export const ERR_CAP_ECRC_CHKE = 0x100;
export const ERR_CAP_MHRC = 0x200;
export const ERR_CAP_MHRE = 0x400;
export const ERR_ROOT_STATUS_REPORT_MASK = 0x7f;
export const ERR_SIZEOF = 0x48;

// ARI (PCIe 4.0 §7.8.7)
export const ARI_CAP = 0x04;
export const ARI_SIZEOF = 8;

// ACS (PCIe 4.0 §7.7.8)
export const ACS_CAP = 0x04;
export const ACS_CTRL = 0x06;
export const ACS_SV = 0x01;
export const ACS_TB = 0x02;
export const ACS_RR = 0x04;
export const ACS_CR = 0x08;
export const ACS_UF = 0x10;
export const ACS_DT = 0x40;
export const ACS_SIZEOF = 8;

// Device Serial Number (PCIe 4.0 §7.9.3)
export const DSN_SIZEOF = 12;

// SR-IOV (PCIe SR-IOV 1.1 §3.3)
export const SRIOV_CAP = 0x04;
export const SRIOV_CTRL = 0x08;
export const SRIOV_CTRL_VFE = 0x0001;
export const SRIOV_CTRL_VFM = 0x0002;
export const SRIOV_CTRL_INTR = 0x0004;
export const SRIOV_CTRL_MSE = 0x0008;
export const SRIOV_CTRL_ARI = 0x0010;
export const SRIOV_STATUS = 0x0a;
export const SRIOV_INITIAL_VF = 0x0c;
export const SRIOV_TOTAL_VF = 0x0e;
export const SRIOV_NUM_VF = 0x10;
export const SRIOV_FUNC_LINK = 0x12;
export const SRIOV_VF_OFFSET = 0x14;
export const SRIOV_VF_STRIDE = 0x16;
export const SRIOV_VF_DID = 0x1a;
export const SRIOV_SUP_PGSIZE = 0x1c;
export const SRIOV_SYS_PGSIZE = 0x20;
export const SRIOV_BAR = 0x24;
export const SRIOV_VFM = 0x3c;
export const SRIOV_SIZEOF = 0x40;
/** Page sizes every SR-IOV PF must support: 4K, 8K, 64K, 256K, 1M, 4M. */
export const SRIOV_SUP_PGSIZE_MINREQ = 0x553;

// SHPC capability window (SHPC 1.0 §5.1)
export const SHPC_CAP_DWORD_SELECT = 2;
export const SHPC_CAP_CXP = 3;
export const SHPC_CAP_DWORD_DATA = 4;
export const SHPC_CAP_LENGTH = 8;

// SATA capability (Serial ATA AHCI 1.3 §2.3)
export const SATA_CAP_REV = 2;
export const SATA_CAP_BAR = 4;
export const SATA_CAP_SIZE = 8;

// Subsystem ID capability for bridges (PCI-to-PCI Bridge 1.2 §3.2.5.16 ECN)
export const SSVID_VENDOR_ID = 4;
export const SSVID_DEVICE_ID = 6;
export const SSVID_SIZEOF = 8;
