/* File metadata system calls: link/linkat, symlink/symlinkat, chown family, utimensat (utime,
 * utimes, futimens), statfs/fstatfs, fchdir. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/time.h>
#include <unistd.h>
#include <utime.h>

static const char *err(void) { return strerrorname_np(errno); }

int main(void) {
    char dir[] = "/tmp/lpar-fsmeta-XXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    if (chdir(dir) != 0) { perror("chdir"); return 1; }
    int fd = open("a", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, "abc", 3);
    close(fd);

    printf("link %d\n", link("a", "b"));
    struct stat st;
    stat("a", &st);
    printf("nlink %lu\n", (unsigned long)st.st_nlink);
    printf("link exists %d %s\n", link("a", "b"), err());
    printf("link missing %d %s\n", link("nope", "c"), err());
    int dfd = open(".", O_RDONLY | O_DIRECTORY);
    printf("linkat %d\n", linkat(dfd, "a", dfd, "c", 0));
    printf("symlink %d\n", symlink("a", "s"));
    char target[64] = {0};
    printf("readlink %zd '%s'\n", readlink("s", target, sizeof target - 1), target);
    printf("symlinkat %d\n", symlinkat("/nonexistent/target", dfd, "dangling"));
    printf("stat dangling %d %s\n", stat("dangling", &st), err());
    printf("lstat dangling %d link %d\n", lstat("dangling", &st), S_ISLNK(st.st_mode));
    printf("linkat follow %d\n", linkat(dfd, "s", dfd, "via-link", AT_SYMLINK_FOLLOW));
    lstat("via-link", &st);
    printf("via-link is regular %d\n", S_ISREG(st.st_mode));

    uid_t uid = getuid(); gid_t gid = getgid();
    printf("chown self %d\n", chown("a", uid, gid));
    printf("chown unchanged %d\n", chown("a", (uid_t)-1, (gid_t)-1));
    printf("lchown %d\n", lchown("s", uid, gid));
    printf("fchownat %d\n", fchownat(dfd, "a", uid, gid, AT_SYMLINK_NOFOLLOW));
    fd = open("a", O_RDONLY);
    printf("fchown %d\n", fchown(fd, uid, gid));
    printf("chown missing %d %s\n", chown("nope", uid, gid), err());

    struct utimbuf ub = {1000000000, 1234567890};
    printf("utime %d\n", utime("a", &ub));
    stat("a", &st);
    printf("atime %lld mtime %lld\n", (long long)st.st_atime, (long long)st.st_mtime);
    struct timeval tv[2] = {{1500000000, 250000}, {1600000000, 750000}};
    printf("utimes %d\n", utimes("a", tv));
    stat("a", &st);
    printf("mtime %lld.%09ld\n", (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    struct timespec ts[2] = {{0, UTIME_OMIT}, {1700000000, 5}};
    printf("utimensat omit %d\n", utimensat(dfd, "a", ts, 0));
    stat("a", &st);
    printf("atime kept %lld mtime %lld.%09ld\n", (long long)st.st_atime, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    struct timespec ft[2] = {{1111111111, 0}, {1222222222, 0}};
    printf("futimens %d\n", futimens(fd, ft));
    fstat(fd, &st);
    printf("mtime %lld\n", (long long)st.st_mtime);
    printf("utimensat nofollow %d\n", utimensat(dfd, "dangling", ft, AT_SYMLINK_NOFOLLOW));
    printf("utimensat missing %d %s\n", utimensat(dfd, "nope", NULL, 0), err());

    struct statfs a, b;
    printf("statfs %d fstatfs %d\n", statfs(".", &a), fstatfs(fd, &b));
    printf("same fs: type %d bsize %d blocks %d fsid %d namelen %ld\n", a.f_type == b.f_type, a.f_bsize == b.f_bsize && a.f_bsize > 0,
           a.f_blocks == b.f_blocks, memcmp(&a.f_fsid, &b.f_fsid, sizeof a.f_fsid) == 0, (long)a.f_namelen);
    printf("statfs missing %d %s\n", statfs("nope", &a), err());
    printf("statfs /proc is procfs %d\n", statfs("/proc", &a) == 0 && a.f_type == 0x9fa0);
    close(fd);

    printf("chdir / %d\n", chdir("/"));
    printf("fchdir %d\n", fchdir(dfd));
    char cwd[256];
    printf("back in the directory %d\n", getcwd(cwd, sizeof cwd) && strcmp(cwd, dir) == 0);
    fd = open("a", O_RDONLY);
    printf("fchdir to a file %d %s\n", fchdir(fd), err());
    printf("fchdir closed %d %s\n", fchdir(99), err());
    close(fd);

    const char *names[] = {"a", "b", "c", "s", "dangling", "via-link"};
    for (int i = 0; i < 6; i++) unlink(names[i]);
    chdir("/");
    printf("rmdir %d\n", rmdir(dir));
    return 0;
}
