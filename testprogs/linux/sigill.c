/* SIGILL and SIGTRAP to handlers that read the ucontext: si_code ILL_ILLOPC for a word that is
   no instruction, ILL_PRVOPC for mfmsr in problem state, TRAP_BRKPT for `trap`; si_addr and the
   saved NIP are the instruction; the registers set just before (r14, r15, CTR, LR, CR, XER)
   are in gp_regs; the handler changes r14 and skips the instruction. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
/* PT_NIP, PT_CTR… (gp_regs indices) come from <asm/ptrace.h> through <signal.h>. */
extern char illegal_insn[], privileged_insn[], trap_insn[];
static void handler(int s, siginfo_t *si, void *ucv) {
    ucontext_t *uc = ucv;
    unsigned long *g = uc->uc_mcontext.gp_regs;
    const char *where = (char *)si->si_addr == illegal_insn ? "illegal_insn"
                      : (char *)si->si_addr == privileged_insn ? "privileged_insn"
                      : (char *)si->si_addr == trap_insn ? "trap_insn" : "elsewhere";
    printf("signal %d code %d at %s, nip is si_addr: %d\n", s, si->si_code, where, (char *)g[PT_NIP] == (char *)si->si_addr);
    printf("  r14 %ld r15 %ld ctr 0x%lx lr 0x%lx cr 0x%08lx xer 0x%lx\n", (long)g[14], (long)g[15],
           g[PT_CTR], g[PT_LNK], g[PT_CCR], g[PT_XER] & 0xE0000000UL);
    g[14] = (long)g[14] * 10;
    g[PT_NIP] += 4;
}
static long run(void) {
    long out;
    __asm__ volatile(
        "li 14, 1\n\t"
        "li 15, -5\n\t"
        "lis 16, 0x1234\n\t"
        "ori 16, 16, 0x5678\n\t"
        "mtctr 16\n\t"
        "lis 16, 0x0abc\n\t"
        "mtlr 16\n\t"
        "lis 16, 0x2468\n\t"
        "ori 16, 16, 0xace0\n\t"
        "mtcr 16\n\t"
        "lis 16, 0x2000\n\t"
        "mtxer 16\n\t"
        ".globl illegal_insn\n"
        "illegal_insn: .long 0\n\t"
        "li 15, -6\n\t"
        ".globl privileged_insn\n"
        "privileged_insn: mfmsr 16\n\t"
        "li 15, -7\n\t"
        ".globl trap_insn\n"
        "trap_insn: trap\n\t"
        "mr %0, 14\n\t"
        : "=r"(out) : : "r14", "r15", "r16", "ctr", "lr", "cr2", "cr3", "cr4", "xer", "memory");
    return out;
}
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGTRAP, &sa, NULL);
    printf("r14 after the three handlers: %ld\n", run());
    return 0;
}
