# IO instructions: in/out with immediate and DX ports at every size on an unclaimed port (reads
# all ones, writes vanish) and byte-wide on the debug console (reads back 0xE9; QEMU's device
# takes byte accesses only), ins/outs with and without rep, DF both ways, both address sizes;
# then at CPL 3 with IOPL 0, the TSS IO bitmap: the debug console's port allowed, port 0x80
# refused (#GP(0)); with IOPL 3 no bitmap check. Bytes the program writes to the debug console
# itself are announced with RAW_BYTES.
.include "harness.inc"

.equ UNCLAIMED, 0x700
.equ BUF, 0x10000
.equ R3_STACK, 0x7000
.equ IOPB, 0x68                         # IO bitmap offset in the TSS
.set IO_ID, 0

.macro IO_SNAP
  SNAP IO_ID
  .set IO_ID, IO_ID + 1
.endm

test_main:
  # in: immediate and DX forms
  movw $DEBUGCON, %dx
  movl $0x11223344, %eax
  inb %dx, %al
  IO_SNAP
  movl $0x11223344, %eax
  inb $0xf8, %al
  IO_SNAP
  movw $UNCLAIMED, %dx
  movl $0x11223344, %eax
  inb %dx, %al
  IO_SNAP
  inw %dx, %ax
  IO_SNAP
  inl %dx, %eax
  IO_SNAP
  # out: bytes to the debug console (the low byte of wider writes), and to nowhere
  RAW_BYTES 1
  movw $DEBUGCON, %dx
  movb $'a', %al
  outb %al, %dx
  movl $0x63636363, %eax
  movw $UNCLAIMED, %dx
  outl %eax, %dx
  outw %ax, %dx
  outb %al, $0xf8
  IO_SNAP
  # ins from the debug console into ES:DI, rep and not, both directions
  movw $(BUF >> 4), %ax
  movw %ax, %es
  movw $DEBUGCON, %dx
  movw $0x10, %di
  movl $4, %ecx
  rep insb %dx, %es:(%di)
  IO_SNAP
  movw $UNCLAIMED, %dx
  std
  movw $0x2e, %di
  movl $3, %ecx
  rep insw %dx, %es:(%di)
  cld
  IO_SNAP
  movl $0x40, %edi
  insl %dx, %es:(%edi)
  IO_SNAP
  movl $0x12340002, %ecx
  movw $0x48, %di
  rep insb %dx, %es:(%di)
  IO_SNAP
  MEMDUMP16 BUF, 0x50
  # outs from DS:SI to the debug console
  movw $(BUF >> 4), %ax
  movw %ax, %ds
  movl $0x64636261, 0x60
  movl $0x68676665, 0x64
  xorw %ax, %ax
  movw %ax, %es
  movw $DEBUGCON, %dx
  movw $0x60, %si
  movl $5, %ecx
  RAW_BYTES 8
  rep outsb (%si), %dx
  outsb (%si), %dx
  std
  movl $0x12340002, %ecx
  movw $0x67, %si
  rep outsb (%si), %dx
  cld
  movw $UNCLAIMED, %dx
  movl $2, %ecx
  rep outsl (%esi), %dx
  IO_SNAP
  xorw %ax, %ax
  movw %ax, %ds

  # CPL 3: IOPL 0 with an IO bitmap that allows 0x402-0x403 only
  ENTER_PM32
  movl $TSS_RAM + IOPB, %edi
  movl $0xffffffff, %eax
  movl $(0x2000 / 4 + 1), %ecx
  rep stosl %eax, %es:(%edi)
  andb $0xfb, TSS_RAM + IOPB + (0x402 / 8)
  movw $IOPB, TSS_RAM + 102
  SET_DESC SEL_TSS, TSS_RAM, IOPB + 0x2000, 0x89, 0x0
  LOAD_TSS
  movl $back0, RESUME_EIP
  movw %cs, RESUME_CS
  movl %esp, RESUME_ESP
  movw %ss, RESUME_SS
  pushl $SEL_DATA32_R3
  pushl $R3_STACK
  pushl $0x0002
  pushl $SEL_CODE32_R3
  pushl $ring3_0
  iretl
ring3_0:
  movw $SEL_DATA32_R3, %ax
  movw %ax, %ds
  movw %ax, %es
  movw $DEBUGCON, %dx
  inb %dx, %al                          # allowed: 0xE9
  movb %al, %cl
  movw $0x401, %dx
  inw %dx, %ax                          # 0x401 refused by its bit: #GP(0), back to ring 0
back0:
  IO_SNAP
  movl $back3, RESUME_EIP
  pushl $SEL_DATA32_R3
  pushl $R3_STACK
  pushl $0x3002
  pushl $SEL_CODE32_R3
  pushl $ring3_3
  iretl
ring3_3:
  movw $UNCLAIMED, %dx
  inb %dx, %al                          # IOPL 3: no bitmap check
  movb %al, %cl
  inw $0xf8, %ax
  int $0x80
back3:
  NO_FAULT
  IO_SNAP
  DONE
