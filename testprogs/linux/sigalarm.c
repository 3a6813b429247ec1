/* Asynchronous signals from the guest's own timers: alarm(1) then pause() (pause returns -1
   EINTR after the handler); setitimer(ITIMER_REAL) every 20 ms, three SIGALRMs counted in a
   busy loop and in pause; getitimer while armed; alarm's return value; an alarm with no
   handler kills: 142. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
static volatile int alarms;
static volatile int info_code = -1;
static void onalarm(int s, siginfo_t *si, void *uc) { (void)s; (void)uc; alarms++; info_code = si->si_code; }
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = onalarm;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGALRM, &sa, NULL);
    printf("alarm(5) = %u\n", alarm(5));
    printf("alarm(1) = %u\n", alarm(1));
    int r = pause();
    int e = errno;
    printf("pause = %d (%s), alarms %d, si_code SI_KERNEL %d\n", r, e == EINTR ? "EINTR" : "?", alarms, info_code == SI_KERNEL);
    struct itimerval it = { { 0, 20000 }, { 0, 20000 } }, now;
    setitimer(ITIMER_REAL, &it, NULL);
    getitimer(ITIMER_REAL, &now);
    printf("armed: interval %ld us, value within it %d\n", (long)now.it_interval.tv_usec, now.it_value.tv_sec == 0 && now.it_value.tv_usec <= 20000);
    volatile unsigned long spin = 0;
    while (alarms < 3) spin++;
    printf("busy loop: alarms %d\n", alarms);
    while (alarms < 5) pause();
    printf("pause loop: alarms %d\n", alarms);
    struct itimerval off = { { 0, 0 }, { 0, 0 } };
    setitimer(ITIMER_REAL, &off, NULL);
    signal(SIGALRM, SIG_DFL);
    alarm(1);
    printf("waiting for an alarm with no handler\n");
    for (;;) pause();
}
