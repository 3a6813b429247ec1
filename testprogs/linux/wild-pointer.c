/* Loads and stores through wild pointers fault with SEGV_MAPERR at the address used (caught
   and left with siglongjmp); the last one is not caught and kills the program (139). */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static sigjmp_buf jb;
static volatile int code;
static void *volatile addr;

static void onsegv(int s, siginfo_t *si, void *uc) {
    (void)s; (void)uc;
    code = si->si_code;
    addr = si->si_addr;
    siglongjmp(jb, 1);
}

static void try_load(unsigned long a) {
    if (sigsetjmp(jb, 1) == 0) {
        long v = *(volatile long *)a;
        printf("load 0x%lx = %ld (no fault)\n", a, v);
    } else {
        printf("load 0x%lx: SIGSEGV code %d addr %s\n", a, code, addr == (void *)a ? "= pointer" : "elsewhere");
    }
}

static void try_store(unsigned long a) {
    if (sigsetjmp(jb, 1) == 0) {
        *(volatile long *)a = 1;
        printf("store 0x%lx: no fault\n", a);
    } else {
        printf("store 0x%lx: SIGSEGV code %d addr %s\n", a, code, addr == (void *)a ? "= pointer" : "elsewhere");
    }
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = onsegv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    try_load(0x12345);
    try_load(0x20000000);
    try_load(0x30000000);
    try_store(0x12340);
    try_store(0x20000008);
    try_store(0x30000000);
    sa.sa_handler = SIG_DFL;
    sa.sa_flags = 0;
    sigaction(SIGSEGV, &sa, NULL);
    printf("unhandled wild load\n");
    return (int)*(volatile long *)0x20000000;
}
