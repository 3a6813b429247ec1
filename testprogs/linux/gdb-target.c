/* The Linux program tools/gdb-test debugs (here and under qemu-ppc64 -g): a global with a known value to print, a call chain for
 * bt and finish, a counter stored twice to watch. The Linux twin of guests/gdb-target.c, built with -g. */
#include <stdio.h>

volatile unsigned int gdb_global = 0x12345678;
volatile unsigned int gdb_counter;

__attribute__((noinline)) int add_one(int x)
{
	gdb_counter = gdb_counter + 1;
	return x + 1;
}

__attribute__((noinline)) int twice(int x)
{
	return add_one(x) + add_one(x);
}

int main(void)
{
	int r = twice(20);
	printf("gdb-target: %d %x %u\n", r, gdb_global, gdb_counter);
	return r == 42 ? 0 : 1;
}
