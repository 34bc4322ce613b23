/*
 * Guest helper for the machc interop initramfs: reads QEMU fw_cfg through the x86 I/O ports
 * (selector 0x510, data 0x511) without the qemu_fw_cfg driver. Needed with -machine acpi=off:
 * the Debian kernel's qemu_fw_cfg only binds through the ACPI QEMU0002 device
 * (CONFIG_FW_CFG_SYSFS_CMDLINE is off, so no ioport= module parameter).
 *
 * usage: fwcfg-read OUTDIR LISTFILE [MAXSIZE]
 * writes OUTDIR/<selector> for each file of the fw_cfg directory and appends
 * "<selector> <size> <name>[ SKIPPED]" lines to LISTFILE (same format as the sysfs path).
 * Built on the host with: gcc -static -Os -o fwcfg-read fwcfg-read.c
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>

#define FW_CFG_PORT_SEL 0x510
#define FW_CFG_PORT_DATA 0x511
#define FW_CFG_SIGNATURE 0x0000
#define FW_CFG_FILE_DIR 0x0019

static void sel(uint16_t key) { outw(key, FW_CFG_PORT_SEL); }
static void rd(void *buf, uint32_t len) { insb(FW_CFG_PORT_DATA, buf, len); }

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s OUTDIR LISTFILE [MAXSIZE]\n", argv[0]);
    return 2;
  }
  unsigned long maxsz = argc > 3 ? strtoul(argv[3], NULL, 0) : 1048576;
  if (ioperm(FW_CFG_PORT_SEL, 2, 1) != 0) {
    perror("ioperm");
    return 1;
  }
  char sig[4];
  sel(FW_CFG_SIGNATURE);
  rd(sig, 4);
  if (memcmp(sig, "QEMU", 4) != 0) {
    fprintf(stderr, "fw_cfg signature not found\n");
    return 1;
  }
  uint8_t be[4];
  sel(FW_CFG_FILE_DIR);
  rd(be, 4);
  uint32_t count = (uint32_t)be[0] << 24 | (uint32_t)be[1] << 16 | (uint32_t)be[2] << 8 | be[3];
  struct {
    uint32_t size;
    uint16_t select;
    char name[57];
  } *ents = calloc(count ? count : 1, sizeof *ents);
  for (uint32_t i = 0; i < count; i++) {
    uint8_t e[64];
    rd(e, 64);
    ents[i].size = (uint32_t)e[0] << 24 | (uint32_t)e[1] << 16 | (uint32_t)e[2] << 8 | e[3];
    ents[i].select = (uint16_t)(e[4] << 8 | e[5]);
    memcpy(ents[i].name, e + 8, 56);
    ents[i].name[56] = 0;
  }
  FILE *list = fopen(argv[2], "a");
  if (!list) {
    perror(argv[2]);
    return 1;
  }
  for (uint32_t i = 0; i < count; i++) {
    if (ents[i].size > maxsz) {
      fprintf(list, "%u %u %s SKIPPED\n", ents[i].select, ents[i].size, ents[i].name);
      continue;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%u", argv[1], ents[i].select);
    FILE *f = fopen(path, "wb");
    if (!f) {
      perror(path);
      continue;
    }
    uint8_t *buf = malloc(ents[i].size ? ents[i].size : 1);
    sel(ents[i].select);
    rd(buf, ents[i].size);
    fwrite(buf, 1, ents[i].size, f);
    fclose(f);
    free(buf);
    fprintf(list, "%u %u %s\n", ents[i].select, ents[i].size, ents[i].name);
  }
  fclose(list);
  return 0;
}
