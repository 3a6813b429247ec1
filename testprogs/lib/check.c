#include "check.h"

static int passes, failures;

void expect(int ok, const char *what)
{
	printf("%s %s\n", ok ? "PASS" : "FAIL", what);
	if (ok)
		passes++;
	else
		failures++;
}

void expect_eq(const char *what, uint64_t got, uint64_t want)
{
	if (got == want) {
		passes++;
		printf("PASS %s\n", what);
	} else {
		failures++;
		printf("FAIL %s: got 0x%lx, want 0x%lx\n", what, got, want);
	}
}

int expect_summary(void)
{
	printf("%d passed, %d failed\n", passes, failures);
	return failures ? 1 : 0;
}
