/*
 * 64-bit integer operations as gcc -m64 -O2 emits them, over many random
 * operands: one hash per family, printed to port 0x402, for comparison
 * with QEMU (arithmetic with carries and 128-bit products, division,
 * shifts and rotates, double shifts, bit scans and byte swaps, conditions,
 * 32-bit results in 64-bit registers, narrow loads, string moves and
 * stores in both directions over overlapping buffers, the same through
 * upper-half addresses (entry64.S maps RAM at 0xffff888000000000 too, as
 * Linux's direct map), 32-bit results of CPUID, RDTSC, RDMSR and LSL,
 * indirect calls and jump tables).
 */
typedef unsigned long u64;
typedef long i64;
typedef unsigned int u32;
typedef int i32;
typedef unsigned __int128 u128;
typedef __int128 i128;
static inline void outb(unsigned short p, unsigned char v){ __asm__ volatile("outb %0,%1"::"a"(v),"Nd"(p)); }
static void puts(const char*s){ while(*s) outb(0x402,*s++); }
static void puthex(u64 v){ for(int i=60;i>=0;i-=4) outb(0x402,"0123456789abcdef"[(v>>i)&15]); }
static u64 s0 = 0x9e3779b97f4a7c15ul, s1 = 0xbf58476d1ce4e5b9ul;
static u64 rnd(void){ u64 a=s0, b=s1; s0=b; a^=a<<23; a^=a>>17; a^=b^(b>>26); s1=a; return a+b; }
static u64 edge(void){
  static const u64 e[] = {0,1,2,0x7f,0x80,0xff,0x7fff,0x8000,0xffff,0x7fffffff,0x80000000ul,0xffffffffu,0x100000000ul,0x7fffffffffffffffl,0x8000000000000000ul,~0ul,~1ul};
  u64 r = rnd();
  return (r & 3) == 0 ? e[(r >> 8) % (sizeof e / sizeof e[0])] : rnd();
}
static u64 h;
static void mix(u64 v){ h = (h ^ v) * 0x100000001b3ul; h ^= h >> 29; }
#define N 4000
__attribute__((noinline)) static u64 add3(u64 a,u64 b,u64 c){ return a+b*c; }
__attribute__((noinline)) static u64 sub3(u64 a,u64 b,u64 c){ return a-b-c; }
__attribute__((noinline)) static u64 xor3(u64 a,u64 b,u64 c){ return (a^b)&~c; }
static u64 (*const fns[])(u64,u64,u64) = {add3,sub3,xor3};
__attribute__((noinline)) static u64 sw(u64 k, u64 a){
  switch(k & 15){
    case 0: return a+1; case 1: return a*3; case 2: return a>>3; case 3: return ~a; case 4: return a^0x55;
    case 5: return a<<7; case 6: return (i64)a>>9; case 7: return a|0x1000; case 8: return a&0xff00ff; case 9: return -a;
    case 10: return a+0x12345678; case 11: return a-99; case 12: return a*a; case 13: return a/7; case 14: return a%13; default: return a;
  }
}
static u64 bufa[512], bufb[512];
#define HI(p) ((__typeof__(p))((u64)(p) + 0xffff888000000000ul))
static unsigned char bytes[4096];
int cmain(void){
  u64 i;
  h=0; for(i=0;i<N;i++){ u64 a=edge(), b=edge(); u128 s=(u128)a+b; mix((u64)s); mix((u64)(s>>64)); u128 d=(u128)a-b; mix((u64)(d>>64)); i128 p=(i128)(i64)a*(i64)b; mix((u64)p); mix((u64)(p>>64)); u128 q=(u128)a*b; mix((u64)(q>>64)); mix(a*b); mix((u64)((i64)a*(i64)b)); mix(a+b+(a<b)); }
  puts("arith="); puthex(h); puts("\n");
  h=0; for(i=0;i<N;i++){ u64 a=edge(), b=edge(); if(b){ mix(a/b); mix(a%b); } if(b && !((i64)a==(i64)0x8000000000000000l && (i64)b==-1)){ mix((u64)((i64)a/(i64)b)); mix((u64)((i64)a%(i64)b)); } u32 x=(u32)a, y=(u32)b; if(y){ mix(x/y); mix(x%y); } }
  puts("div="); puthex(h); puts("\n");
  h=0; for(i=0;i<N;i++){ u64 a=edge(); unsigned n=rnd()&63; mix(a<<n); mix(a>>n); mix((u64)((i64)a>>n)); mix((a<<n)|(a>>((64-n)&63))); mix((a>>n)|(a<<((64-n)&63))); u32 x=(u32)a; unsigned m=n&31; mix(x<<m); mix(x>>m); mix((u32)((i32)x>>m)); mix((x<<m)|(x>>((32-m)&31))); u64 b=edge(); if(n){ mix((a<<n)|(b>>(64-n))); mix((a>>n)|(b<<(64-n))); } u128 w=((u128)a<<64)|b; mix((u64)(w>>n)); mix((u64)(w<<n>>64)); }
  puts("shift="); puthex(h); puts("\n");
  h=0; for(i=0;i<N;i++){ u64 a=edge(); if(a){ mix(__builtin_clzl(a)); mix(__builtin_ctzl(a)); } mix(__builtin_bswap64(a)); mix(__builtin_bswap32((u32)a)); unsigned n=rnd()&63; mix((a>>n)&1); mix(a|(1ul<<n)); mix(a&~(1ul<<n)); mix(a^(1ul<<n)); u32 x=(u32)a; if(x){ mix(__builtin_clz(x)); mix(__builtin_ctz(x)); } }
  puts("bits="); puthex(h); puts("\n");
  h=0; for(i=0;i<N;i++){ u64 a=edge(), b=edge(); mix(a<b ? a : b); mix((i64)a<(i64)b ? a : b); mix(a==b); mix(a>b); mix((i64)a>=(i64)b); mix((u32)a<(u32)b); mix((i32)a<(i32)b ? 5 : 9); mix(a ? 3 : 11); mix((i64)(a-b)<0); mix(((a+b)<a)); }
  puts("cond="); puthex(h); puts("\n");
  h=0; for(i=0;i<N;i++){ u64 a=edge(), b=edge(); mix((u32)(a+b)); mix((u64)(i64)(i32)a); mix((u64)(i64)(short)a); mix((u64)(i64)(signed char)a); mix((unsigned char)a); mix((unsigned short)(a*b)); mix((u32)a*(u32)b); mix((u64)((i64)(i32)a*(i64)(i32)b)); mix((u32)~a); mix((u32)-(u32)a); }
  puts("narrow="); puthex(h); puts("\n");
  h=0;
  for(i=0;i<512;i++){ bufa[i]=rnd(); bufb[i]=0; }
  for(i=0;i<4096;i++) bytes[i]=(unsigned char)rnd();
  for(int r=0;r<40;r++){
    u64 n=rnd()%200+1, off=rnd()%100; u64 *src=bufa+off+n-1, *dst=bufa+off+(rnd()%5)+n-1;
    /* overlapping copy backwards, as the kernel's decompressor moves itself */
    __asm__ volatile("std; rep movsq; cld" : "+S"(src), "+D"(dst), "+c"(n) :: "memory");
    u64 m=rnd()%300; u64 *d2=bufb+(rnd()%200); u64 v=rnd();
    __asm__ volatile("rep stosq" : "+D"(d2), "+c"(m) : "a"(v) : "memory");
    u64 k=rnd()%1000; unsigned char *bs=bytes+(rnd()%1500), *bd=bytes+1500+(rnd()%1500);
    __asm__ volatile("rep movsb" : "+S"(bs), "+D"(bd), "+c"(k) :: "memory");
    u64 k2=rnd()%500+1; unsigned char *bs2=bytes+2000+(rnd()%500)+k2-1; unsigned char *bd2=bs2+3;
    __asm__ volatile("std; rep movsb; cld" : "+S"(bs2), "+D"(bd2), "+c"(k2) :: "memory");
    u64 k3=rnd()%100; u64 *sa=bufa+(rnd()%200), *sb=bufa+(rnd()%200); u64 eq;
    __asm__ volatile("repe cmpsq; setz %b0" : "=a"(eq), "+S"(sa), "+D"(sb), "+c"(k3) :: "memory", "cc");
    mix(eq&1); mix(k3); mix((u64)sa);
  }
  for(i=0;i<512;i++){ mix(bufa[i]); mix(bufb[i]); }
  for(i=0;i<4096;i++) mix(bytes[i]);
  puts("string="); puthex(h); puts("\n");
  /* Upper-half addresses are beyond 2^53 as unsigned numbers: every pointer update must stay exact. */
  h=0;
  for(int r=0;r<40;r++){
    u64 n=rnd()%700+1; u64 *src=HI(bufa+(rnd()%400)); u64 *dst=HI(bufb+(rnd()%100));
    if (n > 400) n = 400;
    __asm__ volatile("rep movsl" : "+S"(src), "+D"(dst), "+c"(n) :: "memory");
    mix((u64)src); mix((u64)dst); mix(n);
    u64 k=rnd()%1200+1; unsigned char *bs=HI(bytes+1200+(rnd()%1500)), *bd=HI(bytes+1300+(rnd()%2700));
    __asm__ volatile("std; rep movsb; cld" : "+S"(bs), "+D"(bd), "+c"(k) :: "memory");
    mix((u64)bs); mix((u64)bd);
    u64 m=rnd()%300; u64 *d2=HI(bufb+(rnd()%200)); u64 v=rnd();
    __asm__ volatile("rep stosq" : "+D"(d2), "+c"(m) : "a"(v) : "memory");
    mix((u64)d2);
    u64 k3=rnd()%50+1; unsigned char *sa=HI(bytes+(rnd()%2000)), *sb=HI(bytes+(rnd()%2000)); u64 eq;
    __asm__ volatile("repne scasb; setz %b0" : "=a"(eq), "+D"(sa), "+c"(k3) : "a"(bytes[rnd()%4096]) : "memory", "cc");
    mix(eq&1); mix(k3); mix((u64)sa);
    u64 w; __asm__ volatile("lodsq" : "=a"(w), "+S"(sb) :: "memory"); mix(w); mix((u64)sb);
    volatile u64 *p = HI(bufa + (rnd()%512)); *p ^= rnd(); mix(*p);
  }
  for(i=0;i<512;i++){ mix(bufa[i]); mix(bufb[i]); }
  for(i=0;i<4096;i++) mix(bytes[i]);
  puts("high="); puthex(h); puts("\n");
  /* 32-bit results of system instructions clear the upper halves (RDTSC's halves are combined with 64-bit ORs by Linux). */
  h=0;
  for(i=0;i<4;i++){
    u64 a=~0ul<<i, d=~0ul; __asm__ volatile("rdtsc" : "+a"(a), "+d"(d)); mix(a>>32); mix(d>>32);
    u64 ca=i?0x80000001ul|(~0ul<<32):~0ul<<32, cb=~0ul, cc=~0ul, cd=~0ul; __asm__ volatile("cpuid" : "+a"(ca), "+b"(cb), "+c"(cc), "+d"(cd)); mix(ca); mix(cb); mix(cc); mix(cd);
    u64 ma=~0ul, md=~0ul; __asm__ volatile("rdmsr" : "+a"(ma), "+d"(md) : "c"(0xc0000080u)); mix(ma); mix(md);
    u64 l=~0ul; __asm__ volatile("lsll %k1, %k0" : "+r"(l) : "r"(0x10u) : "cc"); mix(l);
  }
  puts("sys="); puthex(h); puts("\n");
  h=0; for(i=0;i<N;i++){ u64 a=edge(), b=edge(), c=edge(); mix(fns[i%3](a,b,c)); mix(sw(rnd(), a)); }
  puts("calls="); puthex(h); puts("\n");
  return 0;
}
