/* 16-bit reset stub for 64-bit guests: flat 32-bit protected mode, copy the payload from ROM to
 * 2 MiB, identity-map the first 4 GiB with 2 MiB pages (tables at 64 KiB; the same 4 GiB also at
 * 0xffff888000000000, where Linux keeps its direct map), enable PAE and
 * EFER.LME, turn paging on, far-jump to 64-bit code, call cmain, exit through isa-debug-exit. */
.code16
.section .reset, "ax"
.globl _start16
_start16:
  cli
  lgdtl %cs:(gdtdesc - _start16)
  mov %cr0, %eax
  or $1, %eax
  mov %eax, %cr0
  ljmpl $0x8, $pm32
.code32
pm32:
  mov $0x10, %ax
  mov %ax, %ds
  mov %ax, %es
  mov %ax, %ss
  mov $0x80000, %esp
  /* copy the payload */
  mov $__payload_lma, %esi
  mov $__payload_vma, %edi
  mov $__payload_size, %ecx
  add $3, %ecx
  shr $2, %ecx
  cld
  rep movsl
  /* zero the tables: PML4 at 0x10000, PDPT at 0x11000, PDs at 0x12000-0x15fff */
  mov $0x10000, %edi
  mov $(6 * 1024), %ecx
  xor %eax, %eax
  rep stosl
  movl $0x11003, 0x10000
  movl $0x11003, 0x10000 + 273 * 8
  movl $0x12003, 0x11000
  movl $0x13003, 0x11008
  movl $0x14003, 0x11010
  movl $0x15003, 0x11018
  mov $0x12000, %edi
  mov $0x83, %eax
  mov $2048, %ecx
1:
  mov %eax, (%edi)
  movl $0, 4(%edi)
  add $0x200000, %eax
  add $8, %edi
  loop 1b
  mov %cr4, %eax
  or $0x620, %eax          /* PAE, OSFXSR, OSXMMEXCPT */
  mov %eax, %cr4
  mov $0x10000, %eax
  mov %eax, %cr3
  mov $0xc0000080, %ecx
  rdmsr
  or $0x100, %eax
  wrmsr
  mov %cr0, %eax
  and $~4, %eax            /* EM off */
  or $0x80000002, %eax     /* PG, MP */
  mov %eax, %cr0
  ljmpl $0x18, $lm64
.code64
lm64:
  mov $0x20, %ax
  mov %ax, %ds
  mov %ax, %es
  mov %ax, %ss
  mov $0x180000, %rsp
  mov $cmain, %rax
  call *%rax
  mov $0xf4, %dx
  out %al, %dx
  hlt
.align 8
gdt:
  .quad 0
  .quad 0x00cf9a000000ffff
  .quad 0x00cf92000000ffff
  .quad 0x00af9a000000ffff
  .quad 0x00cf92000000ffff
gdtdesc:
  .word 39
  .long gdt
.section .resetvec, "ax"
.code16
  jmp _start16
