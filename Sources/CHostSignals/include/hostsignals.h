#ifndef LPAR_HOSTSIGNALS_H
#define LPAR_HOSTSIGNALS_H

#include <stdint.h>

/* Host signals that arrive at lpar for a Linux guest (SIGINT, SIGTERM, SIGALRM of the guest's
 * own timer…), caught only while the guest has a handler for them (or ignores them), and kept
 * until the run loop hands them to the guest. In C: a signal handler may only touch lock-free
 * atomics, and Swift gives no such guarantee for its globals.
 *
 * Signal numbers 1…63 are the host's, which for the signals forwarded are the same as
 * ppc64's (the generic numbering). */

/* Whether lpar itself was started with `sig` ignored (nohup, a background job of a
 * non-interactive shell): the guest starts with it ignored too, as after exec. */
int lpar_signal_ignored(int sig);
/* Catch `sig` (1) or give it back its default action (0). */
int lpar_signal_catch(int sig, int on);
/* Nonzero when a caught signal is waiting: one relaxed load, for the run loop between chunks. */
int lpar_signal_arrived(void);
/* The signals that arrived since the last call (bit n-1 for signal n), cleared. */
uint64_t lpar_signal_take(void);
/* The sender of the last `sig` that arrived: si_code, si_pid, si_uid of its host siginfo. */
void lpar_signal_sender(int sig, int *code, int *pid, unsigned *uid);
/* Sleeps until a caught signal arrives, or `nanoseconds` pass (< 0: no limit). Returns 1 when
 * a signal arrived, 0 on timeout. Signals that arrive between the caller's check and the sleep
 * are not lost: they are blocked while checking and unblocked atomically by ppoll. */
int lpar_signal_wait(int64_t nanoseconds);

#endif
