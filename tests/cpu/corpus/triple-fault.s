# A triple fault: an IDT with limit 0 makes int3 raise #GP, whose delivery raises #GP again
# (#DF), whose delivery faults once more: the CPU shuts down, QEMU (-no-reboot) exits, and
# runBareMetal reports an error. A snapshot first shows the program got there.
.include "harness.inc"

test_main:
  ENTER_PM32
  SNAP 1
  lidt empty_idtr
  int3
  SNAP 2                                # never
  DONE

empty_idtr:
  .word 0
  .long 0
