/*
 * Reset stub of the CPU benchmark guest (bench/cpu.ts): a 128 KiB -bios image whose code runs
 * from the copy below 1 MiB (0xE0000-0xFFFFF), where QEMU, machc's bare board and v86 all have
 * it (v86 keeps the BIOS image in RAM there). Real mode at F000 (.text16, linked at offsets of
 * that segment), flat 32-bit protected mode, cmain(), then isa-debug-exit (0xf4).
 */
.code16
.section .text16, "ax"
.globl start16
start16:
  cli
  lgdtl %cs:gdtdesc
  mov %cr0, %eax
  or $1, %eax
  mov %eax, %cr0
  ljmpl $0x8, $pm32
.align 8
gdt:
  .quad 0
  .quad 0x00cf9a000000ffff
  .quad 0x00cf92000000ffff
gdtdesc:
  .word 23
  .long gdt + 0xf0000

.section .text, "ax"
.code32
pm32:
  mov $0x10, %ax
  mov %ax, %ds
  mov %ax, %es
  mov %ax, %fs
  mov %ax, %gs
  mov %ax, %ss
  mov $0x80000, %esp
  call cmain
  mov $0xf4, %dx
  mov $0x10, %al
  out %al, %dx
1:
  hlt
  jmp 1b

.section .reset, "ax"
.code16
  ljmp $0xf000, $start16
  .fill 11, 1, 0
