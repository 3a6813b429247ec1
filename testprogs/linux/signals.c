/* Signals the process sends itself: handlers (plain and SA_SIGINFO), blocking and later
   delivery, siglongjmp out of a handler, ignored signals, and abort() after its handler: 134. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
static volatile int got, info_ok;
static sigjmp_buf jb;
static void h(int s) { got = s; }
static void hi(int s, siginfo_t *si, void *uc) { info_ok = si->si_signo == s && si->si_code == SI_TKILL; }
static void hj(int s) { siglongjmp(jb, s); }
static void habrt(int s) { printf("SIGABRT handler ran\n"); fflush(stdout); }
int main(void) {
    signal(SIGUSR1, h);
    raise(SIGUSR1);
    printf("handler got %d\n", got);
    struct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_sigaction = hi; sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    printf("siginfo ok %d\n", info_ok);
    sigset_t set; sigemptyset(&set); sigaddset(&set, SIGUSR1);
    got = 0;
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGUSR1);
    printf("blocked: got %d\n", got);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    printf("unblocked: got %d\n", got);
    signal(SIGINT, hj);
    int r = sigsetjmp(jb, 1);
    if (r == 0) { raise(SIGINT); printf("not reached\n"); }
    printf("siglongjmp out of handler: %d\n", r);
    signal(SIGCHLD, SIG_DFL); raise(SIGCHLD); printf("SIGCHLD ignored\n");
    signal(SIGTERM, SIG_IGN); raise(SIGTERM); printf("SIGTERM ignored\n");
    signal(SIGABRT, habrt);
    abort();
}
