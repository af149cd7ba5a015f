/* Compressing a block ahead of the writer: one LZ4 frame block per piece of whole records. */
#include <sched.h>

#include "block_lz4.h"

bool block_lz4_claim(struct block *b)
{
	uint32_t none = ZONE_NONE;

	/* Exactly one of worker and writer wins the block; the loser never touches the zone. */
	return atomic_compare_exchange_strong_explicit(&b->zone_state, &none, ZONE_BUSY, memory_order_acq_rel,
						       memory_order_acquire);
}

void block_lz4_compress(struct block *b, LZ4_stream_t *state, int accel)
{
	uint32_t start = 0;
	size_t out = 0;

	for (uint32_t i = 0; i <= b->npieces; i++) {
		uint32_t end = i < b->npieces ? b->piece_end[i] : b->used;

		out += lz4_frame_blocks(state, b->data + start, end - start, b->zone + out, accel);
		start = end;
	}
	b->zone_len = (uint32_t)out;
	b->zone_accel = accel;
	/* Pairs with the acquire load in block_lz4_zone: the zone is written before it is seen done. */
	atomic_store_explicit(&b->zone_state, ZONE_DONE, memory_order_release);
}

const uint8_t *block_lz4_zone(struct block *b, LZ4_stream_t *state, int accel)
{
	if (block_lz4_claim(b)) {
		block_lz4_compress(b, state, accel);
		return b->zone;
	}
	/* The worker is compressing it: a millisecond at most, and the writer has nothing else to do. */
	while (atomic_load_explicit(&b->zone_state, memory_order_acquire) != ZONE_DONE)
		sched_yield();
	return b->zone;
}
