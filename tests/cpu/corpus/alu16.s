# ALU flags at every size in real mode (16-bit code: 32-bit operands through 0x66); see alu.inc.
.include "harness.inc"
.include "alu.inc"
.set ALU_BASE, alu_values

test_main:
.include "alu-body.inc"
  DONE
