/* Interrupt delivery, checked against Power ISA 3.0B Book III chapter 6 ("Interrupts"): the
 * guest copies a stub to each architected vector (real mode, AIL=0), the stub records SRR0,
 * SRR1, DAR, DSISR, the MSR it runs with and the vector, then returns with rfid to the address
 * and MSR the check chose. Each check provokes one interrupt and compares the record with the
 * values the ISA gives (section numbers in the comments).
 *
 * Needs the pseries engine (interrupts delivered to guest vectors). The privileged-instruction
 * check also needs H_REGISTER_PROC_TBL and a radix MMU: rfid to MSR[PR]=1 forces IR=DR=1
 * (ISA rfid pseudocode: MSR[58] <- SRR1[58] | SRR1[49], MSR[59] <- SRR1[59] | SRR1[49]), so
 * problem state always translates. Prints PASS/FAIL per check, exits 0 when all pass.
 *
 * The same source runs under QEMU as testprogs/build/qemu/interrupts.bin:
 *   qemu-system-ppc64 -M pseries -cpu power9 -m 512M -nographic -nodefaults \
 *     -chardev stdio,id=c0,signal=off -device spapr-vty,chardev=c0 -bios testprogs/build/qemu/interrupts.bin
 * QEMU 7.2 TCG passes all but five checks: no alignment interrupt for the unaligned stwcx.,
 * rfid changes MSR[ME] with MSR[HV]=0, no machine check for the load beyond RAM, and (two
 * checks) it sets a radix PTE's C bit itself where POWER9 raises a DSI. Its DSI, DSeg and ISI
 * cause bits agree with lpar's: external evidence for those values. */
#include "lpar.h"
#include "check.h"

/* MSR bits (ISA numbering bit k = 1 << (63 - k)), Book III 4.2.1. */
#define MSR_SF (1UL << 63)
#define MSR_HV (1UL << 60)
#define MSR_VEC (1UL << 25)
#define MSR_VSX (1UL << 23)
#define MSR_EE (1UL << 15)
#define MSR_PR (1UL << 14)
#define MSR_FP (1UL << 13)
#define MSR_ME (1UL << 12)
#define MSR_FE0 (1UL << 11)
#define MSR_SE (1UL << 10)
#define MSR_BE (1UL << 9)
#define MSR_FE1 (1UL << 8)
#define MSR_IR (1UL << 5)
#define MSR_DR (1UL << 4)
#define MSR_RI (1UL << 1)
#define MSR_LE (1UL << 0)

/* SRR1 bits 33:36 and 42:47 are set by each interrupt; the others are copied from the MSR
 * (e.g. sc's pseudocode, Book III 4.3.1: SRR1[33:36] <- 0, SRR1[42:47] <- 0, SRR1[0:32] <-
 * MSR[0:32], SRR1[37:41] <- MSR[37:41], SRR1[48:63] <- MSR[48:63]). */
#define SRR1_INTERRUPT_BITS 0x00000000783F0000UL
/* Program interrupt reasons, §6.5.9: SRR1[43] FP enabled, [44] illegal, [45] privileged,
 * [46] trap, [47] SRR0 holds the next instruction. */
#define SRR1_ILLEGAL (1UL << 19)
#define SRR1_PRIVILEGED (1UL << 18)
#define SRR1_TRAP (1UL << 17)
/* Machine check on a load (POWER9 implementation; kvm-unit-tests interrupts.c:87 checks it). */
#define SRR1_MCE_DSIDE (1UL << 21)

/* MSR bits every interrupt clears (§6.5, "MSR setting due to interrupt"): EE PR FP FE0 SE BE
 * FE1 IR DR RI, VEC and VSX; LE <- ILE (0 for this big-endian partition, H_SET_MODE never
 * changes it). SF is set. HV and ME are unchanged, except that a machine check clears ME. */
#define MSR_CLEARED_ON_INTERRUPT (MSR_VEC | MSR_VSX | MSR_EE | MSR_PR | MSR_FP | MSR_FE0 | MSR_SE | \
				  MSR_BE | MSR_FE1 | MSR_IR | MSR_DR | MSR_RI | MSR_LE)

/* The record the handler fills (offsets used by irq_common below). */
struct irq_record {
	uint64_t vector, srr0, srr1, dar, dsisr, msr, count, resume_pc, resume_msr;
};
struct irq_record irq;

/* Real-mode scratch the vector stubs use with RA=0 (absolute) addressing, below the image. */
#define SAVE_AREA 0x2000
#define HANDLER_PTR 0x2040

/* The stub copied to each vector (8 instructions: it fits the 0x20 spacing of 0xf20/0xf40); word
 * 6 becomes `li r3,VECTOR`. irq_common records, then rfids to irq.resume_pc with irq.resume_msr. */
asm(".text\n"
    ".globl vector_stub\n"
    "vector_stub:\n"
    "	std 3,0x2000(0)\n"
    "	std 4,0x2008(0)\n"
    "	mfctr 4\n"
    "	std 4,0x2010(0)\n"
    "	ld 4,0x2040(0)\n"
    "	mtctr 4\n"
    "	li 3,0\n"
    "	bctr\n"
    ".globl vector_stub_end\n"
    "vector_stub_end:\n"
    ".globl irq_common\n"
    "irq_common:\n"
    "	std 5,0x2018(0)\n"
    "	lis 4,irq@ha\n"
    "	addi 4,4,irq@l\n"
    "	std 3,0(4)\n"
    "	mfsrr0 5\n"
    "	std 5,8(4)\n"
    "	mfsrr1 5\n"
    "	std 5,16(4)\n"
    "	mfdar 5\n"
    "	std 5,24(4)\n"
    "	mfdsisr 5\n"
    "	std 5,32(4)\n"
    "	mfmsr 5\n"
    "	std 5,40(4)\n"
    "	ld 5,48(4)\n"
    "	addi 5,5,1\n"
    "	std 5,48(4)\n"
    "	ld 5,56(4)\n"
    "	mtsrr0 5\n"
    "	ld 5,64(4)\n"
    "	mtsrr1 5\n"
    "	ld 5,0x2010(0)\n"
    "	mtctr 5\n"
    "	ld 3,0x2000(0)\n"
    "	ld 4,0x2008(0)\n"
    "	ld 5,0x2018(0)\n"
    "	rfid\n"
    /* Where an interrupt nobody armed for returns: report it and stop. */
    ".globl stray_interrupt\n"
    "stray_interrupt:\n"
    "	bl report_stray\n"
    "	nop\n"
    "	b .\n");

extern const uint32_t vector_stub[], vector_stub_end[];
extern const char irq_common[], stray_interrupt[];

static const unsigned vectors[] = {0x200, 0x300, 0x380, 0x400, 0x480, 0x500, 0x600, 0x700, 0x800,
				   0x900, 0xc00, 0xd00, 0xf00, 0xf20, 0xf40};

void report_stray(void)
{
	printf("FAIL unexpected interrupt 0x%lx at 0x%lx (SRR1 0x%lx, DAR 0x%lx)\n", irq.vector, irq.srr0,
	       irq.srr1, irq.dar);
	lpar_exit(2);
}

static inline uint64_t mfmsr(void)
{
	uint64_t m;
	asm volatile("mfmsr %0" : "=r"(m));
	return m;
}

static inline void mtmsrd(uint64_t m)
{
	asm volatile("mtmsrd %0" : : "r"(m) : "memory");
}

static inline uint64_t mftb(void)
{
	uint64_t t;
	asm volatile("mftb %0" : "=r"(t));
	return t;
}

static void install_vectors(void)
{
	int words = vector_stub_end - vector_stub;
	*(volatile uint64_t *)HANDLER_PTR = (uint64_t)irq_common;
	for (unsigned i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
		volatile uint32_t *v = (volatile uint32_t *)(uintptr_t)vectors[i];
		for (int w = 0; w < words; w++)
			v[w] = vector_stub[w];
		v[6] = 0x38600000 | vectors[i]; /* li r3,vector (addi r3,0,vector) */
		/* Book II 1.8: stores to instructions become visible to fetch after dcbst, sync, icbi, isync. */
		asm volatile("dcbst 0,%0; sync; icbi 0,%0; isync" : : "r"(v) : "memory");
	}
	irq.resume_pc = (uint64_t)stray_interrupt;
	irq.resume_msr = mfmsr();
}

static uint64_t fault_pc; /* label 0: in PROVOKE, the instruction expected in SRR0 (or before it) */
static uint64_t after_pc; /* label 1: the end of the provoking code */

/* Runs `body` with labels 0: (the interesting instruction) and 1: (where the handler resumes);
 * `resume_msr` is the MSR the handler returns with. r11 is scratch. */
#define PROVOKE(resume_msr_value, body, ...)                                                     \
	do {                                                                                     \
		irq.resume_msr = (resume_msr_value);                                             \
		asm volatile("lis 11,1f@ha\n\taddi 11,11,1f@l\n\tstd 11,0(%[rpc])\n\t"           \
			     "std 11,0(%[apc])\n\t"                                              \
			     "lis 11,0f@ha\n\taddi 11,11,0f@l\n\tstd 11,0(%[fpc])\n\t" body "\n1:\n" \
			     :                                                                   \
			     : [rpc] "b"(&irq.resume_pc), [apc] "b"(&after_pc), [fpc] "b"(&fault_pc), \
			       ##__VA_ARGS__                                                      \
			     : "r11", "r9", "r30", "r31", "memory", "cr0");                                   \
		irq.resume_pc = (uint64_t)stray_interrupt;                                       \
	} while (0)

/* The checks every delivered interrupt must meet: vector, SRR0, SRR1's interrupt-specific bits,
 * SRR1's copy of the MSR, and the MSR the handler ran with. */
static int check_interrupt(const char *what, uint64_t count_before, uint64_t vector, uint64_t srr0,
			    uint64_t srr1_bits, uint64_t msr_before)
{
	char name[96];
	int n;
	for (n = 0; what[n] && n < 60; n++)
		name[n] = what[n];
#define NAME(suffix) (memcpy(name + n, suffix, strlen(suffix) + 1), name)
	if (irq.count - count_before != 1) { /* the record would be stale: one failure, not six */
		expect_eq(NAME(": one interrupt"), irq.count - count_before, 1);
		return 0;
	}
	expect_eq(NAME(": one interrupt"), 1, 1);
	expect_eq(NAME(": vector"), irq.vector, vector);
	expect_eq(NAME(": SRR0"), irq.srr0, srr0);
	expect_eq(NAME(": SRR1 33:36,42:47"), irq.srr1 & SRR1_INTERRUPT_BITS, srr1_bits);
	expect_eq(NAME(": SRR1 copies the MSR"), irq.srr1 & ~SRR1_INTERRUPT_BITS, msr_before & ~SRR1_INTERRUPT_BITS);
	uint64_t keep_me = vector == 0x200 ? 0 : (msr_before & MSR_ME);
	uint64_t want = (msr_before & ~MSR_CLEARED_ON_INTERRUPT & ~MSR_ME) | MSR_SF | keep_me;
	expect_eq(NAME(": MSR on entry"), irq.msr, want);
#undef NAME
	return 1;
}

/* Translation faults and TLB invalidation under the radix tree main() registers (Book III 5.7.10;
 * the DSISR/SRR1 cause bits of 6.5.3-6.5.6 as POWER9 reports them for radix). Each 1 GiB entry of
 * `pud` maps one region of EAs; data accesses run with MSR[DR] = 1, the handler returns to real
 * mode. PTE fields: V (bit 0), L (bit 1), R 0x100, C 0x80, EAA read 0x4, read/write 0x2,
 * execute 0x1, RPN in bits 7:51. */
#define PTE_V (1UL << 63)
#define PTE_L (1UL << 62)
#define PTE_R 0x100UL
#define PTE_C 0x80UL
#define EAA_READ 0x4UL
#define EAA_RW 0x2UL
#define EAA_EXEC 0x1UL
#define GIB (1UL << 30)

static uint64_t pmd[512] __attribute__((aligned(4096)));

static void radix_faults(uint64_t msr, uint64_t *pud)
{
	uint64_t c, ea;
	pud[1] = 0;                                                           /* 1G-2G: nothing */
	pud[2] = PTE_V | PTE_L | PTE_R | PTE_C | EAA_READ;                    /* 2G-3G: read only */
	pud[3] = PTE_V | PTE_L | PTE_R | EAA_READ | EAA_RW | EAA_EXEC;        /* 3G-4G: C clear */
	pud[4] = PTE_V | PTE_L | PTE_R | PTE_C | EAA_READ | EAA_RW;           /* 4G-5G: no execute */
	pud[5] = PTE_V | (uint64_t)pmd | 9;                                   /* 5G-6G: 2 MiB pages */
	asm volatile("ptesync" ::: "memory");
	uint64_t dr = msr | MSR_DR;

	/* §6.5.3 DSI: a load where no PTE is: DAR = EA, DSISR[33] (0x40000000). */
	ea = 1 * GIB + 0x1230;
	c = irq.count;
	PROVOKE(msr, "mtmsrd %[dr]\n0: lbz 9,0(%[ea])", [dr] "r"(dr), [ea] "b"(ea));
	if (check_interrupt("radix: load with no translation", c, 0x300, fault_pc, 0, dr)) {
		expect_eq("radix: no translation: DAR", irq.dar, ea);
		expect_eq("radix: no translation: DSISR", irq.dsisr, 0x40000000);
	}
	/* A store to a read-only page: DSISR[36] protection | [38] store = 0x0A000000. */
	ea = 2 * GIB + 0x2000;
	c = irq.count;
	PROVOKE(msr, "mtmsrd %[dr]\n0: stw 9,0(%[ea])", [dr] "r"(dr), [ea] "b"(ea));
	if (check_interrupt("radix: store to read-only", c, 0x300, fault_pc, 0, dr)) {
		expect_eq("radix: store to read-only: DAR", irq.dar, ea);
		expect_eq("radix: store to read-only: DSISR", irq.dsisr, 0x0A000000);
	}
	/* A load through the same page works (EA 2G + x reads RA x). */
	volatile uint64_t *cell = (volatile uint64_t *)0x1000000UL;
	*cell = 0x5241444958UL; /* "RADIX", at RA 16 MiB */
	uint64_t got;
	asm volatile("mtmsrd %[dr]\n\tld %[got],0(%[ea])\n\tmtmsrd %[m]"
		     : [got] "=&r"(got) : [dr] "r"(dr), [ea] "b"(2 * GIB + 0x1000000UL), [m] "r"(msr) : "memory");
	expect_eq("radix: a read-only 1 GiB page reads RA + offset", got, 0x5241444958UL);
	/* A store to a page whose C bit is clear: POWER9 leaves R/C to software under radix and
	 * raises DSI with DSISR[45] (0x00040000) | [38] store; the PTE is not written. */
	ea = 3 * GIB + 0x3000;
	c = irq.count;
	PROVOKE(msr, "mtmsrd %[dr]\n0: stw 9,0(%[ea])", [dr] "r"(dr), [ea] "b"(ea));
	if (check_interrupt("radix: store with C clear", c, 0x300, fault_pc, 0, dr))
		expect_eq("radix: store with C clear: DSISR", irq.dsisr, 0x02040000);
	expect_eq("radix: the PTE keeps C clear", pud[3] & PTE_C, 0);
	/* §6.5.4 Data Segment: quadrant 1 (EA bits 0:1 = 01) is not a guest's: DAR = EA. */
	ea = 0x4000000000001000UL;
	c = irq.count;
	PROVOKE(msr, "mtmsrd %[dr]\n0: lbz 9,0(%[ea])", [dr] "r"(dr), [ea] "b"(ea));
	if (check_interrupt("radix: quadrant 1 load", c, 0x380, fault_pc, 0, dr))
		expect_eq("radix: quadrant 1: DAR", irq.dar, ea);
	/* §6.5.5 ISI: a fetch from a page without execute: SRR0 = the EA, SRR1[35] (0x10000000). */
	ea = 4 * GIB + 0x10000;
	uint64_t irdr = msr | MSR_IR | MSR_DR;
	c = irq.count;
	PROVOKE(msr, "mtmsrd %[t]\n\tmtctr %[ea]\n0:\tbctrl", [t] "r"(irdr), [ea] "r"(ea));
	check_interrupt("radix: fetch without execute", c, 0x400, ea, 0x10000000, irdr);

	/* A 2 MiB page, and tlbie: EA 5G maps RA 16 MiB; rewritten to RA 18 MiB, the access sees
	 * the new page once tlbie (RB = EA | AP 1 for 2M, RS = PID 0, RIC 0, PRS 1, R 1) ran. */
	volatile uint64_t *other = (volatile uint64_t *)0x1200000UL;
	*other = 0x4E4557UL; /* "NEW" */
	pmd[0] = PTE_V | PTE_L | 0x1000000UL | PTE_R | PTE_C | EAA_READ | EAA_RW;
	asm volatile("ptesync" ::: "memory");
	asm volatile("mtmsrd %[dr]\n\tld %[got],0(%[ea])\n\tmtmsrd %[m]"
		     : [got] "=&r"(got) : [dr] "r"(dr), [ea] "b"(5 * GIB), [m] "r"(msr) : "memory");
	expect_eq("radix: a 2 MiB page reads its RA", got, 0x5241444958UL);
	pmd[0] = PTE_V | PTE_L | 0x1200000UL | PTE_R | PTE_C | EAA_READ | EAA_RW;
	asm volatile(".machine push\n\t.machine power9\n\tptesync\n\ttlbie %0,%1,0,1,1\n\teieio\n\ttlbsync\n\tptesync\n\t.machine pop"
		     : : "r"(5 * GIB | (1UL << 5)), "r"(0UL) : "memory");
	asm volatile("mtmsrd %[dr]\n\tld %[got],0(%[ea])\n\tmtmsrd %[m]"
		     : [got] "=&r"(got) : [dr] "r"(dr), [ea] "b"(5 * GIB), [m] "r"(msr) : "memory");
	expect_eq("radix: after tlbie the new PTE's page is read", got, 0x4E4557UL);
}

int main(void)
{
	install_vectors();
	/* A known supervisor MSR: 64-bit, real mode, EE/SE/BE/FP off. */
	uint64_t msr = (mfmsr() | MSR_SF) & ~(MSR_EE | MSR_SE | MSR_BE | MSR_FP | MSR_IR | MSR_DR | MSR_PR);
	mtmsrd(msr);
	asm volatile("mtdec %0" : : "r"(0x7fffffffUL)); /* keep the decrementer positive */
	printf("MSR 0x%lx, ME %s\n", msr, msr & MSR_ME ? "set" : "clear");

	/* §6.5.9 Program, illegal instruction: primary opcode 0 is not defined. SRR0 = the
	 * instruction; SRR1[44] = 1, the other program bits 0. */
	uint64_t c = irq.count;
	PROVOKE(msr, "0: .long 0");
	check_interrupt("illegal instruction", c, 0x700, fault_pc, SRR1_ILLEGAL, msr);

	/* §6.5.9 Program, trap: tw 31,0,0 traps unconditionally (TO = 0b11111); SRR1[46]. */
	c = irq.count;
	PROVOKE(msr, "0: tw 31,0,0");
	check_interrupt("tw 31,0,0", c, 0x700, fault_pc, SRR1_TRAP, msr);
	/* td with TO = 0b00100 (equal) and RA = RB traps. */
	c = irq.count;
	PROVOKE(msr, "li 9,5\n0: td 4,9,9");
	check_interrupt("td 4 (equal)", c, 0x700, fault_pc, SRR1_TRAP, msr);
	/* tw with TO = 0b10000 (less than) and RA = RB does not trap. */
	c = irq.count;
	PROVOKE(msr, "li 9,5\n0: tw 16,9,9");
	expect_eq("tw 16 with equal operands does not trap", irq.count - c, 0);

	/* §6.5.14 System Call: sc 0 in supervisor state goes to 0xc00 with SRR0 = the next
	 * instruction and SRR1[33:36,42:47] = 0. */
	c = irq.count;
	PROVOKE(msr, "0: sc");
	check_interrupt("sc 0", c, 0xc00, after_pc, 0, msr);

	/* §6.5.8 Alignment: "the operand of a Load And Reserve or Store Conditional instruction is not
	 * aligned"; DAR = the EA. (POWER9 raises it for both; QEMU 7.2 TCG skips a Store Conditional
	 * that has no matching reservation before checking alignment, see kvm-unit-tests
	 * powerpc/atomics.c:110-129.) PROVOKE clobbers r30/r31 for the lmw below. */
	static uint64_t cells[4] __attribute__((aligned(16)));
	uint64_t ea = (uint64_t)&cells[0] + 1;
	c = irq.count;
	PROVOKE(msr, "0: lwarx 9,0,%[ea]", [ea] "r"(ea));
	if (check_interrupt("lwarx at EA+1", c, 0x600, fault_pc, 0, msr))
		expect_eq("lwarx at EA+1: DAR", irq.dar, ea);
	ea = (uint64_t)&cells[0] + 4;
	c = irq.count;
	PROVOKE(msr, "0: ldarx 9,0,%[ea]", [ea] "r"(ea));
	if (check_interrupt("ldarx at EA+4", c, 0x600, fault_pc, 0, msr))
		expect_eq("ldarx at EA+4: DAR", irq.dar, ea);
	ea = (uint64_t)&cells[1] + 2;
	c = irq.count;
	/* With a reservation on the aligned word first, so that an implementation that checks the
	 * reservation before alignment still attempts the store. */
	PROVOKE(msr, "lwarx 9,0,%[al]\n0: stwcx. 9,0,%[ea]", [ea] "r"(ea), [al] "r"(&cells[1]));
	if (check_interrupt("stwcx. at EA+2", c, 0x600, fault_pc, 0, msr))
		expect_eq("stwcx. at EA+2: DAR", irq.dar, ea);
	/* lmw with an unaligned EA in big-endian mode is not an Alignment cause in §6.5.8 (only in
	 * little-endian mode); Book I lmw: "either the system alignment error handler is invoked or
	 * the results are boundedly undefined". So this is reported, not checked. */
	ea = (uint64_t)&cells[2] + 1;
	c = irq.count;
	PROVOKE(msr, "0: lmw 30,0(%[ea])", [ea] "b"(ea));
	printf("INFO lmw at EA+1: %s\n", irq.count != c ? "alignment interrupt" : "no interrupt (permitted)");

	/* §6.5.10 Floating-Point Unavailable: an FP instruction with MSR[FP] = 0. With FP = 1 it runs. */
	c = irq.count;
	mtmsrd(msr | MSR_FP);
	PROVOKE(msr | MSR_FP, "0: fmr 0,0");
	mtmsrd(msr);
	expect_eq("fmr with MSR[FP]=1 runs", irq.count - c, 0);
	c = irq.count;
	PROVOKE(msr, "0: fmr 0,0");
	check_interrupt("fmr with MSR[FP]=0", c, 0x800, fault_pc, 0, msr);
	/* §6.5.19/6.5.20 Vector / VSX Unavailable with MSR[VEC] = 0 / MSR[VSX] = 0. */
	c = irq.count;
	PROVOKE(msr, "0: .long 0x10000484"); /* vor v0,v0,v0 */
	check_interrupt("vor with MSR[VEC]=0", c, 0xf20, fault_pc, 0, msr);
	c = irq.count;
	PROVOKE(msr, "0: .long 0xf0000497"); /* xxlor vs0,vs0,vs0 */
	check_interrupt("xxlor with MSR[VSX]=0", c, 0xf40, fault_pc, 0, msr);

	/* §6.5.11 Decrementer: an exception exists while DEC[0] = 1 (it is negative), and is taken
	 * only when MSR[EE] = 1 — here right after the mtmsrd that sets EE, so SRR0 = the next
	 * instruction. */
	c = irq.count;
	asm volatile("mtdec %0" : : "r"(1000UL));
	/* 50 ms of the 512 MHz time base: QEMU raises the exception from a host timer, which can
	 * lag the architected DEC value by far more than the 1000 ticks. */
	uint64_t t0 = mftb();
	while (mftb() - t0 < 25600000)
		;
	expect_eq("decrementer with MSR[EE]=0 stays pending", irq.count - c, 0);
	PROVOKE(msr, "0: mtmsrd %[ee],1", [ee] "r"(msr | MSR_EE));
	check_interrupt("decrementer when EE is set", c, 0x900, after_pc, 0, msr | MSR_EE);
	asm volatile("mtdec %0" : : "r"(0x7fffffffUL));

	/* §6.5.15 Trace: with MSR[SE] = 1 the next instruction completes, then a trace interrupt
	 * with SRR0 = the instruction after it. (SRR1's trace-specific bits are not checked.) */
	c = irq.count;
	PROVOKE(msr, "mtmsrd %[se]\n0: nop", [se] "r"(msr | MSR_SE));
	expect_eq("single step: vector", irq.vector, 0xd00);
	expect_eq("single step: one interrupt", irq.count - c, 1);
	expect_eq("single step: SRR0 = the instruction after the traced one", irq.srr0, after_pc);
	expect_eq("single step: SRR1 has SE", irq.srr1 & MSR_SE, MSR_SE);
	expect_eq("single step: MSR on entry has SE clear", irq.msr & MSR_SE, 0);

	/* §4.4 rfid in privileged non-hypervisor state cannot change MSR[ME]:
	 * MSR[51] <- (MSR[3] & SRR1[51]) | (~MSR[3] & MSR[51]). */
	if (!(msr & MSR_HV)) {
		uint64_t after;
		asm volatile("mtsrr1 %1\n\tlis 9,2f@ha\n\taddi 9,9,2f@l\n\tmtsrr0 9\n\trfid\n2:\tmfmsr %0"
			     : "=r"(after) : "r"(msr ^ MSR_ME) : "r9", "memory");
		expect_eq("rfid with MSR[HV]=0 leaves ME unchanged", after & MSR_ME, msr & MSR_ME);
		mtmsrd(msr);
	}

	/* §6.5.9 Program, privileged instruction: mfmsr in problem state. Needs translation. */
	static uint64_t proc_table[512] __attribute__((aligned(4096)));
	static uint64_t pgd[8192] __attribute__((aligned(65536)));
	static uint64_t pud[512] __attribute__((aligned(4096)));
	/* Radix (Book III 5.7.10): process table entry 0 (PID 0 = PIDR) → a 52-bit tree whose root
	 * has 2^13 entries; root[0] → pud (2^9 entries); pud[0] is a 1 GiB leaf mapping EA 0 to RA 0
	 * with R, C, read, write, execute and no privilege bit (so problem state may use it). */
	pgd[0] = (1UL << 63) | (uint64_t)pud | 9;                      /* V, NLB, NLS = 9 */
	pud[0] = (1UL << 63) | (1UL << 62) | 0x100 | 0x80 | 0x4 | 0x2 | 0x1; /* V L, RPN 0, R C, read rw exec */
	proc_table[0] = (2UL << 61) | (uint64_t)pgd | (5UL << 5) | 13; /* RTS = 21 (52 bits), RPDS = 13 */
	proc_table[1] = 0;
	asm volatile("mtspr 48,%0" : : "r"(0UL)); /* PIDR = 0 */
	asm volatile("sync" ::: "memory");
	/* H_REGISTER_PROC_TBL: flags NEW (0x18) | RADIX (0x04) | GTSE (0x01), base, page size 0,
	 * table size 0 (4 KiB), as kvm-unit-tests lib/ppc64/mmu.c and Linux pass them. */
	long rc = plpar_hcall_norets(0x37C, 0x18 | 0x04 | 0x01, (uint64_t)proc_table, 0, 0);
	expect_eq("H_REGISTER_PROC_TBL (radix) succeeds", (uint64_t)rc, 0);
	if (rc == 0) {
		/* rfid to PR=1 forces EE, IR, DR to 1; the decrementer is positive, so EE is harmless. */
		uint64_t user = msr | MSR_PR;
		uint64_t user_effective = user | MSR_EE | MSR_IR | MSR_DR;
		c = irq.count;
		PROVOKE(msr,
			"mtsrr1 %[user]\n\tlis 9,0f@ha\n\taddi 9,9,0f@l\n\tmtsrr0 9\n\trfid\n0: mfmsr 9",
			[user] "r"(user));
		check_interrupt("mfmsr in problem state", c, 0x700, fault_pc, SRR1_PRIVILEGED, user_effective);
		radix_faults(msr, pud);
	}

	/* §6.5.2 Machine Check, last (it clears MSR[ME], which rfid cannot set again with HV=0): a
	 * real-mode load from a real address no memory answers (1 TiB). DAR = the EA; SRR1[42] = 1
	 * for a load (POWER9). */
	ea = 0x10000000000UL;
	c = irq.count;
	PROVOKE(msr, "0: lbz 9,0(%[ea])", [ea] "b"(ea));
	if (check_interrupt("load beyond RAM", c, 0x200, fault_pc, SRR1_MCE_DSIDE, msr))
		expect_eq("load beyond RAM: DAR", irq.dar, ea);

	return expect_summary();
}
