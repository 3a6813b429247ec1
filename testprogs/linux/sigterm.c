/* A SIGTERM handler: with --wait, prints "ready" and waits in pause() for a SIGTERM sent from
   outside (tools/cli-tests sends it to lpar, which must hand it to this handler); otherwise it
   sends itself one. The handler says where the signal came from and exits 0. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
static void onterm(int s, siginfo_t *si, void *uc) {
    (void)uc;
    printf("got signal %d from %s\n", s, si->si_pid == getpid() ? "itself" : "another process");
    fflush(stdout);
    _exit(0);
}
int main(int argc, char **argv) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = onterm;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGTERM, &sa, NULL);
    if (argc > 1 && strcmp(argv[1], "--wait") == 0) {
        printf("ready\n");
        fflush(stdout);
        for (;;) pause();
    }
    kill(getpid(), SIGTERM);
    printf("not reached\n");
    return 1;
}
