# The stack: push/pop of registers, immediates (imm8 sign-extended, imm16/32), memory and
# segment registers at both operand sizes (a 32-bit push of a segment register writes what it
# writes), push esp / pop esp, pop into memory addressed through ESP, pusha/popa, enter with
# nesting levels 0-3 and leave, in real mode and 32-bit protected mode; then a 16-bit stack
# (SS B=0) in protected mode wrapping at 64 KiB, and a 32-bit stack in 16-bit code.
.include "harness.inc"

.equ SEL_SS16, SEL_FREE                 # data, base 0x20000, 64 KiB, B=0
.equ SEL_SS32, SEL_FREE + 8             # data, base 0x20000, 4 GiB, B=1
.equ SEL_C16B, SEL_FREE + 16            # 16-bit code, base 0xf0000 (like SEL_CODE16)
.set ST_ID, 0

.macro ST_SNAP
  SNAP ST_ID
  .set ST_ID, ST_ID + 1
.endm

# The 64 bytes below the stack pointer we started with, after a case.
.macro ST_DUMP
  movl $STACK_TOP-0x80, %esp            # the dump's own pushes go below what it dumps
  .if HMODE == 32
    MEMDUMP32 STACK_TOP-0x40, 0x40
  .else
    MEMDUMP16 STACK_TOP-0x40, 0x40
  .endif
  movl $STACK_TOP, %esp
.endm

.macro ST_FILL
  movl $STACK_TOP - 0x40, %edi
  movl $0xa5a5a5a5, %eax
.Lf\@:
  movl %eax, (%edi)
  addl $4, %edi
  cmpl $STACK_TOP, %edi
  jne .Lf\@
.endm

.macro STACK_ALL
  ST_FILL
  movl $0x11223344, %eax
  movl $0x55667788, %ebx
  pushl %eax
  pushw %bx
  pushl $-2
  pushw $0x7fff
  pushl $0x12345678
  pushw %ds
  pushl %ds
  pushl %cs
  pushl %ss
  pushl %esp
  pushw %sp
  movl %esp, %esi
  movl $STACK_TOP, %esp
  ST_SNAP
  ST_DUMP
  # pop esp, pop into [esp]
  ST_FILL
  movl $STACK_TOP - 0x20, %esp
  movl $0x00007fe0, (%esp)
  popl %esp
  movl %esp, %ecx
  movl $STACK_TOP - 0x20, %esp
  movl $0xbeefbeef, (%esp)
  popl 4(%esp)
  movl %esp, %edx
  movl $STACK_TOP, %esp
  ST_SNAP
  ST_DUMP
  # pusha / popa (popa skips ESP)
  ST_FILL
  movl $1, %eax
  movl $2, %ecx
  movl $3, %edx
  movl $4, %ebx
  movl $6, %ebp
  movl $7, %esi
  movl $8, %edi
  pushal
  pushaw
  movl $0xffffffff, %eax
  movl %eax, %ecx
  movl %eax, %edx
  movl %eax, %ebx
  movl %eax, %ebp
  movl %eax, %esi
  movl %eax, %edi
  popaw
  popal
  ST_SNAP
  movl $STACK_TOP, %esp
  ST_DUMP
  # enter/leave with nesting
  ST_FILL
  movl $STACK_TOP - 0x10, %ebp
  movl $0x1111, STACK_TOP - 0x14
  movl $0x2222, STACK_TOP - 0x18
  enterl $8, $0
  movl %esp, %eax
  movl %ebp, %ebx
  leavel
  enterl $4, $1
  movl %esp, %ecx
  leavel
  enterl $0, $3
  movl %esp, %edx
  movl %ebp, %esi
  leavel
  enterw $2, $2
  movl %esp, %edi
  leavew
  ST_SNAP
  movl $STACK_TOP, %esp
  ST_DUMP
.endm

test_main:
  STACK_ALL
  SET_DESC SEL_SS16, 0x20000, 0xffff, 0x93, 0x0
  SET_DESC SEL_SS32, 0x20000, 0xfffff, 0x93, 0xc
  ENTER_PM32
  STACK_ALL
  # a 16-bit stack in 32-bit code: SP wraps, ESP's upper half stays
  movl %esp, %ebp
  movw $SEL_SS16, %ax
  movw %ax, %ss
  movl $0x12340002, %esp
  pushl $0xaabbccdd
  pushl $0x11223344
  movl %esp, %ebx
  popl %ecx
  popl %edx
  movl %esp, %esi
  movw $SEL_DATA32, %ax
  movw %ax, %ss
  movl %ebp, %esp
  ST_SNAP
  MEMDUMP32 0x2fff8, 8
  MEMDUMP32 0x20000, 8
  # a 32-bit stack in 16-bit code: pushes use ESP
  ljmp $SEL_CODE16, $stack32_in_16
  CODE16
stack32_in_16:
  movw $SEL_SS32, %ax
  movw %ax, %ss
  movl $0x10008, %esp
  pushw $0x5566
  pushl $0x778899aa
  movl %esp, %ebx
  movw $SEL_DATA16, %ax
  movw %ax, %ss
  movl %ebp, %esp
  ljmpl $SEL_CODE32, $back32
  CODE32
back32:
  movw $SEL_DATA32, %ax
  movw %ax, %ss
  ST_SNAP
  MEMDUMP32 0x30000, 8
  DONE
