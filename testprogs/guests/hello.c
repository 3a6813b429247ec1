#include "lpar.h"

int main(void)
{
	printf("Hello from %s!\n", "lpar");
	return 0;
}
