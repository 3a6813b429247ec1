/* Table-driven CRC-32 (IEEE 802.3, reflected) over a 64 KiB buffer, many passes: byte loads,
 * shifts, xors and a table lookup per byte. */
#include "bench.h"

#define SIZE (64 * 1024)
static uint8_t buf[SIZE];
static uint32_t table[256];

static void make_table(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
}

static uint32_t crc32(uint32_t crc, const uint8_t *p, size_t n)
{
	crc = ~crc;
	while (n--)
		crc = table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
	return ~crc;
}

int main(void)
{
	long passes = BENCH_PARAM(1600);
	uint64_t seed = 1;
	for (int i = 0; i < SIZE; i++)
		buf[i] = (uint8_t)(bench_lcg(&seed) >> 56);
	make_table();
	uint64_t sum = 0;
	uint32_t crc = 0;
	for (long i = 0; i < passes; i++) {
		crc = crc32(crc, buf, SIZE);
		buf[i % SIZE] ^= (uint8_t)crc;   /* each pass hashes different data */
		sum = sum * 31 + crc;
	}
	bench_report("crc32", sum);
	return 0;
}
