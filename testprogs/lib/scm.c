/* The SCM calls that may take several rounds, looped as a PAPR guest must: call again with the
 * returned continue-token while the answer is H_CONTINUE, H_BUSY (what Linux's papr_scm loops
 * on) or a long-busy code. Each returns the final status; `calls` counts the rounds. */
#include "lpar.h"

static uint64_t mftb(void)
{
	uint64_t t;
	__asm__ volatile("mftb %0" : "=r"(t));
	return t;
}

/* H_LONG_BUSY_ORDER_<n> asks the caller to wait about n (1 ms, 10 ms ... 100 s) before calling
 * again, as Linux's papr_scm sleeps. A freestanding guest waits on the time base, which runs at
 * 512 MHz on QEMU's pseries and in lpar. */
static void wait_as_asked(long rc)
{
	if (!H_IS_LONG_BUSY(rc))
		return;
	uint64_t ticks = 512000; /* 1 ms */
	for (long order = H_LONG_BUSY_ORDER_1_MSEC; order < rc; order++)
		ticks *= 10;
	uint64_t start = mftb();
	while (mftb() - start < ticks)
		;
}

static int again(long rc)
{
	wait_as_asked(rc);
	return rc == H_BUSY || rc == H_CONTINUE || H_IS_LONG_BUSY(rc);
}

long scm_bind(uint64_t drc, uint64_t start, uint64_t blocks, uint64_t *addr, uint64_t *bound, int *calls)
{
	unsigned long ret[4];
	uint64_t token = 0;
	long rc;
	*addr = 0;
	*calls = 0;
	do {
		rc = plpar_hcall(H_SCM_BIND_MEM, ret, drc, start, blocks, H_SCM_BIND_ANY_ADDR, token);
		++*calls;
		token = ret[0];
		if (!*addr)
			*addr = ret[1]; /* the first call tells where the range starts */
		*bound = ret[2];
	} while (again(rc));
	return rc;
}

long scm_flush(uint64_t drc, int *calls)
{
	unsigned long ret[4];
	uint64_t token = 0;
	long rc;
	*calls = 0;
	do {
		rc = plpar_hcall(H_SCM_FLUSH, ret, drc, token);
		++*calls;
		token = ret[0];
	} while (rc != H_CONTINUE && again(rc));   /* a flush never continues: only busy codes */
	return rc;
}

long scm_unbind_all(uint64_t drc, uint64_t *unbound, int *calls)
{
	unsigned long ret[4];
	uint64_t token = 0;
	long rc;
	*calls = 0;
	do {
		rc = plpar_hcall(H_SCM_UNBIND_ALL, ret, H_SCM_UNBIND_SCOPE_DRC, drc, token);
		++*calls;
		token = ret[0];
		*unbound = ret[1];
	} while (again(rc));
	return rc;
}
