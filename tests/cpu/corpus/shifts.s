# Shifts and rotates at every size: rol ror rcl rcr shl sar shr (sal is shl), by CL over counts
# 0, 1, 2, size-1, size, size+1, 31, 32, 33 and 255 (the CPU masks to 5 bits; rcl/rcr 8/16 then
# rotate modulo 9/17), by 1 (D0/D1) and by immediates (C0/C1), with CF in and out and all flags
# set or clear on entry; then shld/shrd by CL and immediate, 16- and 32-bit, counts 0-33.
# 32-bit protected mode, then the same tables in real mode. RESULT records: EAX, EDX, EFLAGS.
.include "harness.inc"

.set SH_ID, 0
  .section .text16, "ax"
  .balign 4
sh_values:
  .long 0, 1, 0x80, 0x81, 0x8000, 0x8001, 0x80000000, 0x80000001, 0x7fffffff, 0xffffffff, 0x12345678, 0xa5a5a5a5
sh_counts:
  .long 0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 255
sh_flags:
  .long 0x002, 0x8d7
  .previous
.equ NSV, 12
.equ NSC, 13

# op %cl, reg for every value, count and entry flags. EDX: value index | count index << 8 | k << 16.
.macro SHIFT_CL op, reg
  xorl %esi, %esi
.Li\@:
  xorl %edi, %edi
.Lj\@:
  xorl %ebp, %ebp
.Lk\@:
  movl %cs:SH_BASE(,%esi,4), %eax
  movl %cs:SH_BASE + 4 * NSV(,%edi,4), %ecx
  movl %edi, %edx
  shll $8, %edx
  orl %esi, %edx
  pushl %ebp
  shll $16, %ebp
  orl %ebp, %edx
  popl %ebp
  pushl %cs:SH_BASE + 4 * (NSV + NSC)(,%ebp,4)
  popfl
  \op %cl, \reg
  RESULT SH_ID
  .set SH_ID, SH_ID + 1
  incl %ebp
  cmpl $2, %ebp
  jne .Lk\@
  incl %edi
  cmpl $NSC, %edi
  jne .Lj\@
  incl %esi
  cmpl $NSV, %esi
  jne .Li\@
.endm

# op $imm, reg (or op reg when imm is empty: the by-one encoding) for every value and entry flags.
.macro SHIFT_IMM op, reg, imm
  xorl %esi, %esi
.Li\@:
  xorl %ebp, %ebp
.Lk\@:
  movl %cs:SH_BASE(,%esi,4), %eax
  movl %esi, %edx
  pushl %cs:SH_BASE + 4 * (NSV + NSC)(,%ebp,4)
  popfl
  .ifb \imm
    \op \reg
  .else
    \op $\imm, \reg
  .endif
  RESULT SH_ID
  .set SH_ID, SH_ID + 1
  incl %ebp
  cmpl $2, %ebp
  jne .Lk\@
  incl %esi
  cmpl $NSV, %esi
  jne .Li\@
.endm

# shld/shrd %cl, src, dst: dst EAX, src EBX (value j), counts over the count table.
.macro SHIFT_DOUBLE op, src, dst
  xorl %esi, %esi
.Li\@:
  xorl %edi, %edi
.Lj\@:
  movl %cs:SH_BASE(,%esi,4), %eax
  movl %cs:SH_BASE + 4 * 10, %ebx
  movl %cs:SH_BASE + 4 * NSV(,%edi,4), %ecx
  movl %edi, %edx
  shll $8, %edx
  orl %esi, %edx
  pushl $0x8d7
  popfl
  \op %cl, \src, \dst
  RESULT SH_ID
  .set SH_ID, SH_ID + 1
  incl %edi
  cmpl $NSC, %edi
  jne .Lj\@
  incl %esi
  cmpl $NSV, %esi
  jne .Li\@
.endm

.macro SHIFT_OP op
  SHIFT_CL \op\()b, %al
  SHIFT_CL \op\()w, %ax
  SHIFT_CL \op\()l, %eax
  SHIFT_CL \op\()b, %ah
  SHIFT_IMM \op\()b, %al
  SHIFT_IMM \op\()w, %ax
  SHIFT_IMM \op\()l, %eax
  SHIFT_IMM \op\()b, %al, 3
  SHIFT_IMM \op\()w, %ax, 9
  SHIFT_IMM \op\()l, %eax, 31
  SHIFT_IMM \op\()l, %eax, 0
  SHIFT_IMM \op\()b, %al, 9
  SHIFT_IMM \op\()w, %ax, 17
.endm

.macro SHIFT_DOUBLE_IMM n
  SHIFT_IMM shldl, "%ebx, %eax", \n
  SHIFT_IMM shrdw, "%bx, %ax", \n
.endm

.macro SHIFT_ALL
  SHIFT_OP rol
  SHIFT_OP ror
  SHIFT_OP rcl
  SHIFT_OP rcr
  SHIFT_OP shl
  SHIFT_OP sar
  SHIFT_OP shr
  SHIFT_DOUBLE shldw, %bx, %ax
  SHIFT_DOUBLE shrdw, %bx, %ax
  SHIFT_DOUBLE shldl, %ebx, %eax
  SHIFT_DOUBLE shrdl, %ebx, %eax
  SHIFT_DOUBLE_IMM 0
  SHIFT_DOUBLE_IMM 1
  SHIFT_DOUBLE_IMM 4
  SHIFT_DOUBLE_IMM 16
  SHIFT_DOUBLE_IMM 31
.endm

test_main:
  ENTER_PM32
.set SH_BASE, sh_values + 0xf0000
  SHIFT_ALL
  ENTER_REAL
.set SH_BASE, sh_values
  SHIFT_ALL
  DONE
