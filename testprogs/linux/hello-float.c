/* Floating point in printf and arithmetic (needs scalar FP in the interpreter). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    volatile double a = 1.5, b = 2.25;
    printf("%.3f %.3f %g %e\n", a + b, a * b, b / a, a - b);
    printf("%d %.6f %.2f\n", (int)(b * 10), sqrt(2.0), atof("3.14159"));
    float f = 0.1f;
    double sum = 0;
    for (int i = 0; i < 10; i++) sum += f;
    printf("%.7f %s\n", sum, sum > 0.99 ? "ok" : "bad");
    return 0;
}
