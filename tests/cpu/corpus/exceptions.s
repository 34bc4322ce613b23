# Exceptions and their error codes: #GP (null, out-of-table and wrong-type selectors, writes to
# read-only segments and through CS, segment limits, privileged instructions at CPL 3, int
# through a DPL-0 gate from CPL 3), #SS (stack limit, not-present SS), #NP (not-present data
# segment, not-present IDT gate), #UD (ud2, ud0, lock on a non-memory instruction, mov to CS,
# arpl in real mode), #DE, #BR, and a #GP whose IDT gate is not present nesting into #DF.
# Real mode first: a word at offset 0xffff, #UD. Each fault is an 'E' record (the frame with its
# error code), then the program goes on; a case that does not fault on QEMU writes snapshot
# 0xdead instead. QEMU 7.2's TCG checks neither segment limits nor segment types on data
# accesses, nor null selectors in DS-ES-FS-GS when used, so those cases run through on it
# (tests/cpu/README.md).
.include "harness.inc"

.equ R3_STACK, 0x7000
.equ SEL_RO, SEL_FREE                   # read-only data
.equ SEL_XO, SEL_FREE + 8               # execute-only code
.equ SEL_NP, SEL_FREE + 16              # not-present data
.equ SEL_SMALL, SEL_FREE + 24           # data, limit 0xfff
.equ SEL_SSMALL, SEL_FREE + 32          # stack (expand-up), limit 0x1fff, base 0x20000
.equ SEL_DOWN, SEL_FREE + 40            # expand-down data, limit 0xfff (valid: 0x1000-0xffff, 16-bit)
.equ SEL_NPSS, SEL_FREE + 48            # not-present writable data, for SS
.equ SEL_PAST, 0x800                    # beyond the GDT's limit

# Runs `insn` (a string, may be several separated by ';') expecting a fault; resumes after it.
.macro FAULT insn
  EXPECT_FAULT .Lf\@
  \insn
  SNAP 0xdead                           # not reached when it faults
.Lf\@:
.endm

test_main:
  # ---- real mode: a word at offset 0xffff (#GP, no error code), #UD
  FAULT "movw 0xffff, %ax"
  FAULT "movl %eax, 0xfffe"
  FAULT "ud2"
  FAULT "arpl %ax, %bx"
  SNAP 1

  # ---- protected mode
  SET_DESC SEL_RO, 0, 0xfffff, 0x91, 0xc
  SET_DESC SEL_XO, 0, 0xfffff, 0x99, 0xc
  SET_DESC SEL_NP, 0, 0xfffff, 0x13, 0xc
  SET_DESC SEL_SMALL, 0, 0xfff, 0x93, 0x4
  SET_DESC SEL_SSMALL, 0x20000, 0x1fff, 0x93, 0x4
  SET_DESC SEL_DOWN, 0x30000, 0xfff, 0x97, 0x0
  SET_DESC SEL_NPSS, 0, 0xfffff, 0x13, 0xc
  ENTER_PM32
  # selectors
  FAULT "movw $0, %ax; movw %ax, %es; movl %es:0, %eax"
  FAULT "movw $SEL_PAST, %ax; movw %ax, %es"
  FAULT "movw $(SEL_PAST | 3), %ax; movw %ax, %fs"
  FAULT "movw $SEL_XO, %ax; movw %ax, %es"
  FAULT "movw $SEL_NP, %ax; movw %ax, %gs"
  FAULT "movw $SEL_RO, %ax; movw %ax, %ss"
  FAULT "movw $SEL_NPSS, %ax; movw %ax, %ss"
  FAULT "movw $SEL_CODE32, %ax; movw %ax, %ds"
  FAULT "movw $(SEL_DATA32_R3 & ~3), %ax; movw %ax, %ss"
  # writes
  FAULT "movw $SEL_RO, %ax; movw %ax, %es; movl (%ebx), %ecx; movl %ecx, %es:(%ebx)"
  FAULT "movl %eax, %cs:0x600"
  # limits
  movw $SEL_SMALL, %ax
  movw %ax, %es
  movl %es:0xffc, %eax
  FAULT "movl %es:0xffd, %eax"
  FAULT "movb %es:0x1000, %al"
  movw $SEL_DOWN, %ax
  movw %ax, %fs
  movl %fs:0x1000, %eax
  FAULT "movl %fs:0xfff, %eax"
  FAULT "movl %fs:0xfffe, %eax"
  movw $SEL_DATA32, %ax
  movw %ax, %es
  movw %ax, %fs
  # stack limit: #SS(0)
  movl %esp, %ebp
  movw $SEL_SSMALL, %ax
  movw %ax, %ss
  movl $0x8, %esp
  FAULT "pushl %eax; pushl %eax; pushl %eax"
  movw $SEL_DATA32, %ax
  movw %ax, %ss
  movl %ebp, %esp
  movl $0x1ffc, %eax
  FAULT "movw $SEL_SSMALL, %cx; movw %cx, %ss; movl %ss:1(%eax), %eax"
  movw $SEL_DATA32, %ax
  movw %ax, %ss
  movl %ebp, %esp
  # #UD
  FAULT "ud2"
  FAULT ".byte 0x0f, 0xff, 0xc0"
  FAULT "lock; nop"
  # (not `lock; movl %eax, (%ebx)`: #UD on hardware and on machc, QEMU 7.2 runs it; README)
  FAULT ".byte 0x8e, 0xc8"
  FAULT "arpl %ax, %bx"
  # not-present IDT gate: #NP(vector * 8 + 2)
  movb $0x6e, IDT_RAM + 8 * 0x70 + 5
  FAULT "int $0x70"
  movb $0xee, IDT_RAM + 8 * 0x70 + 5
  # int through a DPL-0 gate from CPL 3, privileged instructions at CPL 3: #GP
  movb $0x8e, IDT_RAM + 8 * 0x71 + 5
  LOAD_TSS
  movl $ring3_done, RESUME_EIP
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
  int $0x71
ring3_done:
  movl $ring3_2_done, RESUME_EIP
  pushl $SEL_DATA32_R3
  pushl $R3_STACK
  pushl $0x0002
  pushl $SEL_CODE32_R3
  pushl $ring3_2
  iretl
ring3_2:
  cli
ring3_2_done:
  movl $ring3_3_done, RESUME_EIP
  pushl $SEL_DATA32_R3
  pushl $R3_STACK
  pushl $0x0002
  pushl $SEL_CODE32_R3
  pushl $ring3_3
  iretl
ring3_3:
  movl %cr0, %eax
ring3_3_done:
  movl $ring3_4_done, RESUME_EIP
  pushl $SEL_DATA32_R3
  pushl $R3_STACK
  pushl $0x0002
  pushl $SEL_CODE32_R3
  pushl $ring3_4
  iretl
ring3_4:
  hlt
ring3_4_done:
  # #DF: the #GP gate not present -> #NP while delivering #GP -> double fault (error code 0)
  movb $0x0e, IDT_RAM + 8 * 13 + 5
  FAULT "movw $SEL_PAST, %ax; movw %ax, %ds"
  movb $0xee, IDT_RAM + 8 * 13 + 5
  movw $SEL_DATA32, %ax
  movw %ax, %ds
  NO_FAULT
  SNAP 2
  DONE
