/* The NVDIMM image-exchange check: run alternately under lpar and qemu-system-ppc64 on one
 * backing file (tools/qemu-interop). Each run prints the label and the first data word the
 * previous run left, then writes its own ("by-lpar " / "by-qemu ", "data-lpr" / "data-qmu")
 * and flushes. The platform is told apart by the device tree: only lpar's /rtas has
 * "lpar,exit". */
#include "lpar.h"
#include "fdt.h"

static void text8(uint64_t v)
{
	char s[9];
	int printable = v != 0;
	for (int i = 0; i < 8; i++) {
		s[i] = (char)(v >> (56 - 8 * i));
		printable &= s[i] >= 32 && s[i] < 127;
	}
	s[8] = 0;
	if (printable)
		printf("\"%s\"", s);
	else
		printf("0x%016lx", v);
}

int main(void)
{
	const void *fdt = __lpar_fdt;
	int node = dt_next_compatible(fdt, -1, "ibm,pmemory");
	if (node < 0) {
		printf("no NVDIMM in the device tree\n");
		return 2;
	}
	int rtas = dt_find_node(fdt, "rtas");
	int on_lpar = rtas >= 0 && dt_property(fdt, rtas, "lpar,exit", 0) != 0;
	uint64_t drc = dt_u32(fdt, node, "ibm,my-drc-index", 0);
	uint64_t blocks = dt_u64(fdt, node, "ibm,number-of-blocks", 0);
	unsigned long ret[4];

	long rc = plpar_hcall(H_SCM_READ_METADATA, ret, drc, 0, 8);
	printf("platform %s, drc 0x%lx: label ", on_lpar ? "lpar" : "qemu", drc);
	if (rc == H_SUCCESS)
		text8(ret[0]);
	else
		printf("(H_SCM_READ_METADATA %ld)", rc);

	uint64_t addr, bound;
	int calls;
	rc = scm_bind(drc, 0, blocks, &addr, &bound, &calls);
	volatile uint64_t *data = (volatile uint64_t *)addr;
	if (rc == H_SUCCESS) {
		printf(", data ");
		text8(*data);
		*data = on_lpar ? 0x646174612d6c7072UL : 0x646174612d716d75UL; /* "data-lpr" / "data-qmu" */
	} else {
		printf(", (H_SCM_BIND_MEM %ld)", rc);
	}
	printf("\n");
	rc = plpar_hcall_norets(H_SCM_WRITE_METADATA, drc, 0, on_lpar ? 0x62792d6c70617220UL : 0x62792d71656d7520UL, 8);
	if (rc != H_SUCCESS)
		printf("H_SCM_WRITE_METADATA %ld\n", rc);
	scm_flush(drc, &calls);
	return 0;
}
