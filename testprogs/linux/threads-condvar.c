#define _GNU_SOURCE
/* Condition-variable ping-pong between two threads: each waits for its turn, so the order of
 * the lines is fixed by the program whatever the scheduler does. Then a timed wait that nobody
 * signals times out, pthread_join of a thread that ended earlier, and a thread's tid. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int turn;              /* 0: ping's turn, 1: pong's */
static int rounds = 8;

static void *pong(void *arg) {
    (void)arg;
    for (int i = 0; i < rounds; i++) {
        pthread_mutex_lock(&m);
        while (turn != 1) pthread_cond_wait(&c, &m);
        printf("pong %d\n", i);
        turn = 0;
        pthread_cond_signal(&c);
        pthread_mutex_unlock(&m);
    }
    return (void *)(long)(gettid() != getpid());
}

static void *quick(void *arg) { return arg; }

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    pthread_t t;
    pthread_create(&t, NULL, pong, NULL);
    for (int i = 0; i < rounds; i++) {
        pthread_mutex_lock(&m);
        while (turn != 0) pthread_cond_wait(&c, &m);
        printf("ping %d\n", i);
        turn = 1;
        pthread_cond_signal(&c);
        pthread_mutex_unlock(&m);
    }
    void *r;
    pthread_join(t, &r);
    printf("pong's tid differs from the pid: %ld\n", (long)r);

    /* Nobody signals: the wait times out. */
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += 20 * 1000 * 1000;
    if (until.tv_nsec >= 1000000000) { until.tv_sec++; until.tv_nsec -= 1000000000; }
    pthread_mutex_lock(&m);
    int e = pthread_cond_timedwait(&c, &m, &until);
    pthread_mutex_unlock(&m);
    printf("timedwait: %s\n", e == ETIMEDOUT ? "ETIMEDOUT" : "other");

    /* A thread that has long finished is joined at once. */
    pthread_t q;
    pthread_create(&q, NULL, quick, (void *)42L);
    struct timespec nap = {0, 5 * 1000 * 1000};
    nanosleep(&nap, NULL);
    pthread_join(q, &r);
    printf("quick returned %ld\n", (long)r);
    return 0;
}
