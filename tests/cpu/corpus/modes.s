# Mode switches: real -> 16-bit protected -> 32-bit protected -> real; hidden segment state
# surviving the way back (big real mode: a 4 GiB limit, and a base the real-mode selector does
# not give, until the register is reloaded); lmsw entering protected mode (it cannot leave);
# smsw; 32-bit operands and addresses in 16-bit protected mode; A20 through port 0x92 (the
# address 0x100500 aliasing 0x500 while it is off).
.include "harness.inc"

.equ SEL_BIG, SEL_FREE                  # data, base 0x123000, 4 GiB
.equ HIGH, 0x200000                     # above 1 MiB

test_main:
  SNAP 1
  smsw %ax
  movl $0x12345678, %ebx
  SNAP 2
  # real -> 16-bit protected
  ENTER_PM16
  SNAP 3
  movl $0x00010000, %esi
  movl $0xcafe0001, (%esi)              # 32-bit address in 16-bit code (base 0 limit 64K: QEMU does not check)
  movl (%esi), %ecx
  SNAP 4
  # 16-bit -> 32-bit protected
  ENTER_PM32
  SNAP 5
  movl $0x5a5a5a5a, HIGH
  movl $0x0badf00d, 0x123000
  SET_DESC SEL_BIG, 0x123000, 0xfffff, 0x93, 0xc
  movw $SEL_BIG, %ax
  movw %ax, %fs
  movw $SEL_DATA32, %ax
  movw %ax, %gs
  # 32-bit -> real; FS keeps its base 0x123000 and GS its 4 GiB limit until reloaded
  ljmp $SEL_CODE16, $to_real
  CODE16
to_real:
  movl %cr0, %eax
  andl $~1, %eax
  movl %eax, %cr0
  ljmp $0xf000, $in_real
in_real:
  xorw %ax, %ax
  movw %ax, %ds
  movw %ax, %es
  movw %ax, %ss
  lidtl %cs:harness_idtr_rm
  SNAP 6
  movl %fs:0, %eax                      # 0x123000 through the cached base
  movl $HIGH, %esi
  addr32 movl %gs:(%esi), %ebx          # big real mode
  SNAP 7
  movw $0x1230, %ax
  movw %ax, %fs                         # reloaded: base 0x12300
  movl %fs:0, %ecx
  SNAP 8
  # lmsw sets PE (and cannot clear it)
  smsw %ax
  orw $1, %ax
  lgdtl %cs:harness_gdtr
  lmsw %ax
  ljmp $SEL_CODE16, $after_lmsw
after_lmsw:
  smsw %dx
  andw $~1, %dx
  lmsw %dx                              # PE stays set
  movl %cr0, %ebx
  SNAP 9
  ENTER_REAL
  SNAP 10
  # A20 off: 0x100500 is 0x500
  movl $0x11111111, 0x500
  inb $0x92, %al
  movb %al, %cl
  andb $~2, %al
  outb %al, $0x92
  movw $0xffff, %ax
  movw %ax, %es
  movl $0x22222222, %es:0x510
  movl 0x500, %edx
  inb $0x92, %al
  orb $2, %al
  outb %al, $0x92
  movl $0x33333333, %es:0x510
  movl 0x500, %esi
  movl %es:0x510, %edi
  SNAP 11
  DONE
