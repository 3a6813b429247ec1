#ifndef LPAR_HOSTFP_H
#define LPAR_HOSTFP_H

/* One IEEE double operation in a given rounding mode, with the exception flags it raised, done
 * through the SSE control register directly. glibc's fenv calls save and restore the whole x87
 * environment and cost ~100 cycles each; lpar's FPU used four of them per instruction.
 *   op:    0 add, 1 sub, 2 mul, 3 div, 4 sqrt(a), 5 a * b + c (fused)
 *   mode:  the <fenv.h> rounding constant (FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO)
 *   flags: set to the <fenv.h> exception bits raised (FE_INVALID, FE_DIVBYZERO, FE_OVERFLOW,
 *          FE_UNDERFLOW, FE_INEXACT), which on x86-64 are MXCSR's flag bits. */
double lpar_host_fp(int op, double a, double b, double c, int mode, int *flags);

#endif
