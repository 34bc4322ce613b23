# String instructions: movs cmps scas lods stos at byte/word/dword size, with no prefix, rep,
# repe and repne, DF clear and set, counts 0 and 3 (and cmps/scas stopping early on the patterns),
# segment overrides on the source (ES FS GS SS CS), both address sizes (the other one through
# 0x67, with the upper halves of ESI/EDI/ECX set where they must be ignored), and overlapping
# rep movsb. Real mode (DS 0x10000, ES 0x11000, FS 0x12000, GS 0x13000), then 32-bit protected
# mode with descriptors of the same bases. Each case: a snapshot and the destination window.
.include "harness.inc"

.equ SEG_DS, 0x10000
.equ SEG_ES, 0x11000
.equ SEG_FS, 0x12000
.equ SEG_GS, 0x13000
.equ SEL_S_DS, SEL_FREE
.equ SEL_S_ES, SEL_FREE + 8
.equ SEL_S_FS, SEL_FREE + 16
.equ SEL_S_GS, SEL_FREE + 24
.set STR_ID, 0

# Refill the four segments' first 0x100 bytes: DS i*7+1, ES i*7+1 except byte 0x42 (and 0x3e),
# FS i*5, GS i*3. Uses EAX, ECX only; needs the string segments loaded.
.macro STR_FILL
  xorl %ecx, %ecx
.Lf\@:
  movl %ecx, %eax
  imull $7, %eax, %eax
  incl %eax
  movb %al, %ds:(%ecx)
  movb %al, %es:(%ecx)
  movl %ecx, %eax
  imull $5, %eax, %eax
  movb %al, %fs:(%ecx)
  movl %ecx, %eax
  imull $3, %eax, %eax
  movb %al, %gs:(%ecx)
  incl %ecx
  cmpl $0x100, %ecx
  jne .Lf\@
  movb $0x99, %es:0x42
  movb $0x98, %es:0x3e
.endm

# One case: fill, set DF, ESI=0x40 EDI=0x48 ECX=count, EAX=0x5a5a0007, run, then a snapshot and
# the ES window 0x30-0x5f. `high` is or'ed into ESI, EDI and ECX: for 16-bit addressing, where
# the upper halves must be ignored and kept.
.macro STR_CASE insn, count, df, high=0
  STR_FILL
  movl $(0x40 | \high), %esi
  movl $(0x48 | \high), %edi
  movl $(\count | \high), %ecx
  movl $0x5a5a0007, %eax                # AL 0x07 is ES[0x4a]: repne scasb from 0x48 finds it
  movl $0x00000000, %edx
  .if \df
    std
  .else
    cld
  .endif
  \insn
  SNAP STR_ID
  .set STR_ID, STR_ID + 1
  STR_DUMP
  cld
.endm

.macro STR_OP insn
  STR_CASE "\insn", 0, 0, HA
  STR_CASE "\insn", 3, 0, HA
  STR_CASE "\insn", 3, 1, HA
.endm

.macro STR_PREFIXES op
  STR_OP "\op"
  STR_OP "rep \op"
  STR_OP "repne \op"
.endm

.macro STR_ALL A, B, HB
  # address size A: (%\A\()si), (%\A\()di); every instruction at every size, every prefix
  STR_PREFIXES "movsb (%\A\()si), %es:(%\A\()di)"
  STR_PREFIXES "movsw (%\A\()si), %es:(%\A\()di)"
  STR_PREFIXES "movsl (%\A\()si), %es:(%\A\()di)"
  STR_PREFIXES "cmpsb %es:(%\A\()di), (%\A\()si)"
  STR_PREFIXES "cmpsw %es:(%\A\()di), (%\A\()si)"
  STR_PREFIXES "cmpsl %es:(%\A\()di), (%\A\()si)"
  STR_PREFIXES "scasb %es:(%\A\()di)"
  STR_PREFIXES "scasw %es:(%\A\()di)"
  STR_PREFIXES "scasl %es:(%\A\()di)"
  STR_PREFIXES "lodsb (%\A\()si)"
  STR_PREFIXES "lodsl (%\A\()si)"
  STR_PREFIXES "stosb %es:(%\A\()di)"
  STR_PREFIXES "stosw %es:(%\A\()di)"
  STR_PREFIXES "stosl %es:(%\A\()di)"
  STR_OP "repe cmpsb %es:(%\A\()di), (%\A\()si)"
  STR_OP "repe scasb %es:(%\A\()di)"
  # source segment overrides
  .irp seg, es, fs, gs, ss, cs
    STR_CASE "rep movsw %\seg:(%\A\()si), %es:(%\A\()di)", 3, 0, HA
    STR_CASE "cmpsb %es:(%\A\()di), %\seg:(%\A\()si)", 1, 1, HA
    STR_CASE "lodsw %\seg:(%\A\()si)", 1, 0, HA
  .endr
  # the other address size: B registers, with high halves that must (B=e: must not) matter
  STR_CASE "rep movsb (%\B\()si), %es:(%\B\()di)", 3, 0, \HB
  STR_CASE "rep stosl %es:(%\B\()di)", 2, 1, \HB
  STR_CASE "repne scasb %es:(%\B\()di)", 5, 0, \HB
  # overlapping copy: EDI = ESI + 1 spreads the first byte
  STR_FILL
  movl $0x40, %esi
  movl $0x41, %edi
  movl $8, %ecx
  cld
  rep movsb (%\A\()si), %es:(%\A\()di)
  SNAP STR_ID
  .set STR_ID, STR_ID + 1
  STR_DUMP
.endm

test_main:
  # real mode: the string segments as paragraphs
  movw $(SEG_DS >> 4), %ax
  movw %ax, %ds
  movw $(SEG_ES >> 4), %ax
  movw %ax, %es
  movw $(SEG_FS >> 4), %ax
  movw %ax, %fs
  movw $(SEG_GS >> 4), %ax
  movw %ax, %gs
.macro STR_DUMP
  MEMDUMP16 SEG_ES+0x30, 0x30
.endm
.set HA, 0x56780000                    # 16-bit addressing: upper halves to be ignored
  STR_ALL "", e, 0
  # 32-bit protected mode: descriptors with the same bases
  xorw %ax, %ax
  movw %ax, %ds
  SET_DESC SEL_S_DS, SEG_DS, 0xfffff, 0x93, 0xc
  SET_DESC SEL_S_ES, SEG_ES, 0xfffff, 0x93, 0xc
  SET_DESC SEL_S_FS, SEG_FS, 0xfffff, 0x93, 0xc
  SET_DESC SEL_S_GS, SEG_GS, 0xfffff, 0x93, 0xc
  ENTER_PM32
  movw $SEL_S_DS, %ax
  movw %ax, %ds
  movw $SEL_S_ES, %ax
  movw %ax, %es
  movw $SEL_S_FS, %ax
  movw %ax, %fs
  movw $SEL_S_GS, %ax
  movw %ax, %gs
.purgem STR_DUMP
.macro STR_DUMP
  pushl %ds
  pushl $SEL_DATA32
  popl %ds
  MEMDUMP32 SEG_ES+0x30, 0x30
  popl %ds
.endm
.set HA, 0
  STR_ALL e, "", 0x12340000
  movw $SEL_DATA32, %ax
  movw %ax, %ds
  DONE
