/*
 * A page fault in the middle of a REP MOVSQ, as Linux takes one in copy_user_generic_string when
 * a read() into a user buffer reaches a copy-on-write page: the count is computed in the same
 * block as the REP (mov %edx,%ecx; shr $3,%ecx), the destination's second page is not present,
 * the handler maps it and returns, and the copy must go on with the iterations left, no more.
 * Run many times so the block is compiled, faulting every other time. Prints the faults taken, the bytes written past the
 * copy (0 expected) and the bytes copied wrong.
 */
typedef unsigned long u64;
typedef unsigned int u32;
static inline void outb(unsigned short p, unsigned char v) { __asm__ volatile("outb %0,%1" ::"a"(v), "Nd"(p)); }
static void puts(const char *s) { while (*s) outb(0x402, *s++); }
static void puthex(u64 v) { for (int i = 60; i >= 0; i -= 4) outb(0x402, "0123456789abcdef"[(v >> i) & 15]); }

static u64 idt[2 * 256] __attribute__((aligned(16)));
/* The 2 MiB at 8 MiB through 4 KiB pages: a page table at 128 KiB. */
#define PT ((u64 *)0x20000)
#define AREA 0x800000ul
volatile u64 faults;
/* FAULT=0 builds the same program whose page stays present (the same instructions but the faults) */
#ifndef FAULT
#define FAULT 1
#endif
volatile u64 present_mask = FAULT ? ~1ul : ~0ul;

extern void pf_entry(void);
extern u64 copy_user(void *dst, const void *src, u32 len);
__asm__(
  ".globl pf_entry\npf_entry:\n  push %rax\n  push %rdx\n  mov %cr2, %rax\n  sub $0x800000, %rax\n  shr $12, %rax\n"
  "  orq $1, 0x20000(,%rax,8)\n  incq faults(%rip)\n  pop %rdx\n  pop %rax\n  add $8, %rsp\n  iretq\n"
  ".globl copy_user\ncopy_user:\n  mov %edx, %ecx\n  shr $3, %ecx\n  and $7, %edx\n  rep movsq\n  mov %edx, %ecx\n  rep movsb\n  xor %eax, %eax\n  ret\n");

static void gate(int v, void (*fn)(void)) {
  u64 a = (u64)fn;
  idt[2 * v] = (a & 0xffff) | (0x18ul << 16) | ((u64)0x8e << 40) | (((a >> 16) & 0xffff) << 48);
  idt[2 * v + 1] = a >> 32;
}

int cmain(void) {
  for (int i = 0; i < 512; i++) PT[i] = (AREA + ((u64)i << 12)) | 3;
  ((u64 *)0x12000)[AREA >> 21] = 0x20000 | 3;
  __asm__ volatile("mov %%cr3, %%rax; mov %%rax, %%cr3" ::: "rax", "memory");
  struct { unsigned short lim; u64 base; } __attribute__((packed)) i = { sizeof idt - 1, (u64)idt };
  __asm__ volatile("lidt %0" :: "m"(i) : "memory");
  gate(14, pf_entry);
  unsigned char *src = (unsigned char *)(AREA + 0x10000);
  for (int n = 0; n < 256; n++) src[n] = (unsigned char)(n * 7 + 1);
  u64 over = 0, bad = 0;
  for (int round = 0; round < 80; round++) {
    /* the buffer ends 0x58 + round bytes into the second page, so the fault comes after 11 qwords */
    unsigned char *page2 = (unsigned char *)(AREA + 0x2000);
    unsigned char *dst = page2 - 0x58;
    u32 len = 0x6e + (round & 7);
    for (int n = -0x80; n < 0x100; n++) dst[n] = 0xaa;
    /* every other round faults: the rounds between let the block run (and be compiled) */
    if (round & 1) {
      PT[2] &= present_mask;
      __asm__ volatile("invlpg (%0)" :: "r"(page2) : "memory");
    }
    copy_user(dst, src, len);
    for (u32 n = 0; n < len; n++) bad += dst[n] != src[n];
    for (int n = len; n < 0x100; n++) over += dst[n] != 0xaa;
  }
  puts("faults="); puthex(faults); puts(" over="); puthex(over); puts(" bad="); puthex(bad); puts("\n");
  return 0;
}
