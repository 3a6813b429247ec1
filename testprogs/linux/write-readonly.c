/* Stores to a string literal (.rodata) and to the program's own code (.text) fault with
   SEGV_ACCERR at the address stored to, and change nothing; the last, uncaught, kills (139).
   The kernel's si_code for a fault on a page that is mapped but forbids the access is
   SEGV_ACCERR (2) (arch/powerpc/mm/fault.c: access_error -> bad_access); qemu-ppc64 7.2 says
   SEGV_MAPERR (1) for every fault, so this program's reference is write-readonly.expected, qemu's output
   with those lines corrected (tools/difftest-programs). */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static sigjmp_buf jb;
static volatile int code;
static void *volatile addr;

static void onsegv(int s, siginfo_t *si, void *uc) {
    (void)s; (void)uc;
    code = si->si_code;
    addr = si->si_addr;
    siglongjmp(jb, 1);
}

static int victim(int x) { return x * 3 + 1; }

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = onsegv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);

    char *volatile literal = "a string literal";
    if (sigsetjmp(jb, 1) == 0) {
        literal[2] = 'S';
        printf("literal written: no fault\n");
    } else {
        printf("literal: SIGSEGV code %d addr %s\n", code, addr == literal + 2 ? "= target" : "elsewhere");
    }
    printf("literal now: %s\n", literal);

    /* ELFv1: a function pointer is a descriptor whose first word is the code address. */
    int (*volatile fp)(int) = victim;
    unsigned int *text0;
    memcpy(&text0, (void *)fp, sizeof text0);
    unsigned int *volatile text = text0;
    if (sigsetjmp(jb, 1) == 0) {
        text[0] = 0x38600000;  /* li r3,0 */
        printf("text written: no fault\n");
    } else {
        printf("text: SIGSEGV code %d addr %s\n", code, addr == (void *)text ? "= target" : "elsewhere");
    }
    printf("victim(4) = %d\n", fp(4));

    sa.sa_handler = SIG_DFL;
    sa.sa_flags = 0;
    sigaction(SIGSEGV, &sa, NULL);
    printf("unhandled store to the literal\n");
    literal[0] = 'A';
    printf("not reached\n");
    return 0;
}
