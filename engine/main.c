/* tapdump's entry point: parse the command line, run the plan, exit with its status. */
#include <stdio.h>

#include "io/archive_source.h"
#include "engine/config.h"
#include "engine/run.h"

int main(int argc, char **argv)
{
	struct td_config cfg;
	char errbuf[TD_ERRBUF_SIZE];
	int rc;

	config_defaults(&cfg);
	rc = config_parse_args(&cfg, argc, argv, errbuf);
	if (rc > 0) {
		rc = 0;
	} else if (rc < 0) {
		fprintf(stderr, "tapdump: %s\n", errbuf);
		rc = 1;
	} else if (cfg.index_mode) {
		rc = archive_index_files(cfg.index_files, cfg.n_index_files);
	} else {
		rc = run(&cfg);
	}
	config_free(&cfg);
	return rc;
}
