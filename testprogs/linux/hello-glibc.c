/* printf, malloc, qsort, setjmp/longjmp, string functions, file I/O of a temp file, time:
 * the everyday parts of glibc, without floating-point arithmetic (see hello-float.c). */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
static jmp_buf env;
static void jump(int v) { longjmp(env, v); }

int main(void) {
    printf("Hello from glibc on lpar! %d %s %c %5.3s|%-4d|%x %lld\n", 42, "str", 'c', "abcdef", 7, 0xbeef, -1234567890123LL);

    int n = 1000, *v = malloc(n * sizeof *v);
    unsigned seed = 12345;
    for (int i = 0; i < n; i++) { seed = seed * 1103515245 + 12345; v[i] = (seed >> 8) % 100000; }
    qsort(v, n, sizeof *v, cmp);
    int sorted = 1;
    for (int i = 1; i < n; i++) sorted &= v[i - 1] <= v[i];
    printf("qsort: %s, min %d max %d\n", sorted ? "sorted" : "NOT SORTED", v[0], v[n - 1]);
    free(v);

    char *big = malloc(1 << 20);  /* mmap-backed */
    memset(big, 'x', 1 << 20);
    big[(1 << 20) - 1] = 0;
    printf("big: %zu\n", strlen(big));
    free(big);

    volatile int r = setjmp(env);
    if (r == 0) jump(7);
    printf("longjmp returned %d\n", r);

    char buf[64];
    strcpy(buf, "hello");
    strcat(buf, ", world");
    printf("%s len %zu cmp %d chr %s dup %s\n", buf, strlen(buf), strcmp(buf, "hello"), strchr(buf, 'w'), strdup(buf + 7));
    char tok[] = "a,b,,c";
    for (char *t = strtok(tok, ","); t; t = strtok(NULL, ",")) printf("[%s]", t);
    printf(" %ld %lu\n", strtol("-123abc", NULL, 10), strtoul("ff", NULL, 16));

    char name[] = "/tmp/lpar-hello-XXXXXX";
    int fd = mkstemp(name);
    FILE *f = fdopen(fd, "w+");
    for (int i = 0; i < 100; i++) fprintf(f, "line %d\n", i);
    rewind(f);
    char line[32];
    int lines = 0;
    while (fgets(line, sizeof line, f)) lines++;
    printf("temp file: %d lines, last %s", lines, line);
    fclose(f);
    printf("unlink: %d\n", unlink(name));

    time_t t = time(NULL);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    printf("time sane: %d\n", t > 1600000000 && ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000);
    return 0;
}
