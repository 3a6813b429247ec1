/* Two vCPUs shake hands the way a PAPR kernel brings up a secondary (run with --smp 2):
 * cpu0 installs an external-interrupt handler, checks with RTAS query-cpu-stopped-state that
 * cpu1 is stopped, starts it with RTAS start-cpu; cpu1 marks itself alive, sends cpu0 an IPI
 * (H_IPI) and stops itself (RTAS stop-self). cpu0 takes the IPI at 0x500, accepts it with
 * H_XIRR (XIRR = old CPPR 0xFF, source 2 = the IPI), withdraws it (H_IPI 0xFF) and EOIs it.
 * Expected values: PAPR's RTAS and XICS definitions (docs/PAPR.md), Book III's external
 * interrupt (SRR0 = the next instruction, MSR[EE] = 0 in the handler). Runs unchanged on QEMU's
 * pseries with -smp 2. */
#include "lpar.h"
#include "fdt.h"
#include "check.h"

/* Real-mode scratch the handler and cpu1 use with RA = 0 (absolute) addressing. */
#define XIRR_SEEN   0x3000	/* u64: the XIRR the handler accepted */
#define SRR0_SEEN   0x3008	/* u64: SRR0 at the interrupt */
#define TAKEN       0x3010	/* u32: 1 once the handler ran */
#define CPU1_ALIVE  0x3020	/* u32: 1 once cpu1 ran */
#define STOP_TOKEN  0x3028	/* u32: the stop-self token, for cpu1 */
#define CPU1_RTAS   0x3040	/* cpu1's RTAS buffer */

asm(".text\n"
    /* The external-interrupt handler, copied to 0x500: saves r3-r5 in SPRG1-3, accepts,
     * withdraws and EOIs the IPI, records what it saw, returns. */
    ".globl ext_stub\n"
    "ext_stub:\n"
    "	mtsprg 1,3\n	mtsprg 2,4\n	mtsprg 3,5\n"
    "	li 3,0x74\n	sc 1\n"			/* H_XIRR -> r4 */
    "	std 4,0x3000(0)\n"
    "	mfsrr0 3\n	std 3,0x3008(0)\n"
    "	li 3,0x6c\n	li 4,0\n	li 5,0xff\n	sc 1\n"	/* H_IPI(0, 0xff) */
    "	li 3,0x64\n	ld 4,0x3000(0)\n	sc 1\n"		/* H_EOI(xirr) */
    "	li 3,1\n	stw 3,0x3010(0)\n"
    "	mfsprg 3,1\n	mfsprg 4,2\n	mfsprg 5,3\n"
    "	rfid\n"
    ".globl ext_stub_end\n"
    "ext_stub_end:\n"
    /* cpu1's entry (real mode, no stack, r3 = start-cpu's argument). */
    ".globl secondary\n"
    "secondary:\n"
    "	li 4,1\n	stw 4,0x3020(0)\n"
    "	li 3,0x6c\n	li 4,0\n	li 5,4\n	sc 1\n"	/* H_IPI(0, priority 4) */
    "	lwz 6,0x3028(0)\n	stw 6,0x3040(0)\n"		/* {stop-self, 0 args, 1 ret} */
    "	li 7,0\n	stw 7,0x3044(0)\n	li 7,1\n	stw 7,0x3048(0)\n"
    "	li 3,0\n	ori 3,3,0xf000\n	li 4,0x3040\n	sc 1\n"	/* H_RTAS */
    "1:	b 1b\n");

extern const uint32_t ext_stub[], ext_stub_end[], secondary[];

/* Absolute real addresses, hidden from gcc's bounds analysis (it treats small constant
 * addresses as pointers into nothing). */
static volatile uint32_t *word(unsigned long a) { asm("" : "+r"(a)); return (volatile uint32_t *)a; }
static volatile uint64_t *dword(unsigned long a) { asm("" : "+r"(a)); return (volatile uint64_t *)a; }

static uint32_t rtas_buf[16] __attribute__((aligned(16)));

/* An RTAS call through H_RTAS: {token, nargs, nret, args..., rets...}; returns rets[0]. */
static int32_t rtas(uint32_t token, int nargs, int nret, const uint32_t *args, uint32_t *rets)
{
	rtas_buf[0] = token; rtas_buf[1] = nargs; rtas_buf[2] = nret;
	for (int i = 0; i < nargs; i++) rtas_buf[3 + i] = args[i];
	plpar_hcall_norets(0xF000, (unsigned long)rtas_buf);
	for (int i = 0; i < nret; i++) rets[i] = rtas_buf[3 + nargs + i];
	return (int32_t)rtas_buf[3 + nargs];
}

static uint64_t tb(void) { uint64_t t; asm volatile("mftb %0" : "=r"(t)); return t; }

int main(void)
{
	int node = dt_find_node(__lpar_fdt, "rtas");
	uint32_t start = dt_u32(__lpar_fdt, node, "start-cpu", 0);
	uint32_t query = dt_u32(__lpar_fdt, node, "query-cpu-stopped-state", 0);
	uint32_t stop = dt_u32(__lpar_fdt, node, "stop-self", 0);
	expect(node >= 0 && start && query && stop, "RTAS has start-cpu, query-cpu-stopped-state and stop-self");

	/* The handler at 0x500. */
	volatile uint32_t *vector = word(0x500);
	for (int i = 0; i < ext_stub_end - ext_stub; i++) vector[i] = ext_stub[i];
	asm volatile("sync; icbi 0,%0; isync" : : "r"(0x500UL) : "memory");
	*word(STOP_TOKEN) = stop;
	*word(TAKEN) = 0;
	*word(CPU1_ALIVE) = 0;

	uint32_t args[3], rets[2];
	args[0] = 1;
	expect(rtas(query, 1, 2, args, rets) == 0 && rets[1] == 0, "query-cpu-stopped-state: cpu1 is stopped (state 0)");
	args[0] = 0;
	expect(rtas(query, 1, 2, args, rets) == 0 && rets[1] == 2, "query-cpu-stopped-state: cpu0 is running (state 2)");
	args[0] = 0; args[1] = 0; args[2] = 0;
	expect(rtas(start, 3, 1, args, rets) == -1, "start-cpu of the running cpu0: hardware error (-1)");

	/* Accept every priority, interrupts on, then start cpu1 at `secondary`. */
	expect(plpar_hcall_norets(0x68, 0xFF) == H_SUCCESS, "H_CPPR 0xFF");
	uint64_t msr;
	asm volatile("mfmsr %0" : "=r"(msr));
	asm volatile("mtmsrd %0" : : "r"(msr | 0x8000) : "memory");
	args[0] = 1; args[1] = (uint32_t)(unsigned long)secondary; args[2] = 0;
	expect(rtas(start, 3, 1, args, rets) == 0, "start-cpu cpu1: success");

	uint64_t t0 = tb();
	while (!*word(TAKEN) && tb() - t0 < 512000000UL)
		;
	expect(*word(CPU1_ALIVE) == 1, "cpu1 ran");
	expect(*word(TAKEN) == 1, "cpu0 took the IPI at 0x500");
	expect(*dword(XIRR_SEEN) == 0xFF000002UL, "H_XIRR: XIRR = CPPR 0xFF, source 2 (the IPI)");
	uint64_t srr0 = *dword(SRR0_SEEN);
	/* Taken between instructions of cpu0's wait loop: SRR0 is a word of the image's text
	 * (linked at 0x10000), not the vector. */
	expect(srr0 >= 0x10000 && srr0 < 0x20000 && (srr0 & 3) == 0, "SRR0: the next instruction of cpu0's program");

	/* cpu1 stops itself after the IPI: wait until RTAS says so. */
	args[0] = 1;
	t0 = tb();
	while (rtas(query, 1, 2, args, rets) == 0 && rets[1] != 0 && tb() - t0 < 512000000UL)
		;
	expect(rets[1] == 0, "cpu1 is stopped again after stop-self");
	return expect_summary();
}
