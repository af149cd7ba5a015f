/* One run of tapdump, step by step: build the plan, start the threads, supervise, finish, report, destroy. */
#ifndef TD_LIFECYCLE_H
#define TD_LIFECYCLE_H

#include <stdbool.h>

#include "common/errbuf.h"
#include "engine/engine.h"
#include "engine/notify.h"
#include "engine/placement.h"
#include "engine/signals.h"

struct run {
	struct engine eng;
	struct run_signals sig;
	struct source *srcs[MAX_INPUTS]; /* opened; each goes to its worker once there is one */
	unsigned src_iface[MAX_INPUTS];	 /* the interface (eng.ifaces) each is a queue of */
	unsigned nsrc;
	struct placement pl;
	char default_if[256]; /* -i not given: tcpdump's default device */
	char live_spec[256];  /* the interfaces for systemd's STATUS line, comma-separated */
	double started_at;
	bool prom_warned;
	struct notify notify;	     /* systemd's NOTIFY_SOCKET (run.c); off when unset */
	int status;		     /* the exit status so far */
	char errbuf[TD_ERRBUF_SIZE]; /* why a step failed: run() prints it, once */
};

/*
 * Build the plan (build.c): sources, filter, privileges, workers, writers,
 * the printer tap, placement. Returns 0 to go on; 1 when the run is already
 * complete (-d, -L, a stop signal during a blocking open) with r->status
 * set; -errno with the reason in r->errbuf (r->status 1), which run() prints. Whatever was built is released
 * by run_destroy() in every case.
 */
int run_build(struct run *r);

/* Release everything run_build() and the run made, whatever stage it reached. */
void run_destroy(struct run *r);

#endif
