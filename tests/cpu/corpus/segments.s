# Segments: lar, lsl, verr, verw over a table of selectors (valid, null, beyond the limit, wrong
# RPL, system descriptors, conforming code); arpl; lds/les/lfs/lgs/lss from far pointers in
# memory (both operand sizes, real and protected mode); accessed bits the CPU writes into the
# GDT when it loads descriptors; expand-down data (reads inside its valid range); conforming
# code reached from CPL 3 (CPL stays 3); sgdt/sidt/sldt/str/smsw.
.include "harness.inc"

.equ PTRS, SCRATCH_VARS
.equ SEL_CONF, SEL_FREE                 # conforming code, DPL 0
.equ SEL_DOWN, SEL_FREE + 8             # expand-down data, limit 0x0fff, base 0x30000
.equ SEL_NOTACC, SEL_FREE + 16          # data, accessed bit clear
.equ SEL_CALLG, SEL_FREE + 24           # a call gate (system descriptor)
.equ SEL_DPL3, SEL_FREE + 32            # data DPL 3, accessed clear
.equ SEL_LDT, SEL_FREE + 40             # an LDT descriptor (system)
.equ R3_STACK, 0x7000
.set SG_ID, 0

.macro SG_SNAP
  SNAP SG_ID
  .set SG_ID, SG_ID + 1
.endm

  .section .text16, "ax"
  .balign 2
sg_selectors:
  .word 0, 3, 0x08, 0x0b, 0x10, 0x13, 0x18, 0x20, 0x2b, 0x33, 0x38, SEL_CONF, SEL_DOWN, SEL_NOTACC
  .word SEL_CALLG, SEL_DPL3, SEL_LDT, SEL_LDT + 8, 0x7f8, 0x800, 0xfff8, 0x0004
  .previous
.equ NSEL, 22

# lar, lsl, verr, verw of every selector: each result (value, ZF) into the results area, dumped.
.macro PROBE_SELECTORS buf
  xorl %esi, %esi
.Lp\@:
  movzwl %cs:SG_BASE(,%esi,2), %ebx
  movl $0xeeeeeeee, %eax
  movl $0xdddddddd, %edx
  pushl $0x2
  popfl
  larl %ebx, %eax
  setz %cl
  lsll %ebx, %edx
  setz %ch
  verr %bx
  setz %dl
  verw %bx
  setz %dh
  movl %eax, \buf(,%esi,8)
  movw %cx, \buf + 4(,%esi,8)
  movw %dx, \buf + 6(,%esi,8)
  incl %esi
  cmpl $NSEL, %esi
  jne .Lp\@
.endm

test_main:
  # real mode: far pointer loads, and lar (#UD in real mode: the harness records it)
  movw $0x1234, PTRS
  movw $0x2345, PTRS + 2
  movl $0x89abcdef, PTRS + 4
  movw $0x3456, PTRS + 8
  ldsw PTRS, %ax
  movw %ds, %cx
  xorw %dx, %dx
  movw %dx, %ds
  lesw PTRS, %bx
  lfsl PTRS + 4, %esi
  lgsw PTRS, %di
  SG_SNAP
  movl %esp, %ebp
  lssw PTRS, %sp
  movw %ss, %dx
  movw %sp, %bx
  xorw %ax, %ax
  movw %ax, %ss
  movl %ebp, %esp
  xorw %ax, %ax
  movw %ax, %es
  movw %ax, %fs
  movw %ax, %gs
  SG_SNAP
  EXPECT_FAULT 1f
  larw %ax, %bx
1:
  NO_FAULT
  smsw %ax
  sgdtl PTRS
  sidtl PTRS + 8
  SG_SNAP
  MEMDUMP16 PTRS, 16

  # protected mode
  SET_DESC SEL_CONF, 0, 0xfffff, 0x9f, 0xc
  SET_DESC SEL_DOWN, 0x30000, 0x00fff, 0x97, 0x4
  SET_DESC SEL_NOTACC, 0, 0xfffff, 0x92, 0xc
  SET_DESC SEL_DPL3, 0, 0xfffff, 0xf2, 0xc
  SET_DESC SEL_LDT, 0x4000, 0x17, 0x82, 0x0
  movl $0x00080000, GDT_RAM + SEL_CALLG   # a call gate: selector 8, offset 0
  movl $0x00008c00, GDT_RAM + SEL_CALLG + 4
  ENTER_PM32
.set SG_BASE, sg_selectors + 0xf0000
  PROBE_SELECTORS 0x10000
  MEMDUMP32 0x10000, 8*NSEL
  # arpl: raises the RPL of the destination to the source's
  movw $0x0010, %ax
  movw $0x0013, %bx
  arpl %bx, %ax
  setz %cl
  movw $0x0013, %dx
  movw $0x0011, %bx
  arpl %bx, %dx
  setz %ch
  SG_SNAP
  # accessed bits: loading SEL_NOTACC and SEL_DPL3 sets them in the GDT
  MEMDUMP32 GDT_RAM+SEL_NOTACC, 8
  movw $SEL_NOTACC, %ax
  movw %ax, %es
  movw $SEL_DPL3, %ax
  movw %ax, %fs
  MEMDUMP32 GDT_RAM+SEL_NOTACC, 8
  MEMDUMP32 GDT_RAM+SEL_DPL3, 8
  # expand-down: valid offsets above the limit
  movl $0x41414141, 0x31000
  movl $0x42424242, 0x3fffc
  movw $SEL_DOWN, %ax
  movw %ax, %gs
  movl %gs:0x1000, %eax
  movl %gs:0xfffc, %ebx
  SG_SNAP
  # far pointer loads in protected mode: 48-bit pointers
  movl $0x00001234, PTRS
  movw $SEL_DATA32, PTRS + 4
  lfsl PTRS, %esi
  lgsl PTRS, %edi
  movw %fs, %cx
  movw %gs, %dx
  SG_SNAP
  # LDT and TR: sldt/str before and after loading
  sldt %ax
  str %bx
  movw $SEL_LDT, %cx
  lldt %cx
  LOAD_TSS
  sldt %dx
  str %si
  SG_SNAP
  xorw %cx, %cx
  lldt %cx
  MEMDUMP32 GDT_RAM+SEL_TSS, 8
  # conforming code from CPL 3: the call runs at CPL 3 (CS RPL 3)
  movl $back, RESUME_EIP
  movw %cs, RESUME_CS
  movl %esp, RESUME_ESP
  movw %ss, RESUME_SS
  pushl $SEL_DATA32_R3
  pushl $R3_STACK
  pushl $0x0002
  pushl $SEL_CODE32_R3
  pushl $ring3
  iretl
ring3:
  lcall $(SEL_CONF | 3), $conforming
  movw %cs, %bx
  int $0x80
back:
  NO_FAULT
  SG_SNAP
  DONE

conforming:
  movw %cs, %ax                         # RPL 3: CPL unchanged
  movl %esp, %edx
  lret
