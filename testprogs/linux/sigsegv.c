/* SIGSEGV to a handler: si_signo, si_code (SEGV_MAPERR) and si_addr of a load from and a store
   to an unmapped page, siglongjmp out of the handler (twice: the mask must come back); then a
   handler that moves the NIP in its ucontext past the faulting load and sets r9 there, which
   rt_sigreturn must restore; then the same fault while SIGSEGV is blocked kills (139). */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
static sigjmp_buf jb;
static void *volatile addr;
static volatile int code, signo;
static void onsegv(int s, siginfo_t *si, void *uc) {
    (void)uc;
    signo = s; code = si->si_code; addr = si->si_addr;
    siglongjmp(jb, 1);
}
static void skip(int s, siginfo_t *si, void *ucv) {
    ucontext_t *uc = ucv;
    printf("skip: signal %d code %d addr %p\n", s, si->si_code, si->si_addr);
    uc->uc_mcontext.gp_regs[PT_NIP] += 4;
    uc->uc_mcontext.gp_regs[9] = 1234;
}
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = onsegv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    for (int i = 0; i < 2; i++) {
        if (sigsetjmp(jb, 1) == 0) {
            volatile long *p = (long *)(0x1008L + 0x100L * i);
            long v = *p;
            printf("not reached %ld\n", v);
        } else {
            printf("load: SIGSEGV %d code %d addr %p\n", signo, code, addr);
        }
    }
    if (sigsetjmp(jb, 1) == 0) {
        *(volatile int *)0x3000 = 1;
        printf("not reached\n");
    } else {
        printf("store: SIGSEGV %d code %d addr %p\n", signo, code, addr);
    }
    sa.sa_sigaction = skip;
    sigaction(SIGSEGV, &sa, NULL);
    register long r9 __asm__("r9") = 42;
    __asm__ volatile("ld 9,0(%1)" : "+r"(r9) : "b"(0x2000L) : "memory");
    printf("after the skipped load: r9 = %ld\n", r9);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGSEGV);
    sigprocmask(SIG_BLOCK, &set, NULL);
    printf("faulting with SIGSEGV blocked\n");
    return (int)*(volatile long *)0x4000;
}
