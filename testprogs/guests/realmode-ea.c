/* Real addressing ignores the top four bits of the effective address: Power ISA 3.0B Book III
 * 5.7.3 ("Real Addressing Mode"): with MSR[DR] = 0 (or IR = 0 for fetches) "the high-order four
 * bits of the effective address are ignored" and bits 4:63 are the real address. Linux runs
 * its real-mode code at 0xc000… addresses relying on it. Each check stores through one alias of
 * a cell and reads through another; a branch through an 0xc… alias of a function must run it.
 * Needs the pseries engine. Prints PASS/FAIL per check, exits 0 when all pass. */
#include "lpar.h"
#include "check.h"

static volatile uint64_t cell;

/* A load and a store of 8 bytes at an explicit address (the compiler must not fold them). */
static uint64_t load(uint64_t ea)
{
	uint64_t v;
	asm volatile("ld %0,0(%1)" : "=r"(v) : "b"(ea) : "memory");
	return v;
}

static void store(uint64_t ea, uint64_t v)
{
	asm volatile("std %0,0(%1)" : : "r"(v), "b"(ea) : "memory");
}

/* Returns r3 + 1; called through an alias of its address. */
asm(".text\n"
    ".globl add_one\n"
    "add_one:\n"
    "	addi 3,3,1\n"
    "	blr\n");
extern const char add_one[];

static uint64_t call_at(uint64_t ea, uint64_t arg)
{
	register uint64_t r3 asm("r3") = arg;
	asm volatile("mtctr %1\n\tbctrl" : "+r"(r3) : "r"(ea) : "ctr", "lr", "memory");
	return r3;
}

int main(void)
{
	uint64_t msr;
	asm volatile("mfmsr %0" : "=r"(msr));
	expect_eq("running in real mode (MSR[IR]=MSR[DR]=0)", msr & 0x30, 0);

	uint64_t ra = (uint64_t)&cell;
	cell = 0;
	store(0xc000000000000000UL | ra, 0x0123456789abcdefUL);
	expect_eq("store via 0xc000..., load via the real address", cell, 0x0123456789abcdefUL);
	cell = 0xfeedfacecafebeefUL;
	expect_eq("store via the real address, load via 0xc000...", load(0xc000000000000000UL | ra), 0xfeedfacecafebeefUL);
	store(0xf000000000000000UL | ra, 0x1111222233334444UL);
	expect_eq("store via 0xf000..., load via 0x1000...", load(0x1000000000000000UL | ra), 0x1111222233334444UL);

	expect_eq("bctrl to 0xc000... + a function runs it", call_at(0xc000000000000000UL | (uint64_t)add_one, 41), 42);

	return expect_summary();
}
