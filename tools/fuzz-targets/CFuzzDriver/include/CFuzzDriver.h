#include <stddef.h>
#include <stdint.h>
/* libFuzzer's driver (in the toolchain's libclang_rt.fuzzer). SwiftPM renames an executable's
 * entry point to <Target>_main, so each fuzz target defines that and hands over to libFuzzer. */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
