/*
 * A busy-wait on RDTSC with the PIT interrupting every millisecond (mode 2,
 * count 1193, IRQ 0 through the 8259 to vector 8): after 20 ms of TSC time
 * the handler must have run 19 or 20 times, as on hardware. Prints
 * "ticks=NN\n" on the debug console (0x402) and halts.
 */
.code16
.globl _start
_start:
  cli
  xor %ax, %ax
  mov %ax, %ds
  mov %ax, %ss
  mov $0x7000, %sp
  movw $handler, 0x20
  movw $0xf000, 0x22
  movw $0, 0x500
  /* 8259 master: ICW1-4, vectors from 8, every IRQ but 0 masked */
  mov $0x11, %al
  out %al, $0x20
  mov $0x08, %al
  out %al, $0x21
  mov $0x04, %al
  out %al, $0x21
  mov $0x01, %al
  out %al, $0x21
  mov $0xfe, %al
  out %al, $0x21
  /* PIT counter 0: mode 2, count 1193 (1 ms) */
  mov $0x34, %al
  out %al, $0x43
  mov $0xa9, %al
  out %al, $0x40
  mov $0x04, %al
  out %al, $0x40
  rdtsc
  mov %eax, %ebx
  sti
1:
  rdtsc
  sub %ebx, %eax
  cmp $20000000, %eax
  jb 1b
  cli
  mov $0x402, %dx
  mov $msg, %si
2:
  mov %cs:(%si), %al
  test %al, %al
  jz 3f
  out %al, %dx
  inc %si
  jmp 2b
3:
  mov 0x500, %ax
  mov $10, %cl
  div %cl
  add $0x3030, %ax
  out %al, %dx
  mov %ah, %al
  out %al, %dx
  mov $10, %al
  out %al, %dx
  hlt
handler:
  incw 0x500
  push %ax
  mov $0x20, %al
  out %al, $0x20
  pop %ax
  iret
msg:
  .asciz "ticks="
.org 0xfff0
  ljmp $0xf000, $_start
.org 0x10000
