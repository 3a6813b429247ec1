/* Arithmetic, rotate, CR and XER results of single instructions, each checked against a value
 * worked out by hand from the Power ISA 3.0 definitions (the working is in the comments). */
#include "lpar.h"

static int failures, passes;

static void check(const char *name, unsigned long got, unsigned long want)
{
	if (got == want) {
		passes++;
		printf("PASS %s\n", name);
	} else {
		failures++;
		printf("FAIL %s got=0x%lx want=0x%lx\n", name, got, want);
	}
}

/* XER with only SO, OV, CA, OV32, CA32 kept. */
#define XER_FLAGS 0xE00C0000UL
#define SO 0x80000000UL
#define OV 0x40000000UL
#define CA 0x20000000UL
#define OV32 0x00080000UL
#define CA32 0x00040000UL

/* rt = insn ra,rb with XER cleared first; *xer gets XER afterwards. */
#define OP2X(insn, a, b, xer)                                                        \
	({ unsigned long _r, _x;                                                     \
	   asm volatile("li %1,0\n\tmtxer %1\n\t" insn " %0,%2,%3\n\tmfxer %1"        \
			: "=&r"(_r), "=&r"(_x) : "r"(a), "r"(b));                    \
	   xer = _x & XER_FLAGS; _r; })
#define OP2(insn, a, b) ({ unsigned long _r; asm volatile(insn " %0,%1,%2" : "=r"(_r) : "r"(a), "r"(b)); _r; })
#define OP1(insn, a) ({ unsigned long _r; asm volatile(insn " %0,%1" : "=r"(_r) : "r"(a)); _r; })
/* rt = insn ra,rb with XER[CA] preset to ca. */
#define OP2CA(insn, a, b, ca, xer)                                                    \
	({ unsigned long _r, _x = (ca) ? CA : 0;                                       \
	   asm volatile("mtxer %1\n\t" insn " %0,%2,%3\n\tmfxer %1"                     \
			: "=&r"(_r), "+&r"(_x) : "r"(a), "r"(b));                      \
	   xer = _x & XER_FLAGS; _r; })
#define OP1CA(insn, a, ca, xer)                                                       \
	({ unsigned long _r, _x = (ca) ? CA : 0;                                       \
	   asm volatile("mtxer %1\n\t" insn " %0,%2\n\tmfxer %1"                        \
			: "=&r"(_r), "+&r"(_x) : "r"(a));                              \
	   xer = _x & XER_FLAGS; _r; })
/* CR after insn (a record form or compare) with XER cleared first. */
#define CR_AFTER(insn, a, b)                                                          \
	({ unsigned long _r, _c;                                                      \
	   asm volatile("li %1,0\n\tmtxer %1\n\t" insn "\n\tmfcr %1"                   \
			: "=&r"(_r), "=&r"(_c) : "r"(a), "r"(b) : "cr0", "cr7");      \
	   (void)_r; _c; })

int main(void)
{
	unsigned long x, r;

	/* --- add family --- */
	check("add 3+4", OP2("add", 3UL, 4UL), 7);
	check("subf 3-5", OP2("subf", 5UL, 3UL), 0xfffffffffffffffeUL);         /* rb - ra = -2 */
	r = OP2X("addc", 0xffffffffffffffffUL, 1UL, x);                         /* 2^64-1 + 1 = 2^64: 0, carry out of bit 0 and of bit 32 */
	check("addc wrap", r, 0); check("addc wrap xer", x, CA | CA32);
	r = OP2X("addc", 0xffffffffUL, 1UL, x);                                 /* 0x1_00000000: no 64-bit carry, carry out of the low word */
	check("addc low carry", r, 0x100000000UL); check("addc low carry xer", x, CA32);
	r = OP2CA("adde", 1UL, 2UL, 1, x);                                      /* 1 + 2 + CA(1) = 4, no carry */
	check("adde", r, 4); check("adde xer", x, 0);
	r = OP2X("subfc", 5UL, 3UL, x);                                         /* 3 + ~5 + 1 = 3 + 0xff..fa + 1 = 0xff..fe, no carry: borrow */
	check("subfc borrow", r, 0xfffffffffffffffeUL); check("subfc borrow xer", x, 0);
	r = OP2X("subfc", 3UL, 5UL, x);                                         /* 5 + 0xff..fc + 1 = 2 + 2^64: carry, and out of the low word too */
	check("subfc", r, 2); check("subfc xer", x, CA | CA32);
	r = OP1CA("addze", 41UL, 1, x);                                         /* 41 + 0 + 1 */
	check("addze", r, 42); check("addze xer", x, 0);
	r = OP1CA("addme", 10UL, 0, x);                                         /* 10 + 0xff..ff + 0 = 9 + 2^64: carry */
	check("addme", r, 9); check("addme xer", x, CA | CA32);
	r = OP1CA("subfze", 0UL, 1, x);                                         /* ~0 + 0 + 1 = 2^64: 0 with carry */
	check("subfze", r, 0); check("subfze xer", x, CA | CA32);
	check("neg 5", OP1("neg", 5UL), 0xfffffffffffffffbUL);
	r = OP2X("addo", 0x7fffffffffffffffUL, 1UL, x);                         /* signed overflow in 64 bits; low words -1 + 1 = 0: no 32-bit overflow */
	check("addo overflow", r, 0x8000000000000000UL); check("addo overflow xer", x, SO | OV);
	r = OP2X("addo", 0x7fffffffUL, 1UL, x);                                 /* 64-bit fine; low word 0x7fffffff + 1 overflows as int32 */
	check("addo ov32", r, 0x80000000UL); check("addo ov32 xer", x, OV32);
	r = OP2X("subfo", 1UL, 0x8000000000000000UL, x);                        /* INT64_MIN - 1 overflows; low words 0 - 1 = -1 do not */
	check("subfo overflow", r, 0x7fffffffffffffffUL); check("subfo overflow xer", x, SO | OV);
	{
		unsigned long c, s;
		asm volatile("li %0,0\n\tmtxer %0\n\tli %1,-1\n\tli %0,1\n\taddic %0,%0,-1\n\tmfxer %1"
			     : "=&r"(c), "=&r"(s));
		check("addic 1-1", c, 0); check("addic carry", s & XER_FLAGS, CA | CA32); /* 1 + 0xff..ff carries out */
		asm volatile("li %0,7\n\tsubfic %0,%0,5\n\tmfxer %1" : "=&r"(c), "=&r"(s));
		check("subfic 5-7", c, 0xfffffffffffffffeUL); check("subfic borrow", s & CA, 0); /* 5 + ~7 + 1: no carry */
	}

	/* --- CR0 from record forms --- */
	check("add. negative", CR_AFTER("add. %0,%2,%3", 1UL, -3UL) >> 28, 0x8);      /* LT */
	check("add. zero", CR_AFTER("add. %0,%2,%3", 3UL, -3UL) >> 28, 0x2);          /* EQ */
	check("add. positive", CR_AFTER("add. %0,%2,%3", 3UL, 3UL) >> 28, 0x4);       /* GT */
	/* SO is sticky: addo. overflows (SO set), then add. copies SO into CR0 with GT. */
	check("SO sticky", CR_AFTER("addo. %0,%2,%3\n\tadd. %0,%3,%3", 0x7fffffffffffffffUL, 1UL) >> 28, 0x5);
	check("and. zero", CR_AFTER("and. %0,%2,%3", 0xf0UL, 0x0fUL) >> 28, 0x2);

	/* --- multiply and divide --- */
	check("mullw 2^16*2^16", OP2("mullw", 0x10000UL, 0x10000UL), 0x100000000UL);   /* full 64-bit product */
	check("mullw -3*7", OP2("mullw", -3UL, 7UL), 0xffffffffffffffebUL);          /* -21 */
	check("mulhw", OP2("mulhw", 0x40000000UL, 8UL) & 0xffffffffUL, 2);             /* 2^30 * 8 = 2^33: high word 2 */
	check("mulhw negative", OP2("mulhw", -1UL, 1UL) & 0xffffffffUL, 0xffffffffUL); /* -1: high word all ones */
	check("mulhwu", OP2("mulhwu", 0xffffffffUL, 0xffffffffUL) & 0xffffffffUL, 0xfffffffeUL); /* (2^32-1)^2 = 0xfffffffe_00000001 */
	check("mulhd", OP2("mulhd", 0x4000000000000000UL, 4UL), 1);                    /* 2^62 * 4 = 2^64 */
	check("mulhd -1*1", OP2("mulhd", -1UL, 1UL), 0xffffffffffffffffUL);
	check("mulhdu", OP2("mulhdu", -1UL, -1UL), 0xfffffffffffffffeUL);              /* (2^64-1)^2 = 2^128 - 2^65 + 1 */
	check("mulld wrap", OP2("mulld", 0x100000000UL, 0x100000000UL), 0);            /* 2^64 mod 2^64 */
	r = OP2X("mulldo", 0x4000000000000000UL, 4UL, x);
	check("mulldo overflow", x & OV, OV);
	check("divw -7/2", OP2("divw", -7UL, 2UL) & 0xffffffffUL, 0xfffffffdUL);     /* truncates toward zero: -3 */
	check("divwu", OP2("divwu", 0xfffffffeUL, 2UL) & 0xffffffffUL, 0x7fffffffUL);
	check("divd -9/4", OP2("divd", -9UL, 4UL), 0xfffffffffffffffeUL);             /* -2 */
	check("divdu", OP2("divdu", -1UL, 16UL), 0x0fffffffffffffffUL);
	r = OP2X("divwo", 0x80000000UL, -1UL, x);                                      /* INT32_MIN / -1 overflows: OV, SO (and OV32) */
	check("divwo overflow", x & (SO | OV), SO | OV);
	r = OP2X("divdo", 5UL, 0UL, x);                                                /* division by zero sets OV */
	check("divdo by zero", x & (SO | OV), SO | OV);

	/* --- rotates and shifts --- */
	{
		unsigned long v = 0x12345678UL, w = 0x123456789abcdef0UL;
		asm("rlwinm %0,%1,8,0,31" : "=r"(r) : "r"(v)); check("rotlwi 8", r, 0x34567812UL);
		asm("rlwinm %0,%1,0,24,31" : "=r"(r) : "r"(0xdeadbeefUL)); check("clrlwi 24", r, 0xef);
		asm("rlwinm %0,%1,4,0,27" : "=r"(r) : "r"(v)); check("slwi 4", r, 0x23456780UL);
		asm("rlwinm %0,%1,28,4,31" : "=r"(r) : "r"(v)); check("srwi 4", r, 0x01234567UL);
		/* MB > ME: the mask wraps (bits 60..63 and 0..35 of the 64-bit result) and the high
		 * half comes from the word replicated by ROTL32: ~0 & 0xfffffffff000000f. */
		asm("rlwinm %0,%1,0,28,3" : "=r"(r) : "r"(0xffffffffUL)); check("rlwinm wrapped mask", r, 0xfffffffff000000fUL);
		r = 0xaaaaaaaaUL;
		asm("rlwimi %0,%1,0,16,23" : "+r"(r) : "r"(v)); check("rlwimi", r, 0xaaaa56aaUL);  /* byte 0x56 inserted at bits 48..55 */
		check("rlwnm by 4", OP2("rotlw", 0x80000001UL, 4UL), 0x18);                      /* rotl32: 0x00000018 */
		asm("rldicl %0,%1,0,32" : "=r"(r) : "r"(w)); check("clrldi 32", r, 0x9abcdef0UL);
		asm("rldicr %0,%1,8,55" : "=r"(r) : "r"(w)); check("sldi 8", r, 0x3456789abcdef000UL);
		asm("rldicl %0,%1,56,8" : "=r"(r) : "r"(w)); check("srdi 8", r, 0x00123456789abcdeUL);
		asm("rldic %0,%1,4,56" : "=r"(r) : "r"(0xffUL)); check("rldic", r, 0xf0);           /* 0xff0 & MASK(56,59) */
		r = -1UL;
		asm("rldimi %0,%1,8,48" : "+r"(r) : "r"(0UL)); check("rldimi", r, 0xffffffffffff00ffUL); /* MASK(48,55) cleared */
		check("rotld by 4", OP2("rotld", 0xf000000000000001UL, 4UL), 0x1f);
		asm("rldcr %0,%1,%2,31" : "=r"(r) : "r"(-1UL), "r"(0UL)); check("rldcr", r, 0xffffffff00000000UL);
	}
	check("slw 1<<31", OP2("slw", 1UL, 31UL), 0x80000000UL);
	check("slw 1<<32", OP2("slw", 1UL, 32UL), 0);                                   /* counts 32..63 give 0 */
	check("slw keeps low word", OP2("slw", -1UL, 0UL), 0xffffffffUL);             /* high word cleared */
	check("srw 31", OP2("srw", 0xffffffff80000000UL, 31UL), 1);
	check("srw 32", OP2("srw", 0xffffffffUL, 32UL), 0);
	r = OP2X("sraw", -5UL, 1UL, x);                                                /* -5 >> 1 = -3 (floor); a 1 bit shifted out of a negative value */
	check("sraw -5>>1", r, 0xfffffffffffffffdUL); check("sraw -5>>1 ca", x, CA | CA32);
	r = OP2X("sraw", -5UL, 32UL, x);                                               /* count >= 32: all sign bits */
	check("sraw by 32", r, -1UL); check("sraw by 32 ca", x, CA | CA32);
	r = OP2X("sraw", 5UL, 40UL, x);
	check("sraw positive by 40", r, 0); check("sraw positive ca", x, 0);
	{
		unsigned long s;
		asm volatile("li %1,0\n\tmtxer %1\n\tsrawi %0,%2,2\n\tmfxer %1" : "=&r"(r), "=&r"(s) : "r"(-8UL));
		check("srawi -8>>2", r, 0xfffffffffffffffeUL); check("srawi exact ca", s & CA, 0); /* no 1 bits lost */
		asm volatile("li %1,0\n\tmtxer %1\n\tsradi %0,%2,4\n\tmfxer %1" : "=&r"(r), "=&r"(s) : "r"(-17UL));
		check("sradi -17>>4", r, 0xfffffffffffffffeUL); check("sradi ca", s & CA, CA); /* floor(-17/16) = -2, bits lost */
		asm volatile("li %1,0\n\tmtxer %1\n\tsradi %0,%2,0\n\tmfxer %1" : "=&r"(r), "=&r"(s) : "r"(-7UL));
		check("sradi by 0", r, -7UL); check("sradi by 0 ca", s & CA, 0);
	}
	check("sld 63", OP2("sld", 1UL, 63UL), 0x8000000000000000UL);
	check("sld 64", OP2("sld", 1UL, 64UL), 0);
	check("srd 63", OP2("srd", 0x8000000000000000UL, 63UL), 1);
	check("srd 64", OP2("srd", -1UL, 64UL), 0);
	r = OP2X("srad", 0x8000000000000000UL, 64UL, x);
	check("srad by 64", r, -1UL); check("srad by 64 ca", x, CA | CA32);

	/* --- count, extend, logical --- */
	check("cntlzw", OP1("cntlzw", 0x00010000UL), 15);
	check("cntlzw 0", OP1("cntlzw", 0UL), 32);
	check("cntlzw ignores high word", OP1("cntlzw", 0xffffffff00000001UL), 31);
	check("cntlzd 1", OP1("cntlzd", 1UL), 63);
	check("cntlzd 0", OP1("cntlzd", 0UL), 64);
	check("popcntb", OP1("popcntb", 0x0102030405060708UL), 0x0101020102020301UL);  /* bits per byte: 1,1,2,1,2,2,3,1 */
	check("popcntw", OP1("popcntw", 0xff0000000000000fUL), 0x0000000800000004UL);
	check("popcntd", OP1("popcntd", -1UL), 64);
	check("extsb", OP1("extsb", 0x80UL), 0xffffffffffffff80UL);
	check("extsh", OP1("extsh", 0x17fffUL), 0x7fff);
	check("extsw", OP1("extsw", 0x80000000UL), 0xffffffff80000000UL);
	check("eqv", OP2("eqv", 0xf0f0UL, 0xff00UL), 0xfffffffffffff00fUL);           /* ~(0x0ff0) */
	check("nand", OP2("nand", 0xf0UL, 0x3cUL), 0xffffffffffffffcfUL);             /* ~0x30 */
	check("nor", OP2("nor", 0xf0UL, 0x0fUL), 0xffffffffffffff00UL);
	check("andc", OP2("andc", 0xffUL, 0x0fUL), 0xf0);
	check("orc", OP2("orc", 0UL, 0UL), -1UL);
	check("cmpb", OP2("cmpb", 0x1122334455667788UL, 0x1100335500667700UL), 0xff00ff0000ffff00UL);

	/* --- compares (CR field 0 is the top nibble, CR7 the bottom one) --- */
	check("cmpw low words", CR_AFTER("cmpw %2,%3", 0x00000001ffffffffUL, 1UL) >> 28, 0x8);  /* -1 < 1 */
	check("cmpd", CR_AFTER("cmpd %2,%3", 0x00000001ffffffffUL, 1UL) >> 28, 0x4);            /* 2^33-1 > 1 */
	check("cmplw", CR_AFTER("cmplw %2,%3", 0xffffffffUL, 1UL) >> 28, 0x4);
	check("cmpld", CR_AFTER("cmpld %2,%3", 1UL, 2UL) >> 28, 0x8);
	check("cmpdi cr7", CR_AFTER("cmpdi 7,%2,0", 0UL, 0UL) & 0xf, 0x2);
	check("cmplwi cr7", CR_AFTER("cmplwi 7,%2,0xffff", 0x10000UL, 0UL) & 0xf, 0x4);

	/* --- CR moves and isel --- */
	{
		unsigned long c;
		asm volatile("mtcrf 0xff,%1\n\tmfcr %0" : "=r"(c) : "r"(0x12345678UL) : "cr0", "cr1", "cr2", "cr3", "cr4", "cr5", "cr6", "cr7");
		check("mtcrf/mfcr", c, 0x12345678UL);
		asm volatile("mtcrf 0xff,%1\n\tmtocrf 0x01,%2\n\tmfcr %0" : "=&r"(c) : "r"(0UL), "r"(0xaUL) : "cr0", "cr1", "cr2", "cr3", "cr4", "cr5", "cr6", "cr7");
		check("mtocrf cr7", c, 0xa);
		asm volatile("mtcrf 0xff,%1\n\tcrxor 0,1,2\n\tmfcr %0" : "=&r"(c) : "r"(0x20000000UL) : "cr0", "cr1", "cr2", "cr3", "cr4", "cr5", "cr6", "cr7");
		check("crxor", c >> 28, 0xa);                                              /* lt = gt ^ eq = 0 ^ 1 */
		asm volatile("cmpdi %1,0\n\tisel %0,%2,%3,2" : "=r"(r) : "r"(0UL), "b"(10UL), "r"(20UL) : "cr0");
		check("isel eq", r, 10);
		asm volatile("cmpdi %1,0\n\tisel %0,%2,%3,2" : "=r"(r) : "r"(5UL), "b"(10UL), "r"(20UL) : "cr0");
		check("isel ne", r, 20);
	}

	printf("arith: %d passed, %d failed\n", passes, failures);
	return failures != 0;
}
