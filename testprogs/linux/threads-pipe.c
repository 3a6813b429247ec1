#define _GNU_SOURCE
/* A pipe between threads: a producer thread writes numbered lines (each write well under the
 * pipe's capacity) while the main thread reads them to EOF, and then the reverse direction
 * with the main thread writing. The reader usually reaches an empty pipe first: that read must
 * let the writer run instead of blocking the whole process. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int fds[2];

/* Work between writes, longer than a scheduler turn, so the reader finds the pipe empty. */
static void spin(long n) { for (volatile long i = 0; i < n; i++) {} }

static void *producer(void *arg) {
    long lines = (long)arg;
    char buf[64];
    for (long i = 1; i <= lines; i++) {
        if (i % 50 == 1) spin(20000);
        int n = snprintf(buf, sizeof buf, "line %ld\n", i);
        if (write(fds[1], buf, n) != n) return (void *)1;
    }
    close(fds[1]);
    return NULL;
}

static long consume(int fd, long *count) {
    char buf[256];
    long sum = 0, n;
    char line[64];
    int len = 0;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        for (long i = 0; i < n; i++) {
            if (buf[i] == '\n') { line[len] = 0; long v; if (sscanf(line, "line %ld", &v) == 1) { sum += v; ++*count; } len = 0; }
            else if (len < 63) line[len++] = buf[i];
        }
    return sum;
}

static long count2, sum2;
static void *reader(void *arg) { (void)arg; sum2 = consume(fds[0], &count2); return NULL; }

int main(void) {
    pthread_t t;
    if (pipe(fds) != 0) return 1;
    pthread_create(&t, NULL, producer, (void *)2000L);
    long count = 0, sum = consume(fds[0], &count);
    void *r;
    pthread_join(t, &r);
    close(fds[0]);
    printf("thread to main: %ld lines, sum %ld, producer %ld\n", count, sum, (long)r);

    if (pipe(fds) != 0) return 1;
    pthread_create(&t, NULL, reader, NULL);
    producer((void *)500L);
    pthread_join(t, NULL);
    printf("main to thread: %ld lines, sum %ld\n", count2, sum2);
    return 0;
}
