#define _GNU_SOURCE
#include "hostsignals.h"
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

static _Atomic uint64_t arrived;
static uint64_t caught;  /* which signals have lpar's handler (changed only outside handlers) */
static volatile sig_atomic_t sender_code[64], sender_pid[64];
static volatile sig_atomic_t sender_uid[64];

static void on_signal(int sig, siginfo_t *info, void *context) {
    (void)context;
    if (sig < 1 || sig > 63) return;
    sender_code[sig] = info ? info->si_code : 0;
    sender_pid[sig] = info ? info->si_pid : 0;
    sender_uid[sig] = info ? (sig_atomic_t)info->si_uid : 0;
    atomic_fetch_or_explicit(&arrived, (uint64_t)1 << (sig - 1), memory_order_release);
}

int lpar_signal_ignored(int sig) {
    struct sigaction old;
    if (sigaction(sig, NULL, &old) != 0) return 0;
    return !(old.sa_flags & SA_SIGINFO) && old.sa_handler == SIG_IGN;
}

int lpar_signal_catch(int sig, int on) {
    if (sig < 1 || sig > 63) return -1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    if (on) {
        /* No SA_RESTART: a host call blocked for the guest (read, nanosleep) returns EINTR, so
         * the guest's handler runs and its own SA_RESTART decides, as under a kernel. */
        sa.sa_sigaction = on_signal;
        sa.sa_flags = SA_SIGINFO;
        caught |= (uint64_t)1 << (sig - 1);
    } else {
        sa.sa_handler = SIG_DFL;
        caught &= ~((uint64_t)1 << (sig - 1));
    }
    return sigaction(sig, &sa, NULL);
}

int lpar_signal_arrived(void) {
    return atomic_load_explicit(&arrived, memory_order_relaxed) != 0;
}

uint64_t lpar_signal_take(void) {
    return atomic_exchange_explicit(&arrived, 0, memory_order_acquire);
}

void lpar_signal_sender(int sig, int *code, int *pid, unsigned *uid) {
    if (sig < 1 || sig > 63) { *code = 0; *pid = 0; *uid = 0; return; }
    *code = sender_code[sig];
    *pid = sender_pid[sig];
    *uid = (unsigned)sender_uid[sig];
}

int lpar_signal_wait(int64_t nanoseconds) {
    sigset_t block, old;
    sigemptyset(&block);
    for (int s = 1; s < 64; s++)
        if (caught & ((uint64_t)1 << (s - 1))) sigaddset(&block, s);
    sigprocmask(SIG_BLOCK, &block, &old);
    int got = atomic_load(&arrived) != 0;
    if (!got) {
        struct timespec ts, *tp = NULL;
        if (nanoseconds >= 0) {
            ts.tv_sec = nanoseconds / 1000000000;
            ts.tv_nsec = nanoseconds % 1000000000;
            tp = &ts;
        }
        /* Waits with `old` as the mask: the caught signals are let in only while asleep. */
        ppoll(NULL, 0, tp, &old);
        got = atomic_load(&arrived) != 0;
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    return got;
}
