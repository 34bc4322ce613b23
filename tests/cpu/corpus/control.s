# Control transfer: near calls and returns (direct, through registers and memory, ret imm),
# loops (loop/loope/loopne/jcxz with CX and ECX counts), far jumps, calls and returns (direct,
# through m16:16 and m16:32 pointers, lret imm, both operand sizes), software interrupts and
# iret (int n, int3, into, bound #BR) in real mode; then in protected mode: far calls between
# 32- and 16-bit code segments, call gates at the same privilege and from CPL 3 to CPL 0 with
# parameters copied across stacks, lret to CPL 3, interrupt and trap gates, iret.
.include "harness.inc"

.equ PTR, SCRATCH_VARS                  # far pointers
.equ R3_STACK, 0x7000
.equ SEL_CGATE, SEL_FREE                # call gate, DPL 0, to rm32_target
.equ SEL_CGATE3, SEL_FREE + 8           # call gate, DPL 3, 2 parameters, to gate_ring0
.equ SEL_C16, SEL_CODE16
.set C_ID, 0

# A call gate at `sel` in the GDT in RAM: target selector:offset, type byte, parameter count.
.macro SET_GATE sel, tsel, target, type, params
  movl $\target, %eax
  movw %ax, GDT_RAM + \sel
  movw $\tsel, GDT_RAM + \sel + 2
  movb $\params, GDT_RAM + \sel + 4
  movb $\type, GDT_RAM + \sel + 5
  shrl $16, %eax
  movw %ax, GDT_RAM + \sel + 6
.endm

# An IDT gate: vector, selector, handler, type byte (0xee interrupt gate DPL 3, 0xef trap gate).
.macro SET_IDT vec, tsel, target, type
  movl $\target, %eax
  movw %ax, IDT_RAM + 8 * \vec
  movw $\tsel, IDT_RAM + 8 * \vec + 2
  movb $0, IDT_RAM + 8 * \vec + 4
  movb $\type, IDT_RAM + 8 * \vec + 5
  shrl $16, %eax
  movw %ax, IDT_RAM + 8 * \vec + 6
.endm


.macro CSNAP
  SNAP C_ID
  .set C_ID, C_ID + 1
.endm

test_main:
  # ---- near
  movl $0x100, %eax
  call near_add
  CSNAP
  movw $near_add, %bx
  call *%bx
  movw $near_add, PTR
  call *PTR
  CSNAP
  pushw $0x1111
  pushw $0x2222
  call near_ret4
  CSNAP
  movl $near_add, %ecx
  calll *%ecx                           # 32-bit operand: pushes EIP (4 bytes), retl
  CSNAP
  # ---- loops: sum 1..10 with loop, loope stopping on a difference, jcxz taken and not
  xorl %eax, %eax
  movw $10, %cx
1:
  addw %cx, %ax
  loop 1b
  CSNAP
  movl $0x10005, %ecx
  xorl %eax, %eax
2:
  incl %eax
  addr32 loop 2b                        # ECX counts
  CSNAP
  movw $8, %cx
  xorw %si, %si
3:
  incw %si
  cmpw $5, %si
  loopne 3b
  CSNAP
  movw $8, %cx
4:
  cmpw %cx, %cx
  loope 4b
  CSNAP
  xorl %ecx, %ecx
  jcxz 5f
  movl $0xbad, %eax
5:
  movl $0x10000, %ecx
  jecxz 6f
  movl $0x600d, %eax
6:
  CSNAP
  # ---- far, real mode
  ljmp $0xf000, $far1
far1:
  movw $far2, PTR
  movw $0xf000, PTR + 2
  ljmp *PTR
far2:
  movl $far3, PTR
  movw $0xf000, PTR + 4
  ljmpl *PTR
far3:
  lcall $0xf000, $far_ret
  CSNAP
  lcalll $0xf000, $far_retl
  CSNAP
  pushw $0x3333
  lcall $0xf000, $far_ret2
  CSNAP
  movw $far_ret, PTR
  movw $0xf000, PTR + 2
  lcall *PTR
  CSNAP
  # ---- interrupts, real mode: our own handler at vector 0x60, iret
  movw $int60_rm, 0x60 * 4
  movw $0xf000, 0x60 * 4 + 2
  pushl $0x8d7
  popfl
  int $0x60
  CSNAP
  movw $int60_rml, 0x60 * 4
  int $0x60                             # handler returns with iretl
  CSNAP
  movw $int60_rm, 4 * 4
  movw $0xf000, 4 * 4 + 2
  movw $int60_rm, 3 * 4
  movw $0xf000, 3 * 4 + 2
  pushl $0x802
  popfl
  into                                  # OF set: int 4
  int3
  .byte 0xcd, 0x03                      # int $3, the two-byte form
  pushl $0x002
  popfl
  into                                  # OF clear: nothing
  CSNAP
  # bound: in range, then #BR (the harness's handler; resumes after)
  movw $10, PTR
  movw $20, PTR + 2
  movw $15, %ax
  boundw %ax, PTR
  EXPECT_FAULT 7f
  movw $21, %ax
  boundw %ax, PTR
7:
  NO_FAULT
  CSNAP

  # ---- protected mode: 32 <-> 16-bit code segments
  ENTER_PM32
  lcall $SEL_C16, $pm16_proc            # 16-bit code: returns with lretl to 32-bit
  CSNAP
  # call gate to the same privilege
  SET_GATE SEL_CGATE, SEL_CODE32, gate_same, 0x8c, 0
  lcall $SEL_CGATE, $0
  CSNAP
  # interrupt gate (vector 0x60) and trap gate (0x61), DPL 3
  SET_IDT 0x60, SEL_CODE32, int60_pm, 0xee
  SET_IDT 0x61, SEL_CODE32, int60_pm, 0xef
  pushl $0x8d7
  popfl
  int $0x60
  CSNAP
  int $0x61
  CSNAP
  # CPL 3: call gate with 2 parameters to CPL 0, lret back (SS:ESP from the inner stack)
  LOAD_TSS
  SET_GATE SEL_CGATE3, SEL_CODE32, gate_ring0, 0xec, 2
  movl %esp, %ebp
  pushl $SEL_DATA32_R3
  pushl $R3_STACK
  pushl $0x0002
  pushl $SEL_CODE32_R3
  pushl $ring3
  iretl
ring3:
  movw $SEL_DATA32_R3, %ax              # iret to CPL 3 nulled DS and ES (DPL 0)
  movw %ax, %ds
  movw %ax, %es
  pushl $0xaaaa0001
  pushl $0xaaaa0002
  lcall $(SEL_CGATE3 | 3), $0
  # back at CPL 3 with the parameters popped by lret $8; int $0x80 returns to CPL 0 through
  # the harness's handler, which resumes at `back` on the CPL-0 stack
  movl %esp, %edi
  movw %ss, %si
  movl $back, RESUME_EIP
  movw $SEL_CODE32, RESUME_CS
  movl %ebp, RESUME_ESP
  movw $SEL_DATA32, RESUME_SS
  int $0x80
back:
  NO_FAULT
  CSNAP
  DONE

# ---------------------------------------------------------------- routines (real mode)
  CODE16
near_add:
  addl $0x11, %eax
  ret
near_ret4:
  movw %sp, %bp
  movw 2(%bp), %dx
  ret $4
far_ret:
  movl $0xfa4, %ebx
  lret
far_retl:
  movl $0xfa32, %ebx
  lretl
far_ret2:
  movw %sp, %bp
  movw 4(%bp), %dx
  lret $2
int60_rm:
  pushfl
  popl %esi                             # flags inside the handler (IF, TF clear)
  movw %sp, %bp
  movl (%bp), %edi                      # IP and CS pushed
  iret
int60_rml:
  pushfl
  popl %esi
  movw %sp, %bp
  movl 4(%bp), %edi                     # the FLAGS word
  iret
pm16_proc:
  movl %esp, %edi
  movw %cs, %si
  lretl

# ---------------------------------------------------------------- routines (32-bit)
  CODE32
gate_same:
  movl %esp, %edi
  movl (%esp), %esi                     # return EIP
  movl 4(%esp), %edx                    # return CS
  lret
int60_pm:
  pushfl
  popl %esi                             # IF clear for the interrupt gate only (it is clear already: TF/NT/RF show)
  movl (%esp), %edi
  iretl
gate_ring0:
  # inner stack: EIP, CS, param1, param2, ESP, SS (from the TSS's SS0:ESP0)
  movl %esp, %edi
  movw %ss, %si
  movl 8(%esp), %eax
  movl 12(%esp), %ebx
  movl 20(%esp), %edx
  movl 16(%esp), %ecx
  lret $8

