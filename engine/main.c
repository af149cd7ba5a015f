/* tapdump's entry point: parse the command line, run the plan, exit with its status. */
#include <stdio.h>

int main(void)
{
	fprintf(stderr, "tapdump: not built yet\n");
	return 1;
}
