/* SIGFPE from enabled floating-point exceptions: feenableexcept (prctl PR_SET_FPEXC and the
   FPSCR enable bits, as glibc does it), then 1.0/0.0 goes to a handler with FPE_FLTDIV;
   siglongjmp out. Disabled again, 1/0 is inf. Overflow
   enabled gives FPE_FLTOVF. Last, with no handler, 1/0 kills: 136. */
#define _GNU_SOURCE
#include <fenv.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
static sigjmp_buf jb;
static volatile int code;
static void onfpe(int s, siginfo_t *si, void *uc) {
    (void)s; (void)uc;
    code = si->si_code;
    siglongjmp(jb, 1);
}
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    volatile double zero = 0.0, one = 1.0, big = 1e308;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = onfpe;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGFPE, &sa, NULL);
    printf("feenableexcept(FE_DIVBYZERO) = %d\n", feenableexcept(FE_DIVBYZERO));
    if (sigsetjmp(jb, 1) == 0) {
        volatile double r = one / zero;
        printf("not reached %f\n", r);
    } else {
        /* (qemu-ppc64 leaves fp_regs[32] of the frame 0, so the saved FPSCR is not compared.) */
        printf("1/0: SIGFPE code %d\n", code);
    }
    feclearexcept(FE_ALL_EXCEPT);
    fedisableexcept(FE_DIVBYZERO);
    printf("disabled: 1/0 = %f\n", one / zero);
    feclearexcept(FE_ALL_EXCEPT);
    feenableexcept(FE_OVERFLOW);
    if (sigsetjmp(jb, 1) == 0) {
        volatile double r = big * big;
        printf("not reached %f\n", r);
    } else {
        printf("1e308*1e308: SIGFPE code %d\n", code);
    }
    feclearexcept(FE_ALL_EXCEPT);
    fedisableexcept(FE_ALL_EXCEPT);
    signal(SIGFPE, SIG_DFL);
    feenableexcept(FE_DIVBYZERO);
    printf("dividing by zero with no handler\n");
    volatile double r = one / zero;
    printf("not reached %f\n", r);
    return 0;
}
