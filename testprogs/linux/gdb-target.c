/* guests/gdb-target.c as a Linux program, debugged by tools/gdb-test under lpar and under
 * qemu-ppc64 -g: a known global, calls for bt, a counter to watch, an FP function. -g build. */
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

volatile double gdb_half = 2.0, gdb_scaled;

__attribute__((noinline)) double scale(double x)
{
	return x * 1.5;
}

int main(void)
{
	int r = twice(20);
	gdb_scaled = scale(gdb_half);
	printf("gdb-target: %d %x %u\n", r, gdb_global, gdb_counter);
	return r == 42 ? 0 : 1;
}
