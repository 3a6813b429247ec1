/* A PROT_NONE reservation with a usable window (the guard-page pattern of thread stacks and
   allocators): the window works, one byte past it faults with SEGV_ACCERR (mapped, no access),
   and mmap(PROT_NONE) pages become usable after mprotect.
   The kernel's si_code for a fault on a page that is mapped but forbids the access is
   SEGV_ACCERR (2) (arch/powerpc/mm/fault.c: access_error -> bad_access); qemu-ppc64 7.2 says
   SEGV_MAPERR (1) for every fault, so this program's reference is guard-page.expected, qemu's output
   with those lines corrected (tools/difftest-programs). */
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

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    long ps = sysconf(_SC_PAGESIZE);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = onsegv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);

    char *r = mmap(NULL, 4 * ps, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (r == MAP_FAILED) { perror("mmap"); return 1; }
    char *window = r + ps;
    printf("mprotect(window, 2 pages, RW) = %d\n", mprotect(window, 2 * ps, PROT_READ | PROT_WRITE));
    memset(window, 'w', 2 * ps);
    printf("window filled: %c%c\n", window[0], window[2 * ps - 1]);
    if (sigsetjmp(jb, 1) == 0) {
        window[2 * ps] = 1;
        printf("not reached\n");
    } else {
        printf("past the window: SIGSEGV code %d at window + %ld pages + 0x%lx\n", code, (long)(addr - window) / ps, (unsigned long)(addr - window) % ps);
    }
    if (sigsetjmp(jb, 1) == 0) {
        printf("not reached %d\n", window[-1]);
    } else {
        printf("before the window: SIGSEGV code %d at window-0x%lx\n", code, (unsigned long)(window - addr));
    }
    mprotect(r, ps, PROT_READ);
    printf("guard made readable: %d\n", r[100]);
    sa.sa_handler = SIG_DFL;
    sa.sa_flags = 0;
    sigaction(SIGSEGV, &sa, NULL);
    printf("unhandled store to the upper guard\n");
    r[3 * ps + 16] = 1;
    printf("not reached\n");
    return 0;
}
