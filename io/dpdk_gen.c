/*
 * --dpdk-gen: a paced traffic source inside the process for measuring drops.
 * A thread puts UDP frames (60 bytes by default, any size, or the IMIX)
 * straight into the rings behind a net_ring port's rx queues at a set rate;
 * a frame that finds its ring full is dropped there and counted, as a NIC
 * counts imissed. (Rings shared with another process would need DPDK
 * multi-process, which needs hugepages.)
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_pause.h>
#include <rte_ring.h>

#include "io/dpdk_internal.h"

#define GEN_BURST 32
#define GEN_HEAD 42 /* Ethernet, IPv4, UDP */
/* The IMIX (7:4:1 of 64, 570 and 1518 bytes) as a repeating pattern of 12, the sizes spread through it. */
static const uint16_t imix_pattern[] = { 64, 570, 64, 64, 1518, 64, 570, 64, 64, 570, 64, 570 };
#define IMIX_LEN (sizeof(imix_pattern) / sizeof(imix_pattern[0]))
/*
 * Payloads are the frame's number (32 bits, big-endian), then text cut
 * from words like web traffic's (headers and markup), at an offset that
 * moves from frame to frame: LZ4 then finds repeats within and across
 * frames, not one byte repeated.
 */
#define GEN_TEXT_BYTES (64 * 1024)
/*
 * A generator that fell this far behind its schedule (descheduled) skips
 * ahead rather than catching up in one burst at memory speed, which no
 * wire at the set rate would deliver; the offered rate it reports says so.
 */
#define GEN_MAX_LAG_NS 50000ull
/* A wait longer than this is slept (the kernel wakes about 50 us late), a shorter one spun. */
#define GEN_SLEEP_MIN_US 100
/* Longest sleep between looks at the stop flag. */
#define GEN_SLEEP_SLICE_US 10000
/* mbufs a queue can pin: its ring, a worker's two bursts and a cache, plus the generator's own burst. */
#define GEN_MBUFS_PER_QUEUE 4096
#define GEN_POOL_CACHE 256

struct dpdk_gen {
	struct rte_ring *rings[LIVE_GEN_MAX_QUEUES];
	unsigned nq;
	uint64_t rate; /* frames/s, 0 = as fast as it goes */
	uint64_t count;
	uint16_t sizes[IMIX_LEN];	   /* frame i's size is sizes[i % IMIX_LEN] */
	uint8_t heads[IMIX_LEN][GEN_HEAD]; /* and its headers (the IPv4 and UDP lengths differ by size) */
	uint8_t *text;			   /* GEN_TEXT_BYTES + LIVE_GEN_MAX_SIZE of payload text */
	struct rte_mempool *pool;
	pthread_t thread;
	atomic_bool go;			   /* the first rx worker is up */
	pthread_t rx[LIVE_GEN_MAX_QUEUES]; /* the rx workers, whose cores the generator keeps off */
	atomic_bool have_rx[LIVE_GEN_MAX_QUEUES];
	atomic_bool stop;
	pthread_mutex_t halt_lock;
	bool halted;				       /* the thread is joined (under halt_lock) */
	_Atomic uint64_t offered;		       /* frames made, whether or not their ring took them */
	_Atomic uint64_t dropped[LIVE_GEN_MAX_QUEUES]; /* per ring: frames it had no room for, or held at the end */
	uint64_t start_tsc, end_tsc;
	char name[64];
};

/*
 * The headers of a len-byte frame: broadcast, 10.0.0.1:1000 -> 10.0.0.2:2000
 * (as trafgen's frame in bench-drops), UDP without a checksum.
 */
static void gen_head(uint8_t *f, unsigned len)
{
	static const uint8_t head[GEN_HEAD] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, /* Ethernet */
		0x45, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00,		    /* IPv4 */
		0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02, 0x03, 0xe8, 0x07, 0xd0, 0x00, 0x00,
		0x00, 0x00, /* UDP */
	};
	uint32_t sum = 0;

	memcpy(f, head, sizeof(head));
	f[16] = (uint8_t)((len - 14) >> 8);
	f[17] = (uint8_t)(len - 14);
	f[38] = (uint8_t)((len - 34) >> 8);
	f[39] = (uint8_t)(len - 34);
	for (unsigned i = 14; i < 34; i += 2)
		sum += (uint32_t)f[i] << 8 | f[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	f[24] = (uint8_t)(~sum >> 8);
	f[25] = (uint8_t)~sum;
}

/* Words of HTTP headers and markup, drawn at random: text LZ4 shrinks about as much as web traffic. */
static void gen_text(uint8_t *t, size_t len)
{
	static const char *const words[] = {
		"GET",
		"/index.html",
		"HTTP/1.1",
		"Host:",
		"www.example.com",
		"User-Agent:",
		"Mozilla/5.0",
		"Accept:",
		"text/html",
		"<div",
		"class=\"nav\">",
		"</div>",
		"<a",
		"href=\"/",
		"\">",
		"</a>",
		"<p>",
		"</p>",
		"Content-Length:",
		"200",
		"OK",
		"Cache-Control:",
		"max-age=3600",
		"Set-Cookie:",
		"session=",
		"the",
		"and",
		"of",
		"data",
		"capture",
		"\r\n",
		"<span>",
		"</span>",
		"<li>",
		"</li>",
		"2026-12-05",
	};
	uint64_t x = 0x9e3779b97f4a7c15ull;
	size_t at = 0;

	while (at < len) {
		const char *w;
		size_t n;

		/* xorshift64: a fixed text, the same in every run. */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		w = words[x % (sizeof(words) / sizeof(words[0]))];
		n = strlen(w);
		/* Now and then a number, as in real headers: not every frame repeats the last. */
		if ((x >> 32) % 7 == 0)
			n = (size_t)snprintf((char *)t + at, len - at, "%u", (unsigned)(x >> 40) % 100000);
		else
			memcpy(t + at, w, n < len - at ? n : len - at);
		at += n < len - at ? n : len - at;
		if (at < len)
			t[at++] = ' ';
	}
}

/* The sizes and headers of the pattern, and the payload text. 0 or -ENOMEM. */
static int gen_frames_init(struct dpdk_gen *g, unsigned size)
{
	for (unsigned i = 0; i < IMIX_LEN; i++) {
		g->sizes[i] = (uint16_t)(size == LIVE_GEN_IMIX ? imix_pattern[i] : size);
		gen_head(g->heads[i], g->sizes[i]);
	}
	g->text = malloc(GEN_TEXT_BYTES + LIVE_GEN_MAX_SIZE);
	if (!g->text)
		return -ENOMEM;
	gen_text(g->text, GEN_TEXT_BYTES + LIVE_GEN_MAX_SIZE);
	return 0;
}

/*
 * Traffic from a real wire costs the capture box nothing: keep the generator
 * off the rx workers' cores (it shares the writers' instead), once the
 * placement code has pinned them. Where that leaves no core, it floats.
 */
static void gen_keep_off_rx(struct dpdk_gen *g)
{
	cpu_set_t mine, theirs;

	if (pthread_getaffinity_np(pthread_self(), sizeof(mine), &mine) != 0)
		return;
	for (unsigned q = 0; q < g->nq; q++) {
		if (!atomic_load(&g->have_rx[q]) || pthread_getaffinity_np(g->rx[q], sizeof(theirs), &theirs) != 0)
			continue;
		/* A worker allowed everywhere is not pinned: nothing to keep off. */
		if (CPU_COUNT(&theirs) >= CPU_COUNT(&mine))
			continue;
		for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
			if (CPU_ISSET(cpu, &theirs))
				CPU_CLR(cpu, &mine);
	}
	if (CPU_COUNT(&mine) > 0)
		pthread_setaffinity_np(pthread_self(), sizeof(mine), &mine);
}

static void *gen_main(void *arg)
{
	struct dpdk_gen *g = arg;
	struct rte_mbuf *m[GEN_BURST];
	unsigned slot = 0, text_off = 0;
	uint64_t hz = rte_get_tsc_hz(), made = 0, next, max_lag = hz / (1000000000ull / GEN_MAX_LAG_NS);
	uint64_t sleep_min = hz / (1000000 / GEN_SLEEP_MIN_US);
	double step = g->rate ? (double)hz / (double)g->rate : 0, due = 0;
	/* At most a millisecond of frames a burst: a slow rate sends one frame at a time. */
	unsigned q = 0, burst = g->rate && g->rate < 1000 * GEN_BURST ? (unsigned)(g->rate / 1000) : GEN_BURST;

	if (burst == 0)
		burst = 1;

	rte_thread_register();
	while (!atomic_load(&g->go) && !atomic_load(&g->stop))
		rte_delay_us_sleep(1000);
	/* The workers are pinned right after they start: give that a moment. */
	rte_delay_us_sleep(20000);
	gen_keep_off_rx(g);
	g->start_tsc = next = rte_rdtsc();
	while (!atomic_load_explicit(&g->stop, memory_order_relaxed) && (!g->count || made < g->count)) {
		unsigned n = burst, enq;
		uint64_t now;

		if (g->count && g->count - made < n)
			n = (unsigned)(g->count - made);
		if (step) {
			due += step * n;
			next = g->start_tsc + (uint64_t)due;
			/*
			 * Sleep through long gaps (a slow rate), so the capture threads
			 * have the CPU, in slices short enough to notice a stop; spin
			 * the rest.
			 */
			while ((now = rte_rdtsc()) + sleep_min < next && !atomic_load(&g->stop)) {
				uint64_t us = (next - now - sleep_min / 2) * 1000000 / hz;
				rte_delay_us_sleep((unsigned)(us < GEN_SLEEP_SLICE_US ? us : GEN_SLEEP_SLICE_US));
			}
			while ((now = rte_rdtsc()) < next)
				rte_pause();
			if (now - next > max_lag)
				due = (double)(now - g->start_tsc);
		}
		if (rte_pktmbuf_alloc_bulk(g->pool, m, n) != 0) {
			/* Every mbuf is in a ring or with a worker: the port is full, as a ring would be. */
			atomic_fetch_add_explicit(&g->dropped[q], n, memory_order_relaxed);
		} else {
			for (unsigned i = 0; i < n; i++) {
				uint8_t *f = rte_pktmbuf_mtod(m[i], uint8_t *);
				unsigned len = g->sizes[slot];

				uint64_t seq = made + i;

				memcpy(f, g->heads[slot], GEN_HEAD);
				memcpy(f + GEN_HEAD, g->text + text_off, len - GEN_HEAD);
				/* The frame's number first, as a sequence number: every frame differs, losses show where. */
				f[GEN_HEAD] = (uint8_t)(seq >> 24);
				f[GEN_HEAD + 1] = (uint8_t)(seq >> 16);
				f[GEN_HEAD + 2] = (uint8_t)(seq >> 8);
				f[GEN_HEAD + 3] = (uint8_t)seq;
				m[i]->data_len = (uint16_t)len;
				m[i]->pkt_len = len;
				slot = slot + 1 < IMIX_LEN ? slot + 1 : 0;
				/* A prime step: payloads start all over the text. */
				text_off = (text_off + 997) % GEN_TEXT_BYTES;
			}
			enq = rte_ring_sp_enqueue_burst(g->rings[q], (void **)m, n, NULL);
			if (enq < n) {
				rte_pktmbuf_free_bulk(m + enq, n - enq);
				atomic_fetch_add_explicit(&g->dropped[q], n - enq, memory_order_relaxed);
			}
		}
		made += n;
		atomic_store_explicit(&g->offered, made, memory_order_relaxed);
		q = q + 1 < g->nq ? q + 1 : 0;
	}
	g->end_tsc = rte_rdtsc();
	rte_thread_unregister();
	return NULL;
}

int dpdk_gen_start(struct dpdk_gen **out, const char *devname, unsigned nq, const struct live_opts *opts, int socket,
		   char *errbuf)
{
	struct dpdk_gen *g = calloc(1, sizeof(*g));
	char ring[RTE_RING_NAMESIZE], pool[RTE_MEMPOOL_NAMESIZE];

	*out = NULL;
	if (!g) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "dpdk:%s: out of memory", devname);
		return -ENOMEM;
	}
	if (nq > LIVE_GEN_MAX_QUEUES)
		nq = LIVE_GEN_MAX_QUEUES;
	g->nq = nq;
	g->rate = opts->dpdk_gen_rate;
	g->count = opts->dpdk_gen_count;
	if (gen_frames_init(g, opts->dpdk_gen_size) < 0) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "dpdk:%s: out of memory", devname);
		free(g);
		return -ENOMEM;
	}
	snprintf(g->name, sizeof(g->name), "%s", devname);
	for (unsigned q = 0; q < nq; q++) {
		/* The names net_ring gives the rings it creates for a vdev without arguments (rte_eth_ring.c). */
		snprintf(ring, sizeof(ring), "ETH_RXTX%u_%s", q, devname);
		g->rings[q] = rte_ring_lookup(ring);
		if (!g->rings[q]) {
			snprintf(errbuf, TD_ERRBUF_SIZE, "dpdk:%s: --dpdk-gen feeds a net_ring port (no ring %s)",
				 devname, ring);
			free(g->text);
			free(g);
			return -EINVAL;
		}
	}
	snprintf(pool, sizeof(pool), "td_gen_%.20s", devname);
	g->pool = rte_pktmbuf_pool_create(pool, nq * GEN_MBUFS_PER_QUEUE, GEN_POOL_CACHE, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					  socket);
	if (!g->pool) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "dpdk:%s: cannot allocate the generator's mbufs: %s", devname,
			 rte_strerror(rte_errno));
		free(g->text);
		free(g);
		return -ENOMEM;
	}
	pthread_mutex_init(&g->halt_lock, NULL);
	atomic_init(&g->go, false);
	atomic_init(&g->stop, false);
	if (pthread_create(&g->thread, NULL, gen_main, g) != 0) {
		snprintf(errbuf, TD_ERRBUF_SIZE, "dpdk:%s: cannot start the generator thread", devname);
		pthread_mutex_destroy(&g->halt_lock);
		rte_mempool_free(g->pool);
		free(g->text);
		free(g);
		return -EAGAIN;
	}
	pthread_setname_np(g->thread, "td-gen");
	*out = g;
	return 0;
}

/* Stop the thread once (the first caller joins it; the others wait for that under the lock). */
static void gen_halt(struct dpdk_gen *g)
{
	pthread_mutex_lock(&g->halt_lock);
	if (!g->halted) {
		atomic_store(&g->stop, true);
		pthread_join(g->thread, NULL);
		g->halted = true;
	}
	pthread_mutex_unlock(&g->halt_lock);
}

/* Empty one ring (its worker is the only other consumer, and it is done): what was in it was never captured. */
static void gen_drain(struct dpdk_gen *g, unsigned q)
{
	void *m[GEN_BURST];
	unsigned n;

	while ((n = rte_ring_sc_dequeue_burst(g->rings[q], m, GEN_BURST, NULL)) > 0) {
		rte_pktmbuf_free_bulk((struct rte_mbuf **)m, n);
		atomic_fetch_add_explicit(&g->dropped[q], n, memory_order_relaxed);
	}
}

void dpdk_gen_finish_queue(struct dpdk_gen *g, unsigned queue)
{
	gen_halt(g);
	if (queue < g->nq)
		gen_drain(g, queue);
}

void dpdk_gen_rx_ready(struct dpdk_gen *g, unsigned queue)
{
	if (queue < LIVE_GEN_MAX_QUEUES) {
		g->rx[queue] = pthread_self();
		atomic_store(&g->have_rx[queue], true);
	}
	if (queue == 0)
		atomic_store(&g->go, true);
}

uint64_t dpdk_gen_dropped(const struct dpdk_gen *g, unsigned queue)
{
	return queue < g->nq ? atomic_load_explicit(&g->dropped[queue], memory_order_relaxed) : 0;
}

void dpdk_gen_stop(struct dpdk_gen *g)
{
	uint64_t offered, dropped;
	double secs;

	/* Queues whose worker never ran still hold frames: drained here, after the thread is gone. */
	gen_halt(g);
	for (unsigned q = 0; q < g->nq; q++)
		gen_drain(g, q);
	offered = atomic_load(&g->offered);
	dropped = 0;
	for (unsigned q = 0; q < g->nq; q++)
		dropped += atomic_load(&g->dropped[q]);
	secs = g->end_tsc > g->start_tsc ? (double)(g->end_tsc - g->start_tsc) / (double)rte_get_tsc_hz() : 0;
	fprintf(stderr, "dpdk:%s: generator offered %llu frames in %.3f s (%.0f pps), %llu dropped at the port\n",
		g->name, (unsigned long long)offered, secs, secs > 0 ? (double)offered / secs : 0,
		(unsigned long long)dropped);
	pthread_mutex_destroy(&g->halt_lock);
	rte_mempool_free(g->pool);
	free(g->text);
	free(g);
}
