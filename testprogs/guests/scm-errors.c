/* Every SCM hcall with bad parameters, from a real guest: each line names the rule (from the
 * seed document, papr-facts.md and QEMU 7.2's check order) and the return code it demands.
 * Needs two NVDIMMs of at least 4 blocks, the second read-only without statistics, and the
 * asynchronous flush:
 *   lpar run --scm-slow-flush --nvdimm file=nv0.img,size=512M,label-size=128K,block-size=64M \
 *       --nvdimm file=nv1.img,size=512M,label-size=128K,block-size=64M,readonly=on,stats=off scm-errors.elf */
#include "lpar.h"
#include "fdt.h"

static int failures;
static void expect(long got, long want, const char *rule)
{
	if (got == want)
		printf("PASS %s -> %ld\n", rule, got);
	else
		printf("FAIL %s -> %ld, expected %ld\n", rule, got, want);
	failures += got != want;
}

int main(void)
{
	const void *fdt = __lpar_fdt;
	int node = dt_next_compatible(fdt, -1, "ibm,pmemory");
	int node1 = node >= 0 ? dt_next_compatible(fdt, node, "ibm,pmemory") : -1;
	if (node1 < 0) {
		printf("needs two NVDIMMs: run with --scm-slow-flush --nvdimm file=nv0.img,size=512M,label-size=128K,block-size=64M "
		       "--nvdimm file=nv1.img,size=512M,label-size=128K,block-size=64M,readonly=on,stats=off\n");
		return 2;
	}
	uint64_t drc1 = dt_u32(fdt, node1, "ibm,my-drc-index", 0);
	uint64_t drc = dt_u32(fdt, node, "ibm,my-drc-index", 0);
	uint64_t block = dt_u64(fdt, node, "ibm,block-size", 0);
	uint64_t blocks = dt_u64(fdt, node, "ibm,number-of-blocks", 0);
	uint64_t meta = dt_u32(fdt, node, "ibm,metadata-size", 0);
	uint64_t nodrc = drc + 0x40; /* a PMEM DRC index with no NVDIMM behind it */
	unsigned long ret[9];
	long rc;

	/* Metadata: lengths 1, 2, 4, 8 only; offset + length inside the label area. */
	expect(plpar_hcall(H_SCM_READ_METADATA, ret, nodrc, 0, 8), H_PARAMETER, "READ_METADATA of a DRC with no NVDIMM");
	expect(plpar_hcall(H_SCM_READ_METADATA, ret, drc, 0, 3), H_P3, "READ_METADATA of 3 bytes");
	expect(plpar_hcall(H_SCM_READ_METADATA, ret, drc, meta - 4, 8), H_P2, "READ_METADATA running past the label area");
	expect(plpar_hcall(H_SCM_READ_METADATA, ret, drc, ~0UL - 3, 8), H_P2, "READ_METADATA whose offset + length wraps");
	expect(plpar_hcall(H_SCM_READ_METADATA, ret, drc, meta - 8, 8), H_SUCCESS, "READ_METADATA of the last 8 bytes");
	expect(plpar_hcall_norets(H_SCM_WRITE_METADATA, drc, 0, 0, 5), H_P4, "WRITE_METADATA of 5 bytes");
	expect(plpar_hcall_norets(H_SCM_WRITE_METADATA, drc, 0, 0x100, 1), H_P2, "WRITE_METADATA of data wider than 1 byte");
	expect(plpar_hcall_norets(H_SCM_WRITE_METADATA, drc, meta, 0, 1), H_P2, "WRITE_METADATA at the end of the label area");
	expect(plpar_hcall_norets(H_SCM_WRITE_METADATA, drc1, 0, 1, 1), H_P2, "WRITE_METADATA to a read-only NVDIMM");
	expect(plpar_hcall(H_SCM_READ_METADATA, ret, drc1, 0, 1), H_SUCCESS, "READ_METADATA of a read-only NVDIMM");

	/* Bind: block range inside the NVDIMM, target block-aligned and outside RAM, tokens issued. */
	expect(plpar_hcall(H_SCM_BIND_MEM, ret, nodrc, 0, 1, H_SCM_BIND_ANY_ADDR, 0), H_PARAMETER, "BIND_MEM of a DRC with no NVDIMM");
	expect(plpar_hcall(H_SCM_BIND_MEM, ret, drc, blocks + 1, 1, H_SCM_BIND_ANY_ADDR, 0), H_P2, "BIND_MEM starting past the last block");
	expect(plpar_hcall(H_SCM_BIND_MEM, ret, drc, blocks - 1, 2, H_SCM_BIND_ANY_ADDR, 0), H_P3, "BIND_MEM running past the last block");
	expect(plpar_hcall(H_SCM_BIND_MEM, ret, drc, 1, ~0UL, H_SCM_BIND_ANY_ADDR, 0), H_P3, "BIND_MEM whose block count wraps");
	expect(plpar_hcall(H_SCM_BIND_MEM, ret, drc, 0, 1, 0, 0), H_OVERLAP, "BIND_MEM onto RAM (address 0, block-aligned)");
	expect(plpar_hcall(H_SCM_BIND_MEM, ret, drc, 0, 1, H_SCM_BIND_ANY_ADDR, 0x1230), H_P5, "BIND_MEM with a token never issued");

	/* One block bound by the hypervisor's choice, then the same block again. */
	rc = plpar_hcall(H_SCM_BIND_MEM, ret, drc, 0, 1, H_SCM_BIND_ANY_ADDR, 0);
	uint64_t addr = ret[1];
	expect(rc, H_SUCCESS, "BIND_MEM of block 0");
	expect(plpar_hcall(H_SCM_BIND_MEM, ret, drc, 0, 1, H_SCM_BIND_ANY_ADDR, 0), H_OVERLAP, "BIND_MEM of a block already bound");
	expect(plpar_hcall(H_SCM_BIND_MEM, ret, drc, 1, 1, addr + 1, 0), H_P4, "BIND_MEM to an unaligned target");
	/* The device-memory region ends after the second NVDIMM's range, which follows the first's. */
	uint64_t region_end = addr + 2 * blocks * block;
	expect(plpar_hcall(H_SCM_BIND_MEM, ret, drc, 1, 2, region_end - block, 0), H_TOO_BIG, "BIND_MEM to a target range past the device region");
	/* Two blocks, one per call (lpar's default): H_BUSY (the seed document's status for these), then the token finishes the job. */
	rc = plpar_hcall(H_SCM_BIND_MEM, ret, drc, 1, 2, H_SCM_BIND_ANY_ADDR, 0);
	expect(rc, H_BUSY, "BIND_MEM of 2 blocks, first call");
	expect(plpar_hcall(H_SCM_BIND_MEM, ret, drc, 1, 2, H_SCM_BIND_ANY_ADDR, ret[0]), H_SUCCESS, "BIND_MEM of 2 blocks, continued with the token");
	expect(plpar_hcall(H_SCM_UNBIND_MEM, ret, drc, addr + block, 2, 0), H_BUSY, "UNBIND_MEM of 2 blocks, first call");
	expect(plpar_hcall(H_SCM_UNBIND_MEM, ret, drc, addr + block, 2, ret[0]), H_SUCCESS, "UNBIND_MEM of 2 blocks, continued with the token");

	/* Queries. */
	expect(plpar_hcall(H_SCM_QUERY_BLOCK_MEM_BINDING, ret, drc, blocks), H_P2, "QUERY_BLOCK_MEM_BINDING of a block past the end");
	expect(plpar_hcall(H_SCM_QUERY_BLOCK_MEM_BINDING, ret, drc, 1), H_NOT_FOUND, "QUERY_BLOCK_MEM_BINDING of an unbound block");
	expect(plpar_hcall(H_SCM_QUERY_LOGICAL_MEM_BINDING, ret, 0x10000), H_NOT_FOUND, "QUERY_LOGICAL_MEM_BINDING of a RAM address");
	expect(plpar_hcall(H_SCM_QUERY_LOGICAL_MEM_BINDING, ret, addr + block - 1), H_SUCCESS, "QUERY_LOGICAL_MEM_BINDING of the block's last byte");

	/* Unbind: aligned start, non-zero count without wrap-around, a bound range, tokens issued. */
	expect(plpar_hcall(H_SCM_UNBIND_MEM, ret, drc, addr + 8, 1, 0), H_P2, "UNBIND_MEM from an unaligned address");
	expect(plpar_hcall(H_SCM_UNBIND_MEM, ret, drc, addr, 0, 0), H_P3, "UNBIND_MEM of zero blocks");
	expect(plpar_hcall(H_SCM_UNBIND_MEM, ret, drc, addr, ~0UL, 0), H_P3, "UNBIND_MEM whose size wraps");
	expect(plpar_hcall(H_SCM_UNBIND_MEM, ret, drc, addr, 1, 0x4560), H_P4, "UNBIND_MEM with a token never issued");
	expect(plpar_hcall(H_SCM_UNBIND_MEM, ret, drc, addr + block, 1, 0), H_P2, "UNBIND_MEM of a range that is not bound");
	expect(plpar_hcall(H_SCM_UNBIND_MEM, ret, drc, addr, 2, 0), H_P3, "UNBIND_MEM running into unbound memory");

	/* The first NVDIMM's last block and the second's first are neighbours: an unbind of the
	 * first that runs on overlaps the second's binding. */
	uint64_t last = addr + (blocks - 1) * block;
	expect(plpar_hcall(H_SCM_BIND_MEM, ret, drc, blocks - 1, 1, H_SCM_BIND_ANY_ADDR, 0), H_SUCCESS, "BIND_MEM of the last block");
	expect(plpar_hcall(H_SCM_BIND_MEM, ret, drc1, 0, 1, H_SCM_BIND_ANY_ADDR, 0), H_SUCCESS, "BIND_MEM of the read-only NVDIMM's block 0");
	expect(ret[1] == last + block, 1, "the second NVDIMM's range follows the first's");
	expect(plpar_hcall(H_SCM_UNBIND_MEM, ret, drc, last, 2, 0), H_OVERLAP, "UNBIND_MEM running into another NVDIMM's binding");

	/* An asynchronous flush (--scm-slow-flush) in progress keeps the memory bound. */
	rc = plpar_hcall(H_SCM_FLUSH, ret, drc, 0);
	uint64_t flush_token = ret[0];
	expect(rc, H_LONG_BUSY_ORDER_10_MSEC, "FLUSH starts and asks to be called again");
	expect(plpar_hcall(H_SCM_UNBIND_MEM, ret, drc, addr, 1, 0), H_IN_USE, "UNBIND_MEM while a flush is outstanding");
	expect(plpar_hcall(H_SCM_UNBIND_ALL, ret, H_SCM_UNBIND_SCOPE_ALL, 0, 0), H_IN_USE, "UNBIND_ALL while a flush is outstanding");
	expect(plpar_hcall(H_SCM_FLUSH, ret, drc, flush_token), H_SUCCESS, "FLUSH completed with its token");
	expect(plpar_hcall(H_SCM_FLUSH, ret, drc, flush_token), H_P2, "FLUSH with a token already used");
	expect(plpar_hcall(H_SCM_UNBIND_MEM, ret, drc, addr, 1, 0), H_SUCCESS, "UNBIND_MEM of the bound block");

	/* Unbind-all: scope 1 or 2, a valid DRC for scope 2. */
	expect(plpar_hcall(H_SCM_UNBIND_ALL, ret, 3, drc, 0), H_PARAMETER, "UNBIND_ALL with scope 3");
	expect(plpar_hcall(H_SCM_UNBIND_ALL, ret, H_SCM_UNBIND_SCOPE_DRC, nodrc, 0), H_P2, "UNBIND_ALL of a DRC with no NVDIMM");
	expect(plpar_hcall(H_SCM_UNBIND_ALL, ret, H_SCM_UNBIND_SCOPE_ALL, 0, 0x7770), H_P3, "UNBIND_ALL with a token never issued");
	expect(plpar_hcall(H_SCM_UNBIND_ALL, ret, H_SCM_UNBIND_SCOPE_ALL, 0, 0), H_BUSY, "UNBIND_ALL of 2 bound blocks, first call");
	expect(plpar_hcall(H_SCM_UNBIND_ALL, ret, H_SCM_UNBIND_SCOPE_ALL, 0, ret[0]), H_SUCCESS, "UNBIND_ALL continued with the token");
	expect(ret[1], 2, "UNBIND_ALL counted 2 blocks");
	expect(plpar_hcall(H_SCM_UNBIND_ALL, ret, H_SCM_UNBIND_SCOPE_ALL, 0, 0), H_SUCCESS, "UNBIND_ALL with nothing bound");

	/* Health, statistics, flush. */
	expect(plpar_hcall(H_SCM_HEALTH, ret, nodrc), H_PARAMETER, "HEALTH of a DRC with no NVDIMM");
	static uint64_t stats[64];
	memcpy(stats, "SCMSTATS", 8);
	stats[1] = 1UL << 32; /* version 1, all statistics */
	expect(plpar_hcall(H_SCM_PERFORMANCE_STATS, ret, drc, (unsigned long)stats, 8), H_PARAMETER, "PERFORMANCE_STATS into a buffer smaller than its header");
	expect(plpar_hcall(H_SCM_PERFORMANCE_STATS, ret, drc, ~0UL - 15, 64), H_PARAMETER, "PERFORMANCE_STATS into a buffer that wraps");
	expect(plpar_hcall(H_SCM_PERFORMANCE_STATS, ret, drc, (unsigned long)stats, sizeof stats), H_SUCCESS, "PERFORMANCE_STATS of every statistic");
	memcpy(stats, "SCMSTATS", 8);
	stats[1] = 1UL << 32 | 1;
	memcpy(&stats[2], "NoSuchId", 8);
	expect(plpar_hcall(H_SCM_PERFORMANCE_STATS, ret, drc, (unsigned long)stats, sizeof stats), H_PARTIAL, "PERFORMANCE_STATS of an unknown id");
	expect(memcmp(ret, "NoSuchId", 8) == 0, 1, "H_PARTIAL names the unknown id in r4");
	stats[1] = 2UL << 32;
	expect(plpar_hcall(H_SCM_PERFORMANCE_STATS, ret, drc, (unsigned long)stats, sizeof stats), H_UNSUPPORTED, "PERFORMANCE_STATS with buffer version 2");
	memcpy(stats, "NOTSTATS", 8);
	stats[1] = 1UL << 32;
	expect(plpar_hcall(H_SCM_PERFORMANCE_STATS, ret, drc, (unsigned long)stats, sizeof stats), H_PARAMETER, "PERFORMANCE_STATS without the eye-catcher");
	memcpy(stats, "SCMSTATS", 8);
	expect(plpar_hcall(H_SCM_PERFORMANCE_STATS, ret, drc1, (unsigned long)stats, sizeof stats), H_AUTHORITY, "PERFORMANCE_STATS of an NVDIMM given stats=off");
	expect(plpar_hcall(H_SCM_FLUSH, ret, drc, 0xABC0), H_P2, "FLUSH with a token never issued");
	expect(plpar_hcall(H_SCM_FLUSH, ret, nodrc, 0), H_PARAMETER, "FLUSH of a DRC with no NVDIMM");

	/* An hcall number nobody defines. */
	expect(plpar_hcall_norets(0x3E0), H_FUNCTION, "an undefined hcall number");
	printf("%d failed checks\n", failures);
	return failures != 0;
}
