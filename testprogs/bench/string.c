/* String and memory routines of the kind a C library spends its time in: word-at-a-time memcpy
 * and memset, byte-wise strlen, memcmp and a naive substring search, over a set of generated
 * strings. The routines are the workload's own, so every build runs the same code. */
#include "bench.h"

#define POOL (256 * 1024)
#define NSTR 2048
static uint8_t pool[POOL], copy[POOL];
static uint32_t offs[NSTR];

static void *b_memcpy(void *d, const void *s, size_t n)
{
	uint8_t *dp = d;
	const uint8_t *sp = s;
	/* Eight bytes at a time when both are aligned (copying words keeps bytes in order on any host). */
	if ((((uintptr_t)dp | (uintptr_t)sp) & 7) == 0) {
		for (; n >= 8; n -= 8, dp += 8, sp += 8)
			*(uint64_t *)dp = *(const uint64_t *)sp;
	}
	while (n--)
		*dp++ = *sp++;
	return d;
}

static void *b_memset(void *d, int c, size_t n)
{
	uint8_t *dp = d;
	uint64_t w = (uint8_t)c * 0x0101010101010101UL;
	while (n && ((uintptr_t)dp & 7)) { *dp++ = (uint8_t)c; n--; }
	for (; n >= 8; n -= 8, dp += 8)
		*(uint64_t *)dp = w;
	while (n--)
		*dp++ = (uint8_t)c;
	return d;
}

static size_t b_strlen(const uint8_t *s)
{
	const uint8_t *p = s;
	while (*p)
		p++;
	return (size_t)(p - s);
}

static int b_memcmp(const uint8_t *a, const uint8_t *b, size_t n)
{
	for (; n; n--, a++, b++)
		if (*a != *b)
			return *a - *b;
	return 0;
}

static const uint8_t *b_strstr(const uint8_t *h, const uint8_t *needle, size_t nlen)
{
	for (; *h; h++) {
		size_t i = 0;
		while (i < nlen && h[i] == needle[i])
			i++;
		if (i == nlen)
			return h;
	}
	return 0;
}

int main(void)
{
	long rounds = BENCH_PARAM(1600);
	uint64_t seed = 7, sum = 0;
	/* NSTR NUL-terminated strings of 16..127 letters from a 4-letter alphabet (so searches
	 * find partial matches often). */
	uint32_t at = 0;
	for (int i = 0; i < NSTR; i++) {
		offs[i] = at;
		int len = 16 + (int)(bench_lcg(&seed) >> 57);
		for (int k = 0; k < len; k++)
			pool[at++] = (uint8_t)("acgt"[bench_lcg(&seed) >> 62]);
		pool[at++] = 0;
	}
	static const uint8_t needle[] = "gattaca";
	for (long r = 0; r < rounds; r++) {
		b_memset(copy, (int)r, POOL);
		b_memcpy(copy, pool, at);
		for (int i = 0; i < NSTR; i++) {
			const uint8_t *s = copy + offs[i];
			size_t len = b_strlen(s);
			const uint8_t *hit = b_strstr(s, needle, 4 + (size_t)(r % 4));
			sum = sum * 131 + len + (hit ? (uint64_t)(hit - s) + 1 : 0);
			int c = b_memcmp(s, copy + offs[(i + 1) % NSTR], 16);
			sum += (uint64_t)(c < 0 ? 1 : c > 0 ? 2 : 3);
		}
		/* Shift the pool contents by one string so rounds differ. */
		b_memcpy(pool + 8, copy, at - 8 > POOL - 8 ? POOL - 8 : at - 8);
		for (int i = 0; i < NSTR; i++)
			pool[offs[i] + b_strlen(copy + offs[i])] = 0;
	}
	bench_report("string", sum);
	return 0;
}
