/* hcall wrappers in the style of Linux's hvCall.S: opcode in r3, arguments in r4..r12,
 * `sc 1`, status back in r3. ELFv1: each function has an .opd descriptor. */
#define HVSC .long 0x44000022

	.macro	FUNC name
	.section .opd, "aw"
	.balign 8
	.globl \name
\name:
	.quad .L.\name, .TOC.@tocbase, 0
	.text
.L.\name:
	.endm

/* long plpar_hcall_norets(unsigned long opcode, ...): up to 7 arguments in r4..r10. */
	FUNC plpar_hcall_norets
	HVSC
	blr

/* long plpar_hcall(unsigned long opcode, unsigned long retbuf[4], a1..a6):
 * arguments r5..r10 move to r4..r9; r4..r7 come back in retbuf. */
	FUNC plpar_hcall
	std	4, -8(1)		/* retbuf, below the stack pointer (red zone) */
	mr	4, 5
	mr	5, 6
	mr	6, 7
	mr	7, 8
	mr	8, 9
	mr	9, 10
	HVSC
	ld	12, -8(1)
	std	4, 0(12)
	std	5, 8(12)
	std	6, 16(12)
	std	7, 24(12)
	blr

/* long plpar_hcall9(unsigned long opcode, unsigned long retbuf[9], a1..a9):
 * a1..a6 in r5..r10, a7..a9 on the caller's stack (ELFv1 parameter save area at 112(r1)+8*i). */
	FUNC plpar_hcall9
	std	4, -8(1)
	mr	4, 5
	mr	5, 6
	mr	6, 7
	mr	7, 8
	mr	8, 9
	mr	9, 10
	ld	10, 112+64(1)
	ld	11, 112+72(1)
	ld	12, 112+80(1)
	HVSC
	std	4, -16(1)		/* first output */
	ld	4, -8(1)		/* retbuf */
	ld	0, -16(1)
	std	0, 0(4)
	std	5, 8(4)
	std	6, 16(4)
	std	7, 24(4)
	std	8, 32(4)
	std	9, 40(4)
	std	10, 48(4)
	std	11, 56(4)
	std	12, 64(4)
	blr
