/* Vector loads and stores honour page protections like the scalar ones: lvx from a PROT_NONE
   page, stvx to a read-only page (which stays unchanged) and lxvd2x from an unmapped page
   raise SIGSEGV with si_addr the vector's address; to a writable page they work.
   The kernel's si_code for a fault on a page that is mapped but forbids the access is
   SEGV_ACCERR (2); qemu-ppc64 7.2 says SEGV_MAPERR (1) for every fault, so this program's
   reference is vector-fault.expected, qemu's output with those lines corrected
   (tools/difftest-programs). */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf jb;
static volatile int code;
static char *volatile addr;

static void onsegv(int s, siginfo_t *si, void *uc) {
    (void)s; (void)uc;
    code = si->si_code;
    addr = si->si_addr;
    siglongjmp(jb, 1);
}

static void lvx(char *p) { __asm__ volatile("lvx 2,0,%0" :: "r"(p) : "v2", "memory"); }
static void stvx_ones(char *p) { __asm__ volatile("vspltisb 3,-1\n\tstvx 3,0,%0" :: "r"(p) : "v3", "memory"); }
static void lxvd2x(char *p) { __asm__ volatile("lxvd2x 34,0,%0" :: "r"(p) : "v2", "memory"); }

static void attempt(const char *what, void (*f)(char *), char *p) {
    if (sigsetjmp(jb, 1) == 0) {
        f(p);
        printf("%s: no fault\n", what);
    } else {
        printf("%s: SIGSEGV code %d addr %s\n", what, code, addr == p ? "= vector" : "elsewhere");
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
    char *m = mmap(NULL, 3 * ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *none = m, *ro = m + ps, *gone = m + 2 * ps;
    mprotect(none, ps, PROT_NONE);
    mprotect(ro, ps, PROT_READ);
    munmap(gone, ps);
    char buf[64] __attribute__((aligned(16)));
    memset(buf, 0, sizeof buf);
    attempt("lvx from a writable page", lvx, buf);
    attempt("stvx to a writable page", stvx_ones, buf + 16);
    printf("stored: %d %d\n", buf[16], buf[31]);
    attempt("lvx from PROT_NONE", lvx, none + 32);
    attempt("stvx to read-only", stvx_ones, ro + 48);
    printf("read-only page unchanged: %d %d\n", ro[48], ro[63]);
    attempt("lxvd2x from unmapped", lxvd2x, gone + 64);
    return 0;
}
