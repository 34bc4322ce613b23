# Reading and writing flags: setcc and cmovcc for all 16 conditions under all 64 combinations
# of CF PF AF ZF SF OF; lahf; sahf for every AH; clc stc cmc cld std cli; pushf/popf at both
# sizes with every pattern of the writable bits, in real mode, at CPL 0 in protected mode and at
# CPL 3 with IOPL 0 and 3 (IF and IOPL then stay as they were); salc.
.include "harness.inc"

.equ SETBUF, SCRATCH_VARS               # 16 setcc bytes
.equ CMOVBUF, SCRATCH_VARS + 0x10       # 16 cmovcc dwords
.equ R3_STACK, 0x7000                   # ring-3 stack top
.equ R3BUF, SCRATCH_VARS + 0x60         # ring-3 popf results (no IO there)

  .section .text16, "ax"
  .balign 4
fl_bits:
  .long 0x001, 0x004, 0x010, 0x040, 0x080, 0x800
# every writable bit but TF and IF (a trap or an interrupt would follow), and some that are not
fl_popf:
  .long 0x00000000, 0xfffffcff, 0x00000cd5, 0x00003000, 0x00004000, 0x00040000, 0x00200000
  .long 0x00010000, 0x00020000, 0x00080000, 0x00100000, 0x00000400, 0x55555455, 0xaaaaa8aa
  .long 0x00000200                      # IF: used only at CPL 3 with IOPL 0, where popf ignores it
  .previous
.equ NPOPF, 14

# EFLAGS from the 6-bit combination in ESI (bit n of ESI -> fl_bits[n]), into EBX.
.macro FLAGS_OF_COMBO
  movl $2, %ebx
  xorl %ecx, %ecx
.Lb\@:
  btl %ecx, %esi
  jnc .Ln\@
  orl %cs:FL_BASE(,%ecx,4), %ebx
.Ln\@:
  incl %ecx
  cmpl $6, %ecx
  jne .Lb\@
.endm

.macro CONDITIONS
  xorl %esi, %esi
.Lc\@:
  FLAGS_OF_COMBO
  movl $0x1234, %edx
  pushl %ebx
  popfl
  seto SETBUF + 0
  setno SETBUF + 1
  setb SETBUF + 2
  setae SETBUF + 3
  sete SETBUF + 4
  setne SETBUF + 5
  setbe SETBUF + 6
  seta SETBUF + 7
  sets SETBUF + 8
  setns SETBUF + 9
  setp SETBUF + 10
  setnp SETBUF + 11
  setl SETBUF + 12
  setge SETBUF + 13
  setle SETBUF + 14
  setg SETBUF + 15
  movl $0xffffffff, %ecx
  movl $0, %eax
  cmovol %ecx, %eax
  movl %eax, CMOVBUF + 0
  movl $0, %eax
  cmovnol %ecx, %eax
  movl %eax, CMOVBUF + 4
  movl $0, %eax
  cmovbw %cx, %ax
  movl %eax, CMOVBUF + 8
  movl $0, %eax
  cmovael %ecx, %eax
  movl %eax, CMOVBUF + 12
  movl $0, %eax
  cmovel CMOVBUF + 8, %eax
  movl %eax, CMOVBUF + 16
  movl $0, %eax
  cmovnel %ecx, %eax
  movl %eax, CMOVBUF + 20
  movl $0, %eax
  cmovbel %ecx, %eax
  movl %eax, CMOVBUF + 24
  movl $0, %eax
  cmoval %ecx, %eax
  movl %eax, CMOVBUF + 28
  movl $0, %eax
  cmovsl %ecx, %eax
  movl %eax, CMOVBUF + 32
  movl $0, %eax
  cmovnsw %cx, %ax
  movl %eax, CMOVBUF + 36
  movl $0, %eax
  cmovpl %ecx, %eax
  movl %eax, CMOVBUF + 40
  movl $0, %eax
  cmovnpl %ecx, %eax
  movl %eax, CMOVBUF + 44
  movl $0, %eax
  cmovll %ecx, %eax
  movl %eax, CMOVBUF + 48
  movl $0, %eax
  cmovgel %ecx, %eax
  movl %eax, CMOVBUF + 52
  movl $0, %eax
  cmovlel %ecx, %eax
  movl %eax, CMOVBUF + 56
  movl $0, %eax
  cmovgl %ecx, %eax
  movl %eax, CMOVBUF + 60
  lahf
  .byte 0xd6                    # salc
  movl %esi, %edx
  RESULT 1
  MEMDUMP_HERE SETBUF, 0x50
  incl %esi
  cmpl $64, %esi
  jne .Lc\@
.endm

# sahf for every AH, from all flags clear and all set.
.macro SAHF_ALL
  xorl %esi, %esi
.Ls\@:
  movl %esi, %eax
  shll $8, %eax
  pushl $0x2
  popfl
  sahf
  movl %esi, %edx
  RESULT 2
  pushl $0x8d7
  popfl
  sahf
  RESULT 3
  incl %esi
  cmpl $256, %esi
  jne .Ls\@
.endm

# popfl / popfw of each pattern, each read back with pushfl. Runs at whatever CPL and IOPL.
.macro POPF_ALL id
  xorl %esi, %esi
.Lp\@:
  pushfl
  movl %cs:FL_BASE + 24(,%esi,4), %eax
  pushl %eax
  popfl
  pushfl
  popl %eax
  popfl
  movl %esi, %edx
  RESULT \id
  pushfl
  movl %cs:FL_BASE + 24(,%esi,4), %eax
  pushw %ax
  popfw
  pushfl
  popl %eax
  popfl
  RESULT \id + 1
  incl %esi
  cmpl $NPOPF, %esi
  jne .Lp\@
.endm

.macro SIMPLE_FLAGS
  pushl $0x2
  popfl
  stc
  RESULT 10
  cmc
  RESULT 11
  cmc
  RESULT 12
  clc
  RESULT 13
  std
  RESULT 14
  cld
  RESULT 15
  cli
  RESULT 16
.endm

.macro MEMDUMP_HERE addr, len
  .if HMODE == 32
    MEMDUMP32 \addr, \len
  .else
    MEMDUMP16 \addr, \len
  .endif
.endm

# popf at CPL 3: results go to R3BUF (8 bytes per pattern: popfl, popfw), n patterns.
.macro POPF_R3 n
  xorl %esi, %esi
.Lp\@:
  pushfl
  movl %cs:FL_BASE + 24(,%esi,4), %eax
  pushl %eax
  popfl
  pushfl
  popl %eax
  popfl
  movl %eax, R3BUF(,%esi,8)
  pushfl
  movl %cs:FL_BASE + 24(,%esi,4), %eax
  pushw %ax
  popfw
  pushfl
  popl %eax
  popfl
  movl %eax, R3BUF + 4(,%esi,8)
  incl %esi
  cmpl $\n, %esi
  jne .Lp\@
.endm

# iret to CPL 3 (flat DPL-3 segments, stack R3_STACK, EFLAGS as given); `int $0x80` there
# comes back to `back` at CPL 0 through the harness's handler (an 'E' record with the frame).
.macro ENTER_RING3 eflags, back
  movl $\back, RESUME_EIP
  movw %cs, RESUME_CS
  movl %esp, RESUME_ESP
  movw %ss, RESUME_SS
  pushl $SEL_DATA32_R3
  pushl $R3_STACK
  pushl $\eflags
  pushl $SEL_CODE32_R3
  pushl $.Lr3\@
  movw $SEL_DATA32_R3, %ax
  movw %ax, %ds
  movw %ax, %es
  movw %ax, %fs
  movw %ax, %gs
  iretl
.Lr3\@:
.endm

test_main:
.set FL_BASE, fl_bits
  CONDITIONS
  SAHF_ALL
  SIMPLE_FLAGS
  POPF_ALL 20
  ENTER_PM32
.set FL_BASE, fl_bits + 0xf0000
  CONDITIONS
  SAHF_ALL
  SIMPLE_FLAGS
  POPF_ALL 30
  LOAD_TSS
  ENTER_RING3 0x0002, back_iopl0
  POPF_R3 NPOPF+1
  int $0x80
back_iopl0:
  MEMDUMP32 R3BUF, 8*(NPOPF+1)
  ENTER_RING3 0x3002, back_iopl3
  POPF_R3 NPOPF
  int $0x80
back_iopl3:
  MEMDUMP32 R3BUF, 8*NPOPF
  NO_FAULT
  SNAP 60
  DONE
