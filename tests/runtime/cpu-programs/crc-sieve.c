/* CPU-bound guest: CRC32 of 64 KiB and a sieve of 2^20, ROUNDS times; prints both to port 0x402. */
typedef unsigned int u32;
static inline void outb(unsigned short p, unsigned char v){ __asm__ volatile("outb %0,%1"::"a"(v),"Nd"(p)); }
static void puts(const char*s){ while(*s) outb(0x402,*s++); }
static void puthex(u32 v){ for(int i=28;i>=0;i-=4){ outb(0x402,"0123456789abcdef"[(v>>i)&15]); } }
static unsigned char buf[65536];
static unsigned char sieve[1<<20];
int cmain(void){
  u32 crc=0xffffffff;
  for(u32 i=0;i<sizeof buf;i++) buf[i]=(unsigned char)(i*7+3);
  for(int round=0; round<ROUNDS; round++){
    for(u32 i=0;i<sizeof buf;i++){ crc^=buf[i]; for(int k=0;k<8;k++) crc=(crc>>1)^(0xEDB88320u & -(crc&1)); }
  }
  u32 count=0;
  for(int round=0; round<ROUNDS; round++){
    for(u32 i=0;i<sizeof sieve;i++) sieve[i]=1;
    count=0;
    for(u32 i=2;i<sizeof sieve;i++) if(sieve[i]){ count++; for(u32 j=i+i;j<sizeof sieve;j+=i) sieve[j]=0; }
  }
  puts("crc="); puthex(~crc); puts(" primes="); puthex(count); puts("\n");
  return 0;
}
