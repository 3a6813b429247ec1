/* argc/argv/envp and the auxiliary vector as the kernel lays them out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv, char **envp) {
    printf("argc %d\n", argc);
    for (int i = 1; i < argc; i++) printf("argv[%d] = %s\n", i, argv[i]);
    printf("argv[argc] is NULL: %d\n", argv[argc] == NULL);
    printf("envp follows argv: %d, environ is envp: %d\n", envp == argv + argc + 1, environ == envp);
    const char *lang = getenv("LPAR_TEST_VAR");
    printf("LPAR_TEST_VAR = %s\n", lang ? lang : "(unset)");
    unsigned long hw = getauxval(AT_HWCAP), hw2 = getauxval(AT_HWCAP2);
    /* Only what qemu-ppc64 and lpar agree on: qemu advertises AltiVec/VSX and the host's 4K
       pages, lpar neither (tests/LinuxUserTests check lpar's exact values). */
    printf("hwcap 64-bit %d fpu %d arch 2.06 %d\n", !!(hw & 0x40000000), !!(hw & 0x08000000), !!(hw & 0x00000100));
    printf("hwcap2 arch 2.07 %d htm %d\n", !!(hw2 & 0x80000000), !!(hw2 & 0x40000000));
    printf("pagesize matches auxv: %d\n", sysconf(_SC_PAGESIZE) == (long)getauxval(AT_PAGESZ));
    printf("dcache block %lu\n", getauxval(AT_DCACHEBSIZE));
    printf("random nonzero: %d\n", getauxval(AT_RANDOM) != 0);
    printf("execfn is argv[0]: %d\n", strcmp((const char *)getauxval(AT_EXECFN), argv[0]) == 0);
    printf("secure %lu\n", getauxval(AT_SECURE));
    return argc;
}
