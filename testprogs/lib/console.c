/* Console output through H_PUT_TERM_CHAR: bytes are gathered 16 at a time (the most one hcall
 * carries) and sent at each newline, when 16 are waiting, and before exit. */
#include "lpar.h"
#include "fdt.h"
#include <stdarg.h>

static char pending[16];
static int npending;

void console_flush(void)
{
	unsigned long w[2] = {0, 0};
	for (int i = 0; i < npending; i++)
		w[i / 8] |= (unsigned long)(unsigned char)pending[i] << (56 - 8 * (i % 8));
	if (npending)
		plpar_hcall_norets(H_PUT_TERM_CHAR, 0, npending, w[0], w[1]);
	npending = 0;
}

int putchar(int c)
{
	pending[npending++] = (char)c;
	if (npending == 16 || c == '\n')
		console_flush();
	return (unsigned char)c;
}

int puts(const char *s)
{
	while (*s)
		putchar(*s++);
	putchar('\n');
	return 0;
}

void lpar_exit(int status)
{
	console_flush();
	plpar_hcall_norets(H_LPAR_EXIT, (unsigned long)(status & 0xff));
	/* Another hypervisor (QEMU answers H_FUNCTION): RTAS power-off, whose token is in the
	 * device tree's /rtas, through H_RTAS with the argument buffer {token, nargs 2, nret 1,
	 * 0, 0, status} of big-endian words. The exit status is lost there. */
	int rtas = dt_find_node(__lpar_fdt, "rtas");
	uint64_t token = rtas >= 0 ? dt_u32(__lpar_fdt, rtas, "power-off", ~0UL) : ~0UL;
	if (token != ~0UL) {
		static uint32_t args[6] __attribute__((aligned(8)));
		args[0] = (uint32_t)token;
		args[1] = 2;
		args[2] = 1;
		plpar_hcall_norets(H_RTAS, (unsigned long)args);
	}
	for (;;)
		;
}

static void emit(const char *s, int len, int width, int left, char pad)
{
	if (!left)
		for (int i = len; i < width; i++)
			putchar(pad);
	for (int i = 0; i < len; i++)
		putchar(s[i]);
	if (left)
		for (int i = len; i < width; i++)
			putchar(' ');
}

/* %d %i %u %x %X %p %s %c %% with l/ll, width, '0' and '-' flags. */
int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			putchar(*p);
			continue;
		}
		p++;
		int left = 0, width = 0, longs = 0;
		char pad = ' ';
		for (; *p == '-' || *p == '0'; p++) {
			if (*p == '-')
				left = 1;
			else
				pad = '0';
		}
		for (; *p >= '0' && *p <= '9'; p++)
			width = width * 10 + (*p - '0');
		for (; *p == 'l'; p++)
			longs++;
		char buf[24];
		int n = 0;
		unsigned long u;
		int neg = 0, base = 10;
		const char *digits = "0123456789abcdef";
		switch (*p) {
		case 'd':
		case 'i': {
			long v = longs ? va_arg(ap, long) : va_arg(ap, int);
			neg = v < 0;
			u = neg ? -(unsigned long)v : (unsigned long)v;
			goto number;
		}
		case 'u':
			u = longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			goto number;
		case 'X':
			digits = "0123456789ABCDEF";
			/* fall through */
		case 'x':
			u = longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			base = 16;
			goto number;
		case 'p':
			u = (unsigned long)va_arg(ap, void *);
			base = 16;
			putchar('0');
			putchar('x');
		number:
			do {
				buf[sizeof buf - 1 - n++] = digits[u % base];
				u /= base;
			} while (u);
			if (neg) {
				if (pad == '0') {
					putchar('-');
					width--;
				} else
					buf[sizeof buf - 1 - n++] = '-';
			}
			emit(buf + sizeof buf - n, n, width, left, pad);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			emit(s, (int)strlen(s), width, left, ' ');
			break;
		}
		case 'c':
			buf[0] = (char)va_arg(ap, int);
			emit(buf, 1, width, left, ' ');
			break;
		case '%':
			putchar('%');
			break;
		default:
			putchar('%');
			putchar(*p);
		}
	}
	va_end(ap);
	return 0;
}
