/* DPDK receive time stamps: -j parsing and -J listing, the NIC clock's calibration, a stamp per packet. */
/* rte_eth_read_clock is experimental in DPDK 22.11. */
#define ALLOW_EXPERIMENTAL_API 1

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pcap/pcap.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#include "io/dpdk_stamp.h"
#include "io/source.h"

/* The NIC clock's first fit spans this long; the worker refits it this often, from the first reading. */
#define CAL_FIRST_NS (20 * 1000 * 1000L)
#define CAL_REFIT_MS 1000

static int64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

struct clock_map clock_map_fit(uint64_t c0, int64_t ns0, uint64_t c1, int64_t ns1)
{
	struct clock_map m = { .c0 = c0, .ns0 = ns0, .mult = 0 };

	if (c1 > c0 && ns1 > ns0)
		m.mult = (uint64_t)(((unsigned __int128)(uint64_t)(ns1 - ns0) << 32) / (c1 - c0));
	return m;
}

int dpdk_stamp_parse(const char *name, bool per_burst, uint64_t offload_capa, const char *port, enum dpdk_tstamp *mode,
		     char *errbuf)
{
	bool nic = (offload_capa & RTE_ETH_RX_OFFLOAD_TIMESTAMP) != 0;

	*mode = per_burst ? DPDK_TS_BURST : DPDK_TS_HOST;
	if (!name || !strcmp(name, "host"))
		return 0;
	if (pcap_tstamp_type_name_to_val(name) < 0) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: invalid time stamp type %s", port, name);
		return -EINVAL;
	}
	if (nic && !strcmp(name, "adapter")) {
		*mode = DPDK_TS_ADAPTER;
		return 0;
	}
	if (nic && !strcmp(name, "adapter_unsynced")) {
		*mode = DPDK_TS_ADAPTER_UNSYNCED;
		return 0;
	}
	/* tcpdump only warns here; a capture that asked for the NIC's clock must not quietly get the host's. */
	snprintf(errbuf, TD_ERRBUF_SIZE, "%s: time stamp type %s is not offered by this port (-J lists its types)",
		 port, name);
	return -ENOTSUP;
}

static void list_one(FILE *out, int type)
{
	fprintf(out, "  %s (%s)\n", pcap_tstamp_type_val_to_name(type), pcap_tstamp_type_val_to_description(type));
}

void dpdk_stamp_list(FILE *out, const char *port, uint64_t offload_capa)
{
	fprintf(out, "Time stamp types for %s (use option -j to set):\n", port);
	list_one(out, PCAP_TSTAMP_HOST);
	if (offload_capa & RTE_ETH_RX_OFFLOAD_TIMESTAMP) {
		list_one(out, PCAP_TSTAMP_ADAPTER);
		list_one(out, PCAP_TSTAMP_ADAPTER_UNSYNCED);
	}
}

/* One reading of the NIC clock and CLOCK_REALTIME, the wall clock taken on both sides of it. */
static int read_pair(uint16_t port_id, uint64_t *c, int64_t *ns)
{
	int64_t before = realtime_ns(), after;
	int ret = rte_eth_read_clock(port_id, c);

	after = realtime_ns();
	*ns = before + (after - before) / 2;
	return ret;
}

/* The NIC map from the first reading to the latest: adapter is anchored on the wall clock, unsynced on the NIC's 0. */
static void fit_nic(struct dpdk_stamper *st, uint64_t c, int64_t ns)
{
	struct clock_map m = clock_map_fit(st->cal_c0, st->cal_ns0, c, ns);

	if (!m.mult)
		return;
	if (st->mode == DPDK_TS_ADAPTER_UNSYNCED)
		m.c0 = 0, m.ns0 = 0;
	st->nic = m;
}

int dpdk_stamp_init(struct dpdk_stamper *st, enum dpdk_tstamp mode, uint16_t port_id, const char *port, char *errbuf)
{
	struct timespec wait = { 0, CAL_FIRST_NS };
	uint64_t c1;
	int64_t ns1;
	int ret;

	memset(st, 0, sizeof(*st));
	st->mode = mode;
	st->port_id = port_id;
	st->tsc.c0 = rte_rdtsc();
	st->tsc.ns0 = realtime_ns();
	st->tsc.mult = (uint64_t)((1000000000ull << 32) / rte_get_tsc_hz());
	st->dyn_offset = -1;
	if (mode != DPDK_TS_ADAPTER && mode != DPDK_TS_ADAPTER_UNSYNCED)
		return 0;
	if (rte_mbuf_dyn_rx_timestamp_register(&st->dyn_offset, &st->dyn_flag) < 0) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: no mbuf field for the NIC's time stamps: %s", port,
			 rte_strerror(rte_errno));
		return -rte_errno;
	}
	ret = read_pair(port_id, &st->cal_c0, &st->cal_ns0);
	if (ret == 0) {
		nanosleep(&wait, NULL);
		ret = read_pair(port_id, &c1, &ns1);
	}
	if (ret < 0) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: cannot read the NIC's clock: %s", port, rte_strerror(-ret));
		return ret;
	}
	fit_nic(st, c1, ns1);
	if (!st->nic.mult) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "%s: the NIC's clock does not advance", port);
		return -EIO;
	}
	st->refit_every = rte_get_tsc_hz() / 1000 * CAL_REFIT_MS;
	st->refit_tsc = rte_rdtsc() + st->refit_every;
	return 0;
}

void dpdk_stamp_idle(struct dpdk_stamper *st)
{
	st->prev_tsc = rte_rdtsc();
}

static inline void put_ns(struct td_pkt *p, int64_t ns, enum ts_precision prec)
{
	uint32_t frac = (uint32_t)(ns % 1000000000);

	p->ts_sec = ns / 1000000000;
	p->ts_frac = prec == TS_NANO ? frac : frac / 1000;
}

void dpdk_stamp_burst(struct dpdk_stamper *st, struct rte_mbuf *const *mbufs, struct td_pkt *pkts, unsigned n,
		      enum ts_precision prec)
{
	uint64_t now = rte_rdtsc();
	int64_t end = clock_map_ns(&st->tsc, now), start, step, ns;

	if (st->mode == DPDK_TS_BURST) {
		for (unsigned i = 0; i < n; i++)
			put_ns(&pkts[i], end, prec);
		st->prev_tsc = now;
		return;
	}
	/*
	 * The burst arrived after the previous poll returned: spread it over
	 * that window, one step a packet (the arrival order is the ring's).
	 * One TSC read a burst instead of one a packet; within a queue the
	 * stamps still grow by at least a nanosecond a packet.
	 */
	start = st->prev_tsc ? clock_map_ns(&st->tsc, st->prev_tsc) : end;
	if (start < st->last_ns)
		start = st->last_ns;
	step = end > start ? (end - start) / (int64_t)n : 0;
	st->prev_tsc = now;
	for (unsigned i = 0; i < n; i++) {
		ns = start + step * (int64_t)(i + 1);
		if (ns <= st->last_ns)
			ns = st->last_ns + 1;
		if (st->dyn_offset >= 0) {
			const struct rte_mbuf *m = mbufs[i];

			if (m->ol_flags & st->dyn_flag) {
				put_ns(&pkts[i],
				       clock_map_ns(&st->nic, *RTE_MBUF_DYNFIELD(m, st->dyn_offset,
										 const rte_mbuf_timestamp_t *)),
				       prec);
				continue;
			}
			st->unstamped++;
		}
		st->last_ns = ns;
		put_ns(&pkts[i], ns, prec);
	}
	/* Adapter: refit the NIC clock's rate over the whole run so far, once a second. */
	if (st->dyn_offset >= 0 && now >= st->refit_tsc) {
		uint64_t c;
		int64_t wall;

		if (read_pair(st->port_id, &c, &wall) == 0)
			fit_nic(st, c, wall);
		st->refit_tsc = now + st->refit_every;
	}
}

void dpdk_stamp_describe(const struct dpdk_stamper *st, FILE *out)
{
	switch (st->mode) {
	case DPDK_TS_HOST: fprintf(out, "time stamps: host, one a packet over each poll window"); break;
	case DPDK_TS_BURST: fprintf(out, "time stamps: host, one per burst"); break;
	case DPDK_TS_ADAPTER:
	case DPDK_TS_ADAPTER_UNSYNCED:
		fprintf(out, "time stamps: %s, the NIC's clock; %llu packets without one, stamped as host",
			st->mode == DPDK_TS_ADAPTER ? "adapter" : "adapter_unsynced",
			(unsigned long long)st->unstamped);
		break;
	}
}
