/* Directory and file system calls: mkdir, open/write/read, stat, rename, readdir, unlink. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void) {
    char dir[] = "/tmp/lpar-files-XXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    char a[64], b[64];
    snprintf(a, sizeof a, "%s/a.txt", dir);
    snprintf(b, sizeof b, "%s/b.txt", dir);
    int fd = open(a, O_WRONLY | O_CREAT | O_TRUNC, 0640);
    printf("write %zd\n", write(fd, "0123456789", 10));
    close(fd);
    struct stat st;
    stat(a, &st);
    printf("size %lld mode %o regular %d nlink %lu\n", (long long)st.st_size, st.st_mode & 0777, S_ISREG(st.st_mode), (unsigned long)st.st_nlink);
    printf("rename %d\n", rename(a, b));
    fd = open(b, O_RDONLY);
    char buf[16] = {0};
    lseek(fd, 3, SEEK_SET);
    printf("read %zd '%s'\n", read(fd, buf, 4), buf);
    printf("pread %zd\n", pread(fd, buf, 2, 8));
    struct stat fst;
    fstat(fd, &fst);
    printf("fstat matches stat: %d\n", fst.st_ino == st.st_ino && fst.st_size == 10);
    close(fd);
    int dup_fd = dup(1);
    dprintf(dup_fd, "via dup\n");
    close(dup_fd);
    DIR *d = opendir(dir);
    struct dirent *e;
    int entries = 0;
    while ((e = readdir(d))) if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) { printf("entry %s\n", e->d_name); entries++; }
    closedir(d);
    printf("entries %d\n", entries);
    printf("unlink %d rmdir %d\n", unlink(b), rmdir(dir));
    char cwd[4096];
    printf("getcwd ok: %d\n", getcwd(cwd, sizeof cwd) != NULL && cwd[0] == '/');
    return 0;
}
