/* Dumps CPUID leaves (EAX,EBX,ECX,EDX each, little endian) to port 0x402, then exits. */
.code16
.globl _start
_start:
  cli
  xor %ax,%ax
  mov %ax,%ds
  mov $0x402,%dx
  lea leaves, %si
  mov %cs:0, %ax
next:
  mov %cs:(%si), %eax
  cmp $0xffffffff, %eax
  je done
  mov %cs:4(%si), %ecx
  add $8, %si
  cpuid
  call out32
  push %edx
  mov %ebx,%eax
  call out32
  mov %ecx,%eax
  call out32
  pop %eax
  call out32
  jmp next
done:
  mov $0xf4, %dx
  mov $0, %al
  out %al,%dx
  hlt
out32:
  push %cx
  push %dx
  mov $0x402,%dx
  mov $4,%cx
1: out %al,%dx
  shr $8,%eax
  loop 1b
  pop %dx
  pop %cx
  ret
leaves:
  .long 0,0, 1,0, 2,0, 4,0, 4,1, 4,2, 4,3, 5,0, 6,0, 7,0, 0xa,0, 0xd,0, 0xd,1, 0x80000000,0, 0x80000001,0, 0x80000002,0,0x80000003,0,0x80000004,0,0x80000005,0,0x80000006,0,0x80000007,0,0x80000008,0,0x8000000a,0, 0x40000000,0, 0x40000001,0
  .long 0xffffffff
.org 0xfff0
  jmp _start
.org 0x10000
