/* Instruction fetch from memory without PROT_EXEC (a heap buffer, an anonymous mapping, the
   stack) faults with SIGSEGV; after mprotect(PROT_READ|PROT_EXEC) the same code runs, and
   after mprotect back to read-write it faults again.
   The kernel's si_code for a fault on a page that is mapped but forbids the access is
   SEGV_ACCERR (2) (arch/powerpc/mm/fault.c: access_error -> bad_access); qemu-ppc64 7.2 says
   SEGV_MAPERR (1) for every fault, so this program's reference is exec-data.expected, qemu's output
   with those lines corrected (tools/difftest-programs).
   For an instruction fetch fault the kernel's si_addr is the instruction's address (the ISI
   handler passes NIP as the fault address); qemu-ppc64 7.2 gives another address. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf jb;
static volatile int code;
static void *volatile addr;

static void onsegv(int s, siginfo_t *si, void *uc) {
    (void)s; (void)uc;
    code = si->si_code;
    addr = si->si_addr;
    siglongjmp(jb, 1);
}

/* li r3,42; blr */
static const unsigned int code42[] = {0x3860002a, 0x4e800020};

/* ELFv1 calls through a function descriptor: entry, TOC, environment. */
static void *volatile desc[3];
static long call(void *entry) {
    desc[0] = entry;
    __asm__ volatile("" ::: "memory");
    long (*f)(void) = (long (*)(void))(void *)desc;
    return f();
}

static void attempt(const char *what, void *entry) {
    if (sigsetjmp(jb, 1) == 0) {
        long r = call(entry);
        printf("%s: ran, returned %ld\n", what, r);
    } else {
        printf("%s: SIGSEGV code %d addr %s\n", what, code, addr == entry ? "= code" : "elsewhere");
    }
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    long ps = sysconf(_SC_PAGESIZE);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = onsegv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);

    unsigned int *m = mmap(NULL, ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memcpy(m, code42, sizeof code42);
    __builtin___clear_cache((char *)m, (char *)m + sizeof code42);
    attempt("read-write mapping", m);
    mprotect(m, ps, PROT_READ | PROT_EXEC);
    attempt("after mprotect(PROT_READ|PROT_EXEC)", m);
    mprotect(m, ps, PROT_READ | PROT_WRITE);
    attempt("after mprotect(PROT_READ|PROT_WRITE)", m);
    unsigned int onstack[2];
    memcpy(onstack, code42, sizeof code42);
    attempt("stack", onstack);
    return 0;
}
