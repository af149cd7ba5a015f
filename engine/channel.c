/* Setting up and tearing down a worker-to-writer channel. */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "engine/channel.h"

int channel_init(struct channel *ch, unsigned nblocks)
{
	size_t bytes = (size_t)nblocks * sizeof(struct block);

	ch->full = ring_create(nblocks);
	ch->empty = ring_create(nblocks);
	if (!ch->full || !ch->empty)
		goto fail;
	/* mmap rather than malloc: untouched blocks cost no memory, and the pool is page aligned. */
	ch->blocks = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ch->blocks == MAP_FAILED) {
		ch->blocks = NULL;
		goto fail;
	}
	ch->nblocks = nblocks;
	for (unsigned i = 0; i < nblocks; i++) {
		void *b = &ch->blocks[i];

		block_init(&ch->blocks[i]);
		ring_enqueue_burst(ch->empty, &b, 1);
	}
	atomic_init(&ch->done, false);
	return 0;
fail:
	channel_destroy(ch);
	return -ENOMEM;
}

void channel_destroy(struct channel *ch)
{
	ring_free(ch->full);
	ring_free(ch->empty);
	/* A run that ended on an error may leave oversized records in blocks nobody handed back. */
	for (unsigned i = 0; ch->blocks && i < ch->nblocks; i++)
		block_release_oversized(&ch->blocks[i]);
	if (ch->blocks)
		munmap(ch->blocks, (size_t)ch->nblocks * sizeof(struct block));
	ch->full = ch->empty = NULL;
	ch->blocks = NULL;
}
