/*
 * A QEMU TCG plugin for machc's CPU conformance work (tests/cpu/README.md, "Tracing"): counts
 * executed instructions and writes an execution trace in machc's trace format (trace/format.ts):
 *
 *   "MCTRACE1", u32 flags (bit 0 registers, bit 1 rep once, bit 2 per instruction, bit 3
 *   EFLAGS's arithmetic bits not valid), u32 0,
 *   then one record per run of instructions that fell through one into the next:
 *     u32 linear address of the first,
 *     [with registers: eax ecx edx ebx esp ebp esi edi eflags (u32 each) before the first,]
 *     LEB128 number of instructions
 *   or, per instruction: u32 linear address, u8 size, [registers]
 *
 * Arguments (-plugin plugin.so,name=value,...):
 *   trace=FILE      write the trace there (none: count only)
 *   regs=on         registers at the start of each record (QEMU 9+: the plugin register API)
 *   unit=insn       one record per instruction (default: per run)
 *   rep=once        REP string instructions count once, not once per iteration (QEMU's way)
 *   count=FILE      write "instructions N" and why the run stopped there at the end
 *   debugcon=FILE   the file QEMU's isa-debugcon writes to, and
 *   until=TEXT      stop once TEXT appears in it (checked right after each OUT instruction:
 *                   the count is then exact, the OUT that completed the text included)
 *   max=N           stop after N instructions
 * Stopping ends QEMU (status 0) after writing the files.
 *
 * QEMU ships the plugin API's header only in its source; these are our own declarations of the
 * few functions used, for QEMU_API = the QEMU's QEMU_PLUGIN_VERSION (1 for 7.2, 4 for 10.0,
 * newer for later), which the build (trace/plugin.ts) passes with -DQEMU_API=N.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef QEMU_API
#error "build with -DQEMU_API=<the QEMU's plugin API version>"
#endif

#define EXPORT __attribute__((visibility("default")))

typedef uint64_t qemu_plugin_id_t;
typedef struct {
    const char *target_name;
    struct { int min; int cur; } version;
    bool system_emulation;
    union { struct { int smp_vcpus; int max_vcpus; } system; };
} qemu_info_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
struct qemu_plugin_register;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_CB_R_REGS, QEMU_PLUGIN_CB_RW_REGS };
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_vcpu_simple_cb_t)(qemu_plugin_id_t id, unsigned int vcpu_index);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn, qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_vcpu_init_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_simple_cb_t cb);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_outs(const char *string);
#if QEMU_API >= 3
size_t qemu_plugin_insn_data(const struct qemu_plugin_insn *insn, void *dest, size_t len);
#else
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
#endif

#if QEMU_API >= 2
/* glib, which QEMU links: only what the register API needs. */
typedef struct { char *data; unsigned int len; } GArray;
typedef struct { uint8_t *data; unsigned int len; } GByteArray;
GByteArray *g_byte_array_new(void);
GByteArray *g_byte_array_set_size(GByteArray *array, unsigned int length);
char *g_array_free(GArray *array, int free_segment);
typedef struct { struct qemu_plugin_register *handle; const char *name; const char *feature; } qemu_plugin_reg_descriptor;
GArray *qemu_plugin_get_registers(void);
/* int (bytes read) up to API 5, bool from 6: only the buffer's length is looked at */
int qemu_plugin_read_register(struct qemu_plugin_register *handle, GByteArray *buf);
#endif

EXPORT int qemu_plugin_version = QEMU_API;

struct insn_info {
    uint64_t vaddr;
    uint32_t size;
    uint8_t is_out;
    uint8_t is_rep;
};

static FILE *trace;
static bool want_regs;
static bool per_insn;
static bool rep_once;
static uint64_t last_vaddr = UINT64_MAX;
static bool last_rep;
static const char *count_path;
static const char *debugcon_path;
static const char *until_text;
static uint64_t max_insns;

static uint64_t executed;
static uint64_t expect_next = UINT64_MAX;
static uint64_t run_len;
static bool check_pending;
static off_t debugcon_seen;
static char *window;             /* the last strlen(until) - 1 bytes seen, then the new ones */
static size_t window_len;
static bool stopped;
static const char *stop_reason = "QEMU exited";

#if QEMU_API >= 2
static struct qemu_plugin_register *reg_handles[9];
static GByteArray *reg_buf;
static const char *const REG_NAMES[9][2] = {
    { "eax", "rax" }, { "ecx", "rcx" }, { "edx", "rdx" }, { "ebx", "rbx" }, { "esp", "rsp" },
    { "ebp", "rbp" }, { "esi", "rsi" }, { "edi", "rdi" }, { "eflags", "rflags" },
};
#endif

static void put_u32(uint32_t v)
{
    uint8_t b[4] = { v, v >> 8, v >> 16, v >> 24 };
    fwrite(b, 1, 4, trace);
}

static void put_leb(uint64_t v)
{
    do {
        uint8_t b = v & 0x7f;
        v >>= 7;
        if (v) {
            b |= 0x80;
        }
        fputc(b, trace);
    } while (v);
}

static void put_regs(void)
{
#if QEMU_API >= 2
    for (int i = 0; i < 9; i++) {
        uint32_t v = 0;
        if (reg_handles[i]) {
            g_byte_array_set_size(reg_buf, 0);
            qemu_plugin_read_register(reg_handles[i], reg_buf);
            memcpy(&v, reg_buf->data, reg_buf->len < 4 ? reg_buf->len : 4);
        }
        put_u32(v);
    }
#endif
}

static void flush_run(void)
{
    if (trace && run_len) {
        put_leb(run_len);
    }
    run_len = 0;
}

static void finish(void)
{
    if (trace) {
        flush_run();
        fclose(trace);
        trace = NULL;
    }
    if (count_path) {
        FILE *f = fopen(count_path, "w");
        if (f) {
            fprintf(f, "instructions %llu\nstopped %s\n", (unsigned long long)executed, stop_reason);
            fclose(f);
        }
    }
}

static void stop(const char *why)
{
    stopped = true;
    stop_reason = why;
    finish();
    fflush(NULL);
    _exit(0);
}

/* Has the text appeared in the debug console's file since we last looked? */
static bool debugcon_has_text(void)
{
    struct stat st;
    if (stat(debugcon_path, &st) != 0 || st.st_size <= debugcon_seen) {
        return false;
    }
    size_t keep = strlen(until_text) - 1;
    size_t fresh = st.st_size - debugcon_seen;
    window = realloc(window, window_len + fresh + 1);
    int fd = open(debugcon_path, O_RDONLY);
    if (fd < 0) {
        return false;
    }
    ssize_t n = pread(fd, window + window_len, fresh, debugcon_seen);
    close(fd);
    if (n <= 0) {
        return false;
    }
    debugcon_seen += n;
    window_len += n;
    window[window_len] = 0;
    bool found = memmem(window, window_len, until_text, strlen(until_text)) != NULL;
    if (window_len > keep) {
        memmove(window, window + window_len - keep, keep);
        window_len = keep;
    }
    return found;
}

static void on_insn(unsigned int vcpu, void *udata)
{
    struct insn_info *in = udata;
    (void)vcpu;
    if (stopped) {
        return;
    }
    if (check_pending) {
        check_pending = false;
        if (debugcon_has_text()) {
            /* the OUT before this instruction completed the text: count up to it */
            stop("until");
        }
    }
    if (in->is_out && until_text) {
        check_pending = true;
    }
    if (rep_once && in->is_rep && last_rep && in->vaddr == last_vaddr) {
        return;
    }
    last_vaddr = in->vaddr;
    last_rep = in->is_rep;
    executed++;
    if (trace && per_insn) {
        put_u32((uint32_t)in->vaddr);
        fputc(in->size, trace);
        if (want_regs) {
            put_regs();
        }
    } else if (trace) {
        if (in->vaddr != expect_next) {
            flush_run();
            put_u32((uint32_t)in->vaddr);
            if (want_regs) {
                put_regs();
            }
        }
        run_len++;
    }
    expect_next = in->vaddr + in->size;
    if (max_insns && executed >= max_insns) {
        stop("max");
    }
}

/* The opcode after the legacy prefixes, and whether one of them was REP/REPNE. */
static int opcode(const uint8_t *b, size_t n, bool *rep)
{
    size_t i = 0;
    *rep = false;
    while (i < n && (b[i] == 0x66 || b[i] == 0x67 || b[i] == 0xf2 || b[i] == 0xf3 || b[i] == 0x2e || b[i] == 0x36 ||
                     b[i] == 0x3e || b[i] == 0x26 || b[i] == 0x64 || b[i] == 0x65 || b[i] == 0xf0)) {
        if (b[i] == 0xf2 || b[i] == 0xf3) {
            *rep = true;
        }
        i++;
    }
    return i < n ? b[i] : -1;
}

/* OUT and OUTS: E6 E7 EE EF 6E 6F. */
static bool is_out(int op)
{
    return op == 0xe6 || op == 0xe7 || op == 0xee || op == 0xef || op == 0x6e || op == 0x6f;
}

/* String instructions: ins outs movs cmps stos lods scas. */
static bool is_string(int op)
{
    return (op >= 0x6c && op <= 0x6f) || (op >= 0xa4 && op <= 0xa7) || (op >= 0xaa && op <= 0xaf);
}

static void on_tb(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    size_t n = qemu_plugin_tb_n_insns(tb);
    for (size_t i = 0; i < n; i++) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        struct insn_info *in = malloc(sizeof *in);
        uint8_t bytes[16] = { 0 };
        size_t size = qemu_plugin_insn_size(insn);
#if QEMU_API >= 3
        qemu_plugin_insn_data(insn, bytes, size < 16 ? size : 16);
#else
        memcpy(bytes, qemu_plugin_insn_data(insn), size < 16 ? size : 16);
#endif
        bool rep;
        int op = opcode(bytes, size < 16 ? size : 16, &rep);
        in->vaddr = qemu_plugin_insn_vaddr(insn);
        in->size = size;
        in->is_out = is_out(op);
        in->is_rep = rep && is_string(op);
        qemu_plugin_register_vcpu_insn_exec_cb(insn, on_insn, want_regs ? QEMU_PLUGIN_CB_R_REGS : QEMU_PLUGIN_CB_NO_REGS, in);
    }
}

#if QEMU_API >= 2
static void on_vcpu_init(qemu_plugin_id_t id, unsigned int vcpu)
{
    (void)id;
    if (vcpu != 0 || !want_regs) {
        return;
    }
    GArray *regs = qemu_plugin_get_registers();
    qemu_plugin_reg_descriptor *d = (qemu_plugin_reg_descriptor *)regs->data;
    for (unsigned int i = 0; i < regs->len; i++) {
        for (int r = 0; r < 9; r++) {
            if (!strcmp(d[i].name, REG_NAMES[r][0]) || !strcmp(d[i].name, REG_NAMES[r][1])) {
                reg_handles[r] = d[i].handle;
            }
        }
    }
    g_array_free(regs, 1);
    reg_buf = g_byte_array_new();
}
#endif

static void at_exit(qemu_plugin_id_t id, void *p)
{
    (void)id;
    (void)p;
    if (!stopped) {
        finish();
    }
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
    const char *trace_path = NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strncmp(a, "trace=", 6)) {
            trace_path = a + 6;
        } else if (!strcmp(a, "regs=on")) {
            want_regs = true;
        } else if (!strcmp(a, "regs=off")) {
            want_regs = false;
        } else if (!strcmp(a, "unit=insn")) {
            per_insn = true;
        } else if (!strcmp(a, "unit=run")) {
            per_insn = false;
        } else if (!strcmp(a, "rep=once")) {
            rep_once = true;
        } else if (!strcmp(a, "rep=each")) {
            rep_once = false;
        } else if (!strncmp(a, "count=", 6)) {
            count_path = a + 6;
        } else if (!strncmp(a, "debugcon=", 9)) {
            debugcon_path = a + 9;
        } else if (!strncmp(a, "until=", 6)) {
            until_text = a + 6;
        } else if (!strncmp(a, "max=", 4)) {
            max_insns = strtoull(a + 4, NULL, 0);
        } else {
            fprintf(stderr, "machc trace plugin: unknown argument '%s'\n", a);
            return -1;
        }
    }
    if (until_text && (!debugcon_path || !*until_text)) {
        fprintf(stderr, "machc trace plugin: until= needs a non-empty text and debugcon=FILE\n");
        return -1;
    }
#if QEMU_API < 2
    if (want_regs) {
        fprintf(stderr, "machc trace plugin: regs=on needs QEMU 9 or later (the register API); QEMU %d.x here\n", info->version.cur);
        return -1;
    }
#endif
    if (trace_path) {
        trace = fopen(trace_path, "wb");
        if (!trace) {
            fprintf(stderr, "machc trace plugin: cannot write %s\n", trace_path);
            return -1;
        }
        setvbuf(trace, NULL, _IOFBF, 1 << 20);
        fwrite("MCTRACE1", 1, 8, trace);
        /* bit 3: EFLAGS without its arithmetic bits, which QEMU computes lazily and the
           plugin API reads as they were last materialised */
        put_u32((want_regs ? 1 | 8 : 0) | (rep_once ? 2 : 0) | (per_insn ? 4 : 0));
        put_u32(0);
    }
    (void)info;
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb);
#if QEMU_API >= 2
    qemu_plugin_register_vcpu_init_cb(id, on_vcpu_init);
#endif
    qemu_plugin_register_atexit_cb(id, at_exit, NULL);
    return 0;
}
