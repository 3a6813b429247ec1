/* munmap for real: after munmap a load faults with SEGV_MAPERR at the address; unmapping the
   middle page of three leaves its neighbours; a mapping made again reads zeros. */
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

static long ps;

static void probe(const char *what, char *p, char *base) {
    if (sigsetjmp(jb, 1) == 0) {
        char c = *(volatile char *)p;
        printf("%s: readable (%d)\n", what, c);
    } else {
        printf("%s: SIGSEGV code %d at base + %ld pages + 0x%lx\n", what, code, (long)(addr - base) / ps, (unsigned long)(addr - base) % ps);
    }
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    ps = sysconf(_SC_PAGESIZE);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = onsegv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);

    char *p = mmap(NULL, 3 * ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(p, 'a', 3 * ps);
    printf("munmap(middle) = %d\n", munmap(p + ps, ps));
    probe("first page", p + 10, p);
    probe("middle page", p + ps + 0x40, p);
    probe("last page", p + 2 * ps + 5, p);
    char *q = mmap(p + ps, ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("mapped again at the same place: %s, reads %d\n", q == p + ps ? "yes" : "no", q[0x40]);
    munmap(p, 3 * ps);
    probe("after munmap of all", p + 2 * ps + 8, p);
    sa.sa_handler = SIG_DFL;
    sa.sa_flags = 0;
    sigaction(SIGSEGV, &sa, NULL);
    printf("unhandled store to the unmapped page\n");
    p[1] = 1;
    printf("not reached\n");
    return 0;
}
