/* Signal handlers that run glibc's vector string code while the interrupted code is in the
   middle of its own: with AT_HWCAP saying ALTIVEC|VSX, glibc's memcpy, memset, strlen, strcmp
   and memcmp are the POWER8 VMX/VSX routines. SIGALRM arrives every millisecond while main
   copies and compares strings (results checked each time) and while main holds known values
   in VR20 and VSR 0 (an FPR's low half) across a spin; the handler runs the same routines on
   its own buffers and clobbers VR20, VSR0 and VSCR[SAT] itself. The frame must save and restore
   them: main checks the values after the alarms. (VSCR is checked only with the argument
   `vscr`: qemu-ppc64 7.2, which tools/difftest-programs compares with, does not restore it from
   the frame; lpar and the kernel do.) */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

static volatile int alarms;
static char hbuf[2][1031];
static volatile size_t hsum;

static void onalarm(int s) {
    (void)s;
    alarms++;
    memset(hbuf[0], 'a' + alarms % 26, sizeof hbuf[0] - 1);
    hbuf[0][sizeof hbuf[0] - 1] = 0;
    memcpy(hbuf[1], hbuf[0], sizeof hbuf[0]);
    hsum += strlen(hbuf[1]) + (size_t)(strcmp(hbuf[0], hbuf[1]) == 0) + (size_t)(memcmp(hbuf[0], hbuf[1], 1000) == 0);
    /* Clobber what main holds: VR20, VSR0 (dword 1, which no FPR instruction touches), VSCR[SAT]. */
    __asm__ volatile("vspltisw 20,-1\n\txxspltib 0,0x5a\n\tvspltisb 19,-1\n\tvaddubs 19,19,19\n\t"
                     ::: "v19", "v20", "vs0", "memory");
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGALRM, onalarm);
    struct itimerval it = { { 0, 1000 }, { 0, 1000 } };
    setitimer(ITIMER_REAL, &it, NULL);

    static char src[4099], dst[4099];
    int bad = 0;
    for (int round = 0; alarms < 20 || round < 2000; round++) {
        size_t n = 1 + (size_t)(round * 37) % 4000;
        for (size_t i = 0; i < n; i++) src[i] = (char)('A' + (i + round) % 50);
        src[n] = 0;
        memset(dst, 0, sizeof dst);
        memcpy(dst, src, n + 1);
        if (strlen(dst) != n || strcmp(src, dst) != 0 || memcmp(src, dst, n) != 0) bad++;
        dst[n / 2] ^= 1;
        if (strcmp(src, dst) == 0 || memcmp(src, dst, n) == 0) bad++;
        if (round > 100000) break;
    }
    printf("strings: %s\n", bad ? "WRONG" : "ok");

    /* Known values in VR20, VSR0's low half and VSCR[SAT] = 0, held across five signals by one
       asm block (so the compiler cannot use those registers in between), then stored. */
    unsigned long long v[6] __attribute__((aligned(16)));
    int target = alarms + 5;
    __asm__ volatile("vspltisw 20,7\n\t"
                     "li 9,0x1234\n\tmtvsrdd 0,9,9\n\t"
                     "vxor 19,19,19\n\tmtvscr 19\n"
                     "1:\tlwz 9,0(%1)\n\tcmpw 9,%2\n\tblt 1b\n\t"
                     "stvx 20,0,%0\n\taddi 9,%0,16\n\tstxvd2x 0,0,9\n\tmfvscr 19\n\t"
                     "addi 9,%0,32\n\tstvx 19,0,9\n\t"
                     : : "b"(v), "b"(&alarms), "r"(target) : "r9", "v19", "v20", "vs0", "cr0", "memory");
    printf("VR20 %s, VSR0 %s\n",
           v[0] == 0x0000000700000007ULL && v[1] == 0x0000000700000007ULL ? "kept" : "CLOBBERED",
           v[2] == 0x1234 && v[3] == 0x1234 ? "kept" : "CLOBBERED");
    if (argc > 1 && strcmp(argv[1], "vscr") == 0) printf("VSCR[SAT] %s\n", (v[5] & 1) == 0 ? "kept" : "CLOBBERED");
    struct itimerval off = { { 0, 0 }, { 0, 0 } };
    setitimer(ITIMER_REAL, &off, NULL);
    printf("handler: %s\n", hsum % 1032 == 0 && hsum > 0 ? "ok" : "WRONG");
    return bad;
}
