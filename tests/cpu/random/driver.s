# The driver of the random instruction sequences: the top 64 KiB of a -bios image whose lower
# part is a blob of sequences (random/batch.ts). It runs in 32-bit protected mode and, for each
# sequence of the batch:
#   1. fills the scratch area (DATA, SCRATCH_LEN bytes) from the sequence's memory seed with
#      xorshift32 (random/prng.ts mirrors it) and copies the sequence's code to CODE_AREA;
#   2. enters the sequence's mode (real mode, 16-bit or 32-bit protected mode), loads its
#      initial registers and EFLAGS and jumps to the code; the segments all have their base in
#      the scratch area: DS = SS at DATA, ES at DATA+0x100, FS at DATA+0x200, GS at DATA+0x300;
#   3. the code ends with a far jump to an epilogue (epilogue_pm for both protected modes,
#      epilogue_rm for real mode) that saves the state without changing it; any exception or
#      interrupt vector ends the sequence the same way, through the IDT or IVT, noting the
#      vector, error code and faulting EIP;
#   4. appends a result record to the output buffer at OUT_BUF: the index, the vector (or
#      0xffffffff), error code, EIP relative to the code, GPRs, EFLAGS, selectors, then each
#      scratch byte that differs from its initial value (random/results.ts decodes it).
# Each record also goes to the debug console right away unless the configuration says not to
# (QEMU's side reads the buffer from RAM instead, which is much faster there; the length at
# OUT_BUF is kept current so a run cut short can be read too). At the end the driver exits
# through isa-debug-exit with EXIT_DONE.

.equ DEBUGCON, 0x402
.equ EXIT_PORT, 0xf4
.equ EXIT_DONE, 0x10

.equ VARS, 0x500
.equ V_INDEX, VARS + 0x00       # current sequence index
.equ V_END, VARS + 0x04         # index after the last sequence
.equ V_ENTRY, VARS + 0x08       # current table entry (linear)
.equ V_OUT, VARS + 0x0c         # output write pointer
.equ V_MODE, VARS + 0x10        # 0 real, 1 pm16, 2 pm32
.equ V_REGS, VARS + 0x20        # initial registers for real mode: eax..edi, eflags

.equ GDT_RAM, 0x1000
.equ IDT_RAM, 0x2000
.equ DRIVER_STACK, 0x9000
.equ DATA, 0x10000
.equ SCRATCH_LEN, 0x800
.equ CODE_AREA, 0x20000
.equ CODE_CLEAR, 0x800          # the code area is zero from the code's end to here
.equ SAVE_OFF, 0xf000           # epilogue save area, at DS:SAVE_OFF = DATA + SAVE_OFF
.equ SAVE_STACK, 0xe000         # epilogue stack, at SS:SAVE_STACK
.equ OUT_BUF, 0x100000
.equ LINEAR16, 0xf0000          # .text16 labels are offsets in the F000 segment: add this in 32-bit code

# save area layout (offsets from SAVE_OFF)
.equ S_REGS, 0                  # eax ecx edx ebx esp ebp esi edi
.equ S_EFLAGS, 32
.equ S_SEGS, 36                 # cs ss ds es fs gs (u16)
.equ S_VECTOR, 48
.equ S_ERROR, 52
.equ S_EIP, 56

.equ SEL_CODE32, 0x08           # flat code, the driver's
.equ SEL_DATA32, 0x10           # flat data, the driver's
.equ SEL_CODE16, 0x18           # base 0xF0000, 64 KiB: the driver's 16-bit code
.equ SEL_DATA16, 0x20           # base 0, 64 KiB, for the way back to real mode
.equ SEL_SEQ_C16, 0x28          # base CODE_AREA, 64 KiB, 16-bit: pm16 sequences
.equ SEL_SEQ_C32, 0x30          # base 0, 4 GiB, 32-bit: pm32 sequences
.equ SEL_D16_DS, 0x38           # base DATA (+0x100, +0x200, +0x300), 64 KiB, 16-bit
.equ SEL_D16_ES, 0x40
.equ SEL_D16_FS, 0x48
.equ SEL_D16_GS, 0x50
.equ SEL_D32_DS, 0x58           # the same bases, 4 GiB, 32-bit
.equ SEL_D32_ES, 0x60
.equ SEL_D32_FS, 0x68
.equ SEL_D32_GS, 0x70

# xorshift32 of EAX, in EAX (ECX is used too and restored).
.macro XORSHIFT
  pushl %ecx
  movl %eax, %ecx
  shll $13, %ecx
  xorl %ecx, %eax
  movl %eax, %ecx
  shrl $17, %ecx
  xorl %ecx, %eax
  movl %eax, %ecx
  shll $5, %ecx
  xorl %ecx, %eax
  popl %ecx
.endm

.macro DESC base, limit, access, flags
  .word (\limit) & 0xffff
  .word (\base) & 0xffff
  .byte ((\base) >> 16) & 0xff
  .byte \access
  .byte (((\limit) >> 16) & 0x0f) | ((\flags) << 4)
  .byte ((\base) >> 24) & 0xff
.endm

# ---------------------------------------------------------------- 16-bit part (F000 segment)
  .section .text16, "ax"
  .code16

# The configuration block, at the very start of the driver (image offset size - 64 KiB);
# random/batch.ts patches it.
config:
config_magic: .ascii "MCRNDDRV"
config_table: .long 0           # linear address of the sequence table
config_first: .long 0           # first sequence index to run
config_count: .long 0           # number of sequences to run
config_stream: .long 1          # 1: stream the results to the debug console at the end

gdt:
  .quad 0
  DESC 0, 0xfffff, 0x9b, 0xc              # 0x08
  DESC 0, 0xfffff, 0x93, 0xc              # 0x10
  DESC 0xf0000, 0xffff, 0x9b, 0x0         # 0x18
  DESC 0, 0xffff, 0x93, 0x0               # 0x20
  DESC CODE_AREA, 0xffff, 0x9b, 0x0       # 0x28
  DESC 0, 0xfffff, 0x9b, 0xc              # 0x30
  DESC DATA, 0xffff, 0x93, 0x0            # 0x38
  DESC DATA + 0x100, 0xffff, 0x93, 0x0    # 0x40
  DESC DATA + 0x200, 0xffff, 0x93, 0x0    # 0x48
  DESC DATA + 0x300, 0xffff, 0x93, 0x0    # 0x50
  DESC DATA, 0xfffff, 0x93, 0xc           # 0x58
  DESC DATA + 0x100, 0xfffff, 0x93, 0xc   # 0x60
  DESC DATA + 0x200, 0xfffff, 0x93, 0xc   # 0x68
  DESC DATA + 0x300, 0xfffff, 0x93, 0xc   # 0x70
gdt_end:

gdtr:
  .word gdt_end - gdt - 1
  .long GDT_RAM
idtr_rm:
  .word 0x3ff
  .long 0

reset:
  cli
  cld
  xorw %ax, %ax
  movw %ax, %ds
  movw %ax, %ss
  movl $DRIVER_STACK, %esp
  # GDT into RAM (descriptors already marked accessed: the CPU never writes them)
  movw $gdt, %si
  movw $GDT_RAM, %di
1:
  movb %cs:(%si), %al
  movb %al, (%di)
  incw %si
  incw %di
  cmpw $gdt_end, %si
  jne 1b
  # IVT: v -> F000:stubs16 + 8v; IDT: 32-bit interrupt gates to stubs32 + 8v
  xorl %ecx, %ecx
2:
  movl %ecx, %ebx
  shll $2, %ebx
  movl %ecx, %eax
  shll $3, %eax
  addl $stubs16, %eax
  movw %ax, (%bx)
  movw $0xf000, 2(%bx)
  movl %ecx, %ebx
  shll $3, %ebx
  addl $IDT_RAM, %ebx
  movl %ecx, %eax
  shll $3, %eax
  addl $stubs32, %eax
  movw %ax, (%bx)
  movw $SEL_CODE32, 2(%bx)
  movw $0x8e00, 4(%bx)
  shrl $16, %eax
  movw %ax, 6(%bx)
  incl %ecx
  cmpl $256, %ecx
  jne 2b
  lgdtl %cs:gdtr
  movl %cr0, %eax
  orl $1, %eax
  movl %eax, %cr0
  ljmpl $SEL_CODE32, $start32

# Real-mode sequences: entered from pm32 through the 16-bit code segment.
to_real:
  movw $SEL_DATA16, %ax
  movw %ax, %ds
  movw %ax, %es
  movw %ax, %fs
  movw %ax, %gs
  movw %ax, %ss
  movl %cr0, %eax
  andl $0xfffffffe, %eax
  movl %eax, %cr0
  ljmp $0xf000, $1f
1:
  lidtl %cs:idtr_rm
  xorw %ax, %ax
  movw %ax, %ds
  movw $0x1010, %ax
  movw %ax, %es
  movw $0x1020, %ax
  movw %ax, %fs
  movw $0x1030, %ax
  movw %ax, %gs
  movw $0x1000, %ax
  movw %ax, %ss
  movl $SAVE_STACK, %esp
  pushl V_REGS + 32             # eflags
  pushl V_REGS + 0              # eax
  movl V_REGS + 4, %ecx
  movl V_REGS + 8, %edx
  movl V_REGS + 12, %ebx
  movl V_REGS + 20, %ebp
  movl V_REGS + 24, %esi
  movl V_REGS + 28, %edi
  movw $0x1000, %ax             # DS last: the loads above read through DS = 0
  movw %ax, %ds
  popl %eax
  popfl
  movl %ss:SAVE_STACK - 0x100, %esp     # the sequence's ESP, parked there by next_sequence
  ljmp $(CODE_AREA >> 4), $0

# Real-mode end of a sequence: the code's final far jump, or an exception (vector pushed).
epilogue_rm:
  movl %eax, %ds:SAVE_OFF + S_REGS + 0
  movl $0xffffffff, %ds:SAVE_OFF + S_VECTOR
  movl $0, %ds:SAVE_OFF + S_ERROR
  movl $0xffffffff, %ds:SAVE_OFF + S_EIP
  jmp save_rm
exception_rm:                   # [sp] vector (word), IP, CS, FLAGS
  movl %eax, %ds:SAVE_OFF + S_REGS + 0
  popw %ax
  movzbl %al, %eax
  movl %eax, %ds:SAVE_OFF + S_VECTOR
  movl $0, %ds:SAVE_OFF + S_ERROR
  popw %ax
  movzwl %ax, %eax
  movl %eax, %ds:SAVE_OFF + S_EIP
  popw %ds:SAVE_OFF + S_SEGS + 0        # CS
  popw %ds:SAVE_OFF + S_EFLAGS          # FLAGS before delivery (the upper half: the handler's)
  movl %ecx, %ds:SAVE_OFF + S_REGS + 4
  movl %edx, %ds:SAVE_OFF + S_REGS + 8
  movl %ebx, %ds:SAVE_OFF + S_REGS + 12
  movl %esp, %ds:SAVE_OFF + S_REGS + 16
  movl %ebp, %ds:SAVE_OFF + S_REGS + 20
  movl %esi, %ds:SAVE_OFF + S_REGS + 24
  movl %edi, %ds:SAVE_OFF + S_REGS + 28
  movl $SAVE_STACK, %esp
  pushfl
  popl %eax
  movw %ds:SAVE_OFF + S_EFLAGS, %ax
  movl %eax, %ds:SAVE_OFF + S_EFLAGS
  jmp segs_rm
save_rm:
  movl %ecx, %ds:SAVE_OFF + S_REGS + 4
  movl %edx, %ds:SAVE_OFF + S_REGS + 8
  movl %ebx, %ds:SAVE_OFF + S_REGS + 12
  movl %esp, %ds:SAVE_OFF + S_REGS + 16
  movl %ebp, %ds:SAVE_OFF + S_REGS + 20
  movl %esi, %ds:SAVE_OFF + S_REGS + 24
  movl %edi, %ds:SAVE_OFF + S_REGS + 28
  movl $SAVE_STACK, %esp
  pushfl
  popl %ds:SAVE_OFF + S_EFLAGS
  movw $(CODE_AREA >> 4), %ds:SAVE_OFF + S_SEGS + 0
segs_rm:
  movw %ss, %ds:SAVE_OFF + S_SEGS + 2
  movw %ds, %ds:SAVE_OFF + S_SEGS + 4
  movw %es, %ds:SAVE_OFF + S_SEGS + 6
  movw %fs, %ds:SAVE_OFF + S_SEGS + 8
  movw %gs, %ds:SAVE_OFF + S_SEGS + 10
  xorw %ax, %ax
  movw %ax, %ds
  movw %ax, %ss
  movl $DRIVER_STACK, %esp
  lgdtl %cs:gdtr
  movl %cr0, %eax
  orl $1, %eax
  movl %eax, %cr0
  ljmpl $SEL_CODE32, $sequence_done

  .balign 8
stubs16:
  .set vec, 0
  .rept 256
    .byte 0x6a, vec
    jmp exception_rm
    .balign 8
    .set vec, vec + 1
  .endr

# ---------------------------------------------------------------- 32-bit part (linear)
  .section .text32, "ax"
  .code32

idtr_pm:
  .word 0x7ff
  .long IDT_RAM

start32:
  movw $SEL_DATA32, %ax
  movw %ax, %ds
  movw %ax, %es
  movw %ax, %fs
  movw %ax, %gs
  movw %ax, %ss
  movl $DRIVER_STACK, %esp
  lidt idtr_pm
  movl config_first + LINEAR16, %eax
  movl %eax, V_INDEX
  addl config_count + LINEAR16, %eax
  movl %eax, V_END
  movl $OUT_BUF + 4, V_OUT

next_sequence:
  movl V_INDEX, %eax
  cmpl V_END, %eax
  jae all_done
  # table entry: code offset, code length, state offset, mode (offsets from the table)
  shll $4, %eax
  addl config_table + LINEAR16, %eax
  movl %eax, V_ENTRY
  movl %eax, %ebx
  movl 12(%ebx), %eax
  movl %eax, V_MODE
  # fill the scratch area
  movl 8(%ebx), %esi
  addl config_table + LINEAR16, %esi       # the state block: eax..edi, eflags, memory seed
  movl 36(%esi), %eax
  movl $DATA, %edi
1:
  XORSHIFT
  movl %eax, (%edi)
  addl $4, %edi
  cmpl $DATA + SCRATCH_LEN, %edi
  jne 1b
  # initial registers (for real mode, read from low memory)
  movl $V_REGS, %edi
  movl $9, %ecx
2:
  movl (%esi), %eax
  movl %eax, (%edi)
  addl $4, %esi
  addl $4, %edi
  decl %ecx
  jnz 2b
  # the sequence's ESP, parked below the epilogue stack (the loaders read it last)
  movl V_REGS + 16, %eax
  movl %eax, DATA + SAVE_STACK - 0x100
  # the code
  movl V_ENTRY, %ebx
  movl (%ebx), %esi
  addl config_table + LINEAR16, %esi
  movl 4(%ebx), %ecx
  movl $CODE_AREA, %edi
  cld
  rep movsb (%esi), %es:(%edi)
  # zeros after it (CS-relative reads of real-mode and pm16 sequences see no earlier code)
  movl $CODE_AREA + CODE_CLEAR, %ecx
  subl %edi, %ecx
  jbe 5f
  xorl %eax, %eax
  rep stosb %al, %es:(%edi)
5:
  movl V_MODE, %eax
  cmpl $2, %eax
  je start_pm32
  cmpl $1, %eax
  je start_pm16
  ljmp $SEL_CODE16, $to_real

start_pm32:
  movw $SEL_D32_ES, %ax
  movw %ax, %es
  movw $SEL_D32_FS, %ax
  movw %ax, %fs
  movw $SEL_D32_GS, %ax
  movw %ax, %gs
  movw $SEL_D32_DS, %ax
  movw %ax, %ss
  movl $SAVE_STACK, %esp
  pushl V_REGS + 32
  pushl V_REGS + 0
  movl V_REGS + 4, %ecx
  movl V_REGS + 8, %edx
  movl V_REGS + 12, %ebx
  movl V_REGS + 20, %ebp
  movl V_REGS + 24, %esi
  movl V_REGS + 28, %edi
  movw $SEL_D32_DS, %ax
  movw %ax, %ds
  popl %eax
  popfl
  movl %ss:SAVE_STACK - 0x100, %esp
  ljmp $SEL_SEQ_C32, $CODE_AREA

start_pm16:
  movw $SEL_D16_ES, %ax
  movw %ax, %es
  movw $SEL_D16_FS, %ax
  movw %ax, %fs
  movw $SEL_D16_GS, %ax
  movw %ax, %gs
  movw $SEL_D16_DS, %ax
  movw %ax, %ss
  movl $SAVE_STACK, %esp
  pushl V_REGS + 32
  pushl V_REGS + 0
  movl V_REGS + 4, %ecx
  movl V_REGS + 8, %edx
  movl V_REGS + 12, %ebx
  movl V_REGS + 20, %ebp
  movl V_REGS + 24, %esi
  movl V_REGS + 28, %edi
  movw $SEL_D16_DS, %ax
  movw %ax, %ds
  popl %eax
  popfl
  movl %ss:SAVE_STACK - 0x100, %esp
  ljmp $SEL_SEQ_C16, $0

# Protected-mode end of a sequence (16- or 32-bit code), reached by a far jump. The mode is
# read through CS (flat): DS and SS have their base in the scratch area and, in pm16, a 64 KiB
# limit.
epilogue_pm:
  movl %eax, %ds:SAVE_OFF + S_REGS + 0
  movl %ecx, %ds:SAVE_OFF + S_REGS + 4
  movl %edx, %ds:SAVE_OFF + S_REGS + 8
  movl %ebx, %ds:SAVE_OFF + S_REGS + 12
  movl %esp, %ds:SAVE_OFF + S_REGS + 16
  movl %ebp, %ds:SAVE_OFF + S_REGS + 20
  movl %esi, %ds:SAVE_OFF + S_REGS + 24
  movl %edi, %ds:SAVE_OFF + S_REGS + 28
  movl $SAVE_STACK, %esp
  pushfl
  popl %ds:SAVE_OFF + S_EFLAGS
  movl $0xffffffff, %ds:SAVE_OFF + S_VECTOR
  movl $0, %ds:SAVE_OFF + S_ERROR
  movl $0xffffffff, %ds:SAVE_OFF + S_EIP
  movw $SEL_SEQ_C32, %ds:SAVE_OFF + S_SEGS + 0
  cmpl $2, %cs:V_MODE
  je segs_pm
  movw $SEL_SEQ_C16, %ds:SAVE_OFF + S_SEGS + 0
  jmp segs_pm

# Protected-mode exceptions: [esp] vector, then the frame (with an error code for vectors 8,
# 10-14 and 17; the sequences raise no others that push one). pm16 stacks move SP only.
exception_pm:
  movl %eax, %ds:SAVE_OFF + S_REGS + 0
  movl %ecx, %ds:SAVE_OFF + S_REGS + 4
  movl %edx, %ds:SAVE_OFF + S_REGS + 8
  movl %ebx, %ds:SAVE_OFF + S_REGS + 12
  movl %ebp, %ds:SAVE_OFF + S_REGS + 20
  movl %esi, %ds:SAVE_OFF + S_REGS + 24
  movl %edi, %ds:SAVE_OFF + S_REGS + 28
  movl %esp, %ebp
  cmpl $1, %cs:V_MODE
  jne 1f
  movzwl %sp, %ebp
1:
  movzbl %ss:(%ebp), %eax
  movl %eax, %ds:SAVE_OFF + S_VECTOR
  addl $4, %ebp
  movl $0, %ds:SAVE_OFF + S_ERROR
  cmpl $8, %eax
  je 2f
  cmpl $17, %eax
  je 2f
  cmpl $10, %eax
  jb 3f
  cmpl $14, %eax
  ja 3f
2:
  movl %ss:(%ebp), %ecx
  movl %ecx, %ds:SAVE_OFF + S_ERROR
  addl $4, %ebp
3:
  movl %ss:(%ebp), %ecx
  cmpl $2, %cs:V_MODE
  jne 4f
  subl $CODE_AREA, %ecx
4:
  movl %ecx, %ds:SAVE_OFF + S_EIP
  movl %ss:4(%ebp), %ecx
  movw %cx, %ds:SAVE_OFF + S_SEGS + 0
  movl %ss:8(%ebp), %ecx
  movl %ecx, %ds:SAVE_OFF + S_EFLAGS
  addl $12, %ebp
  cmpl $1, %cs:V_MODE
  jne 5f
  movl %esp, %ecx
  andl $0xffff0000, %ecx
  andl $0xffff, %ebp
  orl %ecx, %ebp
5:
  movl %ebp, %ds:SAVE_OFF + S_REGS + 16

segs_pm:
  movw %ss, %ds:SAVE_OFF + S_SEGS + 2
  movw %ds, %ds:SAVE_OFF + S_SEGS + 4
  movw %es, %ds:SAVE_OFF + S_SEGS + 6
  movw %fs, %ds:SAVE_OFF + S_SEGS + 8
  movw %gs, %ds:SAVE_OFF + S_SEGS + 10
  movw $SEL_DATA32, %ax
  movw %ax, %ds
  movw %ax, %es
  movw %ax, %fs
  movw %ax, %gs
  movw %ax, %ss
  movl $DRIVER_STACK, %esp

# Back in the driver's flat 32-bit world, for every mode.
sequence_done:
  movw $SEL_DATA32, %ax
  movw %ax, %ds
  movw %ax, %es
  movw %ax, %fs
  movw %ax, %gs
  movw %ax, %ss
  movl $DRIVER_STACK, %esp
  lidt idtr_pm
  # the record: index, vector, error, eip, regs, eflags, segs
  movl V_OUT, %edi
  movl V_INDEX, %eax
  movl %eax, (%edi)
  movl DATA + SAVE_OFF + S_VECTOR, %eax
  movl %eax, 4(%edi)
  movl DATA + SAVE_OFF + S_ERROR, %eax
  movl %eax, 8(%edi)
  movl DATA + SAVE_OFF + S_EIP, %eax
  movl %eax, 12(%edi)
  movl $DATA + SAVE_OFF, %esi
  leal 16(%edi), %edi
  movl $12, %ecx                # regs (8), eflags, segs (3 dwords)
1:
  movl (%esi), %eax
  movl %eax, (%edi)
  addl $4, %esi
  addl $4, %edi
  decl %ecx
  jnz 1b
  # scratch bytes that differ from their initial value: (offset | byte << 16)
  movl %edi, %ebp               # where the count goes
  addl $4, %edi
  xorl %edx, %edx               # count
  movl V_ENTRY, %ebx
  movl 8(%ebx), %esi
  addl config_table + LINEAR16, %esi
  movl 36(%esi), %eax
  xorl %esi, %esi               # offset
2:
  XORSHIFT
  movl %eax, %ebx
  movl DATA(%esi), %ecx
  cmpl %ecx, %ebx
  je 5f
  pushl %eax
  movl $4, %eax
3:
  cmpb %cl, %bl
  je 4f
  pushl %eax
  movzbl %cl, %eax
  shll $16, %eax
  orl %esi, %eax
  movl %eax, (%edi)
  addl $4, %edi
  incl %edx
  popl %eax
4:
  shrl $8, %ebx
  shrl $8, %ecx
  incl %esi
  decl %eax
  jnz 3b
  subl $4, %esi
  popl %eax
5:
  addl $4, %esi
  cmpl $SCRATCH_LEN, %esi
  jne 2b
  movl %edx, (%ebp)
  # streaming: this record to the debug console now (a run cut short still has the earlier ones)
  cmpl $0, config_stream + LINEAR16
  je 7f
  movl V_OUT, %esi
  movl %edi, %ecx
  subl %esi, %ecx
  movw $DEBUGCON, %dx
6:
  movb (%esi), %al
  outb %al, %dx
  incl %esi
  decl %ecx
  jnz 6b
7:
  movl %edi, V_OUT
  subl $OUT_BUF, %edi           # the length so far: a run cut short still has its results
  movl %edi, OUT_BUF
  incl V_INDEX
  jmp next_sequence

all_done:
  movl V_OUT, %ecx
  subl $OUT_BUF, %ecx
  movl %ecx, OUT_BUF
  movw $EXIT_PORT, %dx
  movb $EXIT_DONE, %al
  outb %al, %dx
3:
  cli
  hlt
  jmp 3b

  .balign 8
stubs32:
  .set vec, 0
  .rept 256
    .byte 0x6a, vec
    jmp exception_pm
    .balign 8
    .set vec, vec + 1
  .endr

# ---------------------------------------------------------------- reset vector (F000:FFF0)
  .section .reset, "ax"
  .code16
  ljmp $0xf000, $reset
  .fill 11, 1, 0
