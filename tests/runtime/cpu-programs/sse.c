/* SSE2 exercise for 64-bit guests: integer lanes, shuffles, packs, shifts, byte scans, scalar doubles;
 * prints a checksum per group to port 0x402. Needs CR4.OSFXSR (entry64.S sets it). */
#include <emmintrin.h>
typedef unsigned int u32;
typedef unsigned long long u64;
static inline void outb(unsigned short p, unsigned char v) { __asm__ volatile("outb %0,%1" ::"a"(v), "Nd"(p)); }
static void puts(const char *s) { while (*s) outb(0x402, *s++); }
static void puthex(u64 v) { for (int i = 60; i >= 0; i -= 4) outb(0x402, "0123456789abcdef"[(v >> i) & 15]); }
static u64 mix(u64 h, __m128i v) {
  u64 a = (u64)_mm_cvtsi128_si64(v), b = (u64)_mm_cvtsi128_si64(_mm_unpackhi_epi64(v, v));
  return (h ^ a) * 0x100000001b3ull ^ (b + (h >> 7));
}
static unsigned char buf[4096] __attribute__((aligned(16)));
static double dv[64];
int cmain(void) {
  u64 h = 0xcbf29ce484222325ull;
  __m128i a = _mm_set_epi32(0x7fffffff, -5, 0x12345678, (int)0x80000000);
  __m128i b = _mm_set_epi32(3, 0x7fff0001, -1, 0x00ff00ff);
  h = mix(h, _mm_add_epi8(a, b)); h = mix(h, _mm_add_epi16(a, b)); h = mix(h, _mm_add_epi32(a, b)); h = mix(h, _mm_add_epi64(a, b));
  h = mix(h, _mm_sub_epi8(a, b)); h = mix(h, _mm_sub_epi64(a, b)); h = mix(h, _mm_adds_epi8(a, b)); h = mix(h, _mm_adds_epu8(a, b));
  h = mix(h, _mm_subs_epi16(a, b)); h = mix(h, _mm_subs_epu16(a, b)); h = mix(h, _mm_mullo_epi16(a, b)); h = mix(h, _mm_mulhi_epi16(a, b));
  h = mix(h, _mm_mulhi_epu16(a, b)); h = mix(h, _mm_mul_epu32(a, b)); h = mix(h, _mm_madd_epi16(a, b)); h = mix(h, _mm_sad_epu8(a, b));
  h = mix(h, _mm_avg_epu8(a, b)); h = mix(h, _mm_min_epu8(a, b)); h = mix(h, _mm_max_epi16(a, b));
  h = mix(h, _mm_cmpeq_epi8(a, b)); h = mix(h, _mm_cmpgt_epi16(a, b)); h = mix(h, _mm_cmpgt_epi32(a, b));
  h = mix(h, _mm_and_si128(a, b)); h = mix(h, _mm_andnot_si128(a, b)); h = mix(h, _mm_or_si128(a, b)); h = mix(h, _mm_xor_si128(a, b));
  puts("int="); puthex(h); puts("\n");
  h = 0;
  h = mix(h, _mm_shuffle_epi32(a, 0x1b)); h = mix(h, _mm_shufflelo_epi16(a, 0x72)); h = mix(h, _mm_shufflehi_epi16(b, 0x8d));
  h = mix(h, _mm_unpacklo_epi8(a, b)); h = mix(h, _mm_unpackhi_epi16(a, b)); h = mix(h, _mm_unpacklo_epi32(a, b)); h = mix(h, _mm_unpackhi_epi64(a, b));
  h = mix(h, _mm_packs_epi16(a, b)); h = mix(h, _mm_packus_epi16(a, b)); h = mix(h, _mm_packs_epi32(a, b));
  h = mix(h, _mm_slli_epi16(a, 3)); h = mix(h, _mm_srli_epi32(a, 7)); h = mix(h, _mm_srai_epi16(b, 9)); h = mix(h, _mm_srai_epi32(a, 31));
  h = mix(h, _mm_slli_epi64(a, 33)); h = mix(h, _mm_srli_epi64(b, 12)); h = mix(h, _mm_slli_si128(a, 5)); h = mix(h, _mm_srli_si128(b, 11));
  h = mix(h, _mm_sll_epi32(a, _mm_cvtsi32_si128(4))); h = mix(h, _mm_srl_epi64(b, _mm_cvtsi32_si128(70)));
  h = mix(h, _mm_insert_epi16(a, 0xbeef, 5)); h ^= (u64)_mm_extract_epi16(b, 6);
  h ^= (u64)_mm_movemask_epi8(a) << 20;
  puts("shuf="); puthex(h); puts("\n");
  /* byte scans as glibc's strlen/memchr do them */
  for (int i = 0; i < 4096; i++) buf[i] = (unsigned char)(1 + (i * 37) % 251);
  buf[3001] = 0;
  u64 len = 0;
  for (int i = 0; i < 4096; i += 16) {
    int m = _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_load_si128((const __m128i *)(buf + i)), _mm_setzero_si128()));
    if (m) { len = (u64)i + (u64)__builtin_ctz((unsigned)m); break; }
  }
  __m128i acc = _mm_setzero_si128();
  for (int i = 0; i < 4096; i += 16) acc = _mm_add_epi64(acc, _mm_sad_epu8(_mm_loadu_si128((const __m128i *)(buf + i + (i & 7))), _mm_setzero_si128()));
  puts("scan="); puthex(len); puts(" "); puthex(mix(0, acc)); puts("\n");
  /* scalar doubles */
  double s = 0.0;
  for (int i = 0; i < 64; i++) dv[i] = (double)(i * 3 - 50) / 7.0;
  for (int i = 0; i < 64; i++) s = s * 0.5 + dv[i] * dv[(i * 5) & 63] - (dv[i] > 0.25 ? 1.0 / (dv[i] + 3.0) : 2.0);
  long long t = (long long)(s * 1e9);
  int c = (int)(dv[10] * 1000.0);
  puts("fp="); puthex((u64)t); puts(" "); puthex((u64)(long long)c); puts("\n");
  /* x87 state as Linux's FPU restore path leaves it on AMD-vendor CPUs (FNCLEX; EMMS; FILD before FXRSTOR):
   * pushes of integers, then EMMS emptying every tag, seen through FXSAVE (control, status, tags, ST0-ST2). */
  static unsigned char fx[512] __attribute__((aligned(16)));
  static const int ints[3] = {-12345, 0, 0x7fffffff};
  u64 x = 0xcbf29ce484222325ull;
  __asm__ volatile("fninit; fildl %0; fildl %1; fildl %2; fnclex; fxsave %3" :: "m"(ints[0]), "m"(ints[1]), "m"(ints[2]), "m"(fx) : "memory");
  for (int i = 0; i < 6; i++) x = (x ^ fx[i]) * 0x100000001b3ull;
  for (int i = 32; i < 32 + 3 * 16; i++) x = (x ^ fx[i]) * 0x100000001b3ull;
  __asm__ volatile("emms; fxsave %0" :: "m"(fx) : "memory");
  for (int i = 0; i < 6; i++) x = (x ^ fx[i]) * 0x100000001b3ull;
  puts("x87="); puthex(x); puts("\n");
  return 0;
}
