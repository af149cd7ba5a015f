/* Unit test of the SPSC ring: sizes, full/empty edges, index wrap-around, and two threads moving millions of pointers in order. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "engine/ring.h"

/* Enough traffic for the two sides to meet full and empty many times over; under a second here, a few on two busy cores. */
#define TRANSFER_COUNT 50000000u
#define TRANSFER_RING 1024u
#define MAX_BURST 37u /* not a power of two, so bursts straddle the wrap of the slot array */

static void test_create(int *fails)
{
	static const uint32_t bad[] = { 0, 1, 3, 5, 6, 7, 12, 100, 1023, 0x80000001u };
	static const uint32_t good[] = { 2, 4, 8, 1024, 65536 };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ring *r;

		errno = 0;
		r = ring_create(bad[i]);
		CHECK(r == NULL, "ring_create(%u) accepted a size that is not a power of two >= 2", bad[i]);
		CHECK(errno == EINVAL, "ring_create(%u) set errno %d, not EINVAL", bad[i], errno);
		ring_free(r);
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct ring *r = ring_create(good[i]);

		CHECK(r != NULL, "ring_create(%u) failed", good[i]);
		if (!r)
			continue;
		CHECK(r->size == good[i] && r->mask == good[i] - 1, "size %u mask %u", r->size, r->mask);
		CHECK(((uintptr_t)r % CACHE_LINE) == 0, "ring not cache aligned");
		CHECK(ring_empty(r), "new ring of %u not empty", good[i]);
		ring_free(r);
	}
}

/* Fill, overfill, drain and overdrain a small ring, starting at a given index (to cross the 32-bit wrap). */
static void test_edges(int *fails, uint32_t size, uint32_t start)
{
	struct ring *r = ring_create(size);
	void *in[64], *out[64];
	unsigned n;

	CHECK(r != NULL, "ring_create(%u)", size);
	if (!r)
		return;
	/* Free-running indexes: any start value must behave the same. */
	r->head = start;
	r->tail = start;
	r->cached_head = start;
	r->cached_tail = start;
	for (unsigned i = 0; i < 64; i++)
		in[i] = (void *)(uintptr_t)(i + 1);

	n = ring_dequeue_burst(r, out, 1);
	CHECK(n == 0, "dequeue from an empty ring gave %u", n);
	n = ring_enqueue_burst(r, in, 0);
	CHECK(n == 0, "enqueue of 0 gave %u", n);
	n = ring_enqueue_burst(r, in, size + 3);
	CHECK(n == size, "overfilling a ring of %u took %u", size, n);
	CHECK(!ring_empty(r), "full ring says empty");
	n = ring_enqueue_burst(r, in + size, 1);
	CHECK(n == 0, "a full ring of %u took one more", size);
	n = ring_dequeue_burst(r, out, 1);
	CHECK(n == 1 && out[0] == in[0], "first out is not first in");
	n = ring_enqueue_burst(r, in + size, 2);
	CHECK(n == 1, "one freed slot took %u", n);
	n = ring_dequeue_burst(r, out, 64);
	CHECK(n == size, "draining gave %u of %u", n, size);
	for (unsigned i = 0; i < n && i < size; i++)
		CHECK(out[i] == in[i + 1], "slot %u out of order (start %u)", i, start);
	CHECK(ring_empty(r), "drained ring not empty");
	n = ring_dequeue_burst(r, out, 64);
	CHECK(n == 0, "overdrain gave %u", n);

	/* Many small rounds, so the indexes travel several times around the slot array. */
	for (unsigned round = 0; round < 4 * size; round++) {
		unsigned want = 1 + round % size;
		n = ring_enqueue_burst(r, in, want);
		CHECK(n == want, "round %u: enqueue %u of %u", round, n, want);
		n = ring_dequeue_burst(r, out, 64);
		CHECK(n == want, "round %u: dequeue %u of %u", round, n, want);
		for (unsigned i = 0; i < n; i++)
			CHECK(out[i] == in[i], "round %u slot %u", round, i);
	}
	CHECK(r->head - start == r->tail - start, "head and tail disagree after the rounds");
	ring_free(r);
}

struct transfer {
	struct ring *r;
	uint64_t errors;
	uint64_t received;
};

static void *producer(void *arg)
{
	struct transfer *t = arg;
	uintptr_t next = 1;
	void *objs[MAX_BURST];

	while (next <= TRANSFER_COUNT) {
		unsigned want = 1 + (unsigned)(next % MAX_BURST), n;
		for (unsigned i = 0; i < want; i++)
			objs[i] = (void *)(next + i);
		if (next + want - 1 > TRANSFER_COUNT)
			want = (unsigned)(TRANSFER_COUNT - next + 1);
		n = ring_enqueue_burst(t->r, objs, want);
		if (!n)
			sched_yield(); /* two threads may share one core here */
		next += n;
	}
	return NULL;
}

static void *consumer(void *arg)
{
	struct transfer *t = arg;
	uintptr_t expect = 1;
	void *objs[MAX_BURST];

	while (expect <= TRANSFER_COUNT) {
		unsigned want = 1 + (unsigned)((expect * 7) % MAX_BURST);
		unsigned n = ring_dequeue_burst(t->r, objs, want);
		if (!n) {
			sched_yield();
			continue;
		}
		for (unsigned i = 0; i < n; i++, expect++)
			if ((uintptr_t)objs[i] != expect && t->errors++ < 5)
				fprintf(stderr, "consumer: got %lu, expected %lu\n", (unsigned long)(uintptr_t)objs[i],
					(unsigned long)expect);
		t->received += n;
	}
	return NULL;
}

static void test_threads(int *fails)
{
	struct transfer t = { .r = ring_create(TRANSFER_RING) };
	pthread_t p, c;

	CHECK(t.r != NULL, "ring_create");
	if (!t.r)
		return;
	/* Start just below the 32-bit wrap so the run crosses it early. */
	t.r->head = t.r->tail = t.r->cached_head = t.r->cached_tail = UINT32_MAX - 1000;
	if (pthread_create(&c, NULL, consumer, &t) || pthread_create(&p, NULL, producer, &t)) {
		CHECK(0, "pthread_create");
		return;
	}
	pthread_join(p, NULL);
	pthread_join(c, NULL);
	CHECK(t.received == TRANSFER_COUNT, "received %lu of %u", (unsigned long)t.received, TRANSFER_COUNT);
	CHECK(t.errors == 0, "%lu pointers out of sequence", (unsigned long)t.errors);
	CHECK(ring_empty(t.r), "ring not empty after the transfer");
	ring_free(t.r);
}

int main(void)
{
	int fails = 0;

	test_create(&fails);
	for (uint32_t size = 2; size <= 32; size *= 2) {
		test_edges(&fails, size, 0);
		test_edges(&fails, size, UINT32_MAX - size / 2);
		test_edges(&fails, size, UINT32_MAX);
	}
	test_threads(&fails);
	return check_result("ring", fails);
}
