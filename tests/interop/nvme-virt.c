/*
 * Guest helper for the machc interop initramfs: NVMe Virtualization Management and the
 * Secondary Controller List through Linux's NVME_IOCTL_ADMIN_CMD (busybox has no nvme-cli).
 *
 * usage: nvme-virt DEV mgmt ACTION RTYPE CNTLID NR
 *          Virtualization Management (opcode 1Ch): CDW10 = ACTION | RTYPE << 8 | CNTLID << 16,
 *          CDW11 = NR (ACTION 8 assign, 9 online, 7 offline; RTYPE 0 VQ, 1 VI)
 *        nvme-virt DEV seclist VFN
 *          Identify CNS 15h: prints the secondary controller entry of VF number VFN
 *          ("scid=S pcid=P scs=O vfn=V nvq=Q nvi=I") and exits 0, or 1 if none
 * DEV is a controller's character device (/dev/nvme0). The admin command's status goes to
 * standard error and sets the exit code (0 success). Built on the host with:
 * gcc -static -O2 -o nvme-virt nvme-virt.c
 */
#include <fcntl.h>
#include <linux/nvme_ioctl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int admin(int fd, struct nvme_admin_cmd *cmd, const char *what) {
  int r = ioctl(fd, NVME_IOCTL_ADMIN_CMD, cmd);
  if (r < 0) {
    perror(what);
    return 2;
  }
  if (r != 0) {
    fprintf(stderr, "%s: NVMe status 0x%x (SCT %d, SC 0x%02x)\n", what, r, (r >> 8) & 7, r & 0xff);
    return 1;
  }
  return 0;
}

static unsigned num(const char *s) { return (unsigned)strtoul(s, NULL, 0); }

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s DEV mgmt ACTION RTYPE CNTLID NR | %s DEV seclist VFN\n", argv[0], argv[0]);
    return 2;
  }
  int fd = open(argv[1], O_RDWR);
  if (fd < 0) {
    perror(argv[1]);
    return 2;
  }
  struct nvme_admin_cmd cmd;
  memset(&cmd, 0, sizeof cmd);
  if (strcmp(argv[2], "mgmt") == 0 && argc == 7) {
    cmd.opcode = 0x1c;
    cmd.cdw10 = (num(argv[3]) & 0xf) | (num(argv[4]) & 7) << 8 | num(argv[5]) << 16;
    cmd.cdw11 = num(argv[6]) & 0xffff;
    int r = admin(fd, &cmd, "virtualization management");
    if (r == 0) printf("cdw0=0x%x\n", cmd.result);
    return r;
  }
  if (strcmp(argv[2], "seclist") == 0 && argc == 4) {
    static uint8_t list[4096] __attribute__((aligned(4096)));
    cmd.opcode = 0x06;
    cmd.addr = (uint64_t)(uintptr_t)list;
    cmd.data_len = sizeof list;
    cmd.cdw10 = 0x15;
    int r = admin(fd, &cmd, "identify secondary controller list");
    if (r != 0) return r;
    unsigned want = num(argv[3]);
    for (unsigned i = 0; i < list[0] && i < 127; i++) {
      const uint8_t *e = list + 32 + 32 * i;
      unsigned vfn = e[8] | e[9] << 8;
      if (vfn != want) continue;
      printf("scid=%u pcid=%u scs=%u vfn=%u nvq=%u nvi=%u\n", e[0] | e[1] << 8, e[2] | e[3] << 8, e[4] & 1, vfn, e[10] | e[11] << 8, e[12] | e[13] << 8);
      return 0;
    }
    fprintf(stderr, "no secondary controller with VF number %u\n", want);
    return 1;
  }
  fprintf(stderr, "usage: %s DEV mgmt ACTION RTYPE CNTLID NR | %s DEV seclist VFN\n", argv[0], argv[0]);
  return 2;
}
