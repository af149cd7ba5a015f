/* The running engine: rx workers feeding writers through channels, and the state they share. */
#ifndef TD_ENGINE_H
#define TD_ENGINE_H

#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "io/archive_source.h"
#include "engine/channel.h"
#include "engine/clock.h"
#include "engine/config.h"
#include "engine/counters.h"
#include "common/errbuf.h"
#include "filters/filter.h"
#include "writers/hook.h"
#include "engine/lz4_offers.h"
#include "engine/lz4_pace.h"
#include "engine/park.h"
#include "engine/print_tap.h"
#include "writers/print/print.h"
#include "writers/series.h"
#include "io/source.h"

#define RX_BURST 64

struct engine;

struct worker {
	alignas(CACHE_LINE) struct worker_counters ctr;
	alignas(CACHE_LINE) struct engine *eng;
	struct source *src;
	const struct filter *filter;
	uint32_t snaplen;
	uint64_t count_limit; /* -c: no worker ever needs more accepted packets than this */
	struct channel ch;
	struct block *cur;
	struct park park;	  /* woken when the writer returns a block */
	struct park *writer_park; /* the writer's, woken on every publish */
	int lz4_ahead; /* LZ4 output of whole blocks: compress ahead of the writer when it is behind; 0 off */
	const _Atomic int *lz4_accel_now; /* the writer's acceleration now (lz4_pace.h), for blocks compressed ahead */
	struct lz4_offers *offers;	  /* where its lz4_ahead blocks are offered to idle cores; NULL none */
	bool helped;			  /* helper threads take the offers */
	unsigned id;
	unsigned iface; /* the interface (engine.ifaces) its source is a queue of */
	int cpu;	/* -1: not pinned */
	pthread_t thread;
	bool started;
	int error; /* 0, or -errno from the source (message in errbuf) */
	char errbuf[TD_ERRBUF_SIZE];
	/* The backend's own counters as last read by the worker (about twice a second, and at the end). */
	struct backend_counters backend;
	LZ4_stream_t *lz4; /* build.c makes one per thread */
};

struct writer {
	alignas(CACHE_LINE) struct writer_counters ctr;
	alignas(CACHE_LINE) struct engine *eng;
	struct worker **inputs;
	unsigned ninputs;
	struct park park;	 /* woken by the workers' publishes */
	struct series *series;	 /* recording, or */
	struct printer *printer; /* printing every packet (no -w) */
	struct print_tap *tap;	 /* --print beside -w (writer 0 only: the tap has one producer) */
	uint64_t count_limit;
	uint64_t emitted; /* records handed to the output (-c counts these) */
	unsigned id;
	int cpu;
	pthread_t thread;
	bool started;
	_Atomic bool done; /* set just before the thread returns (and SIGUSR2 wakes the main thread) */
	int error;
	char errbuf[TD_ERRBUF_SIZE];
	uint64_t drops_at_open; /* drops counted when the current file was opened */
	int lz4_accel;		/* LZ4 output: whole blocks go out compressed as blocks (block_lz4.c); 0 otherwise */
	/*
	 * Live LZ4 output: the acceleration follows the backlog (lz4_pace.h).
	 * Written by the writer, read (relaxed: any recent value will do) by
	 * its workers compressing ahead.
	 */
	bool paced;
	struct lz4_pace pace;
	_Atomic int lz4_accel_now;
	/* Time in writes and syncs (the sinks add to it), and the share of the last window it took. */
	uint64_t io_ns;
	uint64_t io_window_start_ns, io_at_window_start;
	bool disk_bound;
	/* SIGHUP (writer.c): the last rotate_req taken; a rotation pending at this record time until the deadline. */
	unsigned rotate_seen;
	bool rotate_pending;
	uint32_t rotate_sec, rotate_frac;
	uint64_t rotate_deadline_ns;
	LZ4_stream_t *lz4;
};

/* One capture interface (-i, repeatable; the -r inputs count as one, unnamed): its queues are workers. */
struct iface {
	const char *name;      /* as -i gave it; NULL for -r input */
	int linktype;	       /* DLT_* */
	uint32_t linktype_ext; /* the pcap link-type field's FCS-length bits */
	uint32_t snaplen;
	struct filter *filter; /* compiled for this link type and snaplen */
};

struct engine {
	const struct td_config *cfg;
	pthread_t main_thread; /* woken with SIGUSR2 when a writer is done */
	_Atomic bool stop;     /* signal, -c, --duration or an error: workers stop reading */
	int stop_fd;	       /* eventfd, readable once stop is set: ends live sources' waits (source.h) */
	/* Bumped per SIGHUP on a live capture into files: each writer rotates once (run.c). */
	_Atomic unsigned rotate_req;
	bool live;
	struct worker *workers;
	unsigned nworkers;
	struct writer *writers;
	unsigned nwriters;
	struct hooks *hooks;
	struct iface ifaces[MAX_INTERFACES];
	unsigned nifaces;
	int linktype;	  /* interface 0's: pcap output, printing (all interfaces then share it) */
	uint32_t snaplen; /* the largest of the interfaces' */
	struct print_tap tap;
	pthread_mutex_t report_lock; /* --stats-file lines from several writers */
	/* Test only (TAPDUMP_TEST_LZ4_DELAY_US): the writer sleeps this long after each run it compresses. */
	unsigned test_lz4_delay_us;
	FILE *stats_out;
	struct main_counters ctr; /* the main thread's own (counters.def) */
	/* -r of an archive (a directory, --since/--until): what was read, and what its index says was lost there. */
	bool archive_on;
	struct archive_report archive;
	/* LZ4 output of whole blocks: the blocks offered to idle cores, and the helper threads that take them. */
	struct lz4_offers *offers;
	struct lz4_helper *helpers;
	unsigned nhelpers;
};

void *worker_main(void *arg);
void *writer_main(void *arg);

static inline bool engine_stopping(const struct engine *eng)
{
	return atomic_load_explicit(&((struct engine *)eng)->stop, memory_order_acquire);
}

/* Ask every thread to wind down (signal, -c, --duration, -W, an error) and wake the parked ones. */
void engine_request_stop(struct engine *eng);

/* SIGHUP: has a rotation been asked for since this writer's last one? Pairs with the release in run.c. */
static inline bool engine_rotate_requested(struct engine *eng, unsigned *seen)
{
	unsigned req = atomic_load_explicit(&eng->rotate_req, memory_order_acquire);

	if (req == *seen)
		return false;
	*seen = req;
	return true;
}

#endif
