/* Shared by every benchmark workload. The same C file builds three ways:
 *   -DLPAR_PAPR   freestanding lpar guest (testprogs crt0 and lib; console via H_PUT_TERM_CHAR)
 *   (default)     a static Linux program against glibc (powerpc64 for qemu-ppc64, or native x86-64
 *                 to compute the expected checksum independently of any emulator)
 * so workload code never calls the C library in its timed part (glibc's tuned memcpy would make
 * the two builds run different code), never type-puns memory (endian-independent results) and
 * uses unsigned char explicitly (char is unsigned on PowerPC, signed on x86). */
#ifndef BENCH_H
#define BENCH_H

#ifdef LPAR_PAPR
#include "lpar.h"
#else
#include <stdio.h>
#include <stdint.h>
#include <stddef.h>
#endif

/* Inputs read through a volatile so the compiler cannot fold a workload at build time. */
#define BENCH_PARAM(x) (*(volatile long *)&(long){ (x) })

/* One line: "NAME checksum 0123456789abcdef". tools/bench compares it across lpar, qemu and a
 * native build. */
static inline void bench_report(const char *name, uint64_t checksum)
{
	printf("%s checksum %016lx\n", name, (unsigned long)checksum);
}

/* 64-bit LCG (Knuth's MMIX constants): the same sequence on every host. */
static inline uint64_t bench_lcg(uint64_t *state)
{
	*state = *state * 6364136223846793005UL + 1442695040888963407UL;
	return *state;
}

#endif
