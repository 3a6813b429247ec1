/* scm-demo built as a -bios image, so the same guest runs under qemu-system-ppc64 too. */
#include "../guests/scm-demo.c"
