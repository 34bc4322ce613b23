# Smoke test of the harness itself: known values in every register, a snapshot in each mode,
# an expected #DE in real mode and in 32-bit protected mode, a memory dump.
.include "harness.inc"

test_main:
  movl $0x11111111, %eax
  movl $0x22222222, %ecx
  movl $0x33333333, %edx
  movl $0x44444444, %ebx
  movl $0x55555555, %ebp
  movl $0x66666666, %esi
  movl $0x77777777, %edi
  SNAP 1
  EXPECT_FAULT 1f
  xorw %cx, %cx
  divw %cx
1:
  SNAP 2
  ENTER_PM32
  movl $0xdeadbeef, DATA
  SNAP 3
  EXPECT_FAULT 2f
  xorl %ecx, %ecx
  divl %ecx
2:
  MEMDUMP32 DATA, 8
  DONE
