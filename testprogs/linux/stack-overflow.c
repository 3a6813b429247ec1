/* Deep recursion overflows the 8 MiB stack (RLIMIT_STACK): the guard gap below it turns the
   overflow into SIGSEGV (exit 139) instead of silently overwriting the heap. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

static char *heap;

static volatile long limit = -1;  /* never reached: only the stack ends the recursion */

static long deep(long n) {
    volatile char frame[1024];
    frame[0] = (char)n;
    frame[1023] = (char)(n >> 8);
    if (n == limit) return 0;
    return deep(n + 1) + frame[0] + frame[1023];
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct rlimit r;
    getrlimit(RLIMIT_STACK, &r);
    printf("RLIMIT_STACK %lu MiB\n", (unsigned long)(r.rlim_cur >> 20));
    heap = malloc(64);
    heap[0] = 'h';
    printf("recursing\n");
    return (int)deep(0);
}
