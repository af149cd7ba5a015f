/* Test driver for live sources: open a -i spec with live_open, count (and optionally save) packets for a bounded time. */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pcap/pcap.h>

#include "io/live.h"

#define MAX_SOURCES 16

struct run {
	atomic_bool stop;
	atomic_ullong packets;
	uint64_t limit;	      /* stop after this many packets, 0 = no limit */
	double seconds;	      /* stop after this long */
	pthread_mutex_t lock; /* serialises the dumper between workers */
	pcap_dumper_t *dumper;
	pcap_t *dead; /* the dumper's handle: closed after it */
};

struct worker {
	pthread_t tid;
	struct run *run;
	struct source *src;
	uint64_t packets, caplen_bytes, wire_bytes, bursts;
	int error;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void save_burst(struct worker *w, const struct td_pkt *pkts, unsigned n)
{
	struct pcap_pkthdr h;
	unsigned i;

	pthread_mutex_lock(&w->run->lock);
	for (i = 0; i < n; i++) {
		h.ts.tv_sec = pkts[i].ts_sec;
		h.ts.tv_usec = (suseconds_t)pkts[i].ts_frac;
		h.caplen = pkts[i].caplen;
		h.len = pkts[i].wirelen;
		pcap_dump((u_char *)w->run->dumper, &h, pkts[i].data);
	}
	pthread_mutex_unlock(&w->run->lock);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct run *run = w->run;
	struct td_pkt pkts[64];
	double deadline = now_s() + run->seconds;
	unsigned i;
	int n;

	if (w->src->ops->thread_init) {
		w->error = w->src->ops->thread_init(w->src);
		if (w->error < 0) {
			fprintf(stderr, "live_count: %s\n", w->src->errbuf);
			return NULL;
		}
	}
	while (!atomic_load_explicit(&run->stop, memory_order_relaxed)) {
		n = source_rx_burst(w->src, pkts, 64);
		if (n < 0) {
			if (n != -ENODATA) {
				fprintf(stderr, "live_count: %s\n", w->src->errbuf);
				w->error = n;
			}
			break;
		}
		if (n == 0) {
			/* Checking the clock only when idle or every 1024 bursts keeps the tight loop tight. */
			if (now_s() > deadline)
				break;
			continue;
		}
		w->bursts++;
		w->packets += (unsigned)n;
		for (i = 0; i < (unsigned)n; i++) {
			w->caplen_bytes += pkts[i].caplen;
			w->wire_bytes += pkts[i].wirelen;
		}
		if (run->dumper)
			save_burst(w, pkts, (unsigned)n);
		if (run->limit && atomic_fetch_add(&run->packets, (unsigned long long)n) + (unsigned)n >= run->limit)
			atomic_store(&run->stop, true);
		if ((w->bursts & 1023) == 0 && now_s() > deadline)
			break;
	}
	atomic_store(&run->stop, true);
	return NULL;
}

static void usage(void)
{
	fprintf(stderr, "usage: live_count [-c count] [-t seconds] [-w file] [-s snaplen] [-p] [-n] [-Q in|out]\n"
			"                  [-q queues] [-d dpdk-args] [-x xdp-mode] [-e expected] [-y dlt] SPEC\n"
			"       live_count -D | -L SPEC\n");
}

static void count_warning(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "live_count: warning: %s\n", msg);
}

int main(int argc, char **argv)
{
	static struct run run;
	struct live_opts opts;
	struct source *srcs[MAX_SOURCES];
	struct worker workers[MAX_SOURCES];
	char errbuf[TD_ERRBUF_SIZE];
	const char *wfile = NULL;
	long long expect = -1;
	uint64_t total = 0, caplen_bytes = 0, wire_bytes = 0;
	double t0, dt;
	int i, n, opt, rc = 0;

	live_opts_init(&opts);
	opts.warn = count_warning;
	run.seconds = 5;
	bool list_devs = false, list_links = false;

	while ((opt = getopt(argc, argv, "c:t:w:s:pnQ:q:d:x:e:y:DL")) != -1) {
		switch (opt) {
		case 'c': run.limit = strtoull(optarg, NULL, 0); break;
		case 't': run.seconds = atof(optarg); break;
		case 'w': wfile = optarg; break;
		case 's': opts.snaplen = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'p': opts.promisc = false; break;
		case 'n': opts.tsprec = TS_NANO; break;
		case 'Q': opts.direction = strcmp(optarg, "in") == 0 ? LIVE_DIR_IN : LIVE_DIR_OUT; break;
		case 'q': opts.queues = (unsigned)atoi(optarg); break;
		case 'd': opts.dpdk_args = optarg; break;
		case 'x': opts.xdp_mode = optarg; break;
		case 'e': expect = atoll(optarg); break;
		case 'y': opts.linktype = pcap_datalink_name_to_val(optarg); break;
		case 'D': list_devs = true; break;
		case 'L': list_links = true; break;
		default: usage(); return 2;
		}
	}
	if (list_devs) {
		if (live_list(stdout, errbuf) < 0) {
			fprintf(stderr, "live_count: %s\n", errbuf);
			return 1;
		}
		return 0;
	}
	if (optind != argc - 1) {
		usage();
		return 2;
	}
	if (list_links) {
		if (live_list_linktypes(argv[optind], &opts, stdout, errbuf) < 0) {
			fprintf(stderr, "live_count: %s\n", errbuf);
			return 1;
		}
		return 0;
	}
	n = live_open(argv[optind], &opts, srcs, MAX_SOURCES, errbuf);
	if (n < 0) {
		fprintf(stderr, "live_count: %s (%s)\n", errbuf, strerror(-n));
		return 1;
	}
	/* errbuf is an error's only: a successful open leaves it empty (its warnings went to count_warning). */
	if (errbuf[0]) {
		fprintf(stderr, "live_count: errbuf not empty after a successful open: %s\n", errbuf);
		rc = 1;
	}
	pthread_mutex_init(&run.lock, NULL);
	if (wfile) {
		pcap_t *dead = pcap_open_dead_with_tstamp_precision(
			srcs[0]->linktype, (int)srcs[0]->snaplen,
			opts.tsprec == TS_NANO ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);

		run.dead = dead;
		run.dumper = dead ? pcap_dump_open(dead, wfile) : NULL;
		if (!run.dumper) {
			fprintf(stderr, "live_count: %s\n", dead ? pcap_geterr(dead) : "out of memory");
			return 1;
		}
	}
	/* Printed before the first burst so a shell test knows when to start sending. */
	printf("ready sources %d linktype %d snaplen %u\n", n, srcs[0]->linktype, srcs[0]->snaplen);
	fflush(stdout);
	t0 = now_s();
	memset(workers, 0, sizeof(workers));
	for (i = 0; i < n; i++) {
		workers[i].run = &run;
		workers[i].src = srcs[i];
		pthread_create(&workers[i].tid, NULL, worker_main, &workers[i]);
	}
	for (i = 0; i < n; i++)
		pthread_join(workers[i].tid, NULL);
	dt = now_s() - t0;
	for (i = 0; i < n; i++) {
		struct source_stats st = { 0 };

		if (srcs[i]->ops->stats && srcs[i]->ops->stats(srcs[i], &st) < 0)
			fprintf(stderr, "live_count: stats: %s\n", srcs[i]->errbuf);
		printf("source %s packets %llu bursts %llu backend received %llu dropped %llu "
		       "if_dropped %llu errors %llu\n",
		       srcs[i]->name, (unsigned long long)workers[i].packets, (unsigned long long)workers[i].bursts,
		       (unsigned long long)st.received, (unsigned long long)st.dropped,
		       (unsigned long long)st.if_dropped, (unsigned long long)st.errors);
		total += workers[i].packets;
		caplen_bytes += workers[i].caplen_bytes;
		wire_bytes += workers[i].wire_bytes;
		if (workers[i].error < 0)
			rc = 1;
		source_close(srcs[i]);
	}
	live_cleanup();
	if (run.dumper)
		pcap_dump_close(run.dumper);
	if (run.dead)
		pcap_close(run.dead);
	printf("packets %llu caplen_bytes %llu wire_bytes %llu seconds %.3f mpps %.2f\n", (unsigned long long)total,
	       (unsigned long long)caplen_bytes, (unsigned long long)wire_bytes, dt,
	       dt > 0 ? (double)total / dt / 1e6 : 0.0);
	if (expect >= 0 && (long long)total != expect) {
		fprintf(stderr, "live_count: expected %lld packets, got %llu\n", expect, (unsigned long long)total);
		rc = 1;
	}
	return rc;
}
