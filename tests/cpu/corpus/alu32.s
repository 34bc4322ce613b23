# ALU flags at every size in 32-bit protected mode (16-bit operands through 0x66); see alu.inc.
.include "harness.inc"
.include "alu.inc"
.set ALU_BASE, alu_values + 0xf0000

test_main:
  ENTER_PM32
.include "alu-body.inc"
  DONE
