#define RELOCATE 0
#include "radix-loop.inc"
