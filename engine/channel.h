/* The link from one rx worker to its writer: a pool of blocks cycling through two SPSC rings. */
#ifndef TD_CHANNEL_H
#define TD_CHANNEL_H

#include <stdatomic.h>
#include <stdbool.h>

#include "engine/block.h"
#include "engine/ring.h"

struct channel {
	struct ring *full;  /* worker -> writer: blocks to write, in the worker's time order */
	struct ring *empty; /* writer -> worker: blocks to refill */
	struct block *blocks;
	unsigned nblocks;
	/* Set (release) by the worker after its last enqueue; the writer reads it (acquire) once the ring is empty. */
	_Atomic bool done;
};

/* nblocks a power of two; returns 0 or -errno. */
int channel_init(struct channel *ch, unsigned nblocks);
void channel_destroy(struct channel *ch);

#endif
