/* The DPDK backend's own parts (dpdk_eal.c, dpdk_gen.c, dpdk_source.c): the EAL, its log, the --dpdk-gen generator. */
#ifndef TD_DPDK_INTERNAL_H
#define TD_DPDK_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "io/live_backend.h"

/*
 * EAL: one per process (dpdk_eal.c), from opts->dpdk_args, or when that is
 * NULL the no-hugepage, no-PCI defaults. Whatever the EAL prints while it
 * starts (log lines, its usage text) is held back unless opts->dpdk_debug: a
 * failure is one line in errbuf, quoting the EAL's most telling log message.
 */
int dpdk_eal_init(const struct live_opts *opts, const char *port, bool is_pci, char *errbuf);

/*
 * The EAL's log, caught while a port opens so that its lines do not run
 * ahead of our own one-line error. best is the first message of the most
 * severe level seen (WARNING or worse), the cause rather than the "probe
 * failed" that follows it; "" if there was none. Caller-owned, so no state
 * outlives the catch.
 */
struct dpdk_log_catch {
	FILE *stream;	/* NULL while not catching */
	unsigned level; /* RTE_LOG_* of best, 0 when best is empty */
	char best[TD_ERRBUF_SIZE];
};

/* Send the EAL's log to c until dpdk_log_release(). With debug (--dpdk-debug) the log flows as usual. */
void dpdk_log_catch(struct dpdk_log_catch *c, bool debug);
/* Give the log back to its default stream (stderr); c->best stays readable. */
void dpdk_log_release(struct dpdk_log_catch *c);
bool dpdk_eal_running(void);

/*
 * --dpdk-gen (dpdk_gen.c): a thread putting frames into the rings of net_ring
 * port devname's first nq rx queues at opts->dpdk_gen_rate frames/s (0: as
 * fast as it goes), dpdk_gen_count frames in all (0: until stopped), of
 * dpdk_gen_size bytes or the IMIX, with text payloads LZ4 compresses as it
 * does web traffic. Frames that find a ring full, or are still in it when
 * the capture ends, are that queue's drops. dpdk_gen_stop joins it and
 * prints what it offered.
 */
#define LIVE_GEN_MAX_QUEUES 16
struct dpdk_gen;
int dpdk_gen_start(struct dpdk_gen **out, const char *devname, unsigned nq, const struct live_opts *opts, int socket,
		   char *errbuf);
/* Called by each rx worker as it starts; frames flow once queue 0's worker is there to take them. */
void dpdk_gen_rx_ready(struct dpdk_gen *g, unsigned queue);
/*
 * Called by each rx worker after its last burst: the first call stops the
 * generator (so the count is final before any worker reads it), then the
 * worker's own ring is emptied into the drops: offered = received + dropped.
 */
void dpdk_gen_finish_queue(struct dpdk_gen *g, unsigned queue);
uint64_t dpdk_gen_dropped(const struct dpdk_gen *g, unsigned queue);
void dpdk_gen_stop(struct dpdk_gen *g);

#endif
