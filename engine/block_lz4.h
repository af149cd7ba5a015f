/*
 * Compressing a block for an LZ4 output, by whichever thread gets to it
 * first: its rx worker when the writer is behind (the work then spreads
 * over both cores), otherwise the writer itself.
 */
#ifndef TD_BLOCK_LZ4_H
#define TD_BLOCK_LZ4_H

#include "block.h"

/* Worker: take the block for compressing; false when the writer already has it. */
bool block_lz4_claim(struct block *b);

/* Compress a claimed block into its zone, then publish it as done. */
void block_lz4_compress(struct block *b, LZ4_stream_t *state, int accel);

/* Writer: the block's zone, compressed by the worker, or now by the writer; waits while the worker is at it. */
const uint8_t *block_lz4_zone(struct block *b, LZ4_stream_t *state, int accel);

#endif
