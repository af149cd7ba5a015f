/* Blocks: a worker packs pcap records (on-disk header + captured bytes) into one, the writer writes them. */
#ifndef TD_BLOCK_H
#define TD_BLOCK_H

#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "packet.h"
#include "ring.h"

/* 1 MiB: large writes for the writer, and still four blocks per MiB of ring memory. */
#define BLOCK_BYTES (1u << 20)

/* pcap's record header, host byte order, exactly as it goes to disk (tcpdump writes host order). */
struct rec_hdr {
	uint32_t ts_sec;
	uint32_t ts_frac;
	uint32_t caplen;
	uint32_t len;
};

struct block {
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
	alignas(CACHE_LINE) uint8_t data[BLOCK_BYTES];
};

static inline bool block_fits(const struct block *b, uint32_t caplen)
{
	return b->used + sizeof(struct rec_hdr) + caplen <= BLOCK_BYTES;
}

static inline void block_append(struct block *b, const struct td_pkt *p)
{
	struct rec_hdr h = {
		.ts_sec = (uint32_t)p->ts_sec,
		.ts_frac = p->ts_frac,
		.caplen = p->caplen,
		.len = p->wirelen,
	};
	b->last = b->used;
	memcpy(b->data + b->used, &h, sizeof(h));
	memcpy(b->data + b->used + sizeof(h), p->data, p->caplen);
	b->used += sizeof(h) + p->caplen;
	b->count++;
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
	b->used = 0;
	b->count = 0;
	b->last = 0;
	b->opened_ns = 0;
	b->sec_hi = 0;
}

#endif
