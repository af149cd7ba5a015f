/* DPDK receive time stamps, one per packet: the NIC's (-j adapter, adapter_unsynced) or spread over the poll window (host). */
#ifndef TD_DPDK_STAMP_H
#define TD_DPDK_STAMP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "io/packet.h"

/* The -j types a DPDK port can offer, by tcpdump's names. */
enum dpdk_tstamp {
	DPDK_TS_HOST,		  /* the TSC, read once a burst, spread over the packets (default) */
	DPDK_TS_ADAPTER,	  /* the NIC's stamp, mapped to CLOCK_REALTIME at start */
	DPDK_TS_ADAPTER_UNSYNCED, /* the NIC's stamp on the NIC's own clock */
	DPDK_TS_BURST,		  /* --dpdk-stamp burst: one stamp a burst, the old way (tests show the difference) */
};

/*
 * A linear map from a counter (the TSC, a NIC clock) to nanoseconds:
 * ns = ns0 + (c - c0) * mult / 2^32. c may lie before c0 (a NIC stamp
 * taken before the map was anchored).
 */
struct clock_map {
	uint64_t c0;
	int64_t ns0;
	uint64_t mult;
};

static inline int64_t clock_map_ns(const struct clock_map *m, uint64_t c)
{
	return m->ns0 + (int64_t)(((__int128)(int64_t)(c - m->c0) * (__int128)m->mult) >> 32);
}

/* The map through two readings (c0, ns0) and (c1, ns1), c1 > c0; mult 0 when they say nothing (c1 <= c0). */
struct clock_map clock_map_fit(uint64_t c0, int64_t ns0, uint64_t c1, int64_t ns1);

/* A queue's stamping state; owned by its rx worker once the capture runs. */
struct dpdk_stamper {
	enum dpdk_tstamp mode;
	struct clock_map tsc; /* TSC -> CLOCK_REALTIME */
	struct clock_map nic; /* adapter modes: NIC clock -> ns (CLOCK_REALTIME, or the NIC's own epoch) */
	uint16_t port_id;
	int dyn_offset;	   /* the mbuf's rx timestamp dynfield */
	uint64_t dyn_flag; /* set in ol_flags when the NIC stamped the packet */
	/* adapter: the calibration's first reading, and when (TSC) the map is refitted next. */
	uint64_t cal_c0;
	int64_t cal_ns0;
	uint64_t refit_tsc, refit_every;
	uint64_t prev_tsc;  /* when the previous poll returned; 0 before the first */
	int64_t last_ns;    /* the queue's last stamp: host stamps never repeat or go back */
	uint64_t unstamped; /* adapter: packets the NIC gave no stamp (stamped as host instead) */
};

/*
 * Parse -j for a port whose rx offloads are offload_capa: NULL or "host"
 * give host (one stamp a burst when per_burst, --dpdk-stamp burst);
 * "adapter" and "adapter_unsynced" need RTE_ETH_RX_OFFLOAD_TIMESTAMP. Returns 0, or -EINVAL (unknown name) or
 * -ENOTSUP (not offered) with one line in errbuf naming port.
 */
int dpdk_stamp_parse(const char *name, bool per_burst, uint64_t offload_capa, const char *port, enum dpdk_tstamp *mode,
		     char *errbuf);

/* -J: the types the port offers, in tcpdump's format. */
void dpdk_stamp_list(FILE *out, const char *port, uint64_t offload_capa);

/*
 * After the port started: a queue's stamper. Adapter modes find the mbuf
 * dynfield and fit the NIC clock against CLOCK_REALTIME over ~20 ms (the
 * worker refits it every second over the whole run, so its rate error
 * falls as the run goes on). Returns 0 or -errno with a line in errbuf.
 */
int dpdk_stamp_init(struct dpdk_stamper *st, enum dpdk_tstamp mode, uint16_t port_id, const char *port, char *errbuf);

/* An rx poll that returned nothing: the next burst arrived after now. */
void dpdk_stamp_idle(struct dpdk_stamper *st);

/*
 * Stamp the n packets of a burst: mbufs[i] -> pkts[i].ts_sec/ts_frac in
 * precision prec. Host: the poll window (the previous poll's return to
 * now, both on the TSC) split evenly, so each packet gets its own time
 * and the queue's stamps only grow. Adapter: the NIC's stamp, or host's
 * for a packet without one.
 */
struct rte_mbuf;
void dpdk_stamp_burst(struct dpdk_stamper *st, struct rte_mbuf *const *mbufs, struct td_pkt *pkts, unsigned n,
		      enum ts_precision prec);

/* For -v: "time stamps: ..." (the mode, and unstamped packets). */
void dpdk_stamp_describe(const struct dpdk_stamper *st, FILE *out);

#endif
