# mul, imul (one, two and three operands) and div, idiv at every size, including #DE on a zero
# divisor and on quotient overflow (an 'E' record, then the loop goes on). 32-bit protected
# mode, then real mode. RESULT records: EAX, EDX, EFLAGS (all flags set on entry).
#
# Not here: idiv of the most negative dividend by -1 (idivw with DX:AX = 0x80000000, idivl with
# EDX:EAX = 0x8000000000000000). The SDM says #DE; QEMU 7.2's x86_64 target divides on the host
# and dies with SIGFPE, so there is no QEMU result to compare with (tests/cpu/README.md).
.include "harness.inc"

.set MD_ID, 0
  .section .text16, "ax"
  .balign 4
md_values:
  .long 0, 1, 2, 3, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x12345, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0x89abcdef
md_high:
  .long 0, 1, 0x7fffffff, 0x80000001, 0xffffffff
md_low:
  .long 0, 1, 0x7fff, 0x8000, 0x80000000, 0xffffffff
md_divisors:
  .long 0, 1, 2, 3, 0x7f, 0x8000, 0xffff, 0x12345, 0x80000000, 0xffffffff
  .previous
.equ NMD, 16
.equ NHI, 5
.equ NLO, 6
.equ NDV, 10

# EAX = value i, EBX = value j, EDX = 0xdeadbeef (8-bit forms leave it), all flags set.
.macro MD_LOAD
  movl %cs:MD_BASE(,%esi,4), %eax
  movl %cs:MD_BASE(,%edi,4), %ebx
  movl $0xdeadbeef, %edx
  pushl $0x8d7
  popfl
.endm

.macro MUL_LOOP insn
  xorl %esi, %esi
.Li\@:
  xorl %edi, %edi
.Lj\@:
  MD_LOAD
  \insn
  RESULT MD_ID
  .set MD_ID, MD_ID + 1
  incl %edi
  cmpl $NMD, %edi
  jne .Lj\@
  incl %esi
  cmpl $NMD, %esi
  jne .Li\@
.endm

# div/idiv: EDX:EAX (or AX) = high k : low i, divisor j; a #DE resumes at the next.
.macro DIV_LOAD
  movl %cs:MD_BASE + 4 * (NMD + NHI)(,%esi,4), %eax
  movl %cs:MD_BASE + 4 * (NMD + NHI + NLO)(,%edi,4), %ebx
  movl %cs:MD_BASE + 4 * NMD(,%ebp,4), %edx
  pushl $0x8d7
  popfl
.endm

.macro DIV_LOOP insn, highs
  xorl %ebp, %ebp
.Lk\@:
  xorl %esi, %esi
.Li\@:
  xorl %edi, %edi
.Lj\@:
  EXPECT_FAULT .Lr\@
  DIV_LOAD
  \insn
  RESULT MD_ID
.Lr\@:
  .set MD_ID, MD_ID + 1
  incl %edi
  cmpl $NDV, %edi
  jne .Lj\@
  incl %esi
  cmpl $NLO, %esi
  jne .Li\@
  incl %ebp
  cmpl $\highs, %ebp
  jne .Lk\@
  NO_FAULT
.endm

.macro MULDIV_ALL
  MUL_LOOP "mulb %bl"
  MUL_LOOP "mulw %bx"
  MUL_LOOP "mull %ebx"
  MUL_LOOP "imulb %bl"
  MUL_LOOP "imulw %bx"
  MUL_LOOP "imull %ebx"
  MUL_LOOP "imulw %bx, %ax"
  MUL_LOOP "imull %ebx, %eax"
  MUL_LOOP "imulw $-3, %bx, %ax"
  MUL_LOOP "imull $0x7fffffff, %ebx, %eax"
  MUL_LOOP "imull $127, %ebx, %eax"
  MUL_LOOP "mulb %ah"
  DIV_LOOP "divb %bl", 1
  DIV_LOOP "idivb %bl", 1
  DIV_LOOP "divb %ah", 1
  DIV_LOOP "divw %bx", NHI
  DIV_LOOP "divl %ebx", NHI
  DIV_LOOP "idivw %bx", NHI
  DIV_LOOP "idivl %ebx", NHI
.endm

test_main:
  ENTER_PM32
.set MD_BASE, md_values + 0xf0000
  MULDIV_ALL
  ENTER_REAL
.set MD_BASE, md_values
  MULDIV_ALL
  DONE
