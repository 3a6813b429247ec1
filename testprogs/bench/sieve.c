/* Sieve of Eratosthenes over 4 million numbers, repeated: byte stores in strided loops. */
#include "bench.h"

#define LIMIT 4000000
static uint8_t composite[LIMIT + 1];

int main(void)
{
	long rounds = BENCH_PARAM(12);
	uint64_t sum = 0;
	for (long r = 0; r < rounds; r++) {
		for (long i = 0; i <= LIMIT; i++)
			composite[i] = 0;
		for (long i = 2; i * i <= LIMIT; i++)
			if (!composite[i])
				for (long j = i * i; j <= LIMIT; j += i)
					composite[j] = 1;
		long count = 0;
		uint64_t h = 0;
		for (long i = 2; i <= LIMIT; i++)
			if (!composite[i]) {
				count++;
				h = h * 31 + (uint64_t)i;
			}
		sum = sum * 7 + h + (uint64_t)count;   /* pi(4e6) = 283146 */
	}
	bench_report("sieve", sum);
	return 0;
}
