/* abort() in a thread other than the first: glibc raises SIGABRT with tgkill(pid, own tid),
 * which must reach the process (exit 134, as a shell shows SIGABRT), not fail with ESRCH. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static void *fail(void *arg) {
    (void)arg;
    printf("thread aborts\n");
    fflush(stdout);
    abort();
}

int main(void) {
    pthread_t t;
    pthread_create(&t, NULL, fail, NULL);
    pthread_join(t, NULL);
    printf("not reached\n");
    return 0;
}
