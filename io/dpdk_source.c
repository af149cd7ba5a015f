/* DPDK capture: one source per rx queue of a PCI port (RSS spreads flows) or vdev (each queue its own input), mbufs in bursts. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>
#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_pci.h>

#include "io/dpdk_stamp.h"
#include "io/dpdk_internal.h"

#define DPDK_RX_DESC 1024
#define DPDK_POOL_CACHE 256
/* Longest multi-segment packet copied out whole; LRO/TSO aggregates stay under 64 KiB. */
#define DPDK_LINEAR_MAX 65536
/* Setup notes held until the port is open: queue counts (two at most) and promiscuous mode. */
#define DPDK_MAX_NOTES 4

/* What the queues of one port share; the last source closed stops the port. */
struct dpdk_port {
	uint16_t port_id;
	unsigned nq;
	atomic_uint refs;
	struct rte_mempool *pool;
	bool hotplugged;	   /* added with rte_dev_probe after the EAL was up: removed again on close */
	bool is_pci;		   /* a NIC, not a vdev: without RSS only its queue 0 sees traffic */
	struct dpdk_gen *gen;	   /* --dpdk-gen feeding this (net_ring) port, or NULL */
	enum dpdk_tstamp tsmode;   /* -j */
	struct dpdk_stamper stamp; /* calibrated once a port; each queue starts from a copy */
	int promisc_restore;	   /* the promiscuous mode (0, 1) the close puts back; -1: we did not change it */
	bool debug;		   /* --dpdk-debug: the close says what it puts back */
	struct live_opts warn_to;  /* where the close's warnings go (only its warn and warn_ctx are set) */
	/* Warnings of the setup, passed on once the open succeeded: a failed open says one thing, its error. */
	unsigned n_notes;
	char notes[DPDK_MAX_NOTES][TD_ERRBUF_SIZE];
	char devname[RTE_DEV_NAME_MAX_LEN];
};

struct dpdk_source {
	struct source src;
	struct dpdk_port *port;
	uint16_t queue;
	struct dpdk_stamper stamp; /* this queue's time stamps (dpdk_stamp.h) */
	/* Previous burst: its mbufs back the data pointers the worker still holds. */
	unsigned prev_n;
	uint8_t *linear;
	size_t linear_size;
	struct rte_mbuf *prev[LIVE_MAX_BURST];
} __rte_cache_aligned;

/*
 * Copy the multi-segment packets of a burst into one linear buffer, up to
 * the snaplen (the filter sees what libpcap live would: caplen bytes and the
 * wire length). Chained mbufs only appear with scatter rx or LRO, which we
 * never turn on, so this is the rare path. Returns 0 or -ENOMEM.
 */
static int dpdk_linearize(struct dpdk_source *ds, struct td_pkt *pkts, unsigned n)
{
	uint32_t cap = ds->src.snaplen < DPDK_LINEAR_MAX ? ds->src.snaplen : DPDK_LINEAR_MAX;
	size_t need = 0, used = 0;
	unsigned i;

	for (i = 0; i < n; i++) {
		if (ds->prev[i]->nb_segs > 1)
			need += pkts[i].wirelen < cap ? pkts[i].wirelen : cap;
	}
	if (need > ds->linear_size) {
		uint8_t *buf = realloc(ds->linear, need);

		if (!buf)
			return -ENOMEM;
		ds->linear = buf;
		ds->linear_size = need;
	}
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = ds->prev[i];
		uint32_t len = pkts[i].wirelen < cap ? pkts[i].wirelen : cap;
		const void *p;

		if (m->nb_segs == 1)
			continue;
		p = rte_pktmbuf_read(m, 0, len, ds->linear + used);
		if (p != ds->linear + used)
			memcpy(ds->linear + used, p, len);
		pkts[i].data = ds->linear + used;
		pkts[i].caplen = len;
		used += len;
	}
	return 0;
}

static int dpdk_rx_burst(struct source *src, struct td_pkt *pkts, unsigned max)
{
	struct dpdk_source *ds = (struct dpdk_source *)src;
	bool chained = false;
	unsigned i;
	uint16_t n;

	/* The worker is done with the previous burst: recycle it now, into this lcore's mempool cache. */
	if (ds->prev_n) {
		rte_pktmbuf_free_bulk(ds->prev, ds->prev_n);
		ds->prev_n = 0;
	}
	if (max > LIVE_MAX_BURST)
		max = LIVE_MAX_BURST;
	n = rte_eth_rx_burst(ds->port->port_id, ds->queue, ds->prev, (uint16_t)max);
	if (n == 0) {
		dpdk_stamp_idle(&ds->stamp);
		return 0;
	}
	ds->prev_n = n;
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = ds->prev[i];

		pkts[i].data = rte_pktmbuf_mtod(m, const uint8_t *);
		pkts[i].caplen = m->data_len;
		pkts[i].wirelen = m->pkt_len;
		chained |= m->nb_segs > 1;
	}
	dpdk_stamp_burst(&ds->stamp, ds->prev, pkts, n, src->tsprec);
	if (chained && dpdk_linearize(ds, pkts, n) < 0) {
		snprintf(src->errbuf, sizeof(src->errbuf), "%s: out of memory for a chained mbuf", src->name);
		return -ENOMEM;
	}
	return n;
}

/* mempool caches are per lcore: a worker that is not an EAL thread needs an lcore id first. */
static int dpdk_thread_init(struct source *src)
{
	struct dpdk_source *ds = (struct dpdk_source *)src;

	if (ds->port->gen)
		dpdk_gen_rx_ready(ds->port->gen, ds->queue);
	if (rte_lcore_id() != LCORE_ID_ANY)
		return 0;
	if (rte_thread_register() < 0) {
		snprintf(src->errbuf, sizeof(src->errbuf), "%s: rte_thread_register: %s", src->name,
			 rte_strerror(rte_errno));
		return -rte_errno;
	}
	return 0;
}

/* --dpdk-gen: the capture of this queue is over; frames still offered or left in its ring are the port's drops. */
static void dpdk_thread_fini(struct source *src)
{
	struct dpdk_source *ds = (struct dpdk_source *)src;

	if (ds->port->gen)
		dpdk_gen_finish_queue(ds->port->gen, ds->queue);
}

static int dpdk_stats(struct source *src, struct source_stats *st)
{
	struct dpdk_source *ds = (struct dpdk_source *)src;
	struct rte_eth_stats es;
	int ret;

	ret = rte_eth_stats_get(ds->port->port_id, &es);
	if (ret < 0) {
		snprintf(src->errbuf, sizeof(src->errbuf), "%s: rte_eth_stats_get: %s", src->name, rte_strerror(-ret));
		return ret;
	}
	memset(st, 0, sizeof(*st));
	if (ds->port->nq == 1)
		st->received = es.ipackets;
	else if (ds->queue < RTE_ETHDEV_QUEUE_STAT_CNTRS)
		st->received = es.q_ipackets[ds->queue];
	/* Port-wide counters go on queue 0 only, so summing the queues counts each drop once. */
	/* --dpdk-gen: frames its ring for this queue had no room for. */
	if (ds->port->gen)
		st->dropped = dpdk_gen_dropped(ds->port->gen, ds->queue);
	if (ds->queue == 0) {
		st->dropped += es.imissed;
		st->if_dropped = es.rx_nombuf;
		st->errors = es.ierrors;
	}
	return 0;
}

/* Put the port's promiscuous mode back as it was before dpdk_port_promisc changed it. */
static void dpdk_port_promisc_restore(struct dpdk_port *dp)
{
	int ret;

	if (dp->promisc_restore < 0)
		return;
	ret = dp->promisc_restore ? rte_eth_promiscuous_enable(dp->port_id) : rte_eth_promiscuous_disable(dp->port_id);
	if (ret < 0)
		live_warn(&dp->warn_to, "dpdk:%s: cannot turn promiscuous mode %s again: %s", dp->devname,
			  dp->promisc_restore ? "on" : "off", rte_strerror(-ret));
	else if (dp->debug)
		fprintf(stderr, "dpdk:%s: promiscuous mode %s again, as it was before the capture\n", dp->devname,
			dp->promisc_restore ? "on" : "off");
	dp->promisc_restore = -1;
}

/* Stop and close the port (its promiscuous mode as we found it), give back a hotplugged vdev, free the pool and dp. */
static void dpdk_port_teardown(struct dpdk_port *dp)
{
	int ret;

	if (dp->gen)
		dpdk_gen_stop(dp->gen);
	ret = rte_eth_dev_stop(dp->port_id);
	if (ret < 0)
		live_warn(&dp->warn_to, "dpdk:%s: rte_eth_dev_stop: %s", dp->devname, rte_strerror(-ret));
	dpdk_port_promisc_restore(dp);
	ret = rte_eth_dev_close(dp->port_id);
	if (ret < 0)
		live_warn(&dp->warn_to, "dpdk:%s: rte_eth_dev_close: %s", dp->devname, rte_strerror(-ret));
	if (dp->hotplugged)
		rte_eal_hotplug_remove("vdev", dp->devname);
	rte_mempool_free(dp->pool);
	free(dp);
}

static void dpdk_port_release(struct dpdk_port *dp)
{
	if (atomic_fetch_sub(&dp->refs, 1) == 1)
		dpdk_port_teardown(dp);
}

static void dpdk_close(struct source *src)
{
	struct dpdk_source *ds = (struct dpdk_source *)src;

	if (ds->prev_n)
		rte_pktmbuf_free_bulk(ds->prev, ds->prev_n);
	dpdk_port_release(ds->port);
	free(ds->linear);
	free(ds);
}

/* The port's extended statistics, the non-zero ones (a NIC has hundreds), on queue 0's line: they are port-wide. */
static void dpdk_print_counters(struct source *src, FILE *out)
{
	struct dpdk_source *ds = (struct dpdk_source *)src;
	struct rte_eth_xstat_name *names = NULL;
	struct rte_eth_xstat *vals = NULL;
	int n, shown = 0;

	if (ds->queue != 0) {
		fprintf(out, "(port-wide: see queue 0) (");
		dpdk_stamp_describe(&ds->stamp, out);
		fprintf(out, ")");
		return;
	}
	n = rte_eth_xstats_get(ds->port->port_id, NULL, 0);
	if (n > 0) {
		names = calloc((size_t)n, sizeof(*names));
		vals = calloc((size_t)n, sizeof(*vals));
	}
	if (names && vals && rte_eth_xstats_get_names(ds->port->port_id, names, (unsigned)n) == n &&
	    rte_eth_xstats_get(ds->port->port_id, vals, (unsigned)n) == n) {
		for (int i = 0; i < n; i++) {
			if (vals[i].value == 0 || vals[i].id >= (uint64_t)n)
				continue;
			fprintf(out, "%s%s %" PRIu64, shown++ ? " " : "", names[vals[i].id].name, vals[i].value);
		}
	}
	if (!shown)
		fprintf(out, "(no extended statistics above zero)");
	fprintf(out, " (");
	dpdk_stamp_describe(&ds->stamp, out);
	fprintf(out, ")");
	free(names);
	free(vals);
}

static const struct source_ops dpdk_ops = {
	.rx_burst = dpdk_rx_burst,
	.thread_init = dpdk_thread_init,
	.thread_fini = dpdk_thread_fini,
	.stats = dpdk_stats,
	.print_counters = dpdk_print_counters,
	.close = dpdk_close,
};

/* Packets in one pcap file; 0 if it does not open (the PMD reports the bad file itself). */
static unsigned dpdk_file_packets(const char *path)
{
	char errbuf[TD_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	unsigned n = 0;
	pcap_t *p;

	p = pcap_open_offline(path, errbuf);
	if (!p)
		return 0;
	while (pcap_next_ex(p, &h, &d) == 1)
		n++;
	pcap_close(p);
	return n;
}

/*
 * net_pcap with infinite_rx=1 loads each queue's whole file into mbufs of
 * the shared pool at setup, so the pool must hold every rx_pcap= file's
 * packets on top of the rings. Returns that count (0 when the vdev is not
 * an infinite pcap replay).
 */
static unsigned dpdk_replay_packets(const char *spec)
{
	char path[1024];
	const char *arg = spec;
	unsigned n = 0;

	if (strncmp(spec, "net_pcap", 8) != 0 || !strstr(spec, "infinite_rx=1"))
		return 0;
	/* Arguments are comma-separated: look at each one's start, not inside paths. */
	while (arg) {
		if (strncmp(arg, "rx_pcap=", 8) == 0) {
			snprintf(path, sizeof(path), "%.*s", (int)strcspn(arg + 8, ","), arg + 8);
			n += dpdk_file_packets(path);
		}
		arg = strchr(arg, ',');
		if (arg)
			arg++;
	}
	return n;
}

/*
 * Find the port, creating the vdev if the EAL was already up when we were
 * asked for it (or its probe at EAL start failed). A driver that refuses the
 * vdev says why in the log: that line is the error, not "no such port".
 */
static int dpdk_find_port(const char *spec, const char *name, bool is_pci, struct dpdk_port *dp,
			  const struct dpdk_log_catch *log, char *errbuf)
{
	int ret;

	if (rte_eth_dev_get_port_by_name(name, &dp->port_id) == 0)
		return 0;
	if (!is_pci) {
		ret = rte_dev_probe(spec);
		if (ret == 0 && rte_eth_dev_get_port_by_name(name, &dp->port_id) == 0) {
			dp->hotplugged = true;
			return 0;
		}
		if (log->best[0]) {
			snprintf(errbuf, TD_ERRBUF_SIZE, "dpdk:%s: cannot create the port: %s", name, log->best);
			return -ENODEV;
		}
	}
	snprintf(errbuf, TD_ERRBUF_SIZE,
		 "dpdk:%s: no such DPDK port (%u port%s available; check the name and --dpdk-args)", name,
		 rte_eth_dev_count_avail(), rte_eth_dev_count_avail() == 1 ? "" : "s");
	return -ENODEV;
}

/* Keep one setup warning (printf format) for dpdk_source_open to pass on. */
static void __attribute__((format(printf, 2, 3))) dpdk_note(struct dpdk_port *dp, const char *fmt, ...)
{
	va_list ap;

	if (dp->n_notes == DPDK_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(dp->notes[dp->n_notes++], TD_ERRBUF_SIZE, fmt, ap);
	va_end(ap);
}

/*
 * Promiscuous mode as -p says, remembering the mode we found so the close
 * puts it back (as dpdk-dumpcap does): a port turned promiscuous for the
 * capture must not stay so after it. A PMD without the switch is left as it
 * is: quietly for a vdev (most receive everything anyway), with a warning
 * for a NIC, as tcpdump warns for PCAP_WARNING_PROMISC_NOTSUP; another
 * failure is a warning too, since the capture still works. 0 or -errno.
 */
static int dpdk_port_promisc(struct dpdk_port *dp, const struct live_opts *opts, char *errbuf)
{
	int was = rte_eth_promiscuous_get(dp->port_id), ret;

	dp->promisc_restore = -1;
	if (was < 0) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "dpdk:%s: rte_eth_promiscuous_get failed", dp->devname);
		return -ENODEV;
	}
	if (was == (opts->promisc ? 1 : 0))
		return 0;
	ret = opts->promisc ? rte_eth_promiscuous_enable(dp->port_id) : rte_eth_promiscuous_disable(dp->port_id);
	if (ret == 0) {
		dp->promisc_restore = was;
		return 0;
	}
	if (ret != -ENOTSUP || dp->is_pci)
		dpdk_note(dp, "dpdk:%s: cannot turn promiscuous mode %s: %s", dp->devname, opts->promisc ? "on" : "off",
			  rte_strerror(-ret));
	return 0;
}

/* Configure queues, RSS and the mbuf pool, then start the port. Notes are kept in dp, each on its own. */
static int dpdk_port_setup(struct dpdk_port *dp, const char *spec, const struct live_opts *opts, unsigned max,
			   char *errbuf)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	uint16_t nb_rxd = DPDK_RX_DESC, nb_txd = 0;
	unsigned nq, q, n_mbufs;
	char pool_name[RTE_MEMPOOL_NAMESIZE], port_name[RTE_DEV_NAME_MAX_LEN + 8];
	bool rss, independent;
	int socket, ret;

	ret = rte_eth_dev_info_get(dp->port_id, &info);
	if (ret < 0) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "dpdk:%s: rte_eth_dev_info_get: %s", dp->devname, rte_strerror(-ret));
		return ret;
	}
	memset(&conf, 0, sizeof(conf));
	rss = info.flow_type_rss_offloads != 0;
	/*
	 * Without RSS a NIC steers everything to queue 0, so its other queues
	 * would sit idle. A vdev's queues are independent inputs instead
	 * (net_pcap: one rx_pcap= file or rx_iface= each; net_ring: one ring
	 * each): every one of them is a source of its own. One worker stays
	 * the default (net_ring0 alone has 16 rings); a queue left out is
	 * traffic nobody captures, so that gets a warning naming the option.
	 */
	independent = !rss && !dp->is_pci && info.max_rx_queues > 1;
	nq = opts->queues ? opts->queues : 1;
	if (nq > max)
		nq = max;
	if (independent && nq < info.max_rx_queues)
		dpdk_note(dp, "dpdk:%s: port has %u independent rx queues, capturing on %u (--workers %u for all)",
			  dp->devname, info.max_rx_queues, nq, info.max_rx_queues);
	if (nq > info.max_rx_queues) {
		dpdk_note(dp, "dpdk:%s: port has %u rx queue%s, using %s", dp->devname, info.max_rx_queues,
			  info.max_rx_queues == 1 ? "" : "s", info.max_rx_queues == 1 ? "it" : "them all");
		nq = info.max_rx_queues;
	}
	if (nq > 1 && !rss && !independent) {
		dpdk_note(dp, "dpdk:%s: port cannot spread flows (no RSS), capturing on one queue", dp->devname);
		nq = 1;
	}
	if (nq > 1 && rss) {
		uint64_t hf = info.flow_type_rss_offloads & (RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP);

		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = hf ? hf : info.flow_type_rss_offloads;
	}
	if (opts->direction == LIVE_DIR_OUT) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "dpdk:%s: a DPDK port sees received packets only", dp->devname);
		return -ENOTSUP;
	}
	snprintf(port_name, sizeof(port_name), "dpdk:%s", dp->devname);
	ret = dpdk_stamp_parse(opts->tstamp_type, opts->dpdk_stamp_burst, info.rx_offload_capa, port_name, &dp->tsmode,
			       errbuf);
	if (ret < 0)
		return ret;
	/* -j adapter: the NIC stamps each packet into the mbuf's timestamp field. */
	if (dp->tsmode == DPDK_TS_ADAPTER || dp->tsmode == DPDK_TS_ADAPTER_UNSYNCED)
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_TIMESTAMP;
	ret = rte_eth_dev_configure(dp->port_id, (uint16_t)nq, 0, &conf);
	if (ret < 0) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "dpdk:%s: rte_eth_dev_configure: %s", dp->devname, rte_strerror(-ret));
		return ret;
	}
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(dp->port_id, &nb_rxd, &nb_txd);
	if (ret < 0) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "dpdk:%s: rte_eth_dev_adjust_nb_rx_tx_desc: %s", dp->devname,
			 rte_strerror(-ret));
		return ret;
	}
	socket = rte_eth_dev_socket_id(dp->port_id);
	if (socket < 0)
		socket = (int)SOCKET_ID_ANY;
	/* Each ring full, each worker holding a burst and a cache, plus what a replayed file pins. */
	n_mbufs = nq * (nb_rxd + 2 * LIVE_MAX_BURST + DPDK_POOL_CACHE) + dpdk_replay_packets(spec);
	snprintf(pool_name, sizeof(pool_name), "td_rx_%u", dp->port_id);
	dp->pool = rte_pktmbuf_pool_create(pool_name, n_mbufs, DPDK_POOL_CACHE, 0, RTE_MBUF_DEFAULT_BUF_SIZE, socket);
	if (!dp->pool) {
		ret = -rte_errno;
		snprintf(errbuf, TD_ERRBUF_SIZE, "dpdk:%s: cannot allocate %u mbufs: %s (give the EAL more memory, -m)",
			 dp->devname, n_mbufs, rte_strerror(rte_errno));
		return ret ? ret : -ENOMEM;
	}
	for (q = 0; q < nq; q++) {
		ret = rte_eth_rx_queue_setup(dp->port_id, (uint16_t)q, nb_rxd, (unsigned)socket, NULL, dp->pool);
		if (ret < 0) {
			snprintf(errbuf, TD_ERRBUF_SIZE, "dpdk:%s: rx queue %u setup: %s", dp->devname, q,
				 rte_strerror(-ret));
			return ret;
		}
	}
	ret = dpdk_port_promisc(dp, opts, errbuf);
	if (ret < 0)
		return ret;
	ret = rte_eth_dev_start(dp->port_id);
	if (ret < 0) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "dpdk:%s: rte_eth_dev_start: %s", dp->devname, rte_strerror(-ret));
		return ret;
	}
	dp->nq = nq;
	/* The clocks are read once the port runs (a NIC's clock may start with it). */
	return dpdk_stamp_init(&dp->stamp, dp->tsmode, dp->port_id, port_name, errbuf);
}

/* Add the log's reason to a setup error ("rte_eth_dev_configure: Invalid argument" alone says little). */
static void dpdk_log_explain(const struct dpdk_log_catch *log, char *errbuf)
{
	size_t len = strlen(errbuf);

	if (log->best[0] && !strstr(errbuf, log->best))
		snprintf(errbuf + len, TD_ERRBUF_SIZE - len, " [%s]", log->best);
}

static struct dpdk_source *dpdk_source_new(struct dpdk_port *dp, unsigned q, const struct live_opts *opts)
{
	struct dpdk_source *ds = aligned_alloc(RTE_CACHE_LINE_SIZE, RTE_ALIGN_CEIL(sizeof(*ds), RTE_CACHE_LINE_SIZE));

	if (!ds)
		return NULL;
	memset(ds, 0, sizeof(*ds));
	source_init(&ds->src, &dpdk_ops);
	if (dp->nq > 1)
		snprintf(ds->src.name, sizeof(ds->src.name), "dpdk:%s:%u", dp->devname, q);
	else
		snprintf(ds->src.name, sizeof(ds->src.name), "dpdk:%s", dp->devname);
	ds->src.linktype = DLT_EN10MB;
	ds->src.numa_node = rte_eth_dev_socket_id(dp->port_id);
	ds->src.snaplen = opts->snaplen ? opts->snaplen : DEFAULT_SNAPLEN;
	ds->src.tsprec = opts->tsprec;
	ds->src.live = true;
	ds->src.rx_held_max = DPDK_RX_DESC;
	ds->port = dp;
	ds->queue = (uint16_t)q;
	ds->stamp = dp->stamp;
	return ds;
}

int dpdk_source_open(const char *spec, const struct live_opts *opts, struct source **srcs, unsigned max, char *errbuf)
{
	struct dpdk_log_catch log;
	struct rte_pci_addr addr;
	struct dpdk_port *dp;
	bool is_pci, eal_was_running = dpdk_eal_running();
	unsigned q, made = 0;
	int ret;

	dp = calloc(1, sizeof(*dp));
	if (!dp) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "dpdk:%s: out of memory", spec);
		return -ENOMEM;
	}
	/* "0000:03:00.0" or "03:00.0" is a PCI port, named by its canonical address; anything else a vdev. */
	is_pci = rte_pci_addr_parse(spec, &addr) == 0;
	dp->is_pci = is_pci;
	dp->promisc_restore = -1;
	dp->debug = opts->dpdk_debug;
	live_opts_init(&dp->warn_to);
	dp->warn_to.warn = opts->warn;
	dp->warn_to.warn_ctx = opts->warn_ctx;
	if (is_pci)
		rte_pci_device_name(&addr, dp->devname, sizeof(dp->devname));
	else
		snprintf(dp->devname, sizeof(dp->devname), "%.*s", (int)strcspn(spec, ","), spec);
	ret = dpdk_eal_init(opts, is_pci ? dp->devname : spec, is_pci, errbuf);
	if (ret < 0)
		goto fail_free;
	/* Driver and ethdev errors come out as one line of ours (dpdk_eal_init catches its own). */
	dpdk_log_catch(&log, opts->dpdk_debug);
	ret = dpdk_find_port(spec, dp->devname, is_pci, dp, &log, errbuf);
	if (ret < 0) {
		dpdk_log_release(&log);
		goto fail_find;
	}
	ret = dpdk_port_setup(dp, spec, opts, max, errbuf);
	dpdk_log_release(&log);
	if (ret < 0) {
		dpdk_log_explain(&log, errbuf);
		goto fail_port;
	}
	if (opts->dpdk_gen) {
		ret = dpdk_gen_start(&dp->gen, dp->devname, dp->nq, opts, rte_eth_dev_socket_id(dp->port_id), errbuf);
		if (ret < 0)
			goto fail_port;
	}
	for (q = 0; q < dp->n_notes; q++)
		live_warn(opts, "%s", dp->notes[q]);
	atomic_init(&dp->refs, dp->nq);
	for (q = 0; q < dp->nq; q++) {
		struct dpdk_source *ds = dpdk_source_new(dp, q, opts);

		if (!ds) {
			snprintf(errbuf, TD_ERRBUF_SIZE, "dpdk:%s: out of memory", dp->devname);
			ret = -ENOMEM;
			goto fail_sources;
		}
		srcs[made++] = &ds->src;
	}
	return (int)made;

fail_sources:
	if (made == 0)
		goto fail_port;
	/* Only the queues made hold a reference; closing the last one tears the port down. */
	atomic_store(&dp->refs, made);
	while (made > 0)
		dpdk_close(srcs[--made]);
	goto fail_eal;
fail_port:
	dpdk_port_teardown(dp);
	goto fail_eal;
fail_find:
	free(dp);
fail_eal:
	if (!eal_was_running)
		dpdk_eal_cleanup();
	return ret;
fail_free:
	free(dp);
	return ret;
}

int dpdk_source_list_tstamp_types(const char *spec, const struct live_opts *opts, FILE *out, char *errbuf)
{
	struct dpdk_log_catch log;
	struct rte_pci_addr addr;
	struct rte_eth_dev_info info;
	struct dpdk_port dp;
	char name[RTE_DEV_NAME_MAX_LEN + 8];
	bool is_pci = rte_pci_addr_parse(spec, &addr) == 0, eal_was_running = dpdk_eal_running();
	int ret;

	memset(&dp, 0, sizeof(dp));
	if (is_pci)
		rte_pci_device_name(&addr, dp.devname, sizeof(dp.devname));
	else
		snprintf(dp.devname, sizeof(dp.devname), "%.*s", (int)strcspn(spec, ","), spec);
	ret = dpdk_eal_init(opts, is_pci ? dp.devname : spec, is_pci, errbuf);
	if (ret < 0)
		return ret;
	dpdk_log_catch(&log, opts->dpdk_debug);
	ret = dpdk_find_port(spec, dp.devname, is_pci, &dp, &log, errbuf);
	dpdk_log_release(&log);
	if (ret == 0) {
		ret = rte_eth_dev_info_get(dp.port_id, &info);
		if (ret < 0)
			snprintf(errbuf, TD_ERRBUF_SIZE, "dpdk:%s: rte_eth_dev_info_get: %s", dp.devname,
				 rte_strerror(-ret));
	}
	if (ret == 0) {
		snprintf(name, sizeof(name), "dpdk:%s", dp.devname);
		dpdk_stamp_list(out, name, info.rx_offload_capa);
	}
	if (dp.hotplugged)
		rte_eal_hotplug_remove("vdev", dp.devname);
	if (!eal_was_running)
		dpdk_eal_cleanup();
	return ret;
}

/* Kernel drivers that hand a PCI function to a user-space (DPDK) driver. */
static bool dpdk_user_driver(const char *drv)
{
	return strcmp(drv, "vfio-pci") == 0 || strcmp(drv, "igb_uio") == 0 || strcmp(drv, "uio_pci_generic") == 0;
}

int dpdk_source_list(FILE *out, unsigned *index, char *errbuf)
{
	char link[512], target[512];
	struct dirent *de;
	DIR *dir;
	uint16_t pid;

	(void)errbuf;
	dir = opendir("/sys/bus/pci/devices");
	if (dir) {
		while ((de = readdir(dir)) != NULL) {
			const char *drv;
			ssize_t len;

			if (de->d_name[0] == '.')
				continue;
			snprintf(link, sizeof(link), "/sys/bus/pci/devices/%s/driver", de->d_name);
			len = readlink(link, target, sizeof(target) - 1);
			if (len <= 0)
				continue;
			target[len] = '\0';
			drv = strrchr(target, '/');
			drv = drv ? drv + 1 : target;
			if (dpdk_user_driver(drv))
				fprintf(out, "%u.dpdk:%s (DPDK port, %s)\n", (*index)++, de->d_name, drv);
		}
		closedir(dir);
	}
	/* Ports the EAL already made (vdevs from --dpdk-args) exist only once it runs. */
	if (dpdk_eal_running()) {
		RTE_ETH_FOREACH_DEV(pid)
		{
			char name[RTE_ETH_NAME_MAX_LEN];

			if (rte_eth_dev_get_name_by_port(pid, name) == 0)
				fprintf(out, "%u.dpdk:%s (DPDK port %u)\n", (*index)++, name, pid);
		}
	}
	return 0;
}
