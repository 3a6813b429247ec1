/* The SCM calls that may take several rounds, looped as a PAPR guest must: call again with the
 * returned continue-token while the answer is H_CONTINUE, H_BUSY (what Linux's papr_scm loops
 * on) or a long-busy code. Each returns the final status; `calls` counts the rounds. */
#include "lpar.h"

static int again(long rc) { return rc == H_BUSY || rc == H_CONTINUE || H_IS_LONG_BUSY(rc); }

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
	} while (rc == H_BUSY || H_IS_LONG_BUSY(rc));
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
