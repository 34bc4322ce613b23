# Paging (32-bit, no PAE): 4 KiB pages through a page table and 4 MiB pages (CR4.PSE); a
# remapped page; #PF with CR2 and error codes for not-present reads, writes and instruction
# fetches, supervisor writes to read-only pages with CR0.WP clear and set, user accesses to
# supervisor and read-only pages; accessed and dirty bits in PTEs and PDEs; a rep movsb that
# faults part way (ESI/EDI/ECX at the faulting iteration); CR3 reload and INVLPG taking a
# changed PTE; paging off again and back to real mode.
.include "harness.inc"

.equ PD, PAGING                         # page directory
.equ PT0, PAGING + 0x1000               # page table for 0-4 MiB
.equ R3_STACK, 0x7000
.equ PG_P, 1
.equ PG_W, 2
.equ PG_U, 4
.equ PG_A, 0x20
.equ PG_D, 0x40
.equ PG_PS, 0x80
.equ VREMAP, 0x40000                    # -> 0x50000, then 0x60000, then 0x70000
.equ VNP, 0x41000                       # not present
.equ VRO, 0x42000                       # read-only, user
.equ VSUP, 0x43000                      # supervisor only
.equ VUSER, 0x44000                     # user, writable

.macro PTE virt, value
  movl $(\value), PT0 + ((\virt) >> 12) * 4
.endm

# Runs `insn` expecting a #PF (or any fault); resumes after it.
.macro FAULT insn
  EXPECT_FAULT .Lf\@
  \insn
  SNAP 0xdead
.Lf\@:
.endm

test_main:
  ENTER_PM32
  # patterns in the physical pages behind the remapped one
  movl $0x50505050, 0x50000
  movl $0x60606060, 0x60000
  movl $0x70707070, 0x70000
  # page table: identity, user and writable, for the first 4 MiB
  xorl %ecx, %ecx
1:
  movl %ecx, %eax
  shll $12, %eax
  orl $(PG_P | PG_W | PG_U), %eax
  movl %eax, PT0(,%ecx,4)
  incl %ecx
  cmpl $1024, %ecx
  jne 1b
  PTE VREMAP, 0x50000 | PG_P | PG_W | PG_U
  PTE VNP, VNP | PG_W | PG_U
  PTE VRO, VRO | PG_P | PG_U
  PTE VSUP, VSUP | PG_P | PG_W
  # directory: 0-4 MiB through PT0; 4-8 MiB a 4 MiB page; 8-12 MiB the same frame again
  movl $PD, %edi
  xorl %eax, %eax
  movl $1024, %ecx
  rep stosl %eax, %es:(%edi)
  movl $(PT0 | PG_P | PG_W | PG_U), PD
  movl $(0x400000 | PG_P | PG_W | PG_U | PG_PS), PD + 4
  movl $(0x400000 | PG_P | PG_W | PG_U | PG_PS), PD + 8
  movl %cr4, %eax
  orl $0x10, %eax                       # PSE
  movl %eax, %cr4
  movl $PD, %eax
  movl %eax, %cr3
  movl %cr0, %eax
  orl $0x80000000, %eax
  movl %eax, %cr0
  jmp 2f
2:
  SNAP 1
  movl VREMAP, %eax                     # 0x50505050
  movl $0x12345678, 0x400100
  movl 0x800100, %ebx                   # the same 4 MiB frame
  movl $0xabcdef01, VUSER
  SNAP 2
  # not present: read, write, fetch
  FAULT "movl VNP, %eax"
  FAULT "movl %eax, VNP + 4"
  FAULT "call VNP + 0x10"
  # supervisor write to a read-only page: allowed with WP clear, #PF with it set
  movl $0x11111111, VRO
  movl %cr0, %eax
  orl $0x10000, %eax
  movl %eax, %cr0
  FAULT "movl $0x22222222, VRO + 4"
  andl $~0x10000, %eax
  movl %eax, %cr0
  # rep movsb into the not-present page: faults at its first byte
  movl $0x3000, %esi
  movl $(VNP - 6), %edi
  movl $16, %ecx
  FAULT "rep movsb (%esi), %es:(%edi)"
  SNAP 3
  # accessed and dirty bits so far
  MEMDUMP32 PT0+(VREMAP>>12)*4, 20
  MEMDUMP32 PD, 12
  # CR3 reload and INVLPG take a changed PTE
  PTE VREMAP, 0x60000 | PG_P | PG_W | PG_U
  movl %cr3, %eax
  movl %eax, %cr3
  movl VREMAP, %ecx                     # 0x60606060
  PTE VREMAP, 0x70000 | PG_P | PG_W | PG_U
  invlpg VREMAP
  movl VREMAP, %edx                     # 0x70707070
  SNAP 4
  # CPL 3: a supervisor page, a read-only page (read fine, write #PF), a user page
  LOAD_TSS
  movl $r3_back, RESUME_EIP
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
  movw $SEL_DATA32_R3, %ax
  movw %ax, %ds
  movl VRO, %eax
  movl VUSER, %ebx
  movl $0x5555, VUSER + 4
  movl VSUP, %ecx                       # #PF: user read of a supervisor page
r3_back:
  movl $r3_back2, RESUME_EIP
  pushl $SEL_DATA32_R3
  pushl $R3_STACK
  pushl $0x0002
  pushl $SEL_CODE32_R3
  pushl $ring3_2
  iretl
ring3_2:
  movw $SEL_DATA32_R3, %ax
  movw %ax, %ds
  movl $0x6666, VRO + 8                 # #PF: user write to a read-only page
r3_back2:
  NO_FAULT
  SNAP 5
  MEMDUMP32 PT0+(VREMAP>>12)*4, 20
  MEMDUMP32 PD, 12
  MEMDUMP32 VRO, 12
  # paging off, PSE off, back to real mode
  movl %cr0, %eax
  andl $~0x80000000, %eax
  movl %eax, %cr0
  movl %cr4, %eax
  andl $~0x10, %eax
  movl %eax, %cr4
  xorl %eax, %eax
  movl %eax, %cr3
  movl VREMAP, %ebx                     # physical 0x40000 again
  SNAP 6
  ENTER_REAL
  SNAP 7
  DONE
