#include "hostfp.h"
#include <fenv.h>
#include <math.h>

#if defined(__x86_64__)
#include <xmmintrin.h>
#include <emmintrin.h>

/* The compiler must not move or fold arithmetic across the control-register accesses. */
#pragma STDC FENV_ACCESS ON

enum { MXCSR_FLAGS = 0x3F, MXCSR_ROUNDING = 0x6000, DENORMAL_FLAG = 0x02 };

double lpar_host_fp(int op, double a, double b, double c, int mode, int *flags)
{
	unsigned saved = _mm_getcsr();
	/* <fenv.h>'s x86 rounding constants are the x87 control-word bits 10-11; MXCSR has the same
	 * encoding at bits 13-14. */
	_mm_setcsr((saved & ~(MXCSR_ROUNDING | MXCSR_FLAGS)) | ((unsigned)mode << 3));
	double r;
	switch (op) {
	case 0: r = a + b; break;
	case 1: r = a - b; break;
	case 2: r = a * b; break;
	case 3: r = a / b; break;
	case 4: r = _mm_cvtsd_f64(_mm_sqrt_sd(_mm_set_sd(a), _mm_set_sd(a))); break;
	default: r = fma(a, b, c); break;  /* glibc's fma honours MXCSR rounding and flags */
	}
	*flags = (int)(_mm_getcsr() & MXCSR_FLAGS & ~DENORMAL_FLAG);
	_mm_setcsr(saved);
	return r;
}

#else

#pragma STDC FENV_ACCESS ON

double lpar_host_fp(int op, double a, double b, double c, int mode, int *flags)
{
	int saved = fegetround();
	fesetround(mode);
	feclearexcept(FE_ALL_EXCEPT);
	double r;
	switch (op) {
	case 0: r = a + b; break;
	case 1: r = a - b; break;
	case 2: r = a * b; break;
	case 3: r = a / b; break;
	case 4: r = sqrt(a); break;
	default: r = fma(a, b, c); break;
	}
	*flags = fetestexcept(FE_ALL_EXCEPT);
	feclearexcept(FE_ALL_EXCEPT);
	fesetround(saved);
	return r;
}

#endif
