/* Process control: getrusage, nice/getpriority/setpriority, sched_* queries and
 * sched_setaffinity, prctl names and FP exception mode, setitimer/getitimer/alarm values
 * (no timer is let expire: delivery is not compared here). */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

static const char *err(void) { return strerrorname_np(errno); }

int main(void) {
    struct rusage ru;
    volatile double x = 0;
    for (int i = 0; i < 2000000; i++) x += i;
    printf("getrusage %d\n", getrusage(RUSAGE_SELF, &ru));
    printf("user time sane %d usec normalised %d maxrss > 0 %d\n", ru.ru_utime.tv_sec < 100, ru.ru_utime.tv_usec < 1000000 && ru.ru_stime.tv_usec < 1000000,
           ru.ru_maxrss > 0);
    printf("children %d\n", getrusage(RUSAGE_CHILDREN, &ru));
    printf("bad who %d %s\n", getrusage(5, &ru), err());

    errno = 0;
    int prio = getpriority(PRIO_PROCESS, 0);
    printf("getpriority %d errno %d\n", prio, errno);
    printf("setpriority %d\n", setpriority(PRIO_PROCESS, 0, prio + 1));
    printf("nice now %d\n", getpriority(PRIO_PROCESS, 0) - prio);
    printf("nice(1) -> %d\n", nice(1) - prio);
    printf("bad which %d %s\n", getpriority(99, 0), err());

    struct sched_param sp = {99};
    printf("sched_getparam %d priority %d\n", sched_getparam(0, &sp), sp.sched_priority);
    printf("sched_getscheduler %d\n", sched_getscheduler(0));
    printf("priority range other %d..%d fifo %d..%d\n", sched_get_priority_min(SCHED_OTHER), sched_get_priority_max(SCHED_OTHER),
           sched_get_priority_min(SCHED_FIFO), sched_get_priority_max(SCHED_FIFO));
    cpu_set_t set;
    CPU_ZERO(&set);
    printf("getaffinity %d\n", sched_getaffinity(0, sizeof set, &set));
    int first = -1;
    for (int i = 0; i < CPU_SETSIZE; i++) if (CPU_ISSET(i, &set)) { first = i; break; }
    cpu_set_t one;
    CPU_ZERO(&one); CPU_SET(first, &one);
    printf("setaffinity %d\n", sched_setaffinity(0, sizeof one, &one));
    CPU_ZERO(&set);
    sched_getaffinity(0, sizeof set, &set);
    printf("now on one cpu %d same %d\n", CPU_COUNT(&set), CPU_ISSET(first, &set));
    CPU_ZERO(&one);
    printf("empty mask %d %s\n", sched_setaffinity(0, sizeof one, &one), err());

    char name[32] = {0};
    /* The initial name is the executable's under Linux and lpar, "qemu-ppc64" under qemu (it
     * passes prctl to the host): only its presence is compared. */
    printf("PR_GET_NAME %d named %d\n", prctl(PR_GET_NAME, name), name[0] != 0);
    printf("PR_SET_NAME %d\n", prctl(PR_SET_NAME, "a-rather-long-thread-name"));
    memset(name, 'x', sizeof name);
    printf("PR_GET_NAME %d '%s'\n", prctl(PR_GET_NAME, name), name);
    printf("PR_GET_DUMPABLE %d\n", prctl(PR_GET_DUMPABLE));
    printf("unknown option %d %s\n", prctl(0x7fff, 0, 0, 0, 0), err());

    struct itimerval it, old;
    printf("getitimer %d value %ld.%06ld\n", getitimer(ITIMER_REAL, &it), (long)it.it_value.tv_sec, (long)it.it_value.tv_usec);
    it.it_interval.tv_sec = 0; it.it_interval.tv_usec = 0;
    it.it_value.tv_sec = 100; it.it_value.tv_usec = 0;
    printf("setitimer %d\n", setitimer(ITIMER_REAL, &it, &old));
    printf("old value %ld\n", (long)old.it_value.tv_sec);
    getitimer(ITIMER_REAL, &it);
    printf("running: between 99 and 100 s %d\n", it.it_value.tv_sec == 99 || (it.it_value.tv_sec == 100 && it.it_value.tv_usec == 0));
    printf("alarm returns the old one: %u\n", alarm(50));
    printf("alarm(0) %u\n", alarm(0));
    getitimer(ITIMER_REAL, &it);
    printf("disarmed %ld.%06ld\n", (long)it.it_value.tv_sec, (long)it.it_value.tv_usec);
    it.it_value.tv_sec = 0; it.it_value.tv_usec = 2000000;
    printf("bad usec %d %s\n", setitimer(ITIMER_REAL, &it, NULL), err());
    printf("bad which %d %s\n", getitimer(7, &it), err());
    it.it_interval.tv_sec = 30; it.it_interval.tv_usec = 0; it.it_value.tv_sec = 40; it.it_value.tv_usec = 0;
    setitimer(ITIMER_VIRTUAL, &it, NULL);
    getitimer(ITIMER_VIRTUAL, &it);
    printf("virtual interval %ld value <= 40 %d\n", (long)it.it_interval.tv_sec, it.it_value.tv_sec <= 40);
    it.it_value.tv_sec = 0;
    setitimer(ITIMER_VIRTUAL, &it, &old);
    printf("virtual old interval %ld\n", (long)old.it_interval.tv_sec);
    return 0;
}
