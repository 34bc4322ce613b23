/*
 * Long mode privilege changes as Linux makes them: a 16-byte TSS descriptor whose base is an
 * upper-half address (Linux's TSS lives at 0xfffffe...), RSP0 and IST1 above 2^47 too, IRETQ to
 * CPL 3, then INT3 (a DPL 3 gate) and a page fault from user mode, each delivered on the stack
 * the TSS names. The handlers print the stack pointer they run on and the frame the CPU pushed.
 * Then a far return (LRETQ) at CPL 0 to the user code segment with RPL 0: its DPL (3) is not the
 * RPL, a #GP naming the selector. Last, a far JMP and a far CALL through 16:64 pointers (REX.W) to
 * the upper-half alias of their code: the full 64-bit offset, and the CALL's quadword frame; then
 * the same through 64-bit call gates (16-byte descriptors) whose targets lie in that alias, and a
 * far CALL from CPL 3 through a DPL 3 gate to CPL 0 code, which gets RSP0's stack and returns;
 * last, a load from a non-canonical address (#GP(0)).
 */
typedef unsigned long u64;
typedef unsigned int u32;
static inline void outb(unsigned short p, unsigned char v) { __asm__ volatile("outb %0,%1" ::"a"(v), "Nd"(p)); }
static void puts(const char *s) { while (*s) outb(0x402, *s++); }
static void puthex(u64 v) { for (int i = 60; i >= 0; i -= 4) outb(0x402, "0123456789abcdef"[(v >> i) & 15]); }
#define HI(x) ((u64)(x) + 0xffff888000000000ul)

static u64 gdt[14] __attribute__((aligned(16)));
static u64 idt[2 * 256] __attribute__((aligned(16)));
/* The TSS and the kernel stacks at 6 MiB, reachable only through the upper-half alias: the identity
 * mapping of that 2 MiB page is removed, so a TSS base cut to 32 bits faults. */
#define TSS_PHYS 0x600000ul
static unsigned char ustack[4096] __attribute__((aligned(16)));
u64 saved_rsp, seen_rsp, frame[6];

extern void user_code(void), int3_entry(void), pf_entry(void), gp_entry(void), enter_user(u64 rip, u64 rsp), lret_bad(void), far64(void);
extern void gates64(void), gate_jmp_target(void), gate_call_target(void), user_gate(void), gate_inner_target(void);
extern void noncanon(void);
u64 gate3ptr[2], inner_rsp, inner_frame[4];
u64 farptr[2], landed, callrip, callcs;
__asm__(
  ".globl user_code\nuser_code:\n  int3\n  movabsq $0x140000000, %rax\n  movq (%rax), %rax\n  hlt\n"
  ".globl int3_entry\nint3_entry:\n  movq %rsp, seen_rsp(%rip)\n  lea frame(%rip), %rdi\n  mov $5, %ecx\n  mov %rsp, %rsi\n  rep movsq\n  jmp back\n"
  ".globl pf_entry\npf_entry:\n  movq %rsp, seen_rsp(%rip)\n  lea frame(%rip), %rdi\n  mov $6, %ecx\n  mov %rsp, %rsi\n  rep movsq\n  jmp back\n"
  ".globl gp_entry\ngp_entry:\n  movq %rsp, seen_rsp(%rip)\n  lea frame(%rip), %rdi\n  mov $6, %ecx\n  mov %rsp, %rsi\n  rep movsq\n  jmp back\n"
  /* no #GP: the return lands at 1 with CS 0x18 (flat, as the kernel's) and says so */
  ".globl far64\nfar64:\n  lea 2f(%rip), %rax\n  movabsq $0xffff888000000000, %rdx\n  add %rdx, %rax\n  movq %rax, farptr(%rip)\n  movq $0x08, farptr+8(%rip)\n"
  "  rex64 ljmp *farptr(%rip)\n2:\n  lea 0(%rip), %rax\n  movq %rax, landed(%rip)\n"
  "  lea 3f(%rip), %rax\n  movq %rax, farptr(%rip)\n  rex64 lcall *farptr(%rip)\n  ret\n"
  "3:\n  movq (%rsp), %rax\n  movq %rax, callrip(%rip)\n  movq 8(%rsp), %rax\n  movq %rax, callcs(%rip)\n  lretq\n"
  ".globl gates64\ngates64:\n  movq $0x4000000000, %rax\n  movq %rax, farptr(%rip)\n  ljmp *farptr(%rip)\n"
  ".globl gate_jmp_target\ngate_jmp_target:\n  lea 0(%rip), %rax\n  movq %rax, landed(%rip)\n  movq $0x5000000000, %rax\n  movq %rax, farptr(%rip)\n  lcall *farptr(%rip)\n  ret\n"
  ".globl gate_call_target\ngate_call_target:\n  movq (%rsp), %rax\n  movq %rax, callrip(%rip)\n  movq 8(%rsp), %rax\n  movq %rax, callcs(%rip)\n  lretq\n"
  ".globl user_gate\nuser_gate:\n  lcall *gate3ptr(%rip)\n  int3\n"
  ".globl gate_inner_target\ngate_inner_target:\n  movq %rsp, inner_rsp(%rip)\n  lea inner_frame(%rip), %rdi\n  mov $4, %ecx\n  mov %rsp, %rsi\n  rep movsq\n  lretq\n"
  ".globl noncanon\nnoncanon:\n  movq %rsp, saved_rsp(%rip)\n  movabsq $0x0000800000000000, %rax\n  movq (%rax), %rax\n  movq $0xbad, frame(%rip)\n  jmp back\n"
  ".globl lret_bad\nlret_bad:\n  movq %rsp, saved_rsp(%rip)\n  pushq $0x18\n  lea 1f(%rip), %rax\n  pushq %rax\n  lretq\n1:\n  movq $0xbad, frame(%rip)\n  jmp back\n"
  "back:\n  movq saved_rsp(%rip), %rsp\n  mov $0x10, %ax\n  mov %ax, %ds\n  mov %ax, %es\n  ret\n"
  ".globl enter_user\nenter_user:\n  movq %rsp, saved_rsp(%rip)\n  pushq $0x23\n  pushq %rsi\n  pushq $0x2\n  pushq $0x1b\n  pushq %rdi\n  iretq\n");

/* A 64-bit call gate of DPL dpl at GDT entries i and i + 1 to kernel code at the upper-half alias of fn. */
static void callgate(int i, void (*fn)(void), int dpl) {
  u64 a = HI(fn);
  gdt[i] = (a & 0xffff) | (0x08ul << 16) | ((u64)(0x8c | (dpl << 5)) << 40) | (((a >> 16) & 0xffff) << 48);
  gdt[i + 1] = a >> 32;
}

static void gate(int v, void (*fn)(void), int dpl, int ist) {
  u64 a = (u64)fn;
  idt[2 * v] = (a & 0xffff) | (0x08ul << 16) | ((u64)ist << 32) | ((u64)(0x8e | (dpl << 5)) << 40) | (((a >> 16) & 0xffff) << 48);
  idt[2 * v + 1] = a >> 32;
}

int cmain(void) {
  /* user access to the identity map: U on every level */
  u64 *pml4 = (u64 *)0x10000, *pdpt = (u64 *)0x11000, *pd = (u64 *)0x12000;
  pml4[0] |= 4;
  for (int i = 0; i < 4; i++) pdpt[i] |= 4;
  for (int i = 0; i < 2048; i++) pd[i] |= 4;
  /* the upper-half alias gets its own tables (PDPT at 0x16000, PD at 0x17000: the first GiB), then 6 MiB loses its identity mapping */
  u64 *pdpt2 = (u64 *)0x16000, *pd2 = (u64 *)0x17000;
  for (int i = 0; i < 512; i++) { pd2[i] = ((u64)i << 21) | 0x87; pdpt2[i] = 0; }
  pdpt2[0] = 0x17000 | 7;
  pml4[273] = 0x16000 | 7;
  pd[TSS_PHYS >> 21] = 0;
  __asm__ volatile("mov %%cr3, %%rax; mov %%rax, %%cr3" ::: "rax", "memory");
  u32 *tss = (u32 *)HI(TSS_PHYS);
  for (int i = 0; i < 26; i++) tss[i] = 0;
  gdt[1] = 0x00af9a000000ffff; /* 0x08 kernel code */
  gdt[2] = 0x00cf92000000ffff; /* 0x10 kernel data */
  gdt[3] = 0x00affa000000ffff; /* 0x18 user code (0x1b) */
  gdt[4] = 0x00cff2000000ffff; /* 0x20 user data (0x23) */
  u64 tb = (u64)tss;
  gdt[5] = (26 * 4 - 1) | ((tb & 0xffffff) << 16) | (0x89ul << 40) | (((tb >> 24) & 0xff) << 56);
  gdt[6] = tb >> 32;
  u64 rsp0 = HI(TSS_PHYS + 0x2000), ist1 = HI(TSS_PHYS + 0x3000) - 8;
  tss[1] = (u32)rsp0; tss[2] = (u32)(rsp0 >> 32);
  tss[9] = (u32)ist1; tss[10] = (u32)(ist1 >> 32);
  struct { unsigned short lim; u64 base; } __attribute__((packed)) g = { sizeof gdt - 1, (u64)gdt }, i = { sizeof idt - 1, (u64)idt };
  __asm__ volatile("lgdt %0; lidt %1; mov $0x28, %%ax; ltr %%ax" :: "m"(g), "m"(i) : "rax", "memory");
  gate(3, int3_entry, 3, 0);
  gate(14, pf_entry, 0, 1);
  gate(13, gp_entry, 0, 0);
  u64 tr_base_check; __asm__ volatile("str %%ax; movzwl %%ax, %%eax; mov %%rax, %0" : "=r"(tr_base_check) :: "rax");
  puts("tr="); puthex(tr_base_check); puts("\n");
  enter_user((u64)user_code, (u64)(ustack + sizeof ustack));
  puts("int3 rsp="); puthex(seen_rsp); puts(" rip="); puthex(frame[0]); puts(" cs="); puthex(frame[1]); puts(" ss="); puthex(frame[4]); puts("\n");
  /* back in the kernel: run the user code from after the int3 (the page fault) */
  enter_user(frame[0], frame[3]);
  puts("pf rsp="); puthex(seen_rsp); puts(" err="); puthex(frame[0]); puts(" rip="); puthex(frame[1]); puts(" cs="); puthex(frame[2]); puts("\n");
  frame[0] = 0;
  lret_bad();
  puts("lret err="); puthex(frame[0]); puts(" cs="); puthex(frame[2]); puts("\n");
  far64();
  puts("ljmp rip="); puthex(landed); puts(" lcall rip="); puthex(callrip); puts(" cs="); puthex(callcs); puts("\n");
  callgate(8, gate_jmp_target, 0);
  callgate(10, gate_call_target, 0);
  landed = callrip = callcs = 0;
  gates64();
  puts("gate ljmp rip="); puthex(landed); puts(" lcall rip="); puthex(callrip); puts(" cs="); puthex(callcs); puts("\n");
  callgate(12, gate_inner_target, 3);
  gate3ptr[0] = 0x63ul << 32;
  enter_user((u64)user_gate, (u64)(ustack + sizeof ustack));
  puts("gate inner rsp="); puthex(inner_rsp); puts(" rip="); puthex(inner_frame[0]); puts(" cs="); puthex(inner_frame[1]);
  puts(" rsp="); puthex(inner_frame[2]); puts(" ss="); puthex(inner_frame[3]); puts(" then cs="); puthex(frame[1]); puts("\n");
  frame[0] = 0;
  noncanon();
  puts("noncanonical err="); puthex(frame[0]); puts(" cs="); puthex(frame[2]); puts("\n");
  return 0;
}
