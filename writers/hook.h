/* The -z post-rotate command: spawned per closed file without a shell, at idle priority, reaped later. */
#ifndef TD_HOOK_H
#define TD_HOOK_H

#include <stdbool.h>
#include <stdint.h>

/* The children of one run; the writers spawn into it, the main thread reaps it. */
struct hooks;

struct hooks *hooks_new(void);
void hooks_free(struct hooks *h);

/* Start `cmd file` (PATH lookup, no shell) under SCHED_IDLE. 0 or -errno (message in errbuf, 256 bytes). */
int hook_spawn(struct hooks *h, const char *cmd, const char *file, char *errbuf);

/*
 * Reap finished hooks; with wait_all, wait for every one still running.
 * Each failure is reported on stderr once; returns how many failed since
 * the last call.
 */
unsigned hook_reap(struct hooks *h, bool wait_all);

#endif
