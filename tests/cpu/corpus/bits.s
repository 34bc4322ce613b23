# Bit instructions and the exchanges, in 32-bit protected mode then real mode:
#   bt/bts/btr/btc with register and immediate bit offsets, on registers (offset modulo the
#   size) and on memory (a register offset reaches below and above the operand);
#   bsf/bsr including a zero source (ZF set, destination left alone on QEMU);
#   bswap; xadd and cmpxchg (equal and not equal) on registers and memory; cmpxchg8b.
# RESULT records (EAX, EDX, EFLAGS), memory dumps of the bit string after the memory forms.
.include "harness.inc"

.set BT_ID, 0
  .section .text16, "ax"
  .balign 4
bt_values:
  .long 0, 1, 0x80000000, 0xffffffff, 0x12345678, 0x00010000, 0x00008000, 0xfffe0000
bt_offsets:
  .long 0, 1, 7, 15, 16, 31, 32, 33, 63, 64, 100, -1, -8, -33, -64, -100
  .previous
.equ NBV, 8
.equ NBO, 16
.equ BITS, SCRATCH_VARS + 0x40          # a 16-byte bit string; offsets reach 0x20 bytes either side

.macro BT_LOAD
  movl %cs:BT_BASE(,%esi,4), %eax
  movl %cs:BT_BASE + 4 * NBV(,%edi,4), %ebx
  movl %esi, %edx
  shll $8, %edx
  orl %edi, %edx
  pushl $0x8d7
  popfl
.endm

# op reg, reg: bit offset EBX (mod size) in EAX.
.macro BT_REG op, off, dst
  xorl %esi, %esi
.Li\@:
  xorl %edi, %edi
.Lj\@:
  BT_LOAD
  \op \off, \dst
  RESULT BT_ID
  .set BT_ID, BT_ID + 1
  incl %edi
  cmpl $NBO, %edi
  jne .Lj\@
  incl %esi
  cmpl $NBV, %esi
  jne .Li\@
.endm

# op reg, mem: a bit string of 0x60 bytes around BITS, filled with a pattern; bit offset EBX.
.macro BT_MEM op, off
  xorl %edi, %edi
.Lj\@:
  xorl %esi, %esi
  movl $0x5a3c0ff1, %eax
.Lf\@:
  movl %eax, BITS - 0x30(,%esi,4)
  roll $7, %eax
  incl %esi
  cmpl $24, %esi
  jne .Lf\@
  xorl %esi, %esi
  BT_LOAD
  \op \off, BITS
  RESULT BT_ID
  .set BT_ID, BT_ID + 1
  incl %edi
  cmpl $NBO, %edi
  jne .Lj\@
.endm

# op $imm, reg/mem
.macro BT_IMM op, imm, dst
  xorl %esi, %esi
  xorl %edi, %edi
.Li\@:
  BT_LOAD
  \op $\imm, \dst
  RESULT BT_ID
  .set BT_ID, BT_ID + 1
  incl %esi
  cmpl $NBV, %esi
  jne .Li\@
.endm

# bsf/bsr src, dst: dst preset to 0xdeadbeef (left alone when the source is zero)
.macro BSCAN op, src, dst
  xorl %esi, %esi
  xorl %edi, %edi
.Li\@:
  BT_LOAD
  movl $0xdeadbeef, %ebx
  movl %cs:BT_BASE(,%esi,4), %ecx
  \op \src, \dst
  movl %ebx, %eax
  RESULT BT_ID
  .set BT_ID, BT_ID + 1
  incl %esi
  cmpl $NBV, %esi
  jne .Li\@
.endm

.macro BT_OP op
  BT_REG \op\()w, %bx, %ax
  BT_REG \op\()l, %ebx, %eax
  BT_MEM \op\()w, %bx
  BT_MEM \op\()l, %ebx
  BT_IMM \op\()w, 3, %ax
  BT_IMM \op\()w, 19, %ax
  BT_IMM \op\()l, 31, %eax
  BT_IMM \op\()l, 35, %eax
  BT_IMM \op\()l, 200, BITS
  BT_IMM \op\()w, 17, BITS
.endm

.macro BITS_ALL
  BT_OP bt
  BT_OP bts
  BT_OP btr
  BT_OP btc
  BSCAN bsfw, %cx, %bx
  BSCAN bsfl, %ecx, %ebx
  BSCAN bsrw, %cx, %bx
  BSCAN bsrl, %ecx, %ebx
  # bswap
  movl $0x12345678, %eax
  bswap %eax
  movl $0x80ff0001, %edx
  bswap %edx
  RESULT BT_ID
  .set BT_ID, BT_ID + 1
  # xadd reg/reg, reg/mem at each size
  movl $0x7fffffff, %eax
  movl $1, %edx
  xaddl %edx, %eax
  RESULT BT_ID
  .set BT_ID, BT_ID + 1
  movl $0x12345680, %eax
  movl $0xabcdef80, %edx
  xaddb %dl, %al
  RESULT BT_ID
  .set BT_ID, BT_ID + 1
  movl $0xffff, %eax
  movl %eax, BITS
  movl $0x10001, %edx
  xaddw %dx, BITS
  movl BITS, %eax
  RESULT BT_ID
  .set BT_ID, BT_ID + 1
  movl $5, BITS
  movl $-5, %edx
  lock xaddl %edx, BITS
  movl BITS, %eax
  RESULT BT_ID
  .set BT_ID, BT_ID + 1
  # cmpxchg: equal (stores the source) and not equal (loads the destination into the accumulator)
  movl $0x1111, %eax
  movl $0x1111, %ecx
  movl $0x2222, %edx
  cmpxchgw %dx, %cx
  movl %ecx, %edx
  RESULT BT_ID
  .set BT_ID, BT_ID + 1
  movl $0x1111, %eax
  movl $0x3333, %ecx
  movl $0x2222, %edx
  cmpxchgl %edx, %ecx
  movl %ecx, %edx
  RESULT BT_ID
  .set BT_ID, BT_ID + 1
  movl $0x80, %eax
  movl $0x7f, BITS
  movl $0x55, %edx
  lock cmpxchgb %dl, BITS
  movl BITS, %edx
  RESULT BT_ID
  .set BT_ID, BT_ID + 1
  movl $0x7f, %eax
  movl $0x7f, BITS
  movl $0x55, %edx
  cmpxchgb %dl, BITS
  movl BITS, %edx
  RESULT BT_ID
  .set BT_ID, BT_ID + 1
  # cmpxchg8b: equal and not equal
  movl $0x11111111, BITS
  movl $0x22222222, BITS + 4
  movl $0x11111111, %eax
  movl $0x22222222, %edx
  movl $0x33333333, %ebx
  movl $0x44444444, %ecx
  lock cmpxchg8b BITS
  SNAP BT_ID
  .set BT_ID, BT_ID + 1
  movl $0x11111112, %eax
  cmpxchg8b BITS
  SNAP BT_ID
  .set BT_ID, BT_ID + 1
  movl BITS, %eax
  movl BITS + 4, %edx
  RESULT BT_ID
  .set BT_ID, BT_ID + 1
.endm

test_main:
  ENTER_PM32
.set BT_BASE, bt_values + 0xf0000
  BITS_ALL
  MEMDUMP32 BITS-0x30, 0x60
  ENTER_REAL
.set BT_BASE, bt_values
  BITS_ALL
  MEMDUMP16 BITS-0x30, 0x60
  DONE
