/* Thread placement: which CPU each rx worker and writer runs on (hwloc, or --cpus). */
#ifndef TD_PLACEMENT_H
#define TD_PLACEMENT_H

#include <pthread.h>

#include "common/errbuf.h"

struct placement {
	int worker_cpu[64];
	int writer_cpu[64];
	/* CPUs left over once every worker and writer has one: where LZ4 helpers go (lz4_offers.h). */
	int spare_cpu[64];
	unsigned nspare;
};

/*
 * Plan CPUs: rx workers on the cores of numa_node (-1: unknown, any node),
 * one per core first, writers on the next cores, wrapping when cores run
 * out; the cores still free after them are `spare_cpu`. `cpus` (--cpus
 * "0,2-3") overrides, workers first, then writers, then spares.
 * Returns 0, or -EINVAL with a message in errbuf (TD_ERRBUF_SIZE bytes). A placement on
 * a node other than numa_node is reported in warnbuf (empty when none).
 */
int placement_plan(const char *cpus, unsigned nworkers, unsigned nwriters, int numa_node, struct placement *pl,
		   char *errbuf, char *warnbuf);

/* Pin a thread to one CPU; cpu < 0 leaves it where the scheduler puts it. 0 or -errno. */
int placement_pin(pthread_t thread, int cpu);

#endif
