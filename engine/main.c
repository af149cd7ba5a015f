/* tapdump's entry point: parse the command line, run the plan, exit with its status. */
#include <stdio.h>

#include "config.h"
#include "run.h"

int main(int argc, char **argv)
{
	struct td_config cfg;
	int rc;

	config_defaults(&cfg);
	rc = config_parse_args(&cfg, argc, argv);
	if (rc > 0)
		return 0;
	if (rc < 0)
		return 1;
	return run(&cfg);
}
