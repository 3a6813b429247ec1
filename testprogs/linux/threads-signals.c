#define _GNU_SOURCE
/* Signal state is per thread: each thread has its own mask, a signal sent to one thread
 * (pthread_kill: tgkill) is that thread's alone, and a signal sent to the process (kill) goes
 * to a thread that does not block it. The output does not depend on how the threads
 * interleave: every step waits for the one before it. */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static pthread_t main_thread, worker;
static volatile sig_atomic_t usr1_in_worker, usr1_in_main, usr2_in_worker, usr2_in_main;
static volatile int step;

static void on_signal(int sig) {
    int in_worker = pthread_equal(pthread_self(), worker);
    if (sig == SIGUSR1) { if (in_worker) usr1_in_worker++; else usr1_in_main++; }
    if (sig == SIGUSR2) { if (in_worker) usr2_in_worker++; else usr2_in_main++; }
}

static void wait_step(int n) { while (__atomic_load_n(&step, __ATOMIC_ACQUIRE) < n) sched_yield(); }
static void set_step(int n) { __atomic_store_n(&step, n, __ATOMIC_RELEASE); }

static int blocked(int sig) {
    sigset_t now;
    pthread_sigmask(SIG_BLOCK, NULL, &now);
    return sigismember(&now, sig);
}

static int pending(int sig) {
    sigset_t p;
    sigpending(&p);
    return sigismember(&p, sig);
}

static void *work(void *arg) {
    (void)arg;
    /* 1. The creator's mask at pthread_create is inherited (main blocked SIGUSR1 and SIGUSR2). */
    printf("worker starts with SIGUSR1 blocked: %d, SIGUSR2 blocked: %d\n", blocked(SIGUSR1), blocked(SIGUSR2));
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    pthread_sigmask(SIG_UNBLOCK, &s, NULL);
    set_step(1);
    /* 2. main sends SIGUSR1 to the process: only this thread does not block it. */
    while (!usr1_in_worker) sched_yield();
    printf("SIGUSR1 sent to the process ran in the worker: %d (in main: %d)\n", (int)usr1_in_worker, (int)usr1_in_main);
    set_step(2);
    /* 3. main sends SIGUSR2 to this thread, which blocks it: pending here, not in main. */
    wait_step(3);
    printf("worker sees SIGUSR2 pending: %d\n", pending(SIGUSR2));
    sigemptyset(&s);
    sigaddset(&s, SIGUSR2);
    pthread_sigmask(SIG_UNBLOCK, &s, NULL);
    printf("after unblocking, SIGUSR2 ran in the worker: %d (in main: %d)\n", (int)usr2_in_worker, (int)usr2_in_main);
    set_step(4);
    return NULL;
}

int main(void) {
    struct sigaction sa = { .sa_handler = on_signal };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    main_thread = pthread_self();

    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigaddset(&s, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &s, NULL);
    if (pthread_create(&worker, NULL, work, NULL) != 0) { puts("pthread_create failed"); return 1; }

    wait_step(1);
    kill(getpid(), SIGUSR1);
    wait_step(2);
    printf("main still blocks SIGUSR1: %d, SIGUSR1 pending in main: %d\n", blocked(SIGUSR1), pending(SIGUSR1));

    pthread_kill(worker, SIGUSR2);
    printf("main sees SIGUSR2 pending: %d\n", pending(SIGUSR2));
    set_step(3);
    wait_step(4);
    pthread_join(worker, NULL);

    /* 4. A signal main sends itself while blocking it waits for main to unblock it. */
    pthread_kill(main_thread, SIGUSR2);
    printf("main sees its own SIGUSR2 pending: %d\n", pending(SIGUSR2));
    pthread_sigmask(SIG_UNBLOCK, &s, NULL);
    printf("SIGUSR2 ran in main: %d\n", (int)usr2_in_main);
    return 0;
}
