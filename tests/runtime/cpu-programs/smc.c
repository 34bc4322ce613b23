/* Self-modifying and copied code: a routine copied into RAM, run until it is hot, patched and run
 * again; a loop that rewrites an instruction later in its own block; code written through a
 * second mapping-free alias (the copy is rewritten by rep movs). Prints results to port 0x402. */
typedef unsigned int u32;
static inline void outb(unsigned short p, unsigned char v) { __asm__ volatile("outb %0,%1" ::"a"(v), "Nd"(p)); }
static void puts(const char *s) { while (*s) outb(0x402, *s++); }
static void puthex(u32 v) { for (int i = 28; i >= 0; i -= 4) outb(0x402, "0123456789abcdef"[(v >> i) & 15]); }

/* mov eax, imm32 ; add eax, ecx ; ret   (cdecl: ecx is scratch, we pass the argument in ecx) */
static const unsigned char tmpl[] = { 0xb8, 0x11, 0x11, 0x11, 0x11, 0x01, 0xc8, 0xc3 };
static unsigned char code[64] __attribute__((aligned(16)));
static unsigned char code2[64] __attribute__((aligned(16)));

static u32 call_code(unsigned char *c, u32 arg) {
  u32 r;
  __asm__ volatile("call *%1" : "=a"(r) : "r"(c), "c"(arg) : "memory", "edx");
  return r;
}

int cmain(void) {
  for (int i = 0; i < 8; i++) code[i] = tmpl[i];
  u32 acc = 0;
  for (u32 i = 0; i < 1000; i++) acc += call_code(code, i);
  puts("a="); puthex(acc);
  code[1] = 0x22; code[2] = 0x33;          /* patch the immediate of a hot block */
  acc = 0;
  for (u32 i = 0; i < 1000; i++) acc += call_code(code, i);
  puts(" b="); puthex(acc);
  /* A loop in RAM that rewrites the immediate of an instruction after a jump (b3), and one that
   * rewrites an instruction later in its own straight-line block (b4). */
  static const unsigned char viaJump[] = { 0x88, 0x0d, 0, 0, 0, 0, 0xeb, 0x00, 0xb0, 0x00, 0x0f, 0xb6, 0xc0, 0x01, 0xc2, 0x49, 0x75, 0xee, 0xc3 };
  static const unsigned char inBlock[] = { 0x88, 0x0d, 0, 0, 0, 0, 0xb0, 0x00, 0x0f, 0xb6, 0xc0, 0x01, 0xc2, 0x49, 0x75, 0xf0, 0xc3 };
  u32 sums[2];
  for (int v = 0; v < 2; v++) {
    const unsigned char *src = v ? inBlock : viaJump;
    int n = v ? sizeof inBlock : sizeof viaJump;
    unsigned char *dst = code + 16;
    for (int i = 0; i < n; i++) dst[i] = src[i];
    u32 target = (u32)dst + (v ? 7 : 9);
    for (int i = 0; i < 4; i++) dst[2 + i] = (unsigned char)(target >> (8 * i));
    u32 s;
    __asm__ volatile("call *%1" : "=d"(s) : "r"(dst), "c"(300), "0"(0) : "eax", "memory");
    sums[v] = s;
  }
  puts(" c="); puthex(sums[0]); puts(","); puthex(sums[1]);
  /* A hot straight-line routine whose third instruction stores through EBX: into data while it
   * gets hot, then into its own later instruction (the two before the store must not run again). */
  static const unsigned char third[] = {
    0x8d, 0x52, 0x03,       /* lea edx, [edx+3] */
    0x8d, 0x14, 0x52,       /* lea edx, [edx*2+edx] */
    0x88, 0x0b,             /* mov [ebx], cl */
    0xb0, 0x00,             /* mov al, 0 (the store's target: its immediate at +9) */
    0x0f, 0xb6, 0xc0,       /* movzx eax, al */
    0x01, 0xc2,             /* add edx, eax */
    0xc3,                   /* ret */
  };
  unsigned char *r3 = code + 48;
  for (unsigned i = 0; i < sizeof third; i++) r3[i] = third[i];
  static unsigned char scratch[4];
  u32 e = 0;
  for (u32 i = 0; i < 200; i++) {
    unsigned char *to = i == 150 ? r3 + 9 : scratch;
    __asm__ volatile("call *%1" : "+d"(e) : "r"(r3), "b"(to), "c"(i) : "eax", "memory");
  }
  puts(","); puthex(e);
  /* rep movs over code that has run (and been compiled) */
  for (int i = 0; i < 8; i++) code2[i] = tmpl[i];
  acc = 0;
  for (u32 i = 0; i < 500; i++) acc += call_code(code2, i);
  unsigned char patched[8] = { 0xb8, 0x44, 0x00, 0x00, 0x00, 0x29, 0xc8, 0xc3 }; /* mov eax, 0x44; sub eax, ecx */
  __asm__ volatile("rep movsb" : : "S"(patched), "D"(code2), "c"(8) : "memory");
  for (u32 i = 0; i < 500; i++) acc += call_code(code2, i);
  puts(" d="); puthex(acc);
  puts("\n");
  return 0;
}
