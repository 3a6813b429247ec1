/* QEMU's -bios entry (0x100) runs in 32-bit mode: set MSR[SF] (bit 0) before anything
 * 64-bit, then continue at crt0's _start with the device tree still in r3. Under lpar the
 * guest is already 64-bit and the same instructions change nothing that matters. */
	.section .text.bios, "ax"
	.globl _bios_entry
_bios_entry:
	mfmsr	11
	li	12, 1
	sldi	12, 12, 63
	or	11, 11, 12
	mtmsrd	11
	b	_start
