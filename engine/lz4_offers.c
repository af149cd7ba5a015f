/* The board of blocks waiting for compression, and the helper threads that take them (lz4_offers.h). */
#include "engine/block_lz4.h"
#include "engine/lz4_offers.h"

void lz4_offers_init(struct lz4_offers *o)
{
	for (unsigned i = 0; i < LZ4_OFFER_SLOTS; i++)
		atomic_init(&o->slot[i], NULL);
	atomic_init(&o->next, 0);
	atomic_init(&o->park.seq, 0);
	atomic_init(&o->park.waiters, 0);
	atomic_init(&o->done, false);
}

void lz4_offers_put(struct lz4_offers *o, struct block *b)
{
	unsigned start = atomic_fetch_add_explicit(&o->next, 1, memory_order_relaxed);

	for (unsigned i = 0; i < LZ4_OFFER_SLOTS; i++) {
		struct block *none = NULL;

		if (atomic_compare_exchange_strong(&o->slot[(start + i) % LZ4_OFFER_SLOTS], &none, b)) {
			park_wake(&o->park);
			return;
		}
	}
	/* Full: the block's own worker or writer compresses it, as without helpers. */
}

bool lz4_offers_help(struct lz4_offers *o, LZ4_stream_t *state)
{
	for (unsigned i = 0; i < LZ4_OFFER_SLOTS; i++) {
		struct block *b;

		if (!atomic_load_explicit(&o->slot[i], memory_order_relaxed))
			continue;
		b = atomic_exchange(&o->slot[i], NULL);
		if (b && block_lz4_claim(b)) {
			block_lz4_compress(b, state, block_lz4_accel(b));
			return true;
		}
	}
	return false;
}

void *lz4_helper_main(void *arg)
{
	struct lz4_helper *h = arg;
	struct lz4_offers *o = h->board;

	for (;;) {
		uint32_t seen = park_seq(&o->park);

		if (lz4_offers_help(o, h->lz4)) {
			counter_add(&h->blocks, 1);
			continue;
		}
		if (atomic_load_explicit(&o->done, memory_order_acquire))
			break;
		/* Every offer wakes the board; the timeout only bounds a missed wake-up. */
		park_wait(&o->park, seen, 100 * 1000 * 1000L);
	}
	return NULL;
}

void lz4_helpers_stop(struct lz4_offers *o, struct lz4_helper *h, unsigned n)
{
	if (!o)
		return;
	atomic_store_explicit(&o->done, true, memory_order_release);
	park_wake(&o->park);
	for (unsigned i = 0; i < n; i++) {
		if (h[i].started)
			pthread_join(h[i].thread, NULL);
		h[i].started = false;
	}
}
