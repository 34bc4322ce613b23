/*
 * System Management Mode: SMIs raised through ICH9's APM_CNT (0xb2) after
 * enabling PMBASE, GBL_SMI_EN and APMC_EN, from real mode and from 32-bit
 * protected mode. The SMI handler (copied to SMBASE+0x8000) prints fields
 * of the state save map, increments the saved EAX and relocates SMBASE
 * from 0x30000 to 0x40000; the interrupted code prints EAX after each RSM.
 */
.code16
.globl _start
_start:
  cli
  xor %ax,%ax
  mov %ax,%ds
  mov %ax,%ss
  mov $0x7000,%sp
  # ICH9 LPC (00:1f.0): PMBASE = 0x600, ACPI_CNTL.ACPI_EN
  mov $0x8000f840,%eax
  mov $0xcf8,%dx
  out %eax,%dx
  mov $0x601,%eax
  mov $0xcfc,%dx
  out %eax,%dx
  mov $0x8000f844,%eax
  mov $0xcf8,%dx
  out %eax,%dx
  mov $0x80,%al
  mov $0xcfc,%dx
  out %al,%dx
  # SMI_EN (PMBASE+0x30): GBL_SMI_EN | APMC_EN
  mov $0x630,%dx
  in %dx,%eax
  or $0x21,%eax
  out %eax,%dx
  # the handler at both SMBASEs
  mov $0x3800,%ax
  call copy_handler
  mov $0x4800,%ax
  call copy_handler

  # SMI from real mode
  mov $0x11223300,%eax
  mov $0x55667788,%ebx
  mov $0xb2,%dx
  out %al,%dx
  call out32
  # a second one lands at the relocated SMBASE
  mov $0x22334400,%eax
  mov $0xb2,%dx
  out %al,%dx
  call out32

  # 32-bit protected mode, flat segments
  lgdtl %cs:gdt_desc
  mov %cr0,%eax
  or $1,%eax
  mov %eax,%cr0
  ljmpl $0x08,$(0xf0000 + pm32)

copy_handler:
  mov %ax,%es
  xor %di,%di
  lea handler,%si
  mov $(handler_end - handler),%cx
  cs rep movsb
  ret

out32:
  push %cx
  push %dx
  push %eax
  mov $0x402,%dx
  mov $4,%cx
1: out %al,%dx
  shr $8,%eax
  loop 1b
  pop %eax
  pop %dx
  pop %cx
  ret

/* Runs in SMM: 16-bit code, CS base = SMBASE, 4 GiB limits. */
handler:
  mov $0x402,%dx
  mov %cs:0xfefc,%eax   # revision ID
  call hout32
  mov %cs:0xfe10,%eax   # saved CS: selector, attributes
  call hout32
  mov %cs:0xff78,%eax   # saved RIP, low half
  call hout32
  mov %cs:0xff58,%eax   # saved CR0
  call hout32
  mov %cs:0xff70,%eax   # saved EFLAGS
  call hout32
  mov %cs:0xffe0,%eax   # saved EBX
  call hout32
  mov %cs:0xff00,%eax   # SMBASE
  call hout32
  mov %cr0,%eax         # CR0 inside SMM
  call hout32
  incl %cs:0xfff8
  movl $0x40000,%cs:0xff00
  rsm
hout32:
  mov $4,%cx
1: out %al,%dx
  shr $8,%eax
  loop 1b
  ret
handler_end:

.code32
pm32:
  mov $0x10,%ax
  mov %ax,%ds
  mov %ax,%es
  mov %ax,%ss
  mov $0x7000,%esp
  mov $0x33445500,%eax
  mov $0x99aabbcc,%ebx
  mov $0xb2,%dx
  out %al,%dx
  mov $0x402,%dx
  mov $4,%ecx
1: out %al,%dx
  shr $8,%eax
  loop 1b
  mov $0xf4,%dx
  mov $0,%al
  out %al,%dx
  hlt

.p2align 3
gdt:
  .quad 0
  .quad 0x00cf9b000000ffff
  .quad 0x00cf93000000ffff
gdt_desc:
  .word gdt_desc - gdt - 1
  .long 0xf0000 + gdt

.org 0xfff0
  jmp _start
.org 0x10000
