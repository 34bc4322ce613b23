# Odds and ends: cpuid (the leaves firmware reads, as QEMU's default q35 CPU reports them), lea
# with every addressing form and both address sizes (wrapping), movzx/movsx, cbw/cwde/cwd/cdq,
# xchg, xlat, bswap, the nop forms, salc, moves to and from CR0/CR2/CR3/CR4, clts, wbinvd,
# rdmsr/wrmsr of MSRs firmware touches (APIC base, SYSENTER, PAT, MTRRs), in real mode and in
# 32-bit protected mode.
.include "harness.inc"

.equ TABLE, SCRATCH_VARS
.set MI_ID, 0

.macro MI_SNAP
  SNAP MI_ID
  .set MI_ID, MI_ID + 1
.endm

.macro CPUID_LEAF leaf, sub=0
  movl $\leaf, %eax
  movl $\sub, %ecx
  cpuid
  MI_SNAP
.endm

.macro RDMSR_SNAP msr
  movl $\msr, %ecx
  rdmsr
  MI_SNAP
.endm

.macro REGS_SET
  movl $0xfffffff0, %eax
  movl $0x00000020, %ebx
  movl $0x80000000, %ecx
  movl $0x0000ffff, %esi
  movl $0x00000002, %edi
  movl $0x12348765, %ebp
.endm

.macro MISC_ALL
  CPUID_LEAF 0
  CPUID_LEAF 1
  CPUID_LEAF 2
  CPUID_LEAF 4, 0
  CPUID_LEAF 4, 1
  CPUID_LEAF 7, 0
  CPUID_LEAF 0xa
  CPUID_LEAF 0xd, 0
  CPUID_LEAF 0xd, 1
  CPUID_LEAF 0x40000000
  CPUID_LEAF 0x80000000
  CPUID_LEAF 0x80000001
  CPUID_LEAF 0x80000002
  CPUID_LEAF 0x80000003
  CPUID_LEAF 0x80000004
  CPUID_LEAF 0x80000005
  CPUID_LEAF 0x80000006
  CPUID_LEAF 0x80000007
  CPUID_LEAF 0x80000008
  CPUID_LEAF 0x12345678
  # lea: every form, 32- and 16-bit addresses, 32- and 16-bit destinations
  REGS_SET
  leal 0x10(%eax,%ebx,4), %edx
  MI_SNAP
  REGS_SET
  leal -1(%ecx,%ecx,8), %edx
  leaw 0x7fff(%esi,%edi,2), %bx
  MI_SNAP
  REGS_SET
  leal (%bx,%si), %edx
  leal 0x8000(%bp,%di), %ecx
  leaw -2(%bp), %ax
  leal 0xfffe, %ebx
  MI_SNAP
  REGS_SET
  leal (,%esi,8), %edx
  leal 0x12(%ebp), %ecx
  leal (%esp), %eax
  leaw 0x1234(,%ecx,2), %bx
  MI_SNAP
  # extensions and conversions
  movl $0x1234f687, %eax
  movzbl %al, %ebx
  movsbl %al, %ecx
  movzwl %ax, %edx
  movswl %ax, %esi
  movsbw %ah, %di
  MI_SNAP
  movl $0x1234f687, %eax
  cbtw
  movl %eax, %ebx
  cwtl
  movl %eax, %ecx
  movl $0x80000000, %eax
  cltd
  movl %edx, %esi
  movw $0x7fff, %ax
  cwtd
  MI_SNAP
  # xchg, xlat, bswap
  movl $0x11111111, %eax
  movl $0x22222222, %ebx
  movl $0x33333333, %ecx
  xchgl %eax, %ebx
  xchgw %bx, %cx
  xchgb %ah, %cl
  movl %eax, TABLE
  xchgl %ecx, TABLE
  movl TABLE, %edx
  MI_SNAP
  movl $0x03020100, TABLE
  movl $0x07060504, TABLE + 4
  movl $TABLE, %ebx
  movl $0xaaaaaa05, %eax
  xlat
  bswap %ebx
  MI_SNAP
  # nops and salc
  pushl $0x8d7
  popfl
  nop
  xchgw %ax, %ax
  .byte 0x0f, 0x1f, 0x00
  .byte 0x0f, 0x1f, 0x44, 0x00, 0x00
  .byte 0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00
  pause
  movl $0x12345678, %eax
  .byte 0xd6
  movl %eax, %ebx
  clc
  .byte 0xd6
  MI_SNAP
  # control registers
  movl %cr0, %eax
  movl %cr2, %ebx
  movl %cr3, %ecx
  movl %cr4, %edx
  MI_SNAP
  movl $0x12345000, %eax
  movl %eax, %cr2
  movl $0x00020000, %eax
  movl %eax, %cr3
  movl %cr4, %eax
  orl $0x10, %eax
  movl %eax, %cr4
  movl %cr0, %eax
  orl $0x8, %eax
  movl %eax, %cr0
  movl %cr0, %ebx
  clts
  movl %cr0, %ecx
  wbinvd
  MI_SNAP
  movl %cr4, %eax
  andl $~0x10, %eax
  movl %eax, %cr4
  xorl %eax, %eax
  movl %eax, %cr3
  movl %eax, %cr2
  # MSRs
  RDMSR_SNAP 0x1b
  RDMSR_SNAP 0x174
  RDMSR_SNAP 0x277
  RDMSR_SNAP 0x2ff
  RDMSR_SNAP 0xfe
  RDMSR_SNAP 0x200
  movl $0x174, %ecx
  movl $0x10, %eax
  xorl %edx, %edx
  wrmsr
  RDMSR_SNAP 0x174
  movl $0x277, %ecx
  movl $0x00070406, %eax
  movl $0x00070406, %edx
  wrmsr
  RDMSR_SNAP 0x277
  movl $0x2ff, %ecx
  movl $0xc06, %eax
  xorl %edx, %edx
  wrmsr
  RDMSR_SNAP 0x2ff
.endm

test_main:
  MISC_ALL
  ENTER_PM32
  MISC_ALL
  DONE
