#define _GNU_SOURCE
/* Waits that another thread ends: pause, sigsuspend and sigwait woken by a signal a worker
 * sends to the process, and poll and select woken by a worker writing into a pipe. A waiting
 * thread must not stop the others (under lpar they take turns on one host thread). */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

static pthread_t main_thread;
static volatile sig_atomic_t handled_in_main, handled_elsewhere;
static volatile int waiting;
static int fds[2];

static void on_signal(int sig) {
    (void)sig;
    if (pthread_equal(pthread_self(), main_thread)) handled_in_main++; else handled_elsewhere++;
}

/* Waits until main is about to wait, works a little (so main is really waiting), then acts. */
static void before_acting(void) {
    while (!__atomic_load_n(&waiting, __ATOMIC_ACQUIRE)) sched_yield();
    usleep(50000);
}

static void *send_usr1(void *arg) { (void)arg; before_acting(); kill(getpid(), SIGUSR1); return NULL; }
static void *write_pipe(void *arg) { before_acting(); write(fds[1], arg, strlen(arg)); return NULL; }

static void start(void *(*fn)(void *), void *arg, pthread_t *t) {
    __atomic_store_n(&waiting, 0, __ATOMIC_RELEASE);
    if (pthread_create(t, NULL, fn, arg) != 0) { puts("pthread_create failed"); _exit(1); }
}

int main(void) {
    main_thread = pthread_self();
    struct sigaction sa = { .sa_handler = on_signal };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    pthread_t t;

    /* pause: the worker's kill reaches main (the process's signal goes to the main thread). */
    start(send_usr1, NULL, &t);
    __atomic_store_n(&waiting, 1, __ATOMIC_RELEASE);
    int r = pause();
    int e = errno;
    pthread_join(t, NULL);
    printf("pause: %d %s, handled in main %d, elsewhere %d\n", r, strerror(e), (int)handled_in_main, (int)handled_elsewhere);

    /* sigsuspend: SIGUSR1 blocked until the wait lets it through. */
    sigset_t usr1, none;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigemptyset(&none);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    start(send_usr1, NULL, &t);
    __atomic_store_n(&waiting, 1, __ATOMIC_RELEASE);
    r = sigsuspend(&none);
    e = errno;
    pthread_join(t, NULL);
    printf("sigsuspend: %d %s, handled in main %d, elsewhere %d\n", r, strerror(e), (int)handled_in_main, (int)handled_elsewhere);

    /* sigwait: SIGUSR1 still blocked in main (and in the worker, which inherits the mask). */
    start(send_usr1, NULL, &t);
    __atomic_store_n(&waiting, 1, __ATOMIC_RELEASE);
    int sig = 0;
    r = sigwait(&usr1, &sig);
    pthread_join(t, NULL);
    printf("sigwait: %d, signal %d, handlers ran %d\n", r, sig, (int)(handled_in_main + handled_elsewhere));

    /* poll and select on an empty pipe that the worker then fills. */
    if (pipe(fds) != 0) { puts("pipe failed"); return 1; }
    start(write_pipe, "for poll", &t);
    __atomic_store_n(&waiting, 1, __ATOMIC_RELEASE);
    struct pollfd p = { .fd = fds[0], .events = POLLIN };
    r = poll(&p, 1, -1);
    char buf[32] = { 0 };
    read(fds[0], buf, sizeof buf - 1);
    pthread_join(t, NULL);
    printf("poll: %d, revents 0x%x, read \"%s\"\n", r, p.revents, buf);

    start(write_pipe, "for select", &t);
    __atomic_store_n(&waiting, 1, __ATOMIC_RELEASE);
    fd_set rs;
    FD_ZERO(&rs);
    FD_SET(fds[0], &rs);
    r = select(fds[0] + 1, &rs, NULL, NULL, NULL);
    memset(buf, 0, sizeof buf);
    read(fds[0], buf, sizeof buf - 1);
    pthread_join(t, NULL);
    printf("select: %d, readable %d, read \"%s\"\n", r, FD_ISSET(fds[0], &rs), buf);
    return 0;
}
