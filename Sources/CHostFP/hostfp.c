#include "hostfp.h"
#include <fenv.h>
#include <math.h>
#if defined(__x86_64__)
#include <xmmintrin.h>
#include <emmintrin.h>
#endif

/* The compiler must not move or fold arithmetic across the rounding-mode and flag accesses. */
#pragma STDC FENV_ACCESS ON

static double operate(int op, double a, double b, double c)
{
	switch (op) {
	case 0: return a + b;
	case 1: return a - b;
	case 2: return a * b;
	case 3: return a / b;
#if defined(__x86_64__)
	case 4: return _mm_cvtsd_f64(_mm_sqrt_sd(_mm_set_sd(a), _mm_set_sd(a)));  /* no errno path */
#else
	case 4: return sqrt(a);
#endif
	default: return fma(a, b, c);  /* glibc's fma honours the rounding mode and raises flags */
	}
}

#if defined(__x86_64__)

enum { MXCSR_FLAGS = 0x3F, MXCSR_ROUNDING = 0x6000, DENORMAL_FLAG = 0x02 };

double lpar_host_fp(int op, double a, double b, double c, int mode, int *flags)
{
	unsigned saved = _mm_getcsr();
	/* <fenv.h>'s x86 rounding constants are the x87 control-word bits 10-11; MXCSR has the same
	 * encoding at bits 13-14. */
	_mm_setcsr((saved & ~(MXCSR_ROUNDING | MXCSR_FLAGS)) | ((unsigned)mode << 3));
	double r = operate(op, a, b, c);
	*flags = (int)(_mm_getcsr() & MXCSR_FLAGS & ~DENORMAL_FLAG);
	_mm_setcsr(saved);
	return r;
}

#else

double lpar_host_fp(int op, double a, double b, double c, int mode, int *flags)
{
	int saved = fegetround();
	fesetround(mode);
	feclearexcept(FE_ALL_EXCEPT);
	double r = operate(op, a, b, c);
	*flags = fetestexcept(FE_ALL_EXCEPT);
	feclearexcept(FE_ALL_EXCEPT);
	fesetround(saved);
	return r;
}

#endif
