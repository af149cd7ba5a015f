/* The sampled printer beside -w: a copy of written blocks when the printer has room, printed at idle priority. */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "common/errbuf.h"
#include "engine/print_tap.h"

static void hand_over(struct print_tap *tap)
{
	void *b = tap->filling;

	if (!b)
		return;
	/* The full ring has a slot for every block of the pool. */
	ring_enqueue_burst(tap->full, &b, 1);
	tap->filling = NULL;
	park_wake(&tap->park);
}

void print_tap_offer(struct print_tap *tap, const uint8_t *recs, size_t len, unsigned count, uint32_t sec_hi)
{
	bool oversized = len > BLOCK_BYTES;
	void *b;

	if (tap->filling && (oversized || tap->filling->used + len > BLOCK_BYTES || tap->filling->sec_hi != sec_hi))
		hand_over(tap);
	if (!tap->filling) {
		if (ring_dequeue_burst(tap->empty, &b, 1) == 0) {
			counter_add(&tap->skipped, count);
			return;
		}
		tap->filling = b;
		block_reset(tap->filling);
		tap->filling->sec_hi = sec_hi;
	}
	/* A run larger than a block (an oversized record) gets a block of its size; the printer frees it. */
	if (oversized && block_make_oversized(tap->filling, (uint32_t)(len - REC_HDR_BYTES)) < 0) {
		counter_add(&tap->skipped, count);
		return;
	}
	memcpy(tap->filling->data + tap->filling->used, recs, len);
	tap->filling->used += (uint32_t)len;
	tap->filling->count += count;
	/* Small runs are batched, but the printer should not lag a live link by a whole block. */
	if (oversized || tap->filling->count >= 64)
		hand_over(tap);
}

void print_tap_finish(struct print_tap *tap)
{
	hand_over(tap);
	/* Pairs with the acquire load in the printer loop. */
	atomic_store_explicit(&tap->done, true, memory_order_release);
	park_wake(&tap->park);
}

static void print_block(struct print_tap *tap, const struct block *b, uint64_t *window_start, uint64_t *in_window)
{
	struct rec_iter it = rec_iter_of(b->data, b->used);
	const uint8_t *rec;
	struct rec_hdr h;

	while ((rec = rec_next(&it, &h))) {
		if (tap->rate) {
			struct timespec now;
			clock_gettime(CLOCK_MONOTONIC, &now);
			if ((uint64_t)now.tv_sec != *window_start) {
				*window_start = (uint64_t)now.tv_sec;
				*in_window = 0;
			}
			if (++*in_window > tap->rate) {
				counter_add(&tap->rate_skipped, 1);
				continue;
			}
		}
		struct td_pkt pkt = {
			.data = rec + REC_HDR_BYTES,
			.caplen = h.caplen,
			.wirelen = h.len,
			.ts_sec = ts_sec_join(b->sec_hi, h.ts_sec),
			.ts_frac = h.ts_frac,
		};
		printer_packet(tap->printer, &pkt);
		counter_add(&tap->printed, 1);
	}
}

static void *printer_main(void *arg)
{
	struct print_tap *tap = arg;
	uint64_t window_start = 0, in_window = 0;
	struct sched_param sp = { .sched_priority = 0 };

	/* The printer must never cost the capture a packet: the lowest priority Linux has. */
	pthread_setschedparam(pthread_self(), SCHED_IDLE, &sp);
	for (;;) {
		uint32_t seen = park_seq(&tap->park);
		void *b;

		if (ring_dequeue_burst(tap->full, &b, 1)) {
			print_block(tap, b, &window_start, &in_window);
			block_release_oversized(b);
			ring_enqueue_burst(tap->empty, &b, 1);
			continue;
		}
		/* Pairs with the release store in print_tap_finish: its last block is visible now. */
		if (atomic_load_explicit(&tap->done, memory_order_acquire) && ring_empty(tap->full))
			break;
		park_wait(&tap->park, seen, 100 * 1000 * 1000L);
	}
	return NULL;
}

int print_tap_start(struct print_tap *tap, const struct print_opts *opts, unsigned rate, int linktype, FILE *out,
		    char *errbuf)
{
	size_t bytes = PRINT_TAP_BLOCKS * sizeof(struct block);
	int err;

	memset(tap, 0, sizeof(*tap));
	tap->rate = rate;
	tap->full = ring_create(PRINT_TAP_BLOCKS);
	tap->empty = ring_create(PRINT_TAP_BLOCKS);
	tap->blocks = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!tap->full || !tap->empty || tap->blocks == MAP_FAILED) {
		if (tap->blocks == MAP_FAILED)
			tap->blocks = NULL;
		return td_errf(errbuf, ENOMEM, "out of memory for the printer");
	}
	for (unsigned i = 0; i < PRINT_TAP_BLOCKS; i++) {
		void *b = &tap->blocks[i];

		block_init(&tap->blocks[i]);
		ring_enqueue_burst(tap->empty, &b, 1);
	}
	tap->printer = printer_new(opts, linktype, out, errbuf);
	if (!tap->printer)
		return td_errno_or(EINVAL);
	if ((err = pthread_create(&tap->thread, NULL, printer_main, tap)) != 0)
		return td_errf(errbuf, err, "cannot start the printer thread");
	tap->started = true;
	pthread_setname_np(tap->thread, "td-printer");
	return 0;
}

void print_tap_stop(struct print_tap *tap)
{
	uint64_t behind, capped;

	if (tap->started) {
		pthread_join(tap->thread, NULL);
		tap->started = false;
	}
	behind = counter_get(&tap->skipped);
	capped = counter_get(&tap->rate_skipped);
	if (tap->printer) {
		printer_free(tap->printer);
		tap->printer = NULL;
	}
	fflush(stdout);
	if (behind)
		fprintf(stderr, "%llu packets not printed (printer behind)\n", (unsigned long long)behind);
	if (capped)
		fprintf(stderr, "%llu packets not printed (over --print-rate)\n", (unsigned long long)capped);
	ring_free(tap->full);
	ring_free(tap->empty);
	if (tap->blocks) {
		for (unsigned i = 0; i < PRINT_TAP_BLOCKS; i++)
			block_release_oversized(&tap->blocks[i]);
		munmap(tap->blocks, PRINT_TAP_BLOCKS * sizeof(struct block));
	}
	tap->full = tap->empty = NULL;
	tap->blocks = NULL;
}
