/* /proc/self as the guest sees it: cmdline is its argv, maps its own mappings (text, data,
 * heap, mmap regions with their protections, stack), stat and status its identity, exe the
 * program. Addresses differ between emulators, so what is printed is which mapping holds what. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static char maps[65536];
int initialised = 42;

static void slurp(const char *path, char *buf, size_t size, ssize_t *n) {
    int fd = open(path, O_RDONLY);
    *n = fd < 0 ? -1 : read(fd, buf, size - 1);
    if (*n >= 0) buf[*n] = 0;
    if (fd >= 0) close(fd);
}

/* The maps line whose range holds `a`: its permissions and whether it names the program. */
static void which(const char *what, const void *a, const char *prog) {
    unsigned long x = (unsigned long)a;
    for (char *line = maps; *line; ) {
        char *end = strchr(line, '\n');
        if (!end) break;
        unsigned long lo, hi;
        char perms[5];
        if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perms) == 3 && lo <= x && x < hi) {
            *end = 0;
            printf("%-16s %s%s%s\n", what, perms, strstr(line, prog) ? " program" : "", strstr(line, "[stack]") ? " [stack]" : "");
            *end = '\n';
            return;
        }
        line = end + 1;
    }
    printf("%-16s not mapped\n", what);
}

int main(int argc, char **argv) {
    char buf[4096];
    ssize_t n;
    slurp("/proc/self/cmdline", buf, sizeof buf, &n);
    printf("cmdline %zd bytes:", n);
    for (ssize_t i = 0; i < n; i++) putchar(buf[i] ? buf[i] : '|');
    putchar('\n');
    size_t expected = 0;
    for (int i = 0; i < argc; i++) expected += strlen(argv[i]) + 1;
    printf("cmdline is argv: %d\n", (size_t)n == expected);

    void *small = malloc(100);
    char *ro = mmap(NULL, 65536, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *rw = mmap(NULL, 2 * 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mprotect %d\n", mprotect(rw, 65536, PROT_READ));
    int local = 0;
    slurp("/proc/self/maps", maps, sizeof maps, &n);
    const char *prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    which("main", (void *)main, prog);
    which("string literal", "literal", prog);
    which("initialised", &initialised, prog);
    which("local", &local, prog);
    which("malloc", small, prog);
    which("mmap read-only", ro, prog);
    which("mprotected half", rw, prog);
    which("other half", rw + 65536, prog);
    munmap(ro, 65536);
    slurp("/proc/self/maps", maps, sizeof maps, &n);
    which("after munmap", ro, prog);

    int good = 1;
    unsigned long last = 0;
    for (char *line = maps; *line; ) {
        char *end = strchr(line, '\n');
        if (!end) { good = 0; break; }
        unsigned long lo, hi, off, ino;
        unsigned maj, min;
        char perms[5];
        if (sscanf(line, "%lx-%lx %4s %lx %x:%x %lu", &lo, &hi, perms, &off, &maj, &min, &ino) != 7 || lo >= hi || lo < last || perms[3] != 'p') good = 0;
        last = hi;
        line = end + 1;
    }
    printf("maps lines well formed and sorted: %d\n", good);

    slurp("/proc/self/stat", buf, sizeof buf, &n);
    int pid, ppid;
    char comm[64], state[8];
    sscanf(buf, "%d %63s %7s %d", &pid, comm, state, &ppid);
    printf("stat pid ok %d comm %s ppid ok %d\n", pid == getpid(), comm, ppid == getppid());
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", getpid());
    slurp(path, buf, sizeof buf, &n);
    printf("/proc/PID/stat too: %d\n", n > 0 && atoi(buf) == getpid());

    slurp("/proc/self/status", buf, sizeof buf, &n);
    char want[64];
    snprintf(want, sizeof want, "\nPid:\t%d\n", getpid());
    printf("status Pid %d", strstr(buf, want) != NULL);
    snprintf(want, sizeof want, "\nPPid:\t%d\n", getppid());
    printf(" PPid %d\n", strstr(buf, want) != NULL);

    slurp("/proc/self/exe", buf, sizeof buf, &n);
    printf("exe is a big-endian ELF64: %d\n", n > 16 && memcmp(buf, "\177ELF\2\2", 6) == 0);
    return 0;
}
