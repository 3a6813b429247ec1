#ifndef CHECK_H
#define CHECK_H
#include "lpar.h"

/* Checks for the guests that test the machine: each prints one PASS or FAIL line, and
 * expect_summary prints "N passed, N failed" and gives the exit status (0: all passed). */
void expect(int ok, const char *what);
void expect_eq(const char *what, uint64_t got, uint64_t want);
int expect_summary(void);

#endif
