# Decimal adjust: daa, das, aaa, aas for every AL with AF and CF in both states (AH 0x12 so the
# AH adjustment of aaa/aas shows), aam and aad with bases 10, 16, 2 and 255 for every AL (aad:
# AH = AL * 7), aam 0 (#DE). Real mode, then the same in 32-bit protected mode.
# RESULT records: EAX, EDX (AL in | flags-in index << 8), EFLAGS.
.include "harness.inc"

.set BCD_ID, 0
  .section .text16, "ax"
  .balign 4
bcd_flags:
  .long 0x002, 0x012, 0x003, 0x013, 0x8c6, 0x8d6, 0x8c7, 0x8d7
  .previous

.macro BCD_LOOP insn
  xorl %esi, %esi
.Li\@:
  xorl %edi, %edi
.Lj\@:
  movl %esi, %eax
  orl $0x1200, %eax
  movl %edi, %edx
  shll $8, %edx
  orl %esi, %edx
  pushl %cs:BCD_BASE(,%edi,4)
  popfl
  \insn
  RESULT BCD_ID
  .set BCD_ID, BCD_ID + 1
  incl %edi
  cmpl $8, %edi
  jne .Lj\@
  incl %esi
  cmpl $256, %esi
  jne .Li\@
.endm

.macro AAM_LOOP insn
  xorl %esi, %esi
.Li\@:
  movl %esi, %eax
  imull $7, %eax, %eax
  shll $8, %eax
  orl %esi, %eax
  movl %esi, %edx
  pushl $0x8d7
  popfl
  \insn
  RESULT BCD_ID
  .set BCD_ID, BCD_ID + 1
  incl %esi
  cmpl $256, %esi
  jne .Li\@
.endm

.macro BCD_ALL
  BCD_LOOP daa
  BCD_LOOP das
  BCD_LOOP aaa
  BCD_LOOP aas
  AAM_LOOP "aam $10"
  AAM_LOOP "aam $16"
  AAM_LOOP "aam $2"
  AAM_LOOP "aam $255"
  AAM_LOOP "aad $10"
  AAM_LOOP "aad $16"
  AAM_LOOP "aad $2"
  AAM_LOOP "aad $255"
  EXPECT_FAULT .Laam0\@
  movl $0x1234, %eax
  aam $0
.Laam0\@:
  NO_FAULT
.endm

test_main:
.set BCD_BASE, bcd_flags
  BCD_ALL
  ENTER_PM32
.set BCD_BASE, bcd_flags + 0xf0000
  BCD_ALL
  DONE
