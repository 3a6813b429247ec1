/* Reads the console through H_GET_TERM_CHAR and says what arrived, one line per byte, until it
 * reads 'q'. tools/console-test types into it through a pseudo-terminal: in raw mode each key
 * arrives at once (no Enter needed) and Ctrl-C is a byte for the guest, not a signal for lpar. */
#include "lpar.h"

int main(void)
{
	printf("console-echo: type; q ends\n");
	console_flush();
	for (;;) {
		unsigned long ret[4];
		long rc = plpar_hcall(H_GET_TERM_CHAR, ret, 0);
		if (rc != 0)
			return 2;
		for (unsigned long i = 0; i < ret[0] && i < 16; i++) {
			unsigned char c = (unsigned char)(ret[1 + i / 8] >> (56 - 8 * (i % 8)));
			printf("console-echo: got 0x%02x\n", c);
			console_flush();
			if (c == 'q')
				return 0;
		}
	}
}
