/*
 * Blocks: a worker packs pcap records (record.h) into one, the writer writes
 * them. A record larger than a block (DBUS, USB and EBHSCR captures allow
 * records of many MiB) travels alone in a block whose bytes live in a
 * buffer of their own, sized for it: allocated by the worker that packs it,
 * freed by whoever hands the block back to the empty ring.
 */
#ifndef TD_BLOCK_H
#define TD_BLOCK_H

#include <errno.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <stdlib.h>

#include "writers/lz4_frame.h"
#include "io/packet.h"
#include "writers/record.h"
#include "engine/ring.h"

/* 1 MiB: large writes for the writer, and still four blocks per MiB of ring memory. */
#define BLOCK_BYTES (1u << 20)

/*
 * LZ4 output: a block is cut into pieces of whole records of at most one
 * LZ4 frame block each, so it can be compressed ahead of the writer (see
 * block_lz4.c). A piece ends only when the next record does not fit, so two
 * neighbours hold more than LZ4_FRAME_BLOCK: at most 8 pieces a block. A
 * record longer than LZ4_FRAME_BLOCK (snaplen 262144) is a piece of its own,
 * split into two frame blocks: the zone has room for two frame blocks'
 * size words and checksums a piece.
 */
#define BLOCK_PIECES (2 * BLOCK_BYTES / LZ4_FRAME_BLOCK)
#define BLOCK_ZONE_BYTES (BLOCK_BYTES + 2 * (LZ4_FRAME_BLOCK_BOUND(0)) * BLOCK_PIECES)

/*
 * Who compresses a block (block_lz4.h): NONE while it fills, or published
 * for its writer alone; READY published for anyone to compress (its
 * worker, a helper, its writer: whoever claims it first); BUSY being
 * compressed; DONE.
 */
enum { ZONE_NONE, ZONE_READY, ZONE_BUSY, ZONE_DONE };

struct block {
	uint8_t *data;	    /* room, or an oversized record's own buffer */
	uint32_t cap;	    /* bytes data can hold: BLOCK_BYTES, or the oversized record's size */
	uint32_t used;	    /* bytes of records */
	uint32_t count;	    /* records */
	uint32_t last;	    /* offset of the last record: the writer reads its time stamp without a walk */
	uint64_t opened_ns; /* CLOCK_MONOTONIC when the first record went in (live flush) */
	/*
	 * pcap records hold 32 bits of seconds; the printer needs all 64 (pcapng
	 * years past 2106, negative times). Every record of a block shares these
	 * upper bits: a packet with others starts a new block.
	 */
	uint32_t sec_hi;
	/*
	 * The producing worker's drop totals when it published this block: the
	 * difference from its previous block is what was lost while this one
	 * filled, so files and the archive index say where a loss happened.
	 */
	uint64_t ring_drops;
	uint64_t backend_drops;
	uint32_t npieces;		  /* pieces closed so far; the last one runs to `used` */
	uint32_t piece_end[BLOCK_PIECES]; /* where each closed piece ends */
	_Atomic uint32_t zone_state;
	uint32_t zone_len;
	const _Atomic int *accel_now; /* READY: the acceleration its writer wants now (lz4_pace.h) */
	int zone_accel;		      /* the acceleration the zone was made at (LZ4_FRAME_STORE: stored) */
	alignas(CACHE_LINE) uint8_t room[BLOCK_BYTES];
	/* The compressed form (LZ4 output only; untouched, it costs no memory). */
	alignas(CACHE_LINE) uint8_t zone[BLOCK_ZONE_BYTES];
};

/* Before a block's first use (its pool may be fresh, unzeroed memory). */
static inline void block_init(struct block *b)
{
	b->data = b->room;
	b->cap = BLOCK_BYTES;
}

static inline bool block_oversized(const struct block *b)
{
	return b->data != b->room;
}

/* Whether a record of caplen bytes fits what is left (64-bit sums: caplen may be near 4 GiB in a hostile file). */
static inline bool block_fits(const struct block *b, uint32_t caplen)
{
	return (uint64_t)b->used + REC_HDR_BYTES + caplen <= b->cap;
}

/* A record no block holds: it needs an oversized block of its own. */
static inline bool record_oversized(uint32_t caplen)
{
	return (uint64_t)REC_HDR_BYTES + caplen > BLOCK_BYTES;
}

/*
 * Give an empty block a buffer of its own for one record of caplen bytes.
 * Returns 0, or -ENOMEM (the caller counts the packet as dropped).
 */
static inline int block_make_oversized(struct block *b, uint32_t caplen)
{
	size_t need = (size_t)REC_HDR_BYTES + caplen;
	uint8_t *buf = malloc(need);

	if (!buf)
		return -ENOMEM;
	b->data = buf;
	b->cap = (uint32_t)need;
	return 0;
}

/* Back to the block's own room; the consumer calls it before handing the block back. */
static inline void block_release_oversized(struct block *b)
{
	if (block_oversized(b)) {
		free(b->data);
		block_init(b);
	}
}

/* How far ahead of the copy block_note asks for the room's lines (2-16 KiB measured alike; 1 KiB no better than none). */
#define BLOCK_PREFETCH_AHEAD 4096u

/* The record header block_append writes for p. */
static inline struct rec_hdr block_rec_hdr(const struct td_pkt *p)
{
	return (struct rec_hdr){
		.ts_sec = (uint32_t)p->ts_sec,
		.ts_frac = p->ts_frac,
		.caplen = p->caplen,
		.len = p->wirelen,
	};
}

/*
 * Count a record of rec_len bytes (header included) in at b->used: the
 * pieces, the last record, the sizes. Its bytes are the caller's to put
 * there (block_append; the worker's run copy).
 */
static inline void block_note(struct block *b, uint32_t rec_len)
{
	uint32_t start = b->npieces ? b->piece_end[b->npieces - 1] : 0;

	if (b->used + rec_len - start > LZ4_FRAME_BLOCK && b->used > start)
		b->piece_end[b->npieces++] = b->used;
	b->last = b->used;
	b->used += rec_len;
	b->count++;
	/*
	 * The room was last read by the writer, on the other core: asking for
	 * the lines a few records ahead, for writing, hides the ownership
	 * transfer behind the copy (the copy's stores were most of its cost:
	 * 17% of a replay's samples, 12% with this). A prefetch never faults,
	 * past the room's end included.
	 */
	for (uint32_t o = 0; o < rec_len; o += CACHE_LINE)
		__builtin_prefetch(b->data + b->used + BLOCK_PREFETCH_AHEAD + o, 1, 3);
}

static inline void block_append(struct block *b, const struct td_pkt *p)
{
	struct rec_hdr h = block_rec_hdr(p);
	uint8_t *at = b->data + b->used;

	memcpy(at, &h, sizeof(h));
	memcpy(at + sizeof(h), p->data, p->caplen);
	block_note(b, (uint32_t)sizeof(h) + p->caplen);
}

static inline uint32_t ts_sec_hi(int64_t sec)
{
	return (uint32_t)((uint64_t)sec >> 32);
}

static inline int64_t ts_sec_join(uint32_t hi, uint32_t lo)
{
	return (int64_t)(((uint64_t)hi << 32) | lo);
}

static inline void block_reset(struct block *b)
{
	block_release_oversized(b);
	b->used = 0;
	b->count = 0;
	b->last = 0;
	b->opened_ns = 0;
	b->sec_hi = 0;
	b->npieces = 0;
	b->zone_len = 0;
	atomic_store_explicit(&b->zone_state, ZONE_NONE, memory_order_relaxed);
}

#endif
