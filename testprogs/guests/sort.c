/* Sorting, recursion, function pointers, a switch and 64-bit arithmetic, each checked against
 * results known in advance. */
#include "lpar.h"

static int failures, passes;

static void check(const char *name, long got, long want)
{
	if (got == want) {
		passes++;
		printf("PASS %s\n", name);
	} else {
		failures++;
		printf("FAIL %s got=%ld want=%ld\n", name, got, want);
	}
}

static int ascending(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return x < y ? -1 : x > y;
}

static int descending(const void *a, const void *b) { return ascending(b, a); }

/* Quicksort through a comparator, as qsort does. */
static void quicksort(long *v, int n, int (*cmp)(const void *, const void *))
{
	if (n < 2)
		return;
	long pivot = v[n / 2];
	int i = 0, j = n - 1;
	while (i <= j) {
		while (cmp(&v[i], &pivot) < 0) i++;
		while (cmp(&v[j], &pivot) > 0) j--;
		if (i <= j) {
			long t = v[i]; v[i] = v[j]; v[j] = t;
			i++; j--;
		}
	}
	quicksort(v, j + 1, cmp);
	quicksort(v + i, n - i, cmp);
}

static void insertion_sort(int *v, int n)
{
	for (int i = 1; i < n; i++) {
		int x = v[i], j = i - 1;
		for (; j >= 0 && v[j] > x; j--)
			v[j + 1] = v[j];
		v[j + 1] = x;
	}
}

static long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static long ackermann(long m, long n)
{
	if (m == 0) return n + 1;
	if (n == 0) return ackermann(m - 1, 1);
	return ackermann(m - 1, ackermann(m, n - 1));
}

struct person { const char *name; int age; };

static const char *classify(int c)
{
	switch (c) {       /* dense cases: gcc emits a jump table (bctr) */
	case 0: return "zero";
	case 1: return "one";
	case 2: return "two";
	case 3: return "three";
	case 4: return "four";
	case 5: return "five";
	case 6: return "six";
	default: return "many";
	}
}

int main(void)
{
	/* A linear congruential sequence, then sorted: every element must not exceed the next. */
	long v[200];
	unsigned long seed = 12345;
	long sum = 0;
	for (int i = 0; i < 200; i++) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		v[i] = (long)(seed >> 16) - (1L << 46);
		sum += v[i];
	}
	quicksort(v, 200, ascending);
	int ordered = 1;
	long sum2 = 0;
	for (int i = 0; i < 200; i++) {
		if (i && v[i - 1] > v[i]) ordered = 0;
		sum2 += v[i];
	}
	check("quicksort ascending", ordered, 1);
	check("quicksort keeps elements", sum2, sum);
	quicksort(v, 200, descending);
	ordered = 1;
	for (int i = 1; i < 200; i++)
		if (v[i - 1] < v[i]) ordered = 0;
	check("quicksort descending", ordered, 1);

	int w[] = {9, 3, 7, 1, 8, 2, 6, 4, 5, 0};
	insertion_sort(w, 10);
	int ok = 1;
	for (int i = 0; i < 10; i++)
		if (w[i] != i) ok = 0;
	check("insertion sort 0..9", ok, 1);

	check("fib(20)", fib(20), 6765);
	check("fib(30)", fib(30), 832040);
	check("ackermann(2,3)", ackermann(2, 3), 9);          /* A(2,n) = 2n+3 */
	check("ackermann(3,3)", ackermann(3, 3), 61);         /* A(3,n) = 2^(n+3)-3 */

	struct person people[] = {{"ada", 36}, {"grace", 85}, {"alan", 41}};
	int oldest = 0;
	for (int i = 1; i < 3; i++)
		if (people[i].age > people[oldest].age) oldest = i;
	check("struct array", strcmp(people[oldest].name, "grace"), 0);

	check("switch 3", strcmp(classify(3), "three"), 0);
	check("switch 6", strcmp(classify(6), "six"), 0);
	check("switch default", strcmp(classify(42), "many"), 0);

	volatile long a = 123456789012345L, b = -987654321L;
	check("64-bit multiply", a * 1000, 123456789012345000L);
	check("64-bit divide", a / b, -124999);               /* 123456789012345 / 987654321 = 124999.99… truncated */
	check("64-bit modulo", a % b, 986541666L);            /* a - 124999 * 987654321 = 123456789012345 - 123455802470679 */
	volatile unsigned long u = 0xfedcba9876543210UL;
	check("unsigned divide", (long)(u / 0x100000000UL), 0xfedcba98L);
	check("unsigned modulo", (long)(u % 1000), 720);   /* 0xfedcba9876543210 = 18364758544493064720 */

	printf("sort: %d passed, %d failed\n", passes, failures);
	return failures != 0;
}
