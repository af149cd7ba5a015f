/* The -z post-rotate command: spawned per closed file without a shell, at idle priority, reaped later. */
#ifndef TD_HOOK_H
#define TD_HOOK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common/errbuf.h"

/* The children of one run; the writers spawn into it, the main thread reaps it. */
struct hooks;

struct hooks *hooks_new(void);
void hooks_free(struct hooks *h);

/* Start `cmd file` (PATH lookup, no shell) under SCHED_IDLE. 0 or -errno (message in errbuf, TD_ERRBUF_SIZE bytes). */
int hook_spawn(struct hooks *h, const char *cmd, const char *file, char *errbuf);

/*
 * Reap the hooks that have finished, without waiting. Each failure is
 * reported on stderr once; returns how many failed since the last call.
 */
unsigned hook_reap(struct hooks *h);

/* Hooks queued, being started or still running: the main thread waits for these at exit, for a while. */
unsigned hooks_pending(struct hooks *h);

/*
 * Is a hook for `file` (the path as given to hook_spawn) queued, being
 * started or still running (not reaped yet)? Retention keeps such a file.
 */
bool hooks_busy(struct hooks *h, const char *file);

/* One line per hook still running (at exit, when the wait for them ended first): they go on, detached. */
void hooks_report_running(struct hooks *h, FILE *out);

#endif
