/* The NVDIMM durability check (tools/crash-test kills lpar with SIGKILL while this runs).
 *
 * Without arguments it loops forever. Iteration i (from 1) stores d(i) into data word i % WORDS
 * of the bound NVDIMM memory, then writes m(i) into label slot i % SLOTS with one 8-byte
 * H_SCM_WRITE_METADATA and prints "M i" once that returned; every FLUSH_EVERY iterations it
 * calls H_SCM_FLUSH and prints "F i" once that completed. Label slots straddle 4K page
 * boundaries, where a write is most likely to be torn.
 *
 * With bootargs "verify F A" (F = last "F" line seen, A = last "M" line seen) it checks what the
 * killed run left: each label slot holds the newest acknowledged write for it, or the one in
 * flight (A + 1), untorn; each data word holds the newest write made before the last completed
 * flush, or a later one. Exit 0 when everything is there. */
#include "lpar.h"
#include "fdt.h"

#define SLOTS 16
#define WORDS 512
#define FLUSH_EVERY 8

static uint64_t slot_offset(uint64_t s) { return 4096 * (s + 1) - 4; }
static uint64_t mix(uint64_t i) { return ((i * 2654435761UL) ^ 0x5a5a5a5aUL) & 0xffffffffUL; }
static uint64_t m(uint64_t i) { return i << 32 | mix(i); }
static uint64_t d(uint64_t i) { return i << 32 | (mix(i) ^ 0xffffffffUL); }

static uint64_t drc, block, addr;
static volatile uint64_t *word(uint64_t k) { return (volatile uint64_t *)(addr + (k % 4) * block + (k / 4) * 8); }

/* The newest i <= limit with i % n == k, or 0 when there is none. */
static uint64_t newest(uint64_t limit, uint64_t k, uint64_t n)
{
	if (limit < k || (k == 0 && limit < n))
		return 0;
	return limit - (limit - k) % n;
}

static int verify(uint64_t flushed, uint64_t acked)
{
	unsigned long ret[4];
	int bad = 0;
	for (uint64_t s = 0; s < SLOTS; s++) {
		long rc = plpar_hcall(H_SCM_READ_METADATA, ret, drc, slot_offset(s), 8);
		uint64_t want = newest(acked, s, SLOTS), got = ret[0];
		int ok = rc == H_SUCCESS && (got == (want ? m(want) : 0) || ((acked + 1) % SLOTS == s && got == m(acked + 1)));
		if (!ok) {
			printf("FAIL label slot %lu: 0x%016lx, expected m(%lu)%s\n", s, got, want,
			       (got >> 32) && (got & 0xffffffffUL) != mix(got >> 32) ? " (torn)" : "");
			bad++;
		}
	}
	for (uint64_t k = 0; k < WORDS; k++) {
		uint64_t least = newest(flushed, k, WORDS), got = *word(k), j = got >> 32;
		int ok = got == 0 ? least == 0 : (got == d(j) && j % WORDS == k && j >= least && j <= acked + 1);
		if (!ok) {
			printf("FAIL data word %lu: 0x%016lx, expected d(%lu) or later\n", k, got, least);
			bad++;
		}
	}
	printf("verified %d label slots and %d data words after F %lu, M %lu: %d wrong\n", SLOTS, WORDS, flushed, acked, bad);
	return bad != 0;
}

static uint64_t number(const char **p)
{
	uint64_t v = 0;
	while (**p == ' ')
		(*p)++;
	while (**p >= '0' && **p <= '9')
		v = v * 10 + (uint64_t)(*(*p)++ - '0');
	return v;
}

int main(void)
{
	const void *fdt = __lpar_fdt;
	int node = dt_next_compatible(fdt, -1, "ibm,pmemory");
	if (node < 0) {
		printf("no NVDIMM in the device tree: run with --nvdimm file=nv0.img,size=256M,label-size=128K,block-size=64M\n");
		return 2;
	}
	drc = dt_u32(fdt, node, "ibm,my-drc-index", 0);
	block = dt_u64(fdt, node, "ibm,block-size", 0);
	uint64_t blocks = dt_u64(fdt, node, "ibm,number-of-blocks", 0);
	if (blocks < 4 || dt_u32(fdt, node, "ibm,metadata-size", 0) < 4096 * (SLOTS + 1)) {
		printf("needs at least 4 blocks and 68K of labels\n");
		return 2;
	}
	uint64_t bound;
	int calls;
	if (scm_bind(drc, 0, blocks, &addr, &bound, &calls) != H_SUCCESS) {
		printf("FAIL bind\n");
		return 1;
	}
	int chosen = dt_find_node(fdt, "chosen");
	const char *args = chosen >= 0 ? dt_property(fdt, chosen, "bootargs", 0) : 0;
	if (args && args[0] == 'v') { /* "verify F A" */
		const char *p = args + 6;
		uint64_t f = number(&p), a = number(&p);
		return verify(f, a);
	}
	for (uint64_t i = 1;; i++) {
		*word(i % WORDS) = d(i);
		if (plpar_hcall_norets(H_SCM_WRITE_METADATA, drc, slot_offset(i % SLOTS), m(i), 8) != H_SUCCESS) {
			printf("FAIL metadata write %lu\n", i);
			return 1;
		}
		printf("M %lu\n", i);
		if (i % FLUSH_EVERY == 0) {
			if (scm_flush(drc, &calls) != H_SUCCESS) {
				printf("FAIL flush %lu\n", i);
				return 1;
			}
			printf("F %lu\n", i);
		}
	}
}
