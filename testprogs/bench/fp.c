/* A floating-point kernel: a Mandelbrot set (fmul, fadd, fsub, fcmpu) and a relaxation sweep
 * with divisions. Built with -ffp-contract=off everywhere, so no host fuses a multiply and an add
 * and every IEEE double result is the same on PowerPC and x86-64. */
#include "bench.h"

#define W 160
#define H 120
#define GRID 64
static double grid[GRID][GRID];

static uint64_t bits(double d)
{
	union { double d; uint64_t u; } x = { d };
	return x.u;
}

int main(void)
{
	long maxit = BENCH_PARAM(1200);
	uint64_t sum = 0;
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			double cr = -2.0 + 3.0 * x / W, ci = -1.2 + 2.4 * y / H;
			double zr = 0, zi = 0;
			long it = 0;
			while (it < maxit && zr * zr + zi * zi <= 4.0) {
				double t = zr * zr - zi * zi + cr;
				zi = 2.0 * zr * zi + ci;
				zr = t;
				it++;
			}
			sum = sum * 33 + (uint64_t)it;
		}
	for (int i = 0; i < GRID; i++)
		for (int j = 0; j < GRID; j++)
			grid[i][j] = (i == 0 || j == 0) ? 1.0 + i / 7.0 : 0.0;
	for (long s = 0; s < maxit / 4; s++)
		for (int i = 1; i < GRID - 1; i++)
			for (int j = 1; j < GRID - 1; j++)
				grid[i][j] = (grid[i - 1][j] + grid[i + 1][j] + grid[i][j - 1] + grid[i][j + 1]) / 4.0;
	double acc = 0;
	for (int i = 0; i < GRID; i++)
		for (int j = 0; j < GRID; j++)
			acc += grid[i][j] / (1.0 + i + j);
	bench_report("fp", sum ^ bits(acc));
	return 0;
}
