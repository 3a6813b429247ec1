/* The freestanding support library of lpar's test guests. */
#ifndef LPAR_H
#define LPAR_H

typedef unsigned long size_t;
typedef unsigned long uint64_t;
typedef long int64_t;
typedef unsigned int uint32_t;
typedef int int32_t;
typedef unsigned short uint16_t;
typedef unsigned char uint8_t;
typedef unsigned long uintptr_t;

#define H_SUCCESS 0
#define H_FUNCTION (-2)
#define H_PARAMETER (-4)
#define H_GET_TERM_CHAR 0x54
#define H_PUT_TERM_CHAR 0x58
#define H_RTAS 0xF000 /* QEMU/KVM's RTAS call: r4 = argument buffer */
#define H_LPAR_EXIT 0xFF00 /* lpar's own: r4 = exit status */

/* Return codes (PAPR; the values Linux's hvcall.h uses). */
#define H_BUSY 1
#define H_PARTIAL 5
#define H_CONTINUE 18
#define H_LONG_BUSY_ORDER_1_MSEC 9900
#define H_LONG_BUSY_ORDER_10_MSEC 9901
#define H_LONG_BUSY_ORDER_100_SEC 9905
#define H_IS_LONG_BUSY(x) ((x) >= H_LONG_BUSY_ORDER_1_MSEC && (x) <= H_LONG_BUSY_ORDER_100_SEC)
#define H_PRIVILEGE (-3)
#define H_NOT_FOUND (-7)
#define H_P2 (-55)
#define H_P3 (-56)
#define H_P4 (-57)
#define H_P5 (-58)
#define H_AUTHORITY (-10)
#define H_TOO_BIG (-64)
#define H_UNSUPPORTED (-67)
#define H_OVERLAP (-68)
#define H_IN_USE (-77)

/* The SCM (NVDIMM) hcalls. */
#define H_SCM_READ_METADATA 0x3E4
#define H_SCM_WRITE_METADATA 0x3E8
#define H_SCM_BIND_MEM 0x3EC
#define H_SCM_UNBIND_MEM 0x3F0
#define H_SCM_QUERY_BLOCK_MEM_BINDING 0x3F4
#define H_SCM_QUERY_LOGICAL_MEM_BINDING 0x3F8
#define H_SCM_UNBIND_ALL 0x3FC
#define H_SCM_HEALTH 0x400
#define H_SCM_PERFORMANCE_STATS 0x418
#define H_SCM_FLUSH 0x44C
#define H_SCM_BIND_ANY_ADDR (~0UL) /* target address: let the hypervisor choose */
#define H_SCM_UNBIND_SCOPE_ALL 1
#define H_SCM_UNBIND_SCOPE_DRC 2

/* scm.c: the SCM hcalls that continue, looped until a final status (see there). */
long scm_bind(uint64_t drc, uint64_t start, uint64_t blocks, uint64_t *addr, uint64_t *bound, int *calls);
long scm_flush(uint64_t drc, int *calls);
long scm_unbind_all(uint64_t drc, uint64_t *unbound, int *calls);

long plpar_hcall_norets(unsigned long opcode, ...);
long plpar_hcall(unsigned long opcode, unsigned long retbuf[4], ...);
long plpar_hcall9(unsigned long opcode, unsigned long retbuf[9], ...);

/* The device tree lpar passed in r3 (0 when none). */
extern void *__lpar_fdt;

void lpar_exit(int status) __attribute__((noreturn));
int putchar(int c);
int puts(const char *s);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_flush(void);

void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

#endif
