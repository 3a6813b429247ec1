/* Failing system calls reach the program as -1 with errno set (the ppc64 CR0.SO convention). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void show(const char *what, long r) { printf("%s = %ld errno %s\n", what, r, r < 0 ? strerror(errno) : "-"); errno = 0; }

int main(void) {
    show("open missing", open("/nonexistent/file", O_RDONLY));
    show("close bad fd", close(77));
    char one[1];
    show("read bad fd", read(-1, one, 1));
    char c;
    show("read bad pointer", read(0, (void *)-4096L, 1) > 0 ? 0 : -1);
    show("mkdir existing", mkdir("/", 0755));
    show("lseek pipe-less", lseek(1234, 0, SEEK_SET));
    show("access missing", access("/nonexistent", F_OK));
    show("unlink missing", unlink("/nonexistent/x"));
    struct stat st;
    show("stat missing", stat("/nonexistent", &st));
    show("stat /", stat("/", &st));
    printf("/ is dir: %d\n", S_ISDIR(st.st_mode));
    show("rmdir missing", rmdir("/nonexistent"));
    show("chdir missing", chdir("/nonexistent"));
    show("write ok", write(1, "x\n", 2));
    (void)c;
    return 0;
}
