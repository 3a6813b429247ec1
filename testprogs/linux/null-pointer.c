/* A NULL buffer to a system call is EFAULT and a NULL dereference kills the process with
 * SIGSEGV (exit 139 as a shell shows it), as under Linux and qemu-ppc64: the first 64 KiB of a
 * Linux process are never mapped. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	(void)argv;
	const char *volatile nothing = 0;   /* volatile: gcc would warn about a literal NULL */
	ssize_t n = write(1, nothing, 5);
	printf("write(NULL, 5) = %zd, errno %s\n", n, strerror(errno));
	fflush(stdout);
	volatile int *p = (volatile int *)(long)(argc - 1);
	return *p;
}
