/* Naive recursive Fibonacci: call/return, stack frames, compare and branch. */
#include "bench.h"

static long fib(long n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(void)
{
	long n = BENCH_PARAM(37);
	long r = fib(n);
	bench_report("fib", (uint64_t)r * 0x9E3779B97F4A7C15UL + (uint64_t)n);
	return 0;
}
