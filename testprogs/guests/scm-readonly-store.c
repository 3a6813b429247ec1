/* Binds the first block of the first NVDIMM, reads it, then stores into it. On a read-only
 * NVDIMM (readonly=on) the store is a data storage interrupt (DSISR protection | store); this
 * guest installs no handler, so lpar stops it with a one-line report and exit 139 (SIGSEGV),
 * and the backing file is unchanged. On a writable NVDIMM the store lands and the guest
 * exits 0. */
#include "lpar.h"
#include "fdt.h"

int main(void)
{
	const void *fdt = __lpar_fdt;
	int node = dt_next_compatible(fdt, -1, "ibm,pmemory");
	if (node < 0) {
		puts("no NVDIMM: run with --nvdimm file=...,readonly=on");
		return 2;
	}
	uint64_t drc = dt_u32(fdt, node, "ibm,my-drc-index", 0);
	uint64_t addr, bound;
	int calls;
	long rc = scm_bind(drc, 0, 1, &addr, &bound, &calls);
	if (rc != H_SUCCESS || bound != 1) {
		printf("bind failed: %ld\n", rc);
		return 3;
	}
	volatile uint64_t *p = (volatile uint64_t *)addr;
	printf("bound block 0 at 0x%lx, first doubleword 0x%lx\n", addr, (unsigned long)p[0]);
	console_flush();
	p[1] = 0x5354524f4b45ULL;	/* the store */
	printf("the store went through\n");
	return 0;
}
