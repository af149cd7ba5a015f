/* Per-thread 64-bit counters: one writer thread each, read by anyone, no locked instructions. */
#ifndef TD_COUNTERS_H
#define TD_COUNTERS_H

#include <stdatomic.h>
#include <stdint.h>

typedef _Atomic uint64_t counter_t;

/* Only the owning thread adds, so a relaxed load and store (no lock prefix) is exact. */
static inline void counter_add(counter_t *c, uint64_t n)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + n, memory_order_relaxed);
}

/* A gauge: the owning thread replaces the value. */
static inline void counter_set(counter_t *c, uint64_t v)
{
	atomic_store_explicit(c, v, memory_order_relaxed);
}

static inline uint64_t counter_get(const counter_t *c)
{
	return atomic_load_explicit((counter_t *)c, memory_order_relaxed);
}

/*
 * What a worker saw: received = rejected + accepted + beyond_count;
 * accepted = queued + ring_dropped.
 */
struct worker_counters {
	counter_t received;
	counter_t received_bytes;
	counter_t rejected;
	counter_t accepted;
	counter_t ring_dropped;
	counter_t queued;	  /* records placed in blocks for the writer */
	counter_t beyond_count;	  /* matched after -c was already satisfied */
	counter_t sample_skipped; /* printer samples the lossy ring had no room for */
};

/* --disk-budget / --min-free: what one writer's series deleted, and what it keeps. */
struct retention_counters {
	counter_t files_deleted;
	counter_t bytes_deleted;
	counter_t series_bytes; /* gauge: the series' files on disk, the open one included */
	counter_t oldest_ns;	/* gauge: first packet of the oldest file kept, ns since the epoch; 0 none */
	counter_t disk_full;	/* writes that found the disk full and went on once old files were deleted */
};

/* LZ4 output, per writer: what compression kept, and what the backlog made it give up (lz4_pace.h). */
struct lz4_counters {
	counter_t in_bytes;	  /* bytes given to the frame blocks */
	counter_t out_bytes;	  /* the blocks as written (headers included) */
	counter_t blocks;	  /* frame blocks written */
	counter_t blocks_stored;  /* of those, stored uncompressed (backlog, or LZ4 could not shrink them) */
	counter_t accel;	  /* gauge: acceleration now; 0 = storing blocks uncompressed */
	counter_t degraded_ns;	  /* time spent above --lz4-accel for the backlog, episodes ended so far */
	counter_t degraded_times; /* episodes begun */
};

/* What a writer did with the records queued to it: queued = written + lost + beyond_count. */
struct writer_counters {
	counter_t written;	 /* records safely handed to the kernel */
	counter_t written_bytes; /* pcap bytes (uncompressed) */
	counter_t disk_bytes;	 /* bytes on disk, compressed where compressing */
	counter_t lost;		 /* records that failed to write (ENOSPC, EIO) */
	counter_t beyond_count;	 /* records not written because -c was reached */
	counter_t files;
	counter_t hook_failures;
	struct retention_counters retention;
	struct lz4_counters lz4;
};

#endif
