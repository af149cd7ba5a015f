/* One run of tapdump: build the plan from the config, start the threads, supervise, report. */
#ifndef TD_RUN_H
#define TD_RUN_H

#include "engine/config.h"

/* Returns the process exit status (0, or 1 after printing why). */
int run(const struct td_config *cfg);

#endif
