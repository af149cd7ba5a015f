/*
 * Compressing a block for an LZ4 output, by whichever thread gets to it
 * first: a helper on an idle core (lz4_offers.h), its rx worker when the
 * writer is behind, otherwise the writer itself.
 */
#ifndef TD_BLOCK_LZ4_H
#define TD_BLOCK_LZ4_H

#include "engine/block.h"

/* Worker, before it publishes b: anyone may compress it, at the acceleration *accel_now says then. */
void block_lz4_ready(struct block *b, const _Atomic int *accel_now);

/* Take a READY block for compressing; false when another thread has it (or it is not READY). */
bool block_lz4_claim(struct block *b);

/* The acceleration a claimed READY block is to be compressed at. */
int block_lz4_accel(const struct block *b);

/* Compress a claimed block into its zone, then publish it as done. */
void block_lz4_compress(struct block *b, LZ4_stream_t *state, int accel);

/* Writer: the block's zone, compressed by another thread, or now by the writer; waits while one is at it. */
const uint8_t *block_lz4_zone(struct block *b, LZ4_stream_t *state, int accel);

/* Writer, before it hands b back: nobody starts on it any more, and whoever had started has finished. */
void block_lz4_settle(struct block *b);

#endif
