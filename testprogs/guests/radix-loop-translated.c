#define RELOCATE 1
#include "radix-loop.inc"
