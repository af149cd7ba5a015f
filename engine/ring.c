/* Allocation of the SPSC rings (the burst operations are inline in ring.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/ring.h"

struct ring *ring_create(uint32_t size)
{
	struct ring *r;

	if (size < 2 || (size & (size - 1))) {
		errno = EINVAL;
		return NULL;
	}
	r = aligned_alloc(CACHE_LINE,
			  (sizeof(*r) + size * sizeof(void *) + CACHE_LINE - 1) & ~(size_t)(CACHE_LINE - 1));
	if (!r)
		return NULL;
	memset(r, 0, sizeof(*r));
	r->size = size;
	r->mask = size - 1;
	return r;
}

void ring_free(struct ring *r)
{
	free(r);
}
