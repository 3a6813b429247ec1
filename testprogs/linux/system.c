#define _GNU_SOURCE
/* Identity and system information calls: uname, sysinfo, sysconf, rlimits, isatty, clocks. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    struct utsname u;
    uname(&u);
    printf("uname: %s %s\n", u.sysname, u.machine);
    struct sysinfo si;
    printf("sysinfo: %d ram>0 %d unit %u\n", sysinfo(&si), si.totalram > 0, si.mem_unit);
    printf("cpus >= 1: %d\n", sysconf(_SC_NPROCESSORS_ONLN) >= 1);
    printf("pid == tid: %d, ppid > 0: %d\n", getpid() == gettid(), getppid() > 0);
    struct rlimit r;
    printf("getrlimit stack: %d cur>0 %d\n", getrlimit(RLIMIT_STACK, &r), r.rlim_cur > 0);
    errno = 0;
    printf("isatty(/dev/null stdin): %d errno %s\n", isatty(0), strerror(errno));
    struct timespec res;
    printf("clock_getres: %d ok %d\n", clock_getres(CLOCK_MONOTONIC, &res), res.tv_sec == 0 && res.tv_nsec > 0);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    struct timespec nap = {0, 2000000};
    nanosleep(&nap, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    long ns = (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec);
    printf("nanosleep slept: %d\n", ns >= 2000000);
    return 0;
}
