/* Descriptor system calls: pipe/pipe2, poll, select, eventfd, memfd_create, sendfile,
 * copy_file_range, flock, posix_fadvise. Prints results that are the same on any kernel. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <unistd.h>

int main(void) {
    int p[2];
    printf("pipe %d distinct %d\n", pipe(p), p[0] != p[1] && p[0] > 2 && p[1] > 2);
    printf("write %zd\n", write(p[1], "hello", 5));
    struct pollfd fds[3] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}, {-1, POLLIN, 0}};
    int n = poll(fds, 3, 1000);
    printf("poll %d revents %#x %#x %#x\n", n, fds[0].revents, fds[1].revents, fds[2].revents);
    struct pollfd bad = {99, POLLIN, 0};
    printf("poll closed fd %d revents %#x\n", poll(&bad, 1, 1000), bad.revents);
    char buf[16] = {0};
    printf("read %zd '%s'\n", read(p[0], buf, sizeof buf - 1), buf);
    struct pollfd empty = {p[0], POLLIN, 0};
    printf("poll empty %d revents %#x\n", poll(&empty, 1, 10), empty.revents);

    fd_set r, w;
    FD_ZERO(&r); FD_ZERO(&w);
    FD_SET(p[0], &r); FD_SET(p[1], &w);
    struct timeval tv = {1, 0};
    n = select(p[1] + 1, &r, &w, NULL, &tv);
    printf("select %d readable %d writable %d\n", n, FD_ISSET(p[0], &r), FD_ISSET(p[1], &w));
    write(p[1], "x", 1);
    FD_ZERO(&r); FD_SET(p[0], &r);
    tv.tv_sec = 1; tv.tv_usec = 0;
    printf("select after write %d readable %d\n", select(p[0] + 1, &r, NULL, NULL, &tv), FD_ISSET(p[0], &r));
    FD_ZERO(&r); FD_SET(60, &r);
    tv.tv_sec = 0; tv.tv_usec = 1000;
    printf("select closed fd %d errno %s\n", select(61, &r, NULL, NULL, &tv), errno == EBADF ? "EBADF" : strerror(errno));
    close(p[0]); close(p[1]);

    int q[2];
    printf("pipe2 %d cloexec %d nonblock %d\n", pipe2(q, O_CLOEXEC | O_NONBLOCK), (fcntl(q[0], F_GETFD) & FD_CLOEXEC) != 0,
           (fcntl(q[1], F_GETFL) & O_NONBLOCK) != 0);
    printf("read empty nonblocking %zd %s\n", read(q[0], buf, 1), errno == EAGAIN ? "EAGAIN" : strerror(errno));
    FD_ZERO(&w); FD_SET(q[1], &w);
    struct timespec ts = {0, 1000000};
    printf("pselect %d\n", pselect(q[1] + 1, NULL, &w, NULL, &ts, NULL));
    struct pollfd pp = {q[1], POLLOUT, 0};
    printf("ppoll %d revents %#x\n", ppoll(&pp, 1, &ts, NULL), pp.revents);
    close(q[0]);
    printf("write to a closed pipe: poll revents %#x\n", (poll(&pp, 1, 0), pp.revents));
    close(q[1]);

    int e = eventfd(5, 0);
    uint64_t v = 0;
    printf("eventfd read %zd value %llu\n", read(e, &v, 8), (unsigned long long)v);
    v = 0x0102030405ULL;
    printf("eventfd write %zd\n", write(e, &v, 8));
    v = 0;
    read(e, &v, 8);
    printf("eventfd value %#llx\n", (unsigned long long)v);
    int e2 = dup(e);
    v = 7; write(e2, &v, 8); v = 0; read(e, &v, 8);
    printf("eventfd via dup %llu\n", (unsigned long long)v);
    close(e); close(e2);

    int m = memfd_create("lpar-test", MFD_CLOEXEC);
    printf("memfd %d write %zd\n", m >= 3, write(m, "0123456789", 10));
    int t = memfd_create("out", 0);
    off_t off = 2;
    printf("sendfile %zd offset %lld\n", sendfile(t, m, &off, 5), (long long)off);
    loff_t in = 6, out = 5;
    printf("copy_file_range %zd in %lld out %lld\n", copy_file_range(m, &in, t, &out, 3, 0), (long long)in, (long long)out);
    char got[16] = {0};
    printf("pread %zd '%s'\n", pread(t, got, sizeof got - 1, 0), got);
    printf("flock ex %d un %d\n", flock(m, LOCK_EX), flock(m, LOCK_UN));
    printf("flock bad %d %s\n", flock(99, LOCK_SH), errno == EBADF ? "EBADF" : strerror(errno));
    printf("fadvise %d bad advice %d\n", posix_fadvise(m, 0, 10, POSIX_FADV_SEQUENTIAL), posix_fadvise(m, 0, 10, 99));
    return 0;
}
