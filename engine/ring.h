/* Single-producer single-consumer ring of pointers with free-running 32-bit indexes. */
#ifndef TD_RING_H
#define TD_RING_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>

#define CACHE_LINE 64

/*
 * The producer owns `head` and its cached copy of `tail`; the consumer owns
 * `tail` and its cached copy of `head`. Each side reloads the other's index
 * (acquire) only when its cached copy says full/empty, so the common path
 * touches no shared line but its own (the idiom of libxdp's xsk rings).
 */
struct ring {
	alignas(CACHE_LINE) _Atomic uint32_t head; /* next slot the producer fills */
	uint32_t cached_tail;
	alignas(CACHE_LINE) _Atomic uint32_t tail; /* next slot the consumer takes */
	uint32_t cached_head;
	alignas(CACHE_LINE) uint32_t size; /* power of two */
	uint32_t mask;
	void *slots[];
};

/* size must be a power of two; returns NULL and sets errno otherwise. */
struct ring *ring_create(uint32_t size);
void ring_free(struct ring *r);

/* Producer side: store up to n objects, return how many fit. */
static inline unsigned ring_enqueue_burst(struct ring *r, void *const *objs, unsigned n)
{
	uint32_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
	uint32_t room = r->size - (head - r->cached_tail);

	if (room < n) {
		/* Pairs with the release store of tail in ring_dequeue_burst: slots it freed are ours. */
		r->cached_tail = atomic_load_explicit(&r->tail, memory_order_acquire);
		room = r->size - (head - r->cached_tail);
		if (n > room)
			n = room;
	}
	for (unsigned i = 0; i < n; i++)
		r->slots[(head + i) & r->mask] = objs[i];
	/* Pairs with the acquire load of head in ring_dequeue_burst: the slots are written before they are seen. */
	atomic_store_explicit(&r->head, head + n, memory_order_release);
	return n;
}

/* Consumer side: take up to n objects, return how many there were. */
static inline unsigned ring_dequeue_burst(struct ring *r, void **objs, unsigned n)
{
	uint32_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	uint32_t avail = r->cached_head - tail;

	if (avail < n) {
		/* Pairs with the release store of head in ring_enqueue_burst. */
		r->cached_head = atomic_load_explicit(&r->head, memory_order_acquire);
		avail = r->cached_head - tail;
		if (n > avail)
			n = avail;
	}
	for (unsigned i = 0; i < n; i++)
		objs[i] = r->slots[(tail + i) & r->mask];
	/* Pairs with the acquire load of tail in ring_enqueue_burst: we are done reading these slots. */
	atomic_store_explicit(&r->tail, tail + n, memory_order_release);
	return n;
}

/* Consumer side: is anything there right now (acquire, like a dequeue would)? */
static inline int ring_empty(struct ring *r)
{
	return atomic_load_explicit(&r->head, memory_order_acquire) ==
	       atomic_load_explicit(&r->tail, memory_order_relaxed);
}

/* Producer side: how many objects wait for the consumer right now. */
static inline uint32_t ring_queued(struct ring *r)
{
	/* Pairs with the release store of tail in ring_dequeue_burst. */
	return atomic_load_explicit(&r->head, memory_order_relaxed) -
	       atomic_load_explicit(&r->tail, memory_order_acquire);
}

#endif
