/* Masks and waiting: a blocked signal stays pending (sigpending), sigsuspend with it unblocked
   runs the handler and returns -1 EINTR with the old mask back; sigwaitinfo takes a blocked
   signal without its handler; sigtimedwait times out with EAGAIN; SA_NODEFER
   lets a handler be interrupted by its own signal; sa_mask blocks others during the handler;
   sigaltstack with SA_ONSTACK runs the handler on the alternate stack (SS_ONSTACK inside);
   SA_RESETHAND runs once, then the default action kills: 138 (SIGUSR1). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
static volatile int got, depth, maxdepth, runs, usr2_during;
static char *alt;
static void h(int s) { got = s; }
static void nested(int s) {
    depth++;
    runs++;
    if (depth > maxdepth) maxdepth = depth;
    if (runs < 3) raise(s);
    depth--;
}
static void masked(int s) {
    (void)s;
    raise(SIGUSR2);  /* blocked by sa_mask: runs after this handler returns */
    usr2_during = got == SIGUSR2;
}
static void onstack(int s) {
    char here;
    stack_t ss;
    sigaltstack(NULL, &ss);
    printf("handler %d on the alternate stack: %d, ss_flags SS_ONSTACK %d\n", s,
           &here >= alt && &here < alt + 65536, (ss.ss_flags & SS_ONSTACK) != 0);
}
static void once(int s) { printf("SA_RESETHAND handler for %d\n", s); }
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    sigset_t set, old, pend;
    signal(SIGUSR1, h);
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    raise(SIGUSR1);
    sigpending(&pend);
    printf("blocked: got %d, pending %d\n", got, sigismember(&pend, SIGUSR1));
    sigset_t wait = old;
    int r = sigsuspend(&wait);
    int e = errno;
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("sigsuspend = %d (%s), got %d, still blocked %d\n", r, e == EINTR ? "EINTR" : "?", got, sigismember(&cur, SIGUSR1));
    got = 0;
    raise(SIGUSR1);
    siginfo_t si;
    int sig = sigwaitinfo(&set, &si);
    printf("sigwaitinfo = %d, si_signo %d, handler ran %d\n", sig, si.si_signo, got);
    struct timespec ts = { 0, 10 * 1000 * 1000 };
    r = sigtimedwait(&set, &si, &ts);
    e = errno;
    printf("sigtimedwait = %d (%s)\n", r, e == EAGAIN ? "EAGAIN" : "?");
    sigprocmask(SIG_SETMASK, &old, NULL);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = nested;
    sa.sa_flags = SA_NODEFER;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    printf("SA_NODEFER: %d runs, nested depth %d\n", runs, maxdepth);
    maxdepth = 0;
    runs = 0;
    sa.sa_flags = 0;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    printf("deferred: %d runs, nested depth %d\n", runs, maxdepth);

    got = 0;
    signal(SIGUSR2, h);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = masked;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    printf("sa_mask: SIGUSR2 during the handler %d, after %d\n", usr2_during, got == SIGUSR2);

    alt = malloc(65536);
    stack_t ss = { .ss_sp = alt, .ss_size = 65536, .ss_flags = 0 };
    printf("sigaltstack = %d\n", sigaltstack(&ss, NULL));
    stack_t small = { .ss_sp = alt, .ss_size = 1024, .ss_flags = 0 };
    r = sigaltstack(&small, NULL);
    e = errno;
    printf("too small: %d (%s)\n", r, e == ENOMEM ? "ENOMEM" : "?");
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = onstack;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    stack_t now;
    sigaltstack(NULL, &now);
    printf("after: ss_flags %d, size %zu\n", now.ss_flags, now.ss_size);

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = once;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    struct sigaction q;
    sigaction(SIGUSR1, NULL, &q);
    printf("after SA_RESETHAND: handler is SIG_DFL %d\n", q.sa_handler == SIG_DFL);
    raise(SIGUSR1);
    printf("not reached\n");
    return 0;
}
