/* exit() status, atexit handlers and stdio flushing at exit. */
#include <stdio.h>
#include <stdlib.h>

static void bye(void) { printf("atexit handler ran\n"); }

int main(int argc, char **argv) {
    atexit(bye);
    printf("buffered output is flushed at exit\n");
    exit(argc > 1 ? atoi(argv[1]) : 42);
}
