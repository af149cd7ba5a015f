/* Compressing a block ahead of the writer: one LZ4 frame block per piece of whole records. */
#include <sched.h>

#include "engine/block_lz4.h"

void block_lz4_ready(struct block *b, const _Atomic int *accel_now)
{
	b->accel_now = accel_now;
	/* Pairs with the acquire in the claims: the block's records and accel_now are seen with READY. */
	atomic_store_explicit(&b->zone_state, ZONE_READY, memory_order_release);
}

static bool claim_from(struct block *b, uint32_t from)
{
	return atomic_compare_exchange_strong_explicit(&b->zone_state, &from, ZONE_BUSY, memory_order_acq_rel,
						       memory_order_acquire);
}

bool block_lz4_claim(struct block *b)
{
	/* Exactly one thread wins the block; the others never touch the zone. */
	return claim_from(b, ZONE_READY);
}

int block_lz4_accel(const struct block *b)
{
	return atomic_load_explicit(b->accel_now, memory_order_relaxed);
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

/* Until whoever is compressing b is done: a millisecond at most. */
static void wait_done(struct block *b)
{
	while (atomic_load_explicit(&b->zone_state, memory_order_acquire) == ZONE_BUSY)
		sched_yield();
}

const uint8_t *block_lz4_zone(struct block *b, LZ4_stream_t *state, int accel)
{
	/* A block published for the writer alone (NONE) is the writer's without a race. */
	if (claim_from(b, ZONE_READY) || claim_from(b, ZONE_NONE)) {
		block_lz4_compress(b, state, accel);
		return b->zone;
	}
	wait_done(b);
	return b->zone;
}

void block_lz4_settle(struct block *b)
{
	uint32_t ready = ZONE_READY;

	/* Unclaimed: withdrawn, so a helper holding a stale offer of it fails its claim. */
	if (atomic_compare_exchange_strong_explicit(&b->zone_state, &ready, ZONE_NONE, memory_order_acq_rel,
						    memory_order_acquire))
		return;
	wait_done(b);
}
