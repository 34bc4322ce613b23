/* LOCK on a register destination raises #UD, whichever of the locked and unlocked forms of an
   instruction ran first; the #UD handler writes 'U' and skips the 3-byte instruction. Three
   rounds, so hot code is compiled too. Writes BL after each instruction, then exits. */
.code16
.globl _start
_start:
  cli
  xor %ax,%ax
  mov %ax,%ds
  mov %ax,%ss
  mov $0x7000,%sp
  movw $ud, 0x18
  movw $0xf000, 0x1a
  mov $0x402,%dx
  mov $1,%ax
  mov $0x40,%bx
  mov $3,%cx
round:
  add %ax,%bx
  call show
  .byte 0xf0, 0x01, 0xc3        /* lock add %ax,%bx */
  call show
  .byte 0xf0, 0x01, 0xc3
  call show
  add %ax,%bx
  call show
  loop round
  mov $0xf4, %dx
  mov $0, %al
  out %al,%dx
  hlt
show:
  push %ax
  mov %bl,%al
  out %al,%dx
  pop %ax
  ret
ud:
  push %bp
  mov %sp,%bp
  addw $3, 2(%bp)
  push %ax
  mov $'U',%al
  out %al,%dx
  pop %ax
  pop %bp
  iret
.org 0xfff0
  jmp _start
.org 0x10000
