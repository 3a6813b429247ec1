/* A small reader for the flattened device tree lpar passes in r3 (devicetree-specification
 * v0.4, chapter 5). The guest is big-endian like the blob, so cells read as native integers. */
#include "lpar.h"
#include "fdt.h"

enum { FDT_MAGIC = 0xd00dfeed, FDT_BEGIN_NODE = 1, FDT_END_NODE = 2, FDT_PROP = 3, FDT_NOP = 4, FDT_END = 9 };

struct fdt_header {
	uint32_t magic, totalsize, off_dt_struct, off_dt_strings, off_mem_rsvmap, version,
		last_comp_version, boot_cpuid_phys, size_dt_strings, size_dt_struct;
};

static const struct fdt_header *hdr(const void *fdt) { return fdt; }
static const uint32_t *cell(const void *fdt, int off)
{
	return (const uint32_t *)((const char *)fdt + hdr(fdt)->off_dt_struct + off);
}
static int align4(int n) { return (n + 3) & ~3; }

int dt_valid(const void *fdt)
{
	return fdt && hdr(fdt)->magic == FDT_MAGIC && hdr(fdt)->version >= 16;
}

/* The offset of the token after the one at `off` (a node's properties and children are its
 * following tokens, up to the matching FDT_END_NODE). */
static int next_token(const void *fdt, int off, uint32_t *tag)
{
	const uint32_t *p = cell(fdt, off);
	*tag = p[0];
	switch (p[0]) {
	case FDT_BEGIN_NODE:
		return off + 4 + align4((int)strlen((const char *)(p + 1)) + 1);
	case FDT_PROP:
		return off + 12 + align4((int)p[1]);
	case FDT_END_NODE:
	case FDT_NOP:
		return off + 4;
	default:
		return -1;
	}
}

const char *dt_node_name(const void *fdt, int node)
{
	return (const char *)(cell(fdt, node) + 1);
}

const void *dt_property(const void *fdt, int node, const char *name, int *len)
{
	uint32_t tag;
	int off = next_token(fdt, node, &tag);
	const char *strings = (const char *)fdt + hdr(fdt)->off_dt_strings;
	while (off >= 0) {
		const uint32_t *p = cell(fdt, off);
		int next = next_token(fdt, off, &tag);
		if (tag == FDT_PROP) {
			if (strcmp(strings + p[2], name) == 0) {
				if (len)
					*len = (int)p[1];
				return p + 3;
			}
		} else if (tag != FDT_NOP) {
			break; /* properties come before subnodes */
		}
		off = next;
	}
	return 0;
}

int dt_find_node(const void *fdt, const char *name)
{
	uint32_t tag;
	size_t n = strlen(name);
	if (!dt_valid(fdt))
		return -1;
	for (int off = 0; off >= 0; off = next_token(fdt, off, &tag)) {
		const uint32_t *p = cell(fdt, off);
		const char *node = (const char *)(p + 1);
		if (p[0] == FDT_BEGIN_NODE && memcmp(node, name, n) == 0 && (node[n] == 0 || node[n] == '@'))
			return off;
	}
	return -1;
}

int dt_next_compatible(const void *fdt, int after, const char *compatible)
{
	uint32_t tag;
	if (!dt_valid(fdt))
		return -1;
	int off = after < 0 ? 0 : next_token(fdt, after, &tag);
	while (off >= 0) {
		int next = next_token(fdt, off, &tag);
		if (tag == FDT_BEGIN_NODE) {
			int len;
			const char *c = dt_property(fdt, off, "compatible", &len);
			/* "compatible" is a list of NUL-terminated strings. */
			for (int i = 0; c && i < len; i += (int)strlen(c + i) + 1)
				if (strcmp(c + i, compatible) == 0)
					return off;
		}
		off = next;
	}
	return -1;
}

uint64_t dt_u32(const void *fdt, int node, const char *name, uint64_t missing)
{
	int len;
	const uint32_t *p = dt_property(fdt, node, name, &len);
	return p && len >= 4 ? p[0] : missing;
}

uint64_t dt_u64(const void *fdt, int node, const char *name, uint64_t missing)
{
	int len;
	const uint32_t *p = dt_property(fdt, node, name, &len);
	if (!p || len < 4)
		return missing;
	return len >= 8 ? (uint64_t)p[0] << 32 | p[1] : p[0];
}
