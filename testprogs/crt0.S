/* Entry of a freestanding lpar guest. lpar (like QEMU pseries for -kernel and Linux's ppc64
 * boot protocol) enters here in 64-bit big-endian supervisor real mode with r3 = device-tree
 * address (0 when there is none), r4 = load address, r5 = 0. */
	.section .text.start, "ax"
	.globl _start
_start:
	mr	31, 3			/* keep the device-tree pointer across the bss clear */
	/* Floating point is off at entry (MSR[FP] = 0, as QEMU's pseries starts a -kernel image);
	 * the C code may use it, so turn it on as a kernel would. */
	mfmsr	9
	ori	9, 9, 0x2000
	mtmsrd	9
	/* r2 = TOC: the linker defines .TOC. (TOC base + 0x8000). */
	lis	2, .TOC.@highest
	ori	2, 2, .TOC.@higher
	sldi	2, 2, 32
	oris	2, 2, .TOC.@h
	ori	2, 2, .TOC.@l
	/* r1 = top of the stack in .bss, with a null back chain and a minimal frame. */
	addis	1, 2, __stack_top@toc@ha
	addi	1, 1, __stack_top@toc@l
	li	0, 0
	stdu	0, -128(1)
	/* Clear .bss (it ends at _end; __bss_start is 8-byte aligned by guest.ld). */
	addis	9, 2, __bss_start@toc@ha
	addi	9, 9, __bss_start@toc@l
	addis	10, 2, _end@toc@ha
	addi	10, 10, _end@toc@l
1:	cmpld	9, 10
	bge	2f
	std	0, 0(9)
	addi	9, 9, 8
	b	1b
2:	/* The stack lies in .bss: rebuild its null back chain after clearing. */
	std	0, 0(1)
	addis	9, 2, __lpar_fdt@toc@ha
	std	31, __lpar_fdt@toc@l(9)
	bl	main
	nop
	bl	lpar_exit
	nop
3:	b	3b

	.section .bss
	.balign 16
	.globl __lpar_fdt
__lpar_fdt:
	.space 8
	.balign 16
__stack_bottom:
	.space 65536
__stack_top:
