/* Drives every SCM hcall the way Linux's papr_scm driver does, on each NVDIMM the device tree
 * lists: health, label (metadata) read and write, bind with the continue-token loop, stores to
 * the bound memory, flush, both binding queries, performance statistics, unbind-all.
 *
 * Run it twice on the same backing file:
 *   lpar run --nvdimm file=nv0.img,size=512M,label-size=128K,block-size=64M scm-demo.elf
 * The label keeps a run counter and the first bytes of every block hold the counter of the run
 * that wrote them, so the second run shows what the first one left. Lines starting PASS/FAIL
 * are checks of PAPR's rules. */
#include "lpar.h"
#include "fdt.h"

static int failures;
static void check(int ok, const char *what)
{
	printf("%s %s\n", ok ? "PASS" : "FAIL", what);
	failures += !ok;
}

static const char *const health_bits[] = {
	"unarmed", "shutdown-dirty", "shutdown-clean", "empty", "critical", "fatal",
	"unhealthy", "non-critical", "encrypted", "scrubbed-and-locked",
};

/* The label area starts with this record (big-endian, 8-byte metadata accesses). */
#define LABEL_MAGIC 0x4c50415244454d4fUL /* "LPARDEMO" */

static uint64_t read_label(uint64_t drc, uint64_t offset, long *rc)
{
	unsigned long ret[4];
	*rc = plpar_hcall(H_SCM_READ_METADATA, ret, drc, offset, 8);
	return ret[0];
}

static void show_stats(uint64_t drc)
{
	static unsigned char buf[4096] __attribute__((aligned(8)));
	unsigned long ret[4];
	long rc = plpar_hcall(H_SCM_PERFORMANCE_STATS, ret, drc, 0, 0);
	uint64_t size = ret[0];
	check(rc == H_SUCCESS && size >= 16 && size <= sizeof buf, "H_SCM_PERFORMANCE_STATS with no buffer gives the size needed");
	if (rc != H_SUCCESS || size > sizeof buf)
		return;
	/* Header "SCMSTATS", version 1, number of statistics 0 = all of them. */
	memset(buf, 0, sizeof buf);
	memcpy(buf, "SCMSTATS", 8);
	*(uint32_t *)(buf + 8) = 1;
	rc = plpar_hcall(H_SCM_PERFORMANCE_STATS, ret, drc, (unsigned long)buf, size);
	check(rc == H_SUCCESS && memcmp(buf, "SCMSTATS", 8) == 0, "H_SCM_PERFORMANCE_STATS fills an SCMSTATS buffer");
	uint32_t n = *(uint32_t *)(buf + 12);
	for (uint32_t i = 0; i < n && 16 + 16 * (i + 1) <= size; i++) {
		char id[9];
		memcpy(id, buf + 16 + 16 * i, 8);
		id[8] = 0;
		printf("  stat %s = %lu\n", id, *(uint64_t *)(buf + 24 + 16 * i));
	}
}

static void demo(const void *fdt, int node)
{
	uint64_t drc = dt_u32(fdt, node, "ibm,my-drc-index", 0);
	uint64_t block = dt_u64(fdt, node, "ibm,block-size", 0);
	uint64_t blocks = dt_u64(fdt, node, "ibm,number-of-blocks", 0);
	uint64_t meta = dt_u32(fdt, node, "ibm,metadata-size", 0);
	unsigned long ret[4];
	long rc;

	printf("%s: drc 0x%lx, %lu blocks of %lu MiB, %lu KiB of labels\n",
	       dt_node_name(fdt, node), drc, blocks, block >> 20, meta >> 10);

	/* Health: which bits are set, out of those the hypervisor says are valid. */
	rc = plpar_hcall(H_SCM_HEALTH, ret, drc);
	check(rc == H_SUCCESS, "H_SCM_HEALTH succeeds");
	printf("  health 0x%016lx (valid 0x%016lx):", ret[0], ret[1]);
	for (int bit = 0; bit < 10; bit++)
		if (ret[0] & (1UL << (63 - bit)))
			printf(" %s", health_bits[bit]);
	printf(ret[0] ? "\n" : " healthy\n");

	/* Label: a magic and a run counter, kept across runs in the backing file. */
	uint64_t magic = read_label(drc, 0, &rc);
	check(rc == H_SUCCESS, "H_SCM_READ_METADATA of 8 bytes at offset 0");
	uint64_t run = magic == LABEL_MAGIC ? read_label(drc, 8, &rc) + 1 : 1;
	printf("  label: %s, this is run %lu\n", magic == LABEL_MAGIC ? "written by an earlier run" : "new", run);
	check(plpar_hcall_norets(H_SCM_WRITE_METADATA, drc, 0, LABEL_MAGIC, 8) == H_SUCCESS &&
	      plpar_hcall_norets(H_SCM_WRITE_METADATA, drc, 8, run, 8) == H_SUCCESS,
	      "H_SCM_WRITE_METADATA of the magic and the counter");
	check(read_label(drc, 8, &rc) == run && rc == H_SUCCESS, "the label reads back what was written");

	/* Bind every block, continuing while the hypervisor asks to. */
	uint64_t addr, bound;
	int calls;
	rc = scm_bind(drc, 0, blocks, &addr, &bound, &calls);
	printf("  bind: %d calls, %lu blocks at 0x%lx\n", calls, bound, addr);
	check(rc == H_SUCCESS && bound == blocks, "H_SCM_BIND_MEM binds all blocks through its continue-token loop");
	check(addr != 0 && addr % block == 0, "the bound range is block-aligned");

	/* The first word of each block holds the run that last wrote it. */
	int previous_ok = 1;
	for (uint64_t b = 0; b < blocks; b++) {
		volatile uint64_t *p = (volatile uint64_t *)(addr + b * block);
		if (run > 1 && p[0] != ((run - 1) << 32 | b))
			previous_ok = 0;
		p[0] = run << 32 | b;
	}
	if (run > 1)
		check(previous_ok, "every block holds what the previous run stored");

	rc = scm_flush(drc, &calls);
	printf("  flush: %d calls\n", calls);
	check(rc == H_SUCCESS, "H_SCM_FLUSH completes");

	/* Both queries answer from the binding just made. */
	rc = plpar_hcall(H_SCM_QUERY_BLOCK_MEM_BINDING, ret, drc, blocks - 1);
	check(rc == H_SUCCESS && ret[0] == addr + (blocks - 1) * block, "H_SCM_QUERY_BLOCK_MEM_BINDING of the last block");
	rc = plpar_hcall(H_SCM_QUERY_LOGICAL_MEM_BINDING, ret, addr + block + 0x1234);
	check(rc == H_SUCCESS && ret[0] == drc && ret[1] == 1, "H_SCM_QUERY_LOGICAL_MEM_BINDING names the NVDIMM and block 1");

	show_stats(drc);

	uint64_t unbound;
	rc = scm_unbind_all(drc, &unbound, &calls);
	printf("  unbind-all: %d calls, %lu blocks\n", calls, unbound);
	check(rc == H_SUCCESS && unbound == blocks, "H_SCM_UNBIND_ALL unbinds every block");
	rc = plpar_hcall(H_SCM_QUERY_BLOCK_MEM_BINDING, ret, drc, 0);
	check(rc == H_NOT_FOUND, "after unbinding, the query answers H_NOT_FOUND");
}

int main(void)
{
	if (!dt_valid(__lpar_fdt)) {
		printf("FAIL no device tree in r3\n");
		return 1;
	}
	int found = 0;
	for (int node = dt_next_compatible(__lpar_fdt, -1, "ibm,pmemory"); node >= 0;
	     node = dt_next_compatible(__lpar_fdt, node, "ibm,pmemory")) {
		demo(__lpar_fdt, node);
		found++;
	}
	if (!found) {
		printf("no NVDIMM in the device tree: run with --nvdimm file=nv0.img,size=512M,label-size=128K,block-size=64M\n");
		return 2;
	}
	printf("%d NVDIMM(s), %d failed checks\n", found, failures);
	return failures != 0;
}
