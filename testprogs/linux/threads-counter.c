#define _GNU_SOURCE
/* pthreads on lpar's vCPUs: several threads add into a mutex-protected counter (the mutex
 * waits and wakes through futex), each returns a value through pthread_exit that join
 * collects, __thread variables are distinct per thread, and detached threads run while the
 * others are joined. Only results that do not depend on the interleaving are printed. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define THREADS 6
#define ROUNDS 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static __thread long mine = 100;          /* each thread starts from the initial image */
static __thread char name[16];

static void *adder(void *arg) {
    long k = (long)arg;
    snprintf(name, sizeof name, "worker-%ld", k);
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&lock);
        counter += k;
        pthread_mutex_unlock(&lock);
        mine += k;                        /* TLS: no lock needed, nobody else sees it */
    }
    /* mine = 100 + k*ROUNDS only if no other thread touched this thread's copy. */
    long ok = mine == 100 + k * ROUNDS && strcmp(name, "worker-") > 0 && name[7] == '0' + k;
    pthread_exit((void *)(k * 1000 + ok));
}

static pthread_mutex_t detached_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t detached_done = PTHREAD_COND_INITIALIZER;
static int detached_finished;

static void *detached(void *arg) {
    long k = (long)arg;
    volatile long x = 0;
    for (long i = 0; i < 50000 * k; i++) x += i;
    pthread_mutex_lock(&detached_lock);
    detached_finished++;
    pthread_cond_signal(&detached_done);
    pthread_mutex_unlock(&detached_lock);
    return NULL;
}

int main(void) {
    pthread_t t[THREADS];
    for (long k = 1; k <= THREADS; k++)
        if (pthread_create(&t[k - 1], NULL, adder, (void *)k) != 0) { printf("pthread_create failed\n"); return 1; }

    /* Two detached threads, never joined. */
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t d;
    for (long k = 1; k <= 2; k++)
        if (pthread_create(&d, &attr, detached, (void *)k) != 0) { printf("detached pthread_create failed\n"); return 1; }

    long total = 0;
    for (int k = 1; k <= THREADS; k++) {
        void *ret;
        int e = pthread_join(t[k - 1], &ret);
        printf("join %d: %d, returned %ld\n", k, e, (long)ret);
        total += (long)ret;
    }
    printf("counter %ld (expected %ld)\n", counter, (long)ROUNDS * THREADS * (THREADS + 1) / 2);
    printf("main's TLS untouched: %d\n", mine == 100 && name[0] == 0);
    printf("main's tid is the pid: %d\n", gettid() == getpid());

    pthread_mutex_lock(&detached_lock);
    while (detached_finished < 2) pthread_cond_wait(&detached_done, &detached_lock);
    pthread_mutex_unlock(&detached_lock);
    printf("detached finished: %d\n", detached_finished);
    return total == 21006 ? 0 : 3;
}
