/* Integer matrix multiply, 160x160 of 32-bit values with wrapping arithmetic: loads, mullw and
 * adds in a tight inner loop. */
#include "bench.h"

#define N 160
static uint32_t a[N][N], b[N][N], c[N][N];

static void multiply(void)
{
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			uint32_t s = 0;
			for (int k = 0; k < N; k++)
				s += a[i][k] * b[k][j];
			c[i][j] = s;
		}
}

int main(void)
{
	long rounds = BENCH_PARAM(50);
	uint64_t seed = 3, sum = 0;
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			a[i][j] = (uint32_t)(bench_lcg(&seed) >> 32);
			b[i][j] = (uint32_t)(bench_lcg(&seed) >> 32);
		}
	for (long r = 0; r < rounds; r++) {
		multiply();
		for (int i = 0; i < N; i++)
			for (int j = 0; j < N; j++) {
				sum = sum * 3 + c[i][j];
				a[i][j] ^= c[j][i];   /* feed the result back so rounds differ */
			}
	}
	bench_report("matmul", sum);
	return 0;
}
