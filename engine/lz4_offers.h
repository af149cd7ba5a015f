/*
 * Compression on idle cores. A worker whose blocks go out whole as LZ4
 * frame blocks offers each block it publishes on a board; helper threads
 * (--lz4-threads, on the cores no rx worker or writer has) and writers with
 * nothing of their own to write take offers and compress them into the
 * block's zone, so the LZ4 rate grows with the cores a box has to spare.
 *
 * Who compresses a block is settled by its zone state alone (block.h):
 * READY blocks are claimed with one compare-and-swap, by a helper, the
 * block's own worker or its writer, and only the winner touches the zone.
 * A slot may hold a block that has since been written, returned and
 * published again: claiming it then compresses what it holds now, a whole
 * published block, which is just as right. The writer settles a block
 * (block_lz4_settle) before it hands it back, so nobody reads a block its
 * worker is filling again.
 */
#ifndef TD_LZ4_OFFERS_H
#define TD_LZ4_OFFERS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "engine/block.h"
#include "engine/counters.h"
#include "engine/park.h"

/* More than the blocks a writer lets queue before storing them raw (lz4_pace.h): no offer is lost to a full board. */
#define LZ4_OFFER_SLOTS 256

struct lz4_offers {
	_Atomic(struct block *) slot[LZ4_OFFER_SLOTS];
	_Atomic unsigned next; /* where the next offer starts looking */
	struct park park;      /* idle helpers sleep here */
	_Atomic bool done;     /* the writers are done: helpers return */
};

/* A helper thread: compresses offered blocks until the board is done. */
struct lz4_helper {
	struct lz4_offers *board;
	unsigned id;
	int cpu; /* -1: not pinned */
	pthread_t thread;
	bool started;
	counter_t blocks; /* blocks it compressed (the helper alone adds) */
	LZ4_stream_t *lz4;
};

void lz4_offers_init(struct lz4_offers *o);

/* A worker: b (READY, just published) may be compressed by anyone; a full board drops the offer. */
void lz4_offers_put(struct lz4_offers *o, struct block *b);

/* Take one offer that is still unclaimed and compress it. False when there was none. */
bool lz4_offers_help(struct lz4_offers *o, LZ4_stream_t *state);

void *lz4_helper_main(void *arg);

/* The writers are done (or never started): the helpers return, and are joined. */
void lz4_helpers_stop(struct lz4_offers *o, struct lz4_helper *h, unsigned n);

#endif
