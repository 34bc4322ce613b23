/* 16-bit reset stub: enter flat 32-bit protected mode, call cmain, exit through isa-debug-exit (0xf4). */
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
  call cmain
  mov $0xf4, %dx
  out %al, %dx
  hlt
.align 8
gdt:
  .quad 0
  .quad 0x00cf9a000000ffff
  .quad 0x00cf92000000ffff
gdtdesc:
  .word 23
  .long gdt
.section .resetvec, "ax"
.code16
  jmp _start16
