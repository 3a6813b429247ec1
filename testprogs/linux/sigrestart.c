/* A blocking read interrupted by a signal: without SA_RESTART it fails with EINTR after the
   handler ran; with SA_RESTART it is restarted and returns what the handler wrote into the
   pipe. nanosleep interrupted by a handled signal returns EINTR with the time left. (The
   signal is a SIGALRM from setitimer, 30 ms after the call starts waiting.) */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
static int fds[2];
static volatile int handled;
static void onalarm(int s) {
    (void)s;
    handled++;
    char c = 'x';
    if (write(fds[1], &c, 1) != 1) _exit(3);
}
static void arm(void) {
    struct itimerval it = { { 0, 0 }, { 0, 30000 } };
    setitimer(ITIMER_REAL, &it, NULL);
}
static void install(int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = onalarm;
    sa.sa_flags = flags;
    sigaction(SIGALRM, &sa, NULL);
}
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (pipe(fds) != 0) return 2;
    char c = 0;
    install(0);
    arm();
    ssize_t n = read(fds[0], &c, 1);
    int e = errno;
    printf("without SA_RESTART: read = %zd (%s), handled %d\n", n, n < 0 && e == EINTR ? "EINTR" : "?", handled);
    n = read(fds[0], &c, 1);
    printf("the handler's byte: %zd '%c'\n", n, c);
    install(SA_RESTART);
    arm();
    c = 0;
    n = read(fds[0], &c, 1);
    printf("with SA_RESTART: read = %zd '%c', handled %d\n", n, c, handled);
    install(0);
    arm();
    struct timespec req = { 5, 0 }, rem = { 0, 0 };
    int r = nanosleep(&req, &rem);
    e = errno;
    printf("nanosleep = %d (%s), time left between 4 and 5 s: %d, handled %d\n", r, r < 0 && e == EINTR ? "EINTR" : "?",
           rem.tv_sec == 4 || (rem.tv_sec == 5 && rem.tv_nsec == 0), handled);
    return 0;
}
