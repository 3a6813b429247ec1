/* mprotect for real: a page made read-only faults on a store with SEGV_ACCERR (si_addr the
   byte stored to, printed relative to the page); the handler makes the page writable again
   and returns, so the store is retried and completes. Then the siglongjmp way out, a PROT_NONE
   page whose loads fault, and mprotect's own errors (EINVAL, ENOMEM).
   The kernel's si_code for a fault on a page that is mapped but forbids the access is
   SEGV_ACCERR (2) (arch/powerpc/mm/fault.c: access_error -> bad_access); qemu-ppc64 7.2 says
   SEGV_MAPERR (1) for every fault, so this program's reference is mprotect.expected, qemu's output
   with those lines corrected (tools/difftest-programs). */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static char *page;
static long pagesize;
static sigjmp_buf jb;
static volatile int faults, jump;

static void onsegv(int s, siginfo_t *si, void *uc) {
    (void)s; (void)uc;
    faults++;
    long off = (char *)si->si_addr - page;
    printf("SIGSEGV code %d (%s) at page+0x%lx\n", si->si_code,
           si->si_code == SEGV_ACCERR ? "SEGV_ACCERR" : si->si_code == SEGV_MAPERR ? "SEGV_MAPERR" : "?", off);
    if (jump) siglongjmp(jb, 1);
    if (mprotect(page, pagesize, PROT_READ | PROT_WRITE) != 0) { perror("mprotect in handler"); _exit(3); }
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    pagesize = sysconf(_SC_PAGESIZE);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = onsegv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);

    page = mmap(NULL, 2 * pagesize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) { perror("mmap"); return 1; }
    strcpy(page, "hello");
    page[pagesize] = 'n';
    printf("mprotect(PROT_READ) = %d\n", mprotect(page, pagesize, PROT_READ));
    printf("read while read-only: %s\n", page);
    page[0x123] = 'x';
    printf("after the handler: page[0x123] = %c, faults %d\n", page[0x123], faults);
    page[pagesize + 1] = 'm';
    printf("the next page stayed writable: %c%c, faults %d\n", page[pagesize], page[pagesize + 1], faults);

    jump = 1;
    mprotect(page, pagesize, PROT_READ);
    if (sigsetjmp(jb, 1) == 0) {
        *(volatile long *)(page + 0x800) = 7;
        printf("not reached\n");
    } else {
        printf("left the handler by siglongjmp; page+0x800 = %ld\n", *(volatile long *)(page + 0x800));
    }
    mprotect(page, pagesize, PROT_NONE);
    if (sigsetjmp(jb, 1) == 0) {
        printf("not reached %d\n", *(volatile char *)(page + 8));
    } else {
        printf("PROT_NONE load faulted\n");
    }
    mprotect(page, pagesize, PROT_READ | PROT_WRITE);
    printf("contents kept across PROT_NONE: %s\n", page);

    errno = 0;
    printf("mprotect(unaligned) = %d %s\n", mprotect(page + 1, 16, PROT_READ), strerror(errno));
    munmap(page + pagesize, pagesize);
    errno = 0;
    printf("mprotect(partly unmapped) = %d %s\n", mprotect(page, 2 * pagesize, PROT_READ), strerror(errno));
    printf("faults %d\n", faults);
    return 0;
}
