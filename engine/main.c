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
		rc = 0;
	else if (rc < 0)
		rc = 1;
	else
		rc = run(&cfg);
	config_free(&cfg);
	return rc;
}
