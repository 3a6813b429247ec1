/* System calls check the buffers they copy, as the kernel does: read(2) into a read-only
   mapping or a string literal, and write(2) from a PROT_NONE or unmapped page, fail with
   EFAULT and change nothing (no SIGSEGV); the same calls with good buffers work. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

static void show(const char *what, long r) {
    printf("%-32s = %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

int main(void) {
    long ps = sysconf(_SC_PAGESIZE);
    int fds[2];
    if (pipe(fds) != 0) { perror("pipe"); return 1; }
    char *ro = mmap(NULL, ps, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *none = mmap(NULL, ps, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *gone = mmap(NULL, ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(gone, ps);
    char *volatile literal = "literal";
    char ok[16];

    show("write(pipe, \"data\")", write(fds[1], "data", 4));
    show("read(pipe, read-only page)", read(fds[0], ro, 4));
    show("read(pipe, string literal)", read(fds[0], literal, 4));
    printf("literal unchanged: %s, page still zero: %d\n", literal, ro[0]);
    show("read(pipe, stack buffer)", read(fds[0], ok, 4));
    show("write(pipe, PROT_NONE page)", write(fds[1], none, 4));
    show("write(pipe, unmapped page)", write(fds[1], gone, 4));
    struct iovec iov[2] = {{ok, 2}, {ro, 2}};
    show("write(pipe, \"xy\")", write(fds[1], "xy", 2));
    show("readv(pipe, [stack, read-only])", readv(fds[0], iov, 2));
    int fd = open("/proc/self/exe", O_RDONLY);
    show("pread(exe, read-only page)", pread(fd, ro, 4, 0));
    show("pread(exe, stack buffer)", pread(fd, ok, 4, 0));
    printf("ELF magic: %.3s\n", ok + 1);
    return 0;
}
