/* Reading lpar's flattened device tree (see fdt.c). Offsets are into the structure block. */
#ifndef FDT_H
#define FDT_H
#include "lpar.h"

int dt_valid(const void *fdt);
/* The next node after offset `after` (-1 = from the root) whose "compatible" lists the string;
 * -1 when there is none or `fdt` is not a device tree (as for dt_find_node). */
int dt_next_compatible(const void *fdt, int after, const char *compatible);
/* The first node named `name` or `name@unit`, at any depth; -1 when there is none. */
int dt_find_node(const void *fdt, const char *name);
const char *dt_node_name(const void *fdt, int node);
const void *dt_property(const void *fdt, int node, const char *name, int *len);
/* A property of one or two cells as a number, or `missing`. */
uint64_t dt_u32(const void *fdt, int node, const char *name, uint64_t missing);
uint64_t dt_u64(const void *fdt, int node, const char *name, uint64_t missing);

#endif
