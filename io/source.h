/* A packet source: one rx queue of a backend (file, libpcap live, AF_XDP, DPDK) behind an ops table. */
#ifndef TD_SOURCE_H
#define TD_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/errbuf.h"
#include "io/packet.h"

struct source;
struct bpf_program;

/* Counters a backend keeps below us, reported as they are (DESIGN.md "Counting"). */
struct source_stats {
	uint64_t received;   /* packets the backend handed to us */
	uint64_t dropped;    /* backend says it dropped (ps_drop, imissed, rx_dropped) */
	uint64_t if_dropped; /* interface drops (ps_ifdrop, rx_nombuf, fill ring empty) */
	uint64_t errors;     /* ierrors and the like */
};

struct source_ops {
	/*
	 * Hot op first. Fill up to max descriptors; return how many (0: nothing
	 * now, try again), -ENODATA at the end of a finite input, or another
	 * -errno with a message in src->errbuf. The data pointers stay valid until
	 * the next call on the same source.
	 */
	int (*rx_burst)(struct source *src, struct td_pkt *pkts, unsigned max);
	/* Optional: called once in the worker thread before its first burst (DPDK lcore registration, pinning checks). */
	int (*thread_init)(struct source *src);
	/* Optional: called once in the worker thread after its last burst, before its counters are read for good. */
	void (*thread_fini)(struct source *src);
	/* Optional: backend counters. */
	int (*stats)(struct source *src, struct source_stats *st);
	/*
	 * Optional, for -v at exit (the worker is gone): the backend's own
	 * counters under its own names, as "name value" pairs on one line.
	 */
	void (*print_counters)(struct source *src, FILE *out);
	/*
	 * Optional: install prog (compiled for the source's link type and
	 * snaplen) below us, in the kernel, so only matching packets are
	 * copied up (libpcap live). 0, or -errno with the message in errbuf.
	 * Sources without it see every packet and the worker filters alone.
	 */
	int (*set_filter)(struct source *src, const struct bpf_program *prog, char *errbuf);
	/* Release everything; src is freed. */
	void (*close)(struct source *src);
};

struct source {
	const struct source_ops *ops;
	/* What the user named: path, interface, port (long paths too: it is printed whole). */
	char name[1024];
	/* DLT_* as libpcap reports it. */
	int linktype;
	/* The pcap link-type field's upper bits (FCS length), copied to -w headers as libpcap does. */
	uint32_t linktype_ext;
	/* The input's snapshot length. */
	uint32_t snaplen;
	/* Precision of ts_frac in every td_pkt. */
	enum ts_precision tsprec;
	/* Live sources never block the worker on the writer. */
	bool live;
	/*
	 * Every packet's data follows its pcap record header in memory (a pcap
	 * file read in place): the worker may read the 16 bytes before data,
	 * and copies runs of records whose header there is the one it would
	 * write in one go (worker.c).
	 */
	bool records_in_place;
	/* Live: the device's NUMA node, -1 unknown (placement puts rx workers there). */
	int numa_node;
	/*
	 * Live sources that sleep in the kernel when idle: how long one idle
	 * rx_burst may wait, set by the worker before each call (short while it
	 * holds a part-filled block that must reach the writer soon, long
	 * otherwise), and an eventfd that turns readable when the engine stops,
	 * so a long wait ends at once. stop_fd -1: none (backends start it so).
	 */
	int idle_wait_ms;
	int stop_fd;
	/*
	 * Live: the frames the backend can hold between the wire and us (its
	 * rx ring); a stop takes up to this many more, however long that takes
	 * on a loaded box. 0: unknown, the stop drains for a short while only.
	 */
	unsigned rx_held_max;
	char errbuf[TD_ERRBUF_SIZE];
};

static inline int source_rx_burst(struct source *src, struct td_pkt *pkts, unsigned max)
{
	return src->ops->rx_burst(src, pkts, max);
}

/* -ENOTSUP (message in errbuf) when the backend filters nothing below us. */
static inline int source_set_filter(struct source *src, const struct bpf_program *prog, char *errbuf)
{
	if (!src->ops->set_filter) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: no kernel filter for this backend", src->name);
		return -ENOTSUP;
	}
	return src->ops->set_filter(src, prog, errbuf);
}

/*
 * Every backend's open starts here: the ops, and the defaults source.h
 * promises (no stop fd yet, NUMA node unknown) before any field is set.
 */
static inline void source_init(struct source *src, const struct source_ops *ops)
{
	memset(src, 0, sizeof(*src));
	src->ops = ops;
	src->stop_fd = -1;
	src->numa_node = -1;
}

static inline void source_close(struct source *src)
{
	if (src)
		src->ops->close(src);
}

#endif
