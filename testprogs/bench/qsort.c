/* Sorting 64-bit keys with a qsort-style routine (element size and a comparator called through a
 * function pointer), then checking the order: calls, loads/stores, compares and branches. */
#include "bench.h"

#define N 200000
static uint64_t keys[N];

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void swap_bytes(uint8_t *a, uint8_t *b, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		uint8_t t = a[i];
		a[i] = b[i];
		b[i] = t;
	}
}

/* Quicksort with median-of-three, insertion sort below 16 elements; qsort's interface. */
static void bench_qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	uint8_t *v = base;
	while (n > 16) {
		uint8_t *lo = v, *mid = v + (n / 2) * size, *hi = v + (n - 1) * size;
		if (cmp(mid, lo) < 0) swap_bytes(mid, lo, size);
		if (cmp(hi, mid) < 0) {
			swap_bytes(hi, mid, size);
			if (cmp(mid, lo) < 0) swap_bytes(mid, lo, size);
		}
		swap_bytes(mid, lo, size);   /* pivot to the front */
		size_t i = 1, j = n - 1;
		for (;;) {
			while (i <= j && cmp(v + i * size, v) < 0) i++;
			while (j >= i && cmp(v + j * size, v) > 0) j--;
			if (i >= j) break;
			swap_bytes(v + i * size, v + j * size, size);
			i++; j--;
		}
		swap_bytes(v, v + j * size, size);
		/* Recurse into the smaller part, loop on the larger: bounded stack. */
		if (j < n - j - 1) {
			bench_qsort(v, j, size, cmp);
			v += (j + 1) * size; n -= j + 1;
		} else {
			bench_qsort(v + (j + 1) * size, n - j - 1, size, cmp);
			n = j;
		}
	}
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && cmp(v + (k - 1) * size, v + k * size) > 0; k--)
			swap_bytes(v + (k - 1) * size, v + k * size, size);
}

int main(void)
{
	long rounds = BENCH_PARAM(8);
	uint64_t seed = 42, sum = 0;
	for (long r = 0; r < rounds; r++) {
		for (int i = 0; i < N; i++)
			keys[i] = bench_lcg(&seed);
		bench_qsort(keys, N, sizeof keys[0], cmp_u64);
		for (int i = 0; i < N; i++) {
			if (i && keys[i - 1] > keys[i]) {
				printf("qsort: not sorted at %d\n", i);
				return 1;
			}
			sum = sum * 1000003 + keys[i];
		}
	}
	bench_report("qsort", sum);
	return 0;
}
