/* The rx worker: burst from its source, filter on whole packets, truncate, pack records into blocks. */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "engine/block_lz4.h"
#include "engine/engine.h"
#include "io/live.h"

/* A live block older than this goes to the writer half full, so quiet links still reach the disk. */
#define LIVE_FLUSH_NS (20 * 1000 * 1000ull)

void engine_request_stop(struct engine *eng)
{
	/* Pairs with the acquire load in engine_stopping. */
	atomic_store_explicit(&eng->stop, true, memory_order_release);
	/* Live sources waiting in poll() see the stop here. A failed write means a full counter, still readable. */
	if (eng->stop_fd >= 0) {
		ssize_t r = write(eng->stop_fd, &(uint64_t){ 1 }, sizeof(uint64_t));
		(void)r;
	}
	for (unsigned i = 0; i < eng->nworkers; i++)
		park_wake(&eng->workers[i].park);
	for (unsigned i = 0; i < eng->nwriters; i++)
		park_wake(&eng->writers[i].park);
}

static void publish(struct worker *w)
{
	struct block *b = w->cur;
	void *obj = b;
	bool ahead;

	if (!b || !b->count)
		return;
	b->ring_drops = counter_get(&w->ctr.ring_dropped);
	b->backend_drops = counter_get(&w->backend.dropped) + counter_get(&w->backend.if_dropped);
	ahead = w->lz4_ahead && !block_oversized(b);
	if (ahead)
		block_lz4_ready(b, w->lz4_accel_now);
	/* The ring holds every block of the pool, so there is always room for one we own. */
	ring_enqueue_burst(w->ch.full, &obj, 1);
	counter_add(&w->ctr.queued, b->count);
	w->cur = NULL;
	park_wake(w->writer_park);
	if (ahead && w->offers)
		lz4_offers_put(w->offers, b);
	/*
	 * LZ4 output with the writer behind: compress this block here, so that
	 * the writer finds it done and compression runs on two cores. The block
	 * stays valid: the writer waits for it to be done. A file worker helps
	 * as soon as another block waits before this one. A live worker pays
	 * for it in time off its queue (a millisecond a block, thousands of
	 * frames at line rate), so it helps only once half its blocks are
	 * queued: the writer is then losing ground, and the ring would soon
	 * drop packets anyway. With helper threads on spare cores
	 * (lz4_offers.h) a file worker leaves it to them in the same way: its
	 * time is better spent reading.
	 */
	if (ahead && ring_queued(w->ch.full) >= (w->src->live || w->helped ? w->ch.nblocks / 2 : 2) &&
	    block_lz4_claim(b))
		block_lz4_compress(b, w->lz4, atomic_load_explicit(w->lz4_accel_now, memory_order_relaxed));
}

/*
 * Get an empty block. File input waits for the writer (never drops); live
 * input must not stall the NIC, so it gives up at once and the caller counts
 * the drop.
 */
static bool take_block(struct worker *w)
{
	void *b;

	for (;;) {
		uint32_t seen = park_seq(&w->park);
		if (ring_dequeue_burst(w->ch.empty, &b, 1))
			break;
		if (w->src->live || engine_stopping(w->eng))
			return false;
		park_wait(&w->park, seen, 100 * 1000 * 1000L);
	}
	w->cur = b;
	block_reset(w->cur);
	return true;
}

/*
 * Records of a pcap file read in place that the block takes as they are:
 * consecutive in the input and in the block, copied in one go when the run
 * ends: the copy went from 14% of a replay's samples to 8-12%.
 */
struct run {
	const uint8_t *src;
	uint32_t len;
};

static void run_flush(struct worker *w, struct run *r)
{
	if (r->len)
		memcpy(w->cur->data + w->cur->used - r->len, r->src, r->len);
	r->len = 0;
}

/* Add p's record to the run when its header lies before it as the block would hold it; false: append it apart. */
static bool run_take(struct worker *w, struct run *r, const struct td_pkt *p)
{
	struct rec_hdr h = block_rec_hdr(p);
	const uint8_t *rec = p->data - REC_HDR_BYTES;

	if (memcmp(rec, &h, sizeof(h)) != 0)
		return false;
	if (r->len && r->src + r->len != rec)
		run_flush(w, r);
	if (!r->len)
		r->src = rec;
	r->len += (uint32_t)sizeof(h) + p->caplen;
	block_note(w->cur, (uint32_t)sizeof(h) + p->caplen);
	return true;
}

/* Pack accepted packets; returns how many went into blocks (the rest are ring drops). */
static unsigned pack(struct worker *w, const struct td_pkt *pkts, unsigned n)
{
	struct run run = { 0 };
	unsigned dropped = 0;

	for (unsigned i = 0; i < n; i++) {
		uint32_t hi = ts_sec_hi(pkts[i].ts_sec);
		bool oversized = record_oversized(pkts[i].caplen);

		if (w->cur &&
		    (oversized || !block_fits(w->cur, pkts[i].caplen) || (w->cur->count && w->cur->sec_hi != hi))) {
			run_flush(w, &run);
			publish(w);
		}
		if (!w->cur && !take_block(w))
			return i - dropped;
		/* A record larger than a block goes alone, in a block sized for it; the writer frees it. */
		if (oversized && block_make_oversized(w->cur, pkts[i].caplen) < 0) {
			dropped++; /* no memory for it: counted with the ring drops, the rest goes on */
			continue;
		}
		if (!w->cur->count) {
			w->cur->sec_hi = hi;
			if (w->src->live)
				w->cur->opened_ns = mono_ns();
		}
		if (w->src->records_in_place && !oversized && run_take(w, &run, &pkts[i]))
			continue;
		run_flush(w, &run);
		block_append(w->cur, &pkts[i]);
		if (oversized)
			publish(w);
	}
	if (w->cur)
		run_flush(w, &run);
	return n - dropped;
}

/* Copy the backend's counters where the main thread can read them (they are cumulative). */
static void read_backend(struct worker *w)
{
	struct source_stats st;

	if (!w->src->ops->stats || w->src->ops->stats(w->src, &st) != 0)
		return;
	counter_set(&w->backend.dropped, st.dropped);
	counter_set(&w->backend.if_dropped, st.if_dropped);
	counter_set(&w->backend.errors, st.errors);
}

/* Count, filter, truncate and pack one burst of n received packets. */
static void take_burst(struct worker *w, struct td_pkt *pkts, unsigned n, uint64_t *accepted)
{
	unsigned kept, packed;

	counter_add(&w->ctr.received, (uint64_t)n);
	for (unsigned i = 0; i < n; i++)
		counter_add(&w->ctr.received_bytes, pkts[i].wirelen);
	kept = filter_burst(w->filter, pkts, n, w->snaplen);
	counter_add(&w->ctr.rejected, (uint64_t)n - kept);
	if (w->count_limit && *accepted + kept > w->count_limit) {
		/* Received and matched, but -c needs no more: counted apart so the sums still close. */
		counter_add(&w->ctr.beyond_count, *accepted + kept - w->count_limit);
		kept = (unsigned)(w->count_limit - *accepted);
	}
	*accepted += kept;
	counter_add(&w->ctr.accepted, kept);
	packed = pack(w, pkts, kept);
	if (packed < kept)
		counter_add(&w->ctr.ring_dropped, kept - packed);
	if (w->src->live && w->cur && w->cur->count && mono_ns() - w->cur->opened_ns > LIVE_FLUSH_NS)
		publish(w);
}

/*
 * A live source stopped: frames already in its rx ring reached the box but
 * were never handed over, and would be counted nowhere. Take them (the
 * source's waits end at once now: the stop fd is readable): as many as the
 * ring holds, so a link still at line rate cannot hold the stop, however
 * slowly a loaded box takes them (seen: 32768 AF_XDP frames needed over a
 * second), within STOP_DRAIN_MAX_NS; a backend that does not say what its
 * ring holds gets STOP_DRAIN_NS.
 */
#define STOP_DRAIN_NS (100 * 1000 * 1000ull)
#define STOP_DRAIN_MAX_NS (5000 * 1000 * 1000ull)

static void drain_after_stop(struct worker *w, struct td_pkt *pkts, uint64_t *accepted)
{
	uint64_t left = w->src->rx_held_max ? w->src->rx_held_max : UINT64_MAX;
	uint64_t until = mono_ns() + (w->src->rx_held_max ? STOP_DRAIN_MAX_NS : STOP_DRAIN_NS);
	int n;

	while (left && mono_ns() < until &&
	       (n = source_rx_burst(w->src, pkts, left < RX_BURST ? (unsigned)left : RX_BURST)) > 0) {
		left -= (unsigned)n;
		take_burst(w, pkts, (unsigned)n, accepted);
		if (w->count_limit && *accepted >= w->count_limit)
			break;
	}
}

/* Live sources: refresh the backend counters this often, so interval lines show kernel drops as they happen. */
#define BACKEND_READ_NS (500 * 1000 * 1000ull)

void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct td_pkt pkts[RX_BURST];
	uint64_t accepted = 0, last_backend = 0;
	unsigned loops = 0;

	if (w->src->ops->thread_init && (w->error = w->src->ops->thread_init(w->src)) < 0)
		goto out;
	while (!engine_stopping(w->eng)) {
		int n;

		/* An idle live source may sleep long unless a part-filled block has to reach the writer. */
		w->src->idle_wait_ms = w->cur && w->cur->count ? LIVE_IDLE_WAIT_MS : LIVE_IDLE_LONG_WAIT_MS;
		n = source_rx_burst(w->src, pkts, RX_BURST);

		/* A clock read when idle or every 256 bursts: the check costs nothing next to the bursts. */
		if (w->src->live && (n == 0 || (++loops & 255) == 0) && mono_ns() - last_backend > BACKEND_READ_NS) {
			read_backend(w);
			last_backend = mono_ns();
		}
		if (n == -ENODATA)
			break;
		if (n < 0) {
			w->error = n;
			snprintf(w->errbuf, sizeof(w->errbuf), "%s", w->src->errbuf);
			break;
		}
		if (n == 0) {
			/* Live backends wait in poll() for a while before returning 0, so no sleep here. */
			if (w->cur && w->cur->count && mono_ns() - w->cur->opened_ns > LIVE_FLUSH_NS)
				publish(w);
			if (!w->src->live)
				sched_yield();
			continue;
		}
		take_burst(w, pkts, (unsigned)n, &accepted);
		if (w->count_limit && accepted >= w->count_limit)
			break;
	}
	if (w->src->live && !w->error && !(w->count_limit && accepted >= w->count_limit))
		drain_after_stop(w, pkts, &accepted);
out:
	publish(w);
	if (w->src->ops->thread_fini)
		w->src->ops->thread_fini(w->src);
	read_backend(w);
	/* Pairs with the acquire load in the writer: every block enqueued above is visible before done. */
	atomic_store_explicit(&w->ch.done, true, memory_order_release);
	park_wake(w->writer_park);
	return NULL;
}
