/* Time arguments (--since, --until): ISO 8601, @EPOCH, or relative to now. */
#ifndef TD_TIME_ARG_H
#define TD_TIME_ARG_H

#include <stdint.h>

/*
 * "2026-12-04T10:03:00.25Z", "2026-12-04 10:03+01:00", "2026-12-04" (local
 * time without a zone), "@1764842580.5", "now", "-15m" / "-2h" / "-1d" /
 * "-30s" / "-1w" before now. *ns gets nanoseconds since the epoch.
 * Returns 0, or -1 for anything else.
 */
int time_arg_parse(const char *s, int64_t *ns);

#endif
